"""The surveys section of the workspace: its landing page (the waves in the user's scope), the
questionnaire builder (questionnaires, versions, questions, launching, new versions, the trust
index template), survey waves (settings, status) and panel invitations.

Researchers (analysts, national administrators, regional coordinators) build the
questionnaires and run the waves of the bodies in their subtree; collectors (staff inside the
network of the body that runs a wave, its interviewers) see the waves they collect for. A
launched version never changes: changing it means a new version.
"""

from __future__ import annotations

import base64
import csv
import io
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import User
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of

from . import queries, services
from .builder_forms import (
    ConsentForm,
    InvitationsForm,
    QuestionForm,
    QuestionnaireFilterForm,
    QuestionnaireForm,
    SurveyFilterForm,
    SurveyForm,
    consent_initial,
    question_initial,
    survey_initial,
)
from .models import Mode, Question, Questionnaire, QuestionnaireVersion, Survey

VIEW = "surveys.view"
BUILD = "surveys.build"
MANAGE = "surveys.manage"
STATUS_ACTIONS: dict[str, Any] = {
    Survey.Status.FIELDWORK: pgettext_lazy("survey action", "Start the fieldwork"),
    Survey.Status.CLOSED: pgettext_lazy("survey action", "Close the fieldwork"),
}


def nav_context(user: Any) -> dict[str, Any]:
    """What the section's sub-navigation (``surveys/_nav.html``) shows this user; every page of
    the section passes it: ``{**nav_context(request.user), ...}``."""
    return {
        "surveys_nav": {
            "home": policies.can(user, VIEW),
            "build": policies.can(user, BUILD),
            "margins": policies.can(user, "surveys.weigh"),
            "council": policies.can(user, "surveys.view_council"),
        }
    }


def _user(request: HttpRequest) -> User:
    """The signed-in staff member (``staff_view`` let only them in)."""
    return cast(User, request.user)


def crumbs(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    """The breadcrumbs of a surveys page: the workspace, the section, then ``pairs``."""
    trail = [
        (_("Workspace"), reverse("workspace:home")),
        (pgettext("workspace menu", "Surveys"), reverse("surveys:home")),
    ]
    return [{"label": label, "url": url} for label, url in [*trail, *pairs]]


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    return render(request, template, {**nav_context(request.user), **context}, status=status)


def _questionnaires_crumb() -> tuple[str, str]:
    return (_("Questionnaires"), reverse("surveys:questionnaires"))


def _questionnaire_crumb(questionnaire: Questionnaire) -> tuple[str, str]:
    return (str(questionnaire.title), reverse("surveys:questionnaire", args=[questionnaire.pk]))


def _version_crumb(version: QuestionnaireVersion) -> tuple[str, str]:
    label = _("Version %(number)s") % {"number": version.number}
    return (label, reverse("surveys:version", args=[version.pk]))


def _survey_crumb(survey: Survey) -> tuple[str, str]:
    return (str(survey.title), reverse("surveys:survey", args=[survey.pk]))


def _version_url(version: QuestionnaireVersion) -> str:
    return reverse("surveys:version", args=[version.pk])


def _survey_url(survey: Survey) -> str:
    return reverse("surveys:survey", args=[survey.pk])


def _scoped_questionnaires(user: Any) -> Any:
    return policies.scoped(Questionnaire.objects.all(), user)


def _version(request: HttpRequest, pk: int) -> QuestionnaireVersion:
    """A version of a questionnaire the user builds: 403 without the role, 404 outside."""
    policies.require(request.user, BUILD)
    qs = QuestionnaireVersion.objects.select_related("questionnaire__organisation").filter(
        questionnaire__in=_scoped_questionnaires(request.user)
    )
    version: QuestionnaireVersion = _get_or_404(qs, pk)
    policies.require(request.user, BUILD, version)
    return version


def _get_or_404(qs: Any, pk: int) -> Any:
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _question(request: HttpRequest, pk: int) -> Question:
    policies.require(request.user, BUILD)
    qs = Question.objects.select_related("version__questionnaire__organisation").filter(
        version__questionnaire__in=_scoped_questionnaires(request.user)
    )
    question: Question = _get_or_404(qs.prefetch_related("options"), pk)
    policies.require(request.user, BUILD, question)
    return question


def _survey(request: HttpRequest, pk: int, permission: str) -> Survey:
    """A wave in the user's scope (404 outside) that the user may ``permission`` (403)."""
    policies.require(request.user, permission)
    survey = policies.get_scoped_or_404(
        Survey.objects.select_related("organisation", "version__questionnaire", "margin_set"),
        request.user,
        pk=pk,
    )
    policies.require(request.user, permission, survey)
    return survey


def _domain_error(form: Any, error: DomainError) -> None:
    """A service's message on its field; a condition's message on the condition field used."""
    if error.field == "show_if":
        field = (
            "condition_json" if form.cleaned_data.get("condition_json") else "condition_question"
        )
        form.add_error(field, str(error.message))
        return
    show_domain_error(form, error)


# --- The section's landing page ----------------------------------------------------------------


@staff_view
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    policies.require(user, VIEW)
    form = SurveyFilterForm(request.GET)
    filters = form.filters()
    page = page_of(request, queries.surveys_listed(user, **filters))
    rows = [
        {
            "survey": survey,
            "may_manage": policies.can(user, MANAGE, survey),
            "fieldwork": survey.status == Survey.Status.FIELDWORK,
            "paper": Mode.PAPER in survey.modes,
            "interview": Mode.INTERVIEWER in survey.modes,
        }
        for survey in page.object_list
    ]
    return _page(
        request,
        "surveys/builder/home.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query_string": kept_query(request, form),
            "filtered": any(value for value in filters.values()),
            "may_manage": policies.can(user, MANAGE),
            "crumbs": crumbs(),
        },
    )


# --- Questionnaires ------------------------------------------------------------------------------


@staff_view
def questionnaires(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, BUILD)
    form = QuestionnaireFilterForm(request.GET)
    search = form.search()
    page = page_of(request, queries.questionnaires_listed(request.user, search=search))
    return _page(
        request,
        "surveys/builder/questionnaires.html",
        {
            "form": form,
            "page": page,
            "query_string": kept_query(request, form),
            "filtered": bool(search),
            "crumbs": crumbs((_("Questionnaires"), "")),
        },
    )


def _questionnaire_form(request: HttpRequest, *, template: bool) -> HttpResponse:
    policies.require(request.user, BUILD)
    form = QuestionnaireForm(request.POST or None, user=request.user)
    if template:
        title = _("New questionnaire from the trust index template")
    else:
        title = _("New questionnaire")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if template:
                    version = services.questionnaire_from_template(
                        data["organisation"],
                        user=_user(request),
                        code=data["code"],
                        title=form.titles(),
                    )
                else:
                    version = services.questionnaire_create(
                        user=_user(request),
                        organisation=data["organisation"],
                        code=data["code"],
                        title=form.titles(),
                    ).versions.get()
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The questionnaire was made. Its first version is a draft: review it, "
                        "then launch it."
                    ),
                )
                return redirect(_version_url(version))
        status = 400
    return _page(
        request,
        "surveys/builder/questionnaire_form.html",
        {
            "form": form,
            "title": title,
            "template": template,
            "crumbs": crumbs(_questionnaires_crumb(), (title, "")),
        },
        status=status,
    )


@staff_view
def questionnaire_new(request: HttpRequest) -> HttpResponse:
    return _questionnaire_form(request, template=False)


@staff_view
def questionnaire_template(request: HttpRequest) -> HttpResponse:
    return _questionnaire_form(request, template=True)


@staff_view
def questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    policies.require(request.user, BUILD)
    item = policies.get_scoped_or_404(
        Questionnaire.objects.select_related("organisation"), request.user, pk=pk
    )
    policies.require(request.user, BUILD, item)
    versions = list(queries.versions_listed(item))
    has_draft = any(v.status == QuestionnaireVersion.Status.DRAFT for v in versions)
    latest_launched = next(
        (v for v in versions if v.status != QuestionnaireVersion.Status.DRAFT), None
    )
    return _page(
        request,
        "surveys/builder/questionnaire.html",
        {
            "questionnaire": item,
            "versions": versions,
            "copy_from": None if has_draft else latest_launched,
            "crumbs": crumbs(_questionnaires_crumb(), (str(item.title), "")),
        },
    )


# --- Versions ------------------------------------------------------------------------------------


@staff_view
def version(request: HttpRequest, pk: int) -> HttpResponse:
    item = _version(request, pk)
    questions = queries.version_questions(item)
    by_code = {q.code: q for q in questions}
    draft = item.status == QuestionnaireVersion.Status.DRAFT
    rows = [
        {
            "question": q,
            "choices": [o for o in q.options.all() if o.kind == o.Kind.CHOICE],
            "matrix_rows": [o for o in q.options.all() if o.kind == o.Kind.ROW],
            "condition": queries.condition_text(q.show_if, by_code),
            "first": index == 0,
            "last": index == len(questions) - 1,
        }
        for index, q in enumerate(questions)
    ]
    surveys = policies.scoped(Survey.objects.filter(version=item), request.user).order_by(
        "-year", "-wave", "-pk"
    )
    has_draft = (
        not draft
        and item.questionnaire.versions.filter(status=QuestionnaireVersion.Status.DRAFT).exists()
    )
    return _page(
        request,
        "surveys/builder/version.html",
        {
            "version": item,
            "questionnaire": item.questionnaire,
            "rows": rows,
            "draft": draft,
            "missing": services.version_missing_texts(item) if draft else [],
            "surveys": list(surveys),
            "may_copy": not draft and not has_draft,
            "may_manage": policies.can(request.user, MANAGE),
            "crumbs": crumbs(
                _questionnaires_crumb(),
                _questionnaire_crumb(item.questionnaire),
                (_("Version %(number)s") % {"number": item.number}, ""),
            ),
        },
    )


@staff_view
def version_consent(request: HttpRequest, pk: int) -> HttpResponse:
    item = _version(request, pk)
    if item.status != QuestionnaireVersion.Status.DRAFT:
        messages.error(request, _("A launched version cannot be changed: make a new version."))
        return redirect(_version_url(item))
    form = ConsentForm(request.POST or None, initial=consent_initial(item))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.version_consent_save(
                    user=_user(request), version=item, consent=form.texts()
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("The consent text was saved."))
                return redirect(_version_url(item))
        status = 400
    title = _("Consent text")
    return _page(
        request,
        "surveys/builder/consent_form.html",
        {
            "form": form,
            "version": item,
            "title": title,
            "crumbs": crumbs(
                _questionnaires_crumb(),
                _questionnaire_crumb(item.questionnaire),
                _version_crumb(item),
                (title, ""),
            ),
        },
        status=status,
    )


@require_POST
@staff_view
def version_launch(request: HttpRequest, pk: int) -> HttpResponse:
    item = _version(request, pk)
    try:
        services.version_launch(user=_user(request), version=item)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("The version was launched: it no longer changes, and survey waves can use it."),
        )
    return redirect(_version_url(item))


@require_POST
@staff_view
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _version(request, pk)
    try:
        copy = services.version_new_from(user=_user(request), version=item)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(_version_url(item))
    messages.success(
        request,
        _("Version %(number)s was made as a draft from version %(old)s: change it, then launch it.")
        % {"number": copy.number, "old": item.number},
    )
    return redirect(_version_url(copy))


# --- Questions -----------------------------------------------------------------------------------


def _question_page(
    request: HttpRequest,
    item: QuestionnaireVersion,
    question: Question | None,
) -> HttpResponse:
    if item.status != QuestionnaireVersion.Status.DRAFT:
        messages.error(request, _("A launched version cannot be changed: make a new version."))
        return redirect(_version_url(item))
    questions = queries.version_questions(item)
    earlier = [q for q in questions if question is None or q.order < question.order]
    initial = question_initial(question) if question is not None else {"kind": "single"}
    form = QuestionForm(request.POST or None, initial=initial, earlier=earlier)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.question_save(
                    user=_user(request),
                    version=item,
                    data=form.data_for_service(),
                    question=question,
                )
            except DomainError as error:
                _domain_error(form, error)
            else:
                messages.success(request, _("Question %(code)s was saved.") % {"code": saved.code})
                return redirect(_version_url(item) + f"#question-{saved.pk}")
        status = 400
    title = (
        _("Change question %(code)s") % {"code": question.code}
        if question is not None
        else _("Add a question")
    )
    return _page(
        request,
        "surveys/builder/question_form.html",
        {
            "form": form,
            "version": item,
            "question": question,
            "title": title,
            "crumbs": crumbs(
                _questionnaires_crumb(),
                _questionnaire_crumb(item.questionnaire),
                _version_crumb(item),
                (title, ""),
            ),
        },
        status=status,
    )


@staff_view
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_page(request, _version(request, pk), None)


@staff_view
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    return _question_page(request, question.version, question)


@require_POST
@staff_view
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    try:
        services.question_delete(user=_user(request), question=question)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Question %(code)s was removed.") % {"code": question.code})
    return redirect(_version_url(question.version))


@require_POST
@staff_view
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        messages.error(request, _("Say whether to move the question up or down."))
        return redirect(_version_url(question.version))
    try:
        services.question_move(user=_user(request), question=question, up=direction == "up")
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect(_version_url(question.version) + f"#question-{question.pk}")


# --- Survey waves --------------------------------------------------------------------------------


def _survey_form_page(
    request: HttpRequest, form: SurveyForm, survey: Survey | None, *, status: int = 200
) -> HttpResponse:
    title = _("Change the survey") if survey is not None else _("New survey")
    pairs = [] if survey is None else [_survey_crumb(survey)]
    return _page(
        request,
        "surveys/builder/survey_form.html",
        {"form": form, "survey": survey, "title": title, "crumbs": crumbs(*pairs, (title, ""))},
        status=status,
    )


@staff_view
def survey_new(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, MANAGE)
    initial: dict[str, Any] = {"year": timezone.localdate().year, "modes": [Mode.WEB]}
    chosen = request.GET.get("version", "")
    if chosen.isdigit():
        found = queries.launched_versions(request.user).filter(pk=int(chosen)).first()
        if found is not None:
            initial["version"] = found.pk
            initial["organisation"] = found.questionnaire.organisation_id
    form = SurveyForm(request.POST or None, initial=initial, user=request.user)
    if request.method != "POST":
        return _survey_form_page(request, form, None)
    if form.is_valid():
        try:
            survey = services.survey_create(
                user=_user(request),
                version=form.cleaned_data["version"],
                organisation=form.cleaned_data["organisation"],
                data=form.data_for_service(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The survey was made. Start its fieldwork when ready."))
            return redirect(_survey_url(survey))
    return _survey_form_page(request, form, None, status=400)


@staff_view
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk, MANAGE)
    form = SurveyForm(
        request.POST or None, initial=survey_initial(survey), user=request.user, survey=survey
    )
    if request.method != "POST":
        return _survey_form_page(request, form, survey)
    if form.is_valid():
        try:
            services.survey_update(user=_user(request), survey=survey, data=form.data_for_service())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The survey was saved."))
            return redirect(_survey_url(survey))
    return _survey_form_page(request, form, survey, status=400)


@staff_view
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    item = _survey(request, pk, VIEW)
    policies.require(request.user, "surveys.collect", item)
    may_manage = policies.can(request.user, MANAGE, item)
    steps = sorted(services.SURVEY_STEPS.get(item.status, frozenset()))
    return _page(
        request,
        "surveys/builder/survey.html",
        {
            "survey": item,
            "may_manage": may_manage,
            "mode_counts": queries.survey_mode_counts(item),
            "modes": [label for value, label in Mode.choices if value in item.modes],
            "regions": list(item.regions.order_by("kato")),
            "interviewers": (list(item.interviewers.order_by("username")) if may_manage else []),
            "invitations": (
                queries.invitation_counts(item) if may_manage and Mode.PANEL in item.modes else None
            ),
            "steps": [(step, STATUS_ACTIONS[step]) for step in steps] if may_manage else [],
            "fieldwork": item.status == Survey.Status.FIELDWORK,
            "paper": Mode.PAPER in item.modes,
            "interview": Mode.INTERVIEWER in item.modes,
            "imported": Mode.IMPORT in item.modes,
            "crumbs": crumbs((str(item.title), "")),
        },
    )


@require_POST
@staff_view
def survey_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = _survey(request, pk, MANAGE)
    status = request.POST.get("status", "")
    try:
        services.survey_set_status(user=_user(request), survey=item, status=status)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The survey's status was changed."))
    return redirect(_survey_url(item))


# --- Panel invitations ---------------------------------------------------------------------------


def _panel_link(request: HttpRequest, survey: Survey, token: str) -> str:
    try:
        address = reverse("surveys_portal:panel", kwargs={"slug": survey.slug, "token": token})
    except NoReverseMatch:  # the public pages are another part's
        address = f"/{get_language()}/surveys/{survey.slug}/t/{token}/"
    return request.build_absolute_uri(address)


def _csv_data_uri(links: list[str]) -> str:
    """The links as a CSV file inside the page itself: nothing of them is kept to download
    later."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Invitation link")])
    for link in links:
        writer.writerow([link])
    data = base64.b64encode(("\ufeff" + buffer.getvalue()).encode()).decode()
    return f"data:text/csv;charset=utf-8;base64,{data}"


@staff_view
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    item = _survey(request, pk, MANAGE)
    form = InvitationsForm(request.POST or None)
    links: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                tokens = services.invitations_create(
                    user=_user(request), survey=item, count=form.cleaned_data["count"]
                )
            except DomainError as error:
                show_domain_error(form, error)
                status = 400
            else:
                links = [_panel_link(request, item, token) for token in tokens]
                form = InvitationsForm()
        else:
            status = 400
    title = _("Panel invitations")
    response = _page(
        request,
        "surveys/builder/invitations.html",
        {
            "survey": item,
            "form": form,
            "links": links,
            "made": ngettext(
                "%(count)s invitation was made.", "%(count)s invitations were made.", len(links)
            )
            % {"count": len(links)},
            "csv": _csv_data_uri(links) if links else "",
            "file_name": f"invitations-{item.slug}.csv",
            "counts": queries.invitation_counts(item),
            "open": Mode.PANEL in item.modes and item.status in services.PANEL_OPEN,
            "crumbs": crumbs(_survey_crumb(item), (title, "")),
        },
        status=status,
    )
    if links:
        response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("", home, name="home"),
    path("questionnaires/", questionnaires, name="questionnaires"),
    path("questionnaires/new/", questionnaire_new, name="questionnaire_new"),
    path("questionnaires/template/", questionnaire_template, name="questionnaire_template"),
    path("questionnaires/<int:pk>/", questionnaire, name="questionnaire"),
    path("versions/<int:pk>/", version, name="version"),
    path("versions/<int:pk>/consent/", version_consent, name="version_consent"),
    path("versions/<int:pk>/launch/", version_launch, name="version_launch"),
    path("versions/<int:pk>/new-version/", version_new, name="version_new"),
    path("versions/<int:pk>/questions/new/", question_new, name="question_new"),
    path("questions/<int:pk>/edit/", question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", question_delete, name="question_delete"),
    path("questions/<int:pk>/move/", question_move, name="question_move"),
    path("new/", survey_new, name="survey_new"),
    path("<int:pk>/", survey, name="survey"),
    path("<int:pk>/edit/", survey_edit, name="survey_edit"),
    path("<int:pk>/status/", survey_status, name="survey_status"),
    path("<int:pk>/invitations/", invitations, name="invitations"),
]
