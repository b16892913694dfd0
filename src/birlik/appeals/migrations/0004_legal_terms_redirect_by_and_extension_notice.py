"""APPC Article 76 as the law words it: the extension cap in months from the registration (not
days after the due date), the redirect-by date and a late redirection on the appeal, and the
extension (its day, reason and the applicant's notice) on the appeal.

Existing rows get their redirect-by date (3 working days, or the kind of body's setting, after
the day the term is counted from), "redirected late" when they were sent on after it, and the
day and reason of their latest extension from the history."""

import django.core.validators
from django.db import migrations, models

BATCH = 1000


def months_from_days(apps, schema_editor):
    DeadlineRules = apps.get_model("appeals", "DeadlineRules")
    for rules in DeadlineRules.objects.all():
        rules.max_extension_months = 1 if rules.max_extension_days < 60 else 2
        rules.save(update_fields=["max_extension_months"])


def days_from_months(apps, schema_editor):
    DeadlineRules = apps.get_model("appeals", "DeadlineRules")
    for rules in DeadlineRules.objects.all():
        rules.max_extension_days = 30 * rules.max_extension_months
        rules.save(update_fields=["max_extension_days"])


def fill_appeals(apps, schema_editor):
    from birlik.core.workdays import add_working_days, legal_date

    Appeal = apps.get_model("appeals", "Appeal")
    AppealStep = apps.get_model("appeals", "AppealStep")
    DeadlineRules = apps.get_model("appeals", "DeadlineRules")
    redirect_days = dict(DeadlineRules.objects.values_list("kind_id", "redirect_days"))
    cache: dict = {}

    def redirect_by(counted_from, kind_id):
        key = (counted_from, redirect_days.get(kind_id, 3))
        if key not in cache:
            cache[key] = add_working_days(*key)
        return cache[key]

    batch = []
    rows = Appeal.objects.select_related("organisation").order_by("pk")
    for appeal in rows.iterator(chunk_size=BATCH):
        appeal.redirect_by = redirect_by(appeal.counted_from, appeal.organisation.kind_id)
        if appeal.status == "redirected" and appeal.closed_at is not None:
            appeal.redirected_late = legal_date(appeal.closed_at) > appeal.redirect_by
        if appeal.extended_until is not None:
            step = (
                AppealStep.objects.filter(appeal_id=appeal.pk, action="extended")
                .order_by("-at", "-pk")
                .first()
            )
            if step is not None:
                appeal.extended_on = legal_date(step.at)
                appeal.extension_reason = step.text
        batch.append(appeal)
        if len(batch) >= BATCH:
            Appeal.objects.bulk_update(
                batch, ["redirect_by", "redirected_late", "extended_on", "extension_reason"]
            )
            batch = []
    if batch:
        Appeal.objects.bulk_update(
            batch, ["redirect_by", "redirected_late", "extended_on", "extension_reason"]
        )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0003_effective_due")]

    operations = [
        migrations.AddField(
            model_name="deadlinerules",
            name="max_extension_months",
            field=models.PositiveSmallIntegerField(
                default=2,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(2),
                ],
                verbose_name="longest term with extensions, in months from the registration",
            ),
        ),
        migrations.RunPython(months_from_days, days_from_months),
        migrations.RemoveField(model_name="deadlinerules", name="max_extension_days"),
        migrations.AddField(
            model_name="appeal",
            name="extended_on",
            field=models.DateField(blank=True, null=True, verbose_name="extension decided on"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="extension_notice_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="applicant told of the extension at"
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="extension_reason",
            field=models.TextField(blank=True, verbose_name="reason for the extension"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="redirect_by",
            field=models.DateField(blank=True, null=True, verbose_name="redirect by"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="redirected_late",
            field=models.BooleanField(default=False, verbose_name="redirected after the term"),
        ),
        migrations.RunPython(fill_appeals, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                fields=["status", "redirect_by"], name="appeals_app_status_f1d0db_idx"
            ),
        ),
    ]
