"""The applicant's rating of the answer, and the name each attached file had."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0005_number_sequence_moved_to_core"),
    ]

    operations = [
        migrations.AddField(
            model_name="appealattachment",
            name="original_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="file name"),
        ),
        migrations.CreateModel(
            name="AppealRating",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "score",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ],
                        verbose_name="rating",
                    ),
                ),
                ("comment", models.TextField(blank=True, max_length=2000, verbose_name="comment")),
                (
                    "rated_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="rated at"
                    ),
                ),
                (
                    "appeal",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rating",
                        to="appeals.appeal",
                        verbose_name="appeal",
                    ),
                ),
            ],
            options={
                "verbose_name": "rating of the answer",
                "verbose_name_plural": "ratings of the answers",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", 1), ("score__lte", 5)),
                        name="appeal_rating_score_1_to_5",
                    )
                ],
            },
        ),
    ]
