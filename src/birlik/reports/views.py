"""Dashboards (staff, scoped by grants; public, aggregates only), the indicator catalogue, and
plans with their progress. Every figure comes from ``reports.queries`` (the KPI registry)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.core import kpi, uploads
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.private_files import private_download
from birlik.geo.models import Region

from . import charts, forms, interview, queries, services, spreadsheets
from . import policies as report_policies
from .models import Plan, Target

View = Callable[..., HttpResponseBase]

# The cubes drawn as charts, with the headings of their sections.
CHARTS = (
    ("events.events_cube", gettext_lazy("Events held")),
    ("events.participants_cube", gettext_lazy("Participants of the events")),
    ("appeals.received_cube", gettext_lazy("Appeals received")),
)


def reports_view(view: View) -> View:
    """Signed in and holding at least one grant; scope is checked inside."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policies.require(request.user, "reports.view_dashboard")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _charts(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Charts of the cubes with the data tables that go right behind them."""
    result = []
    region_labels = queries.region_names()
    period = figures["period"]
    over_years = period.start.year != period.end.year
    for key, heading in CHARTS:
        cube = figures["cubes"].get(key)
        if cube is None:
            continue
        name, unit = str(heading), cube["unit"]
        by_region = [(name_, value) for _iso, name_, value in cube["by_region"]]
        by_month = [
            (queries.month_short_label(code, with_year=over_years), value)
            for code, _label, value in cube["by_month"]
        ]
        item = {
            "key": key,
            "name": name,
            "unit": unit,
            "total": cube["total"],
            "by_region": cube["by_region"],
            "by_month": cube["by_month"],
            "by_kind": cube["by_kind"],
            "month_chart": charts.column_chart(
                by_month, title=_("%(name)s: by month") % {"name": name}, unit=unit
            ),
        }
        if figures["region"] is None:
            item["region_chart"] = charts.bar_chart(
                by_region, title=_("%(name)s: by region") % {"name": name}, unit=unit
            )
        if figures["region"] is None and key == CHARTS[0][0]:
            # One map is enough (each is ~60 kB of paths); the others have their bar charts.
            item["map"] = charts.region_map(
                {iso: value for iso, _name, value in cube["by_region"]},
                title=_("%(name)s: map of the regions") % {"name": name},
                labels=region_labels,
                unit=unit,
            )
        if cube["by_kind"]:
            item["kind_chart"] = charts.bar_chart(
                [(kind_name, value) for _code, kind_name, value in cube["by_kind"]],
                title=_("%(name)s: by kind of body") % {"name": name},
                unit=unit,
            )
        result.append(item)
    return result


def _dashboard_context(
    request: HttpRequest,
    form: forms.FigureFilterForm,
    region: Region | None,
    *,
    public: bool,
    every: bool = False,
) -> dict[str, Any]:
    period = form.chosen_period()
    kind = form.chosen_kind()
    figures = queries.dashboard_figures(
        period=period, region=region, kind=kind, public=public, every=every
    )
    return {
        "query_string": request.GET.urlencode(),
        "form": form,
        "invalid": bool(form.errors),
        "figures": figures,
        "period": period,
        "region": region,
        "kind_name": queries.kind_names().get(kind, "") if kind else "",
        "charts": [] if every else _charts(figures),
    }


def _staff_region(request: HttpRequest, regions: list[Region] | None) -> Region | None:
    """The region a staff page shows: the one asked for if the user's grants cover it (404
    otherwise), else the user's own (none for a national user)."""
    asked: Region | None = None
    if request.GET.get("region"):
        # A region outside the user's grants is not there for them.
        asked = Region.objects.filter(iso=request.GET["region"]).first()
        if asked is None and regions is not None:
            raise Http404
    return report_policies.region_or_404(request.user, asked)


def _staff_context(request: HttpRequest, *, every: bool) -> dict[str, Any]:
    regions = report_policies.visible_regions(request.user)
    form = forms.FigureFilterForm(request.GET or None, regions=regions)
    region = _staff_region(request, regions)
    context = _dashboard_context(request, form, region, public=False, every=every)
    context["national"] = regions is None
    return context


@reports_view
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/dashboard.html", _staff_context(request, every=False))


@reports_view
def every_figure(request: HttpRequest) -> HttpResponse:
    context = _staff_context(request, every=True)
    _tabulate(context["figures"]["indicators"])
    context.update({"back": "reports:dashboard", "public": False})
    return render(request, "reports/every.html", context)


def public_dashboard(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "registry.view_figures")
    form = forms.FigureFilterForm(request.GET or None)
    context = _dashboard_context(request, form, form.chosen_region(), public=True)
    return render(request, "reports/public_dashboard.html", context)


def public_every_figure(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "registry.view_figures")
    form = forms.FigureFilterForm(request.GET or None)
    context = _dashboard_context(request, form, form.chosen_region(), public=True, every=True)
    _tabulate(context["figures"]["indicators"])
    context.update({"back": "reports_portal:dashboard", "public": True})
    return render(request, "reports/every.html", context)


def dimension_names() -> dict[str, str]:
    return {
        "kind": _("kind of body"),
        "region": _("region"),
        "district": _("district"),
        "month": _("month"),
        "programme": _("programme"),
        "audience": _("audience"),
        "event_kind": _("kind of event"),
        "appeal_kind": _("kind of appeal"),
        "charity_category": _("category of help"),
        "dispute_kind": _("kind of dispute"),
        "mediation_outcome": _("outcome of mediation"),
        "mediation_centre": _("mediation centre"),
        "club_kind": _("kind of publication"),
        "media_language": pgettext("dimension", "language"),
        "alert_topic": _("topic of the alert"),
    }


def _tabulate(figures: list[dict[str, Any]]) -> None:
    """Headings and cells of each figure's breakdown table, in the reader's language."""
    names = dimension_names()
    for figure in figures:
        figure["headings"] = [names.get(dim, dim) for dim in figure["dimensions"]]
        for row in figure["rows"]:
            row["cells"] = [
                row.get(f"{dim}_name", row.get(dim, "")) for dim in figure["dimensions"]
            ]


def catalogue(request: HttpRequest) -> HttpResponse:
    """What each figure means: every registered indicator with its unit and dimensions."""
    dimension_labels = dimension_names()
    items = [
        {
            "key": item.key,
            "name": item.name,
            "unit": item.unit,
            "description": item.description,
            "dimensions": [str(dimension_labels.get(dim, dim)) for dim in item.dimensions],
        }
        for item in kpi.public_indicators()
    ]
    return render(request, "reports/catalogue.html", {"items": items})


# --- The Assembly's figures of the year (figures) ---------------------------------------------


def _interview_context(
    request: HttpRequest,
    form: forms.InterviewFilterForm,
    region: Region | None,
    *,
    public: bool,
) -> dict[str, Any]:
    period = form.chosen_period()
    return {
        "form": form,
        "invalid": bool(form.errors),
        "period": period,
        "year": period.start.year,
        "region": region,
        "figures": interview.interview_figures(period, region, public=public),
        "reference": interview.shows_reference(period),
        "interview_year": interview.INTERVIEW_YEAR,
        "public": public,
        "query_string": request.GET.urlencode(),
    }


@reports_view
def interview_figures(request: HttpRequest) -> HttpResponse:
    """The figures of the Assembly's annual interview computed for a year, in the user's scope."""
    regions = report_policies.visible_regions(request.user)
    form = forms.InterviewFilterForm(request.GET or None, regions=regions)
    region = _staff_region(request, regions)
    context = _interview_context(request, form, region, public=False)
    context["national"] = regions is None
    return render(request, "reports/interview.html", context)


def public_interview_figures(request: HttpRequest) -> HttpResponse:
    """The same figures for the public: public indicators only, aggregates only."""
    policies.require(request.user, "registry.view_figures")
    form = forms.InterviewFilterForm(request.GET or None)
    context = _interview_context(request, form, form.chosen_region(), public=True)
    return render(request, "reports/interview.html", context)


# --- Plans ---------------------------------------------------------------------------------------


@reports_view
def plan_list(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "reports.view_plans")
    manage = policies.can(request.user, "reports.manage_plans")
    form = forms.PlanForm(request.POST or None) if manage else None
    if request.method == "POST":
        policies.require(request.user, "reports.manage_plans")
        if form is not None and form.is_valid():
            try:
                plan = services.plan_create(
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                    user=request.user,  # type: ignore[arg-type]
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("The plan was created as a draft."))
                return redirect("reports:plan", pk=plan.pk)
    plans = Plan.objects.select_related("approved_by").order_by("-year")
    if not manage:
        plans = plans.filter(status=Plan.Status.APPROVED)
    return render(
        request, "reports/plan_list.html", {"plans": plans, "form": form, "manage": manage}
    )


def _plan_for(request: HttpRequest, pk: int) -> Plan:
    plan = get_object_or_404(Plan, pk=pk)
    if not plan.is_approved and not policies.can(request.user, "reports.manage_plans"):
        raise Http404
    return plan


@reports_view
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """National progress (or, for a coordinator, their region's) with forms for the admin."""
    plan = _plan_for(request, pk)
    regions = report_policies.visible_regions(request.user)
    if regions is not None:
        if not regions:
            raise Http404
        return redirect("reports:plan_region", pk=plan.pk, iso=regions[0].iso)
    return _plan_page(request, plan, None)


@reports_view
def plan_region(request: HttpRequest, pk: int, iso: str) -> HttpResponse:
    plan = _plan_for(request, pk)
    region = get_object_or_404(Region, iso=iso)
    report_policies.region_or_404(request.user, region)
    return _plan_page(request, plan, region)


def _plan_page(
    request: HttpRequest,
    plan: Plan,
    region: Region | None,
    *,
    title_form: forms.PlanTitleForm | None = None,
    target_form: forms.TargetForm | None = None,
    import_form: forms.TargetImportForm | None = None,
    import_errors: list[tuple[int, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    manage = policies.can(request.user, "reports.manage_plans") and not plan.is_approved
    progress = queries.plan_progress(plan=plan, region=region)
    for entry in progress:
        entry["bar"] = charts.progress_bar(
            entry["actual"] or 0, entry["target"] or 0, title=entry["name"]
        )
    context: dict[str, Any] = {
        "plan": plan,
        "region": region,
        "progress": progress,
        "manage": manage,
        "national": report_policies.sees_nation(request.user),
    }
    if manage and region is None:
        context.update(
            {
                "title_form": title_form or forms.PlanTitleForm(initial={"title": plan.title}),
                "target_form": target_form or forms.TargetForm(),
                "import_form": import_form or forms.TargetImportForm(),
                "import_errors": import_errors or [],
                "targets": _named_targets(plan),
            }
        )
    return render(request, "reports/plan_detail.html", context, status=status)


def _named_targets(plan: Plan) -> list[Target]:
    names = {item.key: str(item.name) for item in kpi.indicators()}
    targets = list(plan.targets.select_related("region", "kind", "programme"))
    for target in targets:
        target.indicator_name = names.get(target.indicator, target.indicator)  # type: ignore[attr-defined]
    return targets


def _manageable(request: HttpRequest, pk: int) -> Plan:
    policies.require(request.user, "reports.manage_plans")
    return get_object_or_404(Plan, pk=pk)


@require_POST
@reports_view
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _manageable(request, pk)
    form = forms.PlanTitleForm(request.POST)
    if form.is_valid():
        try:
            services.plan_update(plan=plan, title=form.cleaned_data["title"], user=request.user)  # type: ignore[arg-type]
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The title was saved."))
            return redirect("reports:plan", pk=plan.pk)
    return _plan_page(request, plan, None, title_form=form, status=400)


@require_POST
@reports_view
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _manageable(request, pk)
    form = forms.TargetForm(request.POST)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            services.target_set(
                plan=plan,
                target=services.TargetInput(
                    indicator=form.cleaned_data["indicator"],
                    region=form.cleaned_data["region"],
                    kind=kind,
                    value=form.cleaned_data["value"],
                    programme=form.cleaned_data["programme"],
                ),
                user=request.user,  # type: ignore[arg-type]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("reports:plan", pk=plan.pk)
    return _plan_page(request, plan, None, target_form=form, status=400)


@require_POST
@reports_view
def target_delete(request: HttpRequest, pk: int, target: int) -> HttpResponse:
    plan = _manageable(request, pk)
    row = get_object_or_404(Target, pk=target, plan=plan)
    try:
        services.target_delete(target=row, user=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The target was removed."))
    return redirect("reports:plan", pk=plan.pk)


@require_POST
@reports_view
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _manageable(request, pk)
    try:
        services.plan_approve(plan=plan, user=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The plan was approved."))
    return redirect("reports:plan", pk=plan.pk)


@uploads.upload_limit(spreadsheets.MAX_BYTES)
@require_POST
@reports_view
def targets_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _manageable(request, pk)
    if refused := uploads.refusal_message(request, spreadsheets.MAX_BYTES):
        form = forms.TargetImportForm(request.POST, None)
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
        return _plan_page(request, plan, None, import_form=form, status=400)
    form = forms.TargetImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _plan_page(request, plan, None, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        uploads.check_size(upload.size, spreadsheets.MAX_BYTES)
    except uploads.UploadError as error:
        form.add_error("file", error.message)
        return _plan_page(request, plan, None, import_form=form, status=400)
    parsed = spreadsheets.parse_targets(upload.read())
    if parsed.errors:
        form.add_error("file", _("Nothing was imported: correct the rows listed below."))
        return _plan_page(
            request, plan, None, import_form=form, import_errors=parsed.errors, status=400
        )
    try:
        count = services.targets_import(plan=plan, targets=parsed.targets, user=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        show_domain_error(form, error)
        return _plan_page(request, plan, None, import_form=form, status=400)
    messages.success(
        request,
        ngettext("%(count)s target was imported.", "%(count)s targets were imported.", count)
        % {"count": count},
    )
    return redirect("reports:plan", pk=plan.pk)


@reports_view
def targets_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    policies.require(request.user, "reports.manage_plans")
    return private_download(
        spreadsheets.export_targets(plan), filename=f"plan-{plan.year}-targets.xlsx"
    )
