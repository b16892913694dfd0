"""Results of a survey in the workspace — its weighting runs, the trust index and any question's
estimates by every breakdown, weighing, publishing, the exports — and the population margins
surveys are weighted to.

Researchers covering the body that conducts a survey read its results (``surveys.view_results``);
weighing, publishing and exporting each have their own permission. Someone who sees the survey
without that right (its collectors) gets 403; anyone to whom the survey is out of scope, 404.
Every number shown comes from stored ``WeightingRun`` and ``Estimate`` rows; every export is
written to the audit log.
"""

from __future__ import annotations

import csv
import io
from typing import Any, cast

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import AuditEntry, User
from birlik.access.services import audit_record
from birlik.core import uploads
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import page_of
from birlik.core.private_files import XLSX_TYPE, private_download
from birlik.geo.models import Region

from . import queries, services, tasks
from .builder_views import crumbs, nav_context
from .models import Estimate, MarginSet, MarginTarget, Option, Question, Survey, WeightingRun
from .results_forms import ExportForm, MarginSetForm, MarginUploadForm, TableForm
from .results_tables import (
    DIMENSIONS,
    CategoryNames,
    cells,
    dimension_name,
    index_estimates,
    index_rows,
    run_facts,
    statistic_label,
    thresholds,
)

VIEW_RESULTS = "surveys.view_results"
WEIGH = "surveys.weigh"
PUBLISH = "surveys.publish"
EXPORT = "surveys.export"
# How long the page says "being computed" after the button, unless a newer run shows up first.
WEIGHING_SHOWN_SECONDS = 30 * 60
CSV_TYPE = "text/csv; charset=utf-8"
SAV_TYPE = "application/x-spss-sav"


def _user(request: HttpRequest) -> User:
    """The signed-in staff member (``staff_view`` let only them in)."""
    return cast(User, request.user)


def _survey(request: HttpRequest, pk: int, permission: str) -> Survey:
    """A survey in the user's scope (404 otherwise) on which they hold ``permission`` (403)."""
    survey = policies.get_scoped_or_404(
        Survey.objects.select_related("version__questionnaire", "organisation", "margin_set"),
        request.user,
        pk=pk,
    )
    policies.require(request.user, permission, survey)
    return survey


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {**nav_context(request.user), **context}, status=status)


def _results_label() -> str:
    return pgettext("survey results", "Results")


def _language() -> str:
    return (get_language() or "kk")[:2]


def _survey_crumbs(survey: Survey, *steps: tuple[str, str]) -> list[dict[str, str]]:
    return crumbs((str(survey.title), reverse("surveys:survey", args=[survey.pk])), *steps)


# --- Weighing in the background ---------------------------------------------------------------


def _weighing_key(survey: Survey) -> str:
    return f"birlik:surveys:weighing:{survey.pk}"


def _job_outcome(result: Any) -> str | None:
    """What a finished weighing job says: "" when it made a run, the reason when it could not
    (already translated by the job), None when it has not finished."""
    if not result.is_finished:
        return None
    if result.status != TaskResultStatus.SUCCESSFUL:
        return _(
            "The weighing stopped on an error. Try again; if it fails again, tell the "
            "administrator."
        )
    outcome = result.return_value if isinstance(result.return_value, dict) else {}
    reason = str(outcome.get("error") or "")
    if reason == "forbidden":
        return _("You may not weigh this survey.")
    return "" if reason in ("", "gone") else reason


def _weighing(survey: Survey, run: WeightingRun | None) -> tuple[bool, str]:
    """Whether the weighing asked for is still being computed, and why it failed if it did
    (shown once). A job whose backend cannot be asked counts as running until a run newer
    than the request appears or ``WEIGHING_SHOWN_SECONDS`` pass."""
    asked = cache.get(_weighing_key(survey))
    if not isinstance(asked, dict):
        return False, ""
    try:
        outcome = _job_outcome(tasks.survey_weigh_job.get_result(asked["id"]))
    except (NotImplementedError, TaskResultDoesNotExist):
        outcome = "" if run is not None and run.created_at.timestamp() >= asked["at"] else None
    if outcome is None:
        return True, ""
    cache.delete(_weighing_key(survey))
    return False, outcome


# --- Results ------------------------------------------------------------------------------------


def _question_choices(survey: Survey, run: WeightingRun) -> tuple[list[tuple[str, str]], dict]:
    """The questions the run has estimates for, in the questionnaire's order, named by their
    code and text; and each question's answer labels (option code → label)."""
    codes = set(
        Estimate.objects.filter(run=run).order_by().values_list("question", flat=True).distinct()
    )
    questions = Question.objects.filter(version=survey.version).prefetch_related("options")
    choices: list[tuple[str, str]] = []
    options: dict[str, dict[str, str]] = {}
    if Estimate.TRUST_INDEX in codes:
        choices.append((Estimate.TRUST_INDEX, _("Index of interethnic trust (0–100)")))
    if Estimate.TRUSTING in codes:
        choices.append((Estimate.TRUSTING, _("Share trusting (an index of 60 or more)")))
    for question in questions:
        labels = {o.code: str(o.label) for o in question.options.all() if o.kind == "choice"}
        options[question.code] = labels
        if question.code in codes:
            choices.append((question.code, f"{question.code}. {question.text}"))
        for row in (o for o in question.options.all() if o.kind == Option.Kind.ROW):
            code = f"{question.code}.{row.code}"
            if code in codes:
                choices.append((code, f"{code}. {question.text}: {row.label}"))
    known = {code for code, _label in choices}
    choices += [(code, code) for code in sorted(codes - known)]
    return choices, options


@require_GET
@staff_view
def results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, VIEW_RESULTS)
    user = _user(request)
    run = queries.latest_run(survey)
    weighing, failed = _weighing(survey, run)
    if failed:
        messages.error(request, _("The survey was not weighed: %(reason)s") % {"reason": failed})
    context: dict[str, Any] = {
        "survey": survey,
        "run": run,
        "weighing": weighing,
        "may_weigh": policies.can(user, WEIGH, survey),
        "may_publish": policies.can(user, PUBLISH, survey),
        "may_export": policies.can(user, EXPORT, survey),
        "csv_form": ExportForm(initial={"lang": _language()}, auto_id="csv_%s"),
        "sav_form": ExportForm(initial={"lang": _language()}, auto_id="sav_%s"),
        "crumbs": _survey_crumbs(survey, (_results_label(), reverse("surveys:results", args=[pk]))),
    }
    if run is not None:
        context["facts"] = run_facts(run)
        names = CategoryNames([survey.version_id])
        if survey.is_trust_index:
            found = index_estimates([run]).get(run.pk, [])
            context["index_tables"] = [
                {"dimension": dim, "name": dimension_name(dim), "rows": index}
                for dim in DIMENSIONS
                if (index := index_rows(found, dim, names))
            ]
        choices, options = _question_choices(survey, run)
        form = TableForm(request.GET or None, questions=choices)
        default = choices[0][0] if choices else ""
        question, dimension = form.chosen(default)
        table = cells(queries.estimates_table(run, question, dimension), dimension, names)
        answers = options.get(question.split(".")[0], {})
        context.update(
            {
                "form": form,
                "table_question": dict(choices).get(question, question),
                "table_dimension": dimension_name(dimension),
                "table": [(row, statistic_label(row.statistic, answers)) for row in table],
                "thresholds": thresholds(survey),
            }
        )
    return _page(request, "surveys/results/results.html", context)


@require_GET
@staff_view
def runs(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, VIEW_RESULTS)
    rows = survey.runs.select_related("created_by").order_by("-created_at", "-id")
    page = page_of(request, rows)
    return _page(
        request,
        "surveys/results/runs.html",
        {
            "survey": survey,
            "page": page,
            "rows": [(run, run_facts(run)) for run in page.object_list],
            "crumbs": _survey_crumbs(
                survey,
                (_results_label(), reverse("surveys:results", args=[pk])),
                (pgettext("survey results", "Weighting runs"), reverse("surveys:runs", args=[pk])),
            ),
        },
    )


@require_POST
@staff_view
def weigh(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the weighting of the survey (the job stores a new run and its estimates)."""
    survey = _survey(request, pk, WEIGH)
    user = _user(request)
    result = tasks.survey_weigh_job.enqueue(survey.pk, user.pk)
    outcome = _job_outcome(result)
    if outcome is None:
        asked = {"id": result.id, "at": timezone.now().timestamp()}
        cache.set(_weighing_key(survey), asked, WEIGHING_SHOWN_SECONDS)
        messages.success(
            request,
            _(
                "The weights are being computed. This page shows the new weighting run as soon "
                "as it is done."
            ),
        )
    elif outcome:
        messages.error(request, _("The survey was not weighed: %(reason)s") % {"reason": outcome})
    else:
        messages.success(request, _("The survey was weighed: the page shows the new run."))
    return redirect("surveys:results", pk=pk)


@require_POST
@staff_view
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, PUBLISH)
    try:
        services.survey_publish(survey, user=_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The results are published on the public figures pages."))
    return redirect("surveys:results", pk=pk)


@require_POST
@staff_view
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, PUBLISH)
    try:
        services.survey_unpublish(survey, user=_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The results are no longer public."))
    return redirect("surveys:results", pk=pk)


# --- Exports ------------------------------------------------------------------------------------


def _export_language(request: HttpRequest) -> str | None:
    """The language asked for in ``?lang=`` (the page's own by default); None if not one of
    ours (the caller says so)."""
    if "lang" not in request.GET:
        return _language()
    form = ExportForm(request.GET)
    return str(form.cleaned_data["lang"]) if form.is_valid() else None


def _exported(
    request: HttpRequest, survey: Survey, data: bytes, *, what: str, filename: str, kind: str
) -> HttpResponse:
    """The file, after its audit row (who took which survey's data out, in what form)."""
    audit_record(
        actor=_user(request),
        action=AuditEntry.Action.EXPORT,
        obj=survey,
        organisation_path=str(survey.organisation.path),
        changes={"bytes": [None, len(data)]},
        note=what,
    )
    return private_download(data, filename=filename, content_type=kind)


def _refused_language(request: HttpRequest, pk: int) -> HttpResponse:
    messages.error(request, _("The language of an export is kk, ru or en; the file was not made."))
    return redirect("surveys:results", pk=pk)


@require_GET
@staff_view
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, EXPORT)
    language = _export_language(request)
    if language is None:
        return _refused_language(request, pk)
    from . import exports  # pandas and numpy are loaded only when a file is made

    data = exports.responses_csv(survey, language)
    return _exported(
        request,
        survey,
        data,
        what=f"survey responses csv {language}",
        filename=f"{survey.slug}-{language}.csv",
        kind=CSV_TYPE,
    )


@require_GET
@staff_view
def export_sav(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, EXPORT)
    language = _export_language(request)
    if language is None:
        return _refused_language(request, pk)
    from . import exports

    data = exports.responses_sav(survey, language)
    return _exported(
        request,
        survey,
        data,
        what=f"survey responses sav {language}",
        filename=f"{survey.slug}-{language}.sav",
        kind=SAV_TYPE,
    )


@require_GET
@staff_view
def codebook(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, EXPORT)
    from . import exports

    data = exports.codebook_xlsx(survey.version)
    return _exported(
        request,
        survey,
        data,
        what="survey codebook xlsx",
        filename=f"{survey.slug}-codebook.xlsx",
        kind=XLSX_TYPE,
    )


# --- Population margins -----------------------------------------------------------------------


def _margin_set(request: HttpRequest, pk: int) -> MarginSet:
    margin_set = policies.get_scoped_or_404(
        MarginSet.objects.select_related("organisation"), request.user, pk=pk
    )
    policies.require(request.user, WEIGH, margin_set)
    return margin_set


def _margins_page(
    request: HttpRequest, form: MarginSetForm | None = None, status: int = 200
) -> HttpResponse:
    policies.require(request.user, WEIGH)
    rows = policies.scoped(
        MarginSet.objects.select_related("organisation")
        .annotate(targets_count=Count("targets", distinct=True))
        .annotate(surveys_count=Count("surveys", distinct=True))
        .order_by("-created_at", "-id"),
        request.user,
    )
    return _page(
        request,
        "surveys/results/margins.html",
        {
            "nav": "margins",
            "page": page_of(request, rows),
            "form": form or MarginSetForm(user=request.user),
            "crumbs": crumbs((_("Population margins"), reverse("surveys:margins"))),
        },
        status=status,
    )


@require_GET
@staff_view
def margins(request: HttpRequest) -> HttpResponse:
    return _margins_page(request)


@require_POST
@staff_view
def margins_new(request: HttpRequest) -> HttpResponse:
    """A new margin set prefilled from the defaults (census ethnic groups, sex × age)."""
    policies.require(request.user, WEIGH)
    form = MarginSetForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            margin_set = services.margin_set_default(
                form.cleaned_data["organisation"],
                user=_user(request),
                title=form.cleaned_data["title"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "The margins were created from the defaults. Upload the regions' shares "
                    "from the Bureau of National Statistics' release."
                ),
            )
            return redirect("surveys:margin", pk=margin_set.pk)
    return _margins_page(request, form, status=400)


def _margin_page(
    request: HttpRequest,
    margin_set: MarginSet,
    form: MarginUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    targets = list(margin_set.targets.order_by("dimension", "category"))
    names = CategoryNames()
    labels = dict(MarginTarget.Dimension.choices)
    dimensions: list[dict[str, Any]] = []
    for target in targets:
        if not dimensions or dimensions[-1]["code"] != target.dimension:
            dimensions.append(
                {
                    "code": target.dimension,
                    "name": labels.get(target.dimension, target.dimension),
                    "rows": [],
                    "sum": 0,
                }
            )
        current = dimensions[-1]
        percent = float(target.share) * 100
        current["rows"].append((target, _category_name(names, target), round(percent, 3)))
        current["sum"] += percent
    for dimension in dimensions:
        dimension["sum"] = round(dimension["sum"], 3)
    return _page(
        request,
        "surveys/results/margin.html",
        {
            "nav": "margins",
            "margin_set": margin_set,
            "dimensions": dimensions,
            "problems": services.margin_set_check(margin_set),
            "surveys": list(margin_set.surveys.order_by("-year", "-wave", "-id")),
            "form": form or MarginUploadForm(),
            "crumbs": crumbs(
                (_("Population margins"), reverse("surveys:margins")),
                (str(margin_set.title), reverse("surveys:margin", args=[margin_set.pk])),
            ),
        },
        status=status,
    )


def _category_name(names: CategoryNames, target: MarginTarget) -> str:
    if target.dimension == MarginTarget.Dimension.SEX_AGE:
        sex, _sep, age = target.category.partition(":")
        return f"{names.label('sex', sex)}, {names.label('age_group', age)}"
    return names.label(str(target.dimension), target.category)


@require_GET
@staff_view
def margin(request: HttpRequest, pk: int) -> HttpResponse:
    return _margin_page(request, _margin_set(request, pk))


@uploads.upload_limit(uploads.IMPORT_LIMIT)
@require_POST
@staff_view
def margins_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the margins named in a file; nothing is stored when a line is wrong."""
    margin_set = _margin_set(request, pk)
    if refused := uploads.refusal_message(request, uploads.IMPORT_LIMIT, split=True):
        form = MarginUploadForm(request.POST, None)
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
        return _margin_page(request, margin_set, form, status=400)
    form = MarginUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _margin_page(request, margin_set, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        uploads.check_size(upload.size, uploads.IMPORT_LIMIT, split=True)
        services.margin_set_upload(margin_set, upload.read(), user=_user(request))
    except DomainError as error:
        show_domain_error(form, error)
        if not form.errors:
            form.add_error("file", str(error.message))
        return _margin_page(request, margin_set, form, status=400)
    messages.success(request, _("The margins of the file were stored."))
    return redirect("surveys:margin", pk=margin_set.pk)


@require_GET
@staff_view
def margins_blank(request: HttpRequest) -> HttpResponse:
    """A file to fill in: the columns the upload reads and the 20 regions with their codes."""
    policies.require(request.user, WEIGH)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["dimension", "category", "region_name", "share", "source", "as_of"])
    for region in Region.objects.order_by("kato"):
        writer.writerow(["region", region.iso, region.name, "", "", ""])
    data = buffer.getvalue().encode("utf-8-sig")
    return private_download(data, filename="margins-regions.csv", content_type=CSV_TYPE)


urlpatterns = [
    path("results/<int:pk>/", results, name="results"),
    path("results/<int:pk>/runs/", runs, name="runs"),
    path("results/<int:pk>/weigh/", weigh, name="weigh"),
    path("results/<int:pk>/publish/", publish, name="publish"),
    path("results/<int:pk>/unpublish/", unpublish, name="unpublish"),
    path("results/<int:pk>/export.csv", export_csv, name="export_csv"),
    path("results/<int:pk>/export.sav", export_sav, name="export_sav"),
    path("results/<int:pk>/codebook.xlsx", codebook, name="codebook"),
    path("margins/", margins, name="margins"),
    path("margins/new/", margins_new, name="margins_new"),
    path("margins/blank.csv", margins_blank, name="margins_blank"),
    path("margins/<int:pk>/", margin, name="margin"),
    path("margins/<int:pk>/upload/", margins_upload, name="margins_upload"),
]
