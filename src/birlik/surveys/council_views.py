"""The expert council in the workspace: its landing page, research plans, studies (stages,
team, report, findings) and recommendations tracked to an answer and a decision.

Council staff (staff of the Scientific-Expert Council or of a regional expert group, and the
coordinators above a group) keep their council's records; national administrators keep all of
them and analysts of the whole network read them. A recommendation to an Assembly body is also
read and answered by that body's staff. Out of scope: 404; in scope without the right: 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms as django_forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import User
from birlik.core import collation, uploads
from birlik.core.due import days_left
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of
from birlik.core.private_files import private_file_response
from birlik.core.workdays import legal_today
from birlik.registry.models import Person

from . import council_forms as forms
from . import queries, services
from .builder_views import crumbs, nav_context
from .models import Recommendation, ResearchPlan, Study

VIEW_COUNCIL = "surveys.view_council"
KEEP_COUNCIL = "surveys.keep_council"
ANSWER = "surveys.answer_recommendation"
# Experts offered in the team's choice at once; a search by name narrows the list.
EXPERTS_SHOWN = 200


def _user(request: HttpRequest) -> User:
    """The signed-in staff member (``staff_view`` let only them in)."""
    return cast(User, request.user)


def _number(value: Any) -> int | None:
    """A record number from a form or the address, or None when it is not one."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _council_crumbs(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return crumbs((_("Expert council"), reverse("surveys:council")), *pairs)


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {**nav_context(request.user), "nav": "council", **context},
        status=status,
    )


# --- The landing page and plans ------------------------------------------------------------------


def _plan_form(user: User, data: Any = None) -> forms.PlanForm:
    return forms.PlanForm(
        data,
        councils=queries.council_bodies(user=user),
        initial={"year": legal_today().year},
        auto_id="plan_%s",
    )


@staff_view
def council(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, VIEW_COUNCIL)
    may_keep = policies.can(user, KEEP_COUNCIL)
    today = legal_today()
    overview = queries.council_overview(user=user, on=today)
    overview["to_answer"] = [
        {"recommendation": item, "due": days_left(item.response_due, today)}
        for item in overview["to_answer"]
    ]
    overview["to_decide"] = [
        {"recommendation": item, "due": None} for item in overview["to_decide"]
    ]
    return _page(
        request,
        "surveys/council/council.html",
        {
            **overview,
            "may_keep": may_keep,
            "plan_form": _plan_form(user) if may_keep else None,
            "crumbs": crumbs((_("Expert council"), "")),
        },
    )


@staff_view
def plan_new(request: HttpRequest) -> HttpResponse:
    """A council's research plan for a year (the form is also on the landing page)."""
    user = _user(request)
    policies.require(user, KEEP_COUNCIL)
    form = _plan_form(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.research_plan_create(
                actor=user,
                organisation=data["organisation"],
                year=data["year"],
                notes=data["notes"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The research plan is opened. Add its studies."))
            return redirect("surveys:plan", pk=plan.pk)
    return _page(
        request,
        "surveys/council/plan_form.html",
        {"form": form, "crumbs": _council_crumbs((_("New research plan"), ""))},
        status=400 if form.errors else 200,
    )


def _plan(request: HttpRequest, pk: int) -> ResearchPlan:
    plan = policies.get_scoped_or_404(
        ResearchPlan.objects.select_related("organisation", "organisation__region"),
        request.user,
        pk=pk,
    )
    if not policies.can(request.user, VIEW_COUNCIL, plan):
        raise Http404
    return plan


def _plan_crumb(plan: ResearchPlan) -> tuple[str, str]:
    label = _("Research plan %(year)s: %(council)s") % {
        "year": plan.year,
        "council": plan.organisation.name,
    }
    return (label, reverse("surveys:plan", kwargs={"pk": plan.pk}))


@staff_view
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = _plan(request, pk)
    page = page_of(request, queries.plan_studies(item))
    label, _url = _plan_crumb(item)
    return _page(
        request,
        "surveys/council/plan.html",
        {
            "plan": item,
            "page": page,
            "may_keep": policies.can(user, KEEP_COUNCIL, item),
            "crumbs": _council_crumbs((label, "")),
        },
    )


# --- Studies -----------------------------------------------------------------------------------


def _surveys(user: User) -> Any:
    from .models import Survey

    return policies.scoped(Survey.objects.all(), user).order_by("-year", "-wave", "-pk")


def _study(request: HttpRequest, pk: int) -> Study:
    study = policies.get_scoped_or_404(
        Study.objects.select_related(
            "plan",
            "plan__organisation",
            "survey",
            "drafted_by",
            "approved_by",
        ),
        request.user,
        pk=pk,
    )
    if not policies.can(request.user, VIEW_COUNCIL, study):
        raise Http404
    return study


def _study_url(study: Study) -> str:
    return reverse("surveys:study", kwargs={"pk": study.pk})


@staff_view
def study_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = _plan(request, pk)
    policies.require(user, KEEP_COUNCIL, item)
    form = forms.StudyForm(
        request.POST if request.method == "POST" else None, surveys=_surveys(user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            study = services.study_create(
                actor=user,
                plan=item,
                titles=form.titles(),
                method=data["method"],
                regions=list(data["regions"]),
                survey=data["survey"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("The study is saved as a draft. Another person approves it next.")
            )
            return redirect(_study_url(study))
    return _page(
        request,
        "surveys/council/study_form.html",
        {
            "form": form,
            "plan": item,
            "study": None,
            "action": reverse("surveys:study_new", kwargs={"pk": item.pk}),
            "crumbs": _council_crumbs(_plan_crumb(item), (_("New study"), "")),
        },
        status=400 if form.errors else 200,
    )


@staff_view
def study_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = _study(request, pk)
    policies.require(user, KEEP_COUNCIL, item)
    if item.status == Study.Status.DONE:
        messages.error(request, _("A completed study is not changed any more."))
        return redirect(_study_url(item))
    initial: dict[str, Any] = {
        "method": item.method,
        "regions": list(item.regions.all()),
        "survey": item.survey,
    }
    for lang in services.COUNCIL_LANGUAGES:
        initial[f"title_{lang}"] = getattr(item, f"title_{lang}") or ""
        initial[f"findings_{lang}"] = getattr(item, f"findings_{lang}") or ""
    form = forms.StudyEditForm(
        request.POST if request.method == "POST" else None,
        surveys=_surveys(user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.study_update(
                actor=user,
                study=item,
                titles=form.titles(),
                method=data["method"],
                regions=list(data["regions"]),
                survey=data["survey"],
                findings=form.findings(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The study is saved."))
            return redirect(_study_url(item))
    return _page(
        request,
        "surveys/council/study_form.html",
        {
            "form": form,
            "plan": item.plan,
            "study": item,
            "action": reverse("surveys:study_edit", kwargs={"pk": item.pk}),
            "crumbs": _council_crumbs(
                _plan_crumb(item.plan), (str(item.title), _study_url(item)), (_("Edit"), "")
            ),
        },
        status=400 if form.errors else 200,
    )


# Each stage a study moves to: the heading of its step and its button.
STUDY_STEPS: dict[str, tuple[Any, Any]] = {
    Study.Status.APPROVED: (
        gettext_lazy("Approve the study"),
        pgettext_lazy("study action", "Approve the study"),
    ),
    Study.Status.FIELDWORK: (
        gettext_lazy("Start the fieldwork of the study"),
        pgettext_lazy("study action", "Start the fieldwork"),
    ),
    Study.Status.ANALYSIS: (
        gettext_lazy("Move on to the analysis"),
        pgettext_lazy("study action", "Move on to the analysis"),
    ),
    Study.Status.DONE: (
        gettext_lazy("Complete the study"),
        pgettext_lazy("study action", "Complete the study"),
    ),
}
STUDY_DONE: dict[str, Any] = {
    Study.Status.APPROVED: gettext_lazy("The study is approved."),
    Study.Status.FIELDWORK: gettext_lazy("The study's fieldwork has started."),
    Study.Status.ANALYSIS: gettext_lazy("The study is in its analysis."),
    Study.Status.DONE: gettext_lazy("The study is completed."),
}


def _study_steps(study: Study, names: tuple[str, ...]) -> list[dict[str, Any]]:
    offered = []
    for name in names:
        heading, button = STUDY_STEPS[name]
        offered.append(
            {
                "id": f"to-{name}",
                "heading": heading,
                "button": button,
                "url": reverse("surveys:study_status", kwargs={"pk": study.pk}),
                "form": forms.StudyMoveForm(initial={"to": name}, auto_id=f"{name}_%s"),
                "multipart": False,
                "danger": False,
                "open": False,
            }
        )
    return offered


def _render_study(
    request: HttpRequest,
    study: Study,
    *,
    team_form: forms.TeamAddForm | None = None,
    report_form: forms.ReportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    may_keep = policies.can(user, KEEP_COUNCIL, study)
    editable = may_keep and study.status != Study.Status.DONE
    actions = services.study_actions(user, study)
    next_step = (actions.next_step,) if actions.next_step else ()
    search = forms.ExpertSearchForm(request.GET or None, auto_id="search_%s")
    term = search.cleaned_data["expert"] if search.is_valid() else ""
    if editable and team_form is None:
        experts = queries.council_experts(user=user, on=legal_today(), search=term).exclude(
            pk__in=study.team.values("person_id")
        )
        shown = list(experts.values_list("pk", flat=True)[:EXPERTS_SHOWN])
        choice = Person.objects.filter(pk__in=shown)
        team_form = forms.TeamAddForm(
            experts=collation.ordered(choice, "last_name", "first_name"), auto_id="team_%s"
        )
    if editable and report_form is None:
        report_form = forms.ReportForm(
            size_mb=uploads.limit_megabytes(services.REPORT_LIMIT), auto_id="report_%s"
        )
    findings = [
        (lang, getattr(study, f"findings_{lang}"))
        for lang in services.COUNCIL_LANGUAGES
        if getattr(study, f"findings_{lang}")
    ]
    return _page(
        request,
        "surveys/council/study.html",
        {
            "study": study,
            "team": list(study.team.select_related("person").order_by("role", "pk")),
            "regions": list(study.regions.order_by("kato")),
            "recommendations": list(
                study.recommendations.select_related("to_body", "to_state_body").order_by("-pk")
            ),
            "findings": findings,
            "may_keep": may_keep,
            "editable": editable,
            "team_form": team_form if editable else None,
            "search_form": search,
            "report_form": report_form if editable else None,
            "next_action": next(iter(_study_steps(study, next_step)), None),
            "other_actions": _study_steps(study, actions.others),
            "crumbs": _council_crumbs(_plan_crumb(study.plan), (str(study.title), "")),
        },
        status=status,
    )


@staff_view
def study(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_study(request, _study(request, pk))


@require_POST
@staff_view
def study_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a study one stage on: out of scope 404, not a keeper of its council 403, a step the
    study does not allow now (or the drafter approving) refused with the service's reason."""
    user = _user(request)
    item = _study(request, pk)
    policies.require(user, KEEP_COUNCIL, item)
    form = forms.StudyMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the stage the study moves to."))
        return redirect(_study_url(item))
    to = form.cleaned_data["to"]
    actions = services.study_actions(user, item)
    if to not in actions:
        messages.error(request, actions.refusal(to))
        return redirect(_study_url(item))
    try:
        services.study_move(actor=user, study=item, to=to)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(STUDY_DONE[to]))
    return redirect(_study_url(item))


@require_POST
@staff_view
def study_team(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an expert to the team (chosen from the experts of the councils the user keeps: any
    other person's number answers 404) or take one off it."""
    user = _user(request)
    item = _study(request, pk)
    policies.require(user, KEEP_COUNCIL, item)
    what = request.POST.get("action", "")
    if what == "remove":
        number = _number(request.POST.get("member"))
        if number is None:
            messages.error(request, _("Choose the member of the team to remove."))
            return redirect(_study_url(item))
        member = get_object_or_404(item.team.select_related("person"), pk=number)
        try:
            services.study_member_remove(actor=user, study=item, member=member)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The expert is taken off the team."))
        return redirect(_study_url(item))
    if what != "add":
        messages.error(request, _("Choose what to do with the team."))
        return redirect(_study_url(item))
    experts = queries.council_experts(user=user, on=legal_today())
    form = forms.TeamAddForm(request.POST, experts=experts, auto_id="team_%s")
    number = _number(request.POST.get("person"))
    if number is not None:
        get_object_or_404(experts, pk=number)  # nobody outside the user's experts is named
    if form.is_valid():
        try:
            services.study_member_add(
                actor=user,
                study=item,
                person=form.cleaned_data["person"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The expert is on the team."))
            return redirect(_study_url(item))
    return _render_study(request, item, team_form=form, status=400)


@uploads.upload_limit(services.REPORT_LIMIT)
@require_POST
@staff_view
def study_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the study's report: a PDF or DOCX within the limit, judged by its content."""
    user = _user(request)
    item = _study(request, pk)
    policies.require(user, KEEP_COUNCIL, item)
    size_mb = uploads.limit_megabytes(services.REPORT_LIMIT)
    refused = uploads.refusal_message(request, services.REPORT_LIMIT)
    form = forms.ReportForm(request.POST, request.FILES, size_mb=size_mb, auto_id="report_%s")
    if refused:
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", refused)
    elif form.is_valid():
        try:
            services.study_report_upload(actor=user, study=item, upload=form.cleaned_data["file"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The report is uploaded."))
            return redirect(_study_url(item))
    return _render_study(request, item, report_form=form, status=400)


@staff_view
def study_report_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The report, for readers of the council only, never by a public address."""
    item = _study(request, pk)
    try:
        handle, content_type, name = services.study_report_open(actor=_user(request), study=item)
    except (DomainError, FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return private_file_response(handle, filename=name, content_type=content_type)


# --- Recommendations ---------------------------------------------------------------------------


@staff_view
def recommendations(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not (policies.can(user, VIEW_COUNCIL) or policies.can(user, ANSWER)):
        raise PermissionDenied
    form = forms.RecommendationFilterForm(request.GET or None)
    filters = form.filters()
    today = legal_today()
    page = page_of(request, queries.recommendations_listed(user=user, on=today, **filters))
    rows = [
        {
            "recommendation": item,
            "due": days_left(item.response_due, today)
            if item.status == Recommendation.Status.SENT
            else None,
        }
        for item in page.object_list
    ]
    return _page(
        request,
        "surveys/council/recommendations.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query_string": kept_query(request, form),
            "filtered": any(filters.values()),
            "may_keep": policies.can(user, KEEP_COUNCIL),
            "crumbs": _council_crumbs((_("Recommendations"), "")),
        },
    )


def _source_study(request: HttpRequest, user: User) -> Study | None:
    if "study" not in request.GET:
        return None
    number = _number(request.GET.get("study"))
    if number is None:
        raise Http404
    study = _study(request, number)
    policies.require(user, KEEP_COUNCIL, study)
    return study


def _source_alert(request: HttpRequest, user: User) -> Any:
    """The early-warning alert a recommendation answers, if the user may see it (else 404).
    Surveys do not import monitoring: the model is looked up by name."""
    if "alert" not in request.GET:
        return None
    number = _number(request.GET.get("alert"))
    if number is None:
        raise Http404
    alert_model = apps.get_model("monitoring", "Alert")
    alert = alert_model.objects.select_related("region").filter(pk=number).first()
    if alert is None or not policies.can(user, "monitoring.view_alerts", alert):
        raise Http404
    return alert


@staff_view
def recommendation_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, KEEP_COUNCIL)
    study = _source_study(request, user)
    alert = _source_alert(request, user)
    councils = queries.council_bodies(user=user)
    if study is not None:
        councils = councils.filter(pk=study.plan.organisation_id)
    chosen = list(councils)
    initial: dict[str, Any] = {"organisation": chosen[0] if len(chosen) == 1 else None}
    if study is not None:
        initial["title"] = str(study.title)[:300]
    if alert is not None:
        initial["title"] = str(alert.title)[:300]
    form = forms.RecommendationForm(
        request.POST if request.method == "POST" else None,
        councils=councils,
        bodies=queries.recommendation_addressees(councils=chosen),
        state_bodies=services.recommendation_state_bodies(chosen),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.recommendation_draft(
                actor=user,
                organisation=data["organisation"],
                title=data["title"],
                text=data["text"],
                to_body=data["to_body"],
                to_state_body=data["to_state_body"],
                study=study,
                alert=alert,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The recommendation is saved as a draft. Send it next."))
            return redirect("surveys:recommendation", pk=item.pk)
    return _page(
        request,
        "surveys/council/recommendation_form.html",
        {
            "form": form,
            "study": study,
            "alert": alert,
            "action": request.get_full_path(),
            "crumbs": _council_crumbs(
                (_("Recommendations"), reverse("surveys:recommendations")),
                (_("New recommendation"), ""),
            ),
        },
        status=400 if form.errors else 200,
    )


def _recommendation(request: HttpRequest, pk: int) -> Recommendation:
    item = policies.get_scoped_or_404(
        Recommendation.objects.select_related(
            "organisation", "to_body", "to_state_body", "study", "drafted_by", "alert"
        ),
        request.user,
        pk=pk,
    )
    if not policies.can(request.user, VIEW_COUNCIL, item):
        raise Http404
    return item


def _recommendation_url(item: Recommendation) -> str:
    return reverse("surveys:recommendation", kwargs={"pk": item.pk})


# Each action: heading, button, URL name, the form class.
RECOMMENDATION_ACTIONS: dict[str, tuple[Any, Any, str, type[django_forms.Form]]] = {
    "send": (
        gettext_lazy("Send the recommendation"),
        gettext_lazy("Record as sent"),
        "surveys:recommendation_send",
        forms.SendForm,
    ),
    "answer": (
        gettext_lazy("Record the answer"),
        gettext_lazy("Save the answer"),
        "surveys:recommendation_answer",
        forms.AnswerForm,
    ),
    "decide": (
        gettext_lazy("Record the council's decision"),
        gettext_lazy("Save the decision"),
        "surveys:recommendation_decide",
        forms.DecideForm,
    ),
}


def _recommendation_form(name: str, item: Recommendation) -> django_forms.Form:
    today = legal_today()
    if name == "answer":
        return forms.AnswerForm(
            auto_id="answer_%s",
            initial={"answered_on": item.answered_on or today, "response_text": item.response_text},
        )
    if name == "decide":
        return forms.DecideForm(
            auto_id="decide_%s",
            initial={
                "decision": item.decision or None,
                "decided_on": item.decided_on or today,
                "actions_taken": item.actions_taken,
            },
        )
    return forms.SendForm(
        auto_id="send_%s", initial={"response_due": services.recommendation_answer_due(today)}
    )


def _recommendation_offered(
    item: Recommendation, names: tuple[str, ...], bound: dict[str, django_forms.Form]
) -> list[dict[str, Any]]:
    offered = []
    for name in names:
        heading, button, url_name, _form_class = RECOMMENDATION_ACTIONS[name]
        offered.append(
            {
                "id": name,
                "heading": heading,
                "button": button,
                "url": reverse(url_name, kwargs={"pk": item.pk}),
                "form": bound.get(name) or _recommendation_form(name, item),
                "multipart": False,
                "danger": False,
                "open": name in bound,
            }
        )
    return offered


def _render_recommendation(
    request: HttpRequest,
    item: Recommendation,
    *,
    bound: dict[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    actions = services.recommendation_actions(user, item)
    next_step = (actions.next_step,) if actions.next_step else ()
    today = legal_today()
    waiting = item.status == Recommendation.Status.SENT
    return _page(
        request,
        "surveys/council/recommendation.html",
        {
            "recommendation": item,
            "due": days_left(item.response_due, today) if waiting else None,
            "alert_visible": item.alert is not None
            and policies.can(user, "monitoring.view_alerts", item.alert),
            "study_visible": item.study is not None
            and policies.can(user, VIEW_COUNCIL, item.study),
            "next_action": next(iter(_recommendation_offered(item, next_step, bound or {})), None),
            "other_actions": _recommendation_offered(item, actions.others, bound or {}),
            "crumbs": _council_crumbs(
                (_("Recommendations"), reverse("surveys:recommendations")),
                (str(item.title), ""),
            ),
        },
        status=status,
    )


@staff_view
def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_recommendation(request, _recommendation(request, pk))


def _recommendation_step(
    request: HttpRequest,
    pk: int,
    name: str,
    permission: str,
    call: Callable[[Recommendation, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """One step on a recommendation: out of scope 404, without the right 403, a step the
    recommendation does not allow now refused with the service's reason, bad input shown on
    the form again."""
    user = _user(request)
    item = _recommendation(request, pk)
    policies.require(user, permission, item)
    actions = services.recommendation_actions(user, item)
    if name not in actions:
        messages.error(request, actions.refusal(name))
        return redirect(_recommendation_url(item))
    form = RECOMMENDATION_ACTIONS[name][3](request.POST, auto_id=f"{name}_%s")
    if form.is_valid():
        try:
            call(item, form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect(_recommendation_url(item))
    return _render_recommendation(request, item, bound={name: form}, status=400)


@require_POST
@staff_view
def recommendation_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        "send",
        KEEP_COUNCIL,
        lambda r, d: services.recommendation_send(
            actor=_user(request), recommendation=r, response_due=d["response_due"]
        ),
        _("The recommendation is recorded as sent."),
    )


@require_POST
@staff_view
def recommendation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        "answer",
        ANSWER,
        lambda r, d: services.recommendation_answer(
            actor=_user(request),
            recommendation=r,
            answered_on=d["answered_on"],
            response_text=d["response_text"],
        ),
        _("The answer is recorded."),
    )


@require_POST
@staff_view
def recommendation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        "decide",
        KEEP_COUNCIL,
        lambda r, d: services.recommendation_decide(
            actor=_user(request),
            recommendation=r,
            decision=d["decision"],
            decided_on=d["decided_on"],
            actions_taken=d["actions_taken"],
        ),
        _("The council's decision is recorded."),
    )


urlpatterns = [
    path("council/", council, name="council"),
    path("council/plans/new/", plan_new, name="plan_new"),
    path("council/plans/<int:pk>/", plan, name="plan"),
    path("council/plans/<int:pk>/studies/new/", study_new, name="study_new"),
    path("council/studies/<int:pk>/", study, name="study"),
    path("council/studies/<int:pk>/edit/", study_edit, name="study_edit"),
    path("council/studies/<int:pk>/status/", study_status, name="study_status"),
    path("council/studies/<int:pk>/team/", study_team, name="study_team"),
    path("council/studies/<int:pk>/report/", study_report, name="study_report"),
    path("council/studies/<int:pk>/report/file/", study_report_file, name="study_report_file"),
    path("council/recommendations/", recommendations, name="recommendations"),
    path("council/recommendations/new/", recommendation_new, name="recommendation_new"),
    path("council/recommendations/<int:pk>/", recommendation, name="recommendation"),
    path(
        "council/recommendations/<int:pk>/send/",
        recommendation_send,
        name="recommendation_send",
    ),
    path(
        "council/recommendations/<int:pk>/answer/",
        recommendation_answer,
        name="recommendation_answer",
    ),
    path(
        "council/recommendations/<int:pk>/decide/",
        recommendation_decide,
        name="recommendation_decide",
    ),
]
