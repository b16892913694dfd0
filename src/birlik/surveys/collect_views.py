"""Collecting answers in the workspace: paper questionnaires typed in by staff, and the
analyst's view of a survey's responses (list, one response, excluding and including).

Paper entry is open to the survey's collectors (``surveys.collect``: its interviewers, the
researchers covering it, staff inside the network of the body that conducts it); responses to
the researchers covering the survey's body (``surveys.view_responses``), exclusion to those who
manage it (``surveys.manage``). A survey out of the user's scope answers 404, a missing
permission 403. Responses are anonymous: the pages show answers, never who gave them.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.models import User
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of

from . import collect_forms, queries, services
from .models import Mode, Response, Survey


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _survey(request: HttpRequest, pk: int) -> Survey:
    return policies.get_scoped_or_404(
        Survey.objects.select_related("version", "organisation"), request.user, pk=pk
    )


def _crumbs(
    survey: Survey, *, last: str, middle: tuple[str, str] | None = None
) -> list[dict[str, str]]:
    """Surveys → the survey → (a list) → this page; links of pages not installed are left
    out."""
    crumbs: list[dict[str, str]] = []
    for label, name, args in (
        (pgettext("surveys", "Surveys"), "surveys:home", ()),
        (str(survey.title), "surveys:survey", (survey.pk,)),
    ):
        try:
            crumbs.append({"label": str(label), "url": reverse(name, args=args)})
        except NoReverseMatch:
            continue
    if middle:
        crumbs.append({"label": middle[0], "url": middle[1]})
    crumbs.append({"label": last, "url": ""})
    return crumbs


# --- Paper questionnaires -------------------------------------------------------------------


@login_required
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    """Type in one paper questionnaire; the same paper number is never entered twice."""
    user = _user(request)
    survey = _survey(request, pk)
    policies.require(user, "surveys.collect", survey)
    language = translation.get_language() or "kk"
    is_open = survey.status == Survey.Status.FIELDWORK and Mode.PAPER in (survey.modes or [])
    status = 200
    form = None
    if is_open:
        data = request.POST if request.method == "POST" else None
        form = collect_forms.answer_form(survey.version, language, data, consent=False, paper=True)
        if form.is_bound:
            status = 400
            if form.is_valid():
                number = services.paper_number(form.cleaned_data[collect_forms.PAPER_NUMBER])
                if not number:
                    form.add_error(collect_forms.PAPER_NUMBER, _("Write the paper's number."))
                else:
                    stored = _store_paper(request, survey, form, number)
                    if stored is not None:
                        return stored
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "surveys/collect/paper.html",
        {
            "survey": survey,
            "form": form,
            "blocks": form.blocks() if form is not None else [],
            "problems": form.summary() if form is not None and form.is_bound else [],
            "entered": survey.responses.filter(mode=Mode.PAPER).count(),
            "crumbs": _crumbs(survey, last=_("Enter paper questionnaires")),
        },
        status=status,
    )


def _store_paper(
    request: HttpRequest, survey: Survey, form: collect_forms.AnswerForm, number: str
) -> HttpResponse | None:
    """Check and store the typed paper; a redirect to an empty form, or None (errors shown
    on the form)."""
    try:
        checked = services.response_check(survey.version, form.raw())
        _response, outcome = services.response_store(
            survey,
            checked,
            mode=Mode.PAPER,
            language=form.cleaned_data[collect_forms.PAPER_LANGUAGE],
            client_uuid=services.paper_client_uuid(survey, number),
            entered_by=_user(request),
        )
    except services.ResponseInvalid as error:
        form.show_check_errors(error.errors)
        return None
    except DomainError as error:
        show_domain_error(form, error)
        return None
    if outcome != "created":
        form.add_error(
            collect_forms.PAPER_NUMBER,
            _("Paper questionnaire No. %(number)s is already entered; it was not added again.")
            % {"number": number},
        )
        return None
    messages.success(
        request,
        _("Paper questionnaire No. %(number)s is entered. You can type the next one.")
        % {"number": number},
    )
    return redirect("surveys:paper", pk=survey.pk)


# --- Responses --------------------------------------------------------------------------------


@login_required
def responses(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    survey = _survey(request, pk)
    policies.require(user, "surveys.view_responses", survey)
    form = collect_forms.ResponseFilterForm(request.GET or None)
    page = page_of(request, queries.responses_listed(survey, **form.filters()))
    rows = [
        {"response": row, "flags": collect_forms.flag_labels(row.flags)} for row in page.object_list
    ]
    return render(
        request,
        "surveys/collect/responses.html",
        {
            "survey": survey,
            "form": form,
            "page": page,
            "rows": rows,
            "query_string": kept_query(request, form),
            "invalid": bool(form.errors),
            "crumbs": _crumbs(survey, last=pgettext("survey", "Responses")),
        },
        status=400 if form.errors else 200,
    )


def _response(request: HttpRequest, pk: int) -> Response:
    response = policies.get_scoped_or_404(
        Response.objects.select_related(
            "survey", "survey__organisation", "region", "district", "ethnic_group"
        ),
        request.user,
        pk=pk,
    )
    policies.require(request.user, "surveys.view_responses", response.survey)
    return response


def _render_response(
    request: HttpRequest,
    response: Response,
    *,
    exclude_form: collect_forms.ExcludeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    survey = response.survey
    try:
        listed = reverse("surveys:responses", args=[survey.pk])
    except NoReverseMatch:  # pragma: no cover - the route is this module's
        listed = ""
    return render(
        request,
        "surveys/collect/response.html",
        {
            "survey": survey,
            "response": response,
            "answers": queries.response_answer_rows(response),
            "flags": collect_forms.flag_labels(response.flags),
            "conflicts": [c for c in (response.conflict or []) if isinstance(c, dict)],
            "may_manage": policies.can(request.user, "surveys.manage", survey),
            "exclude_form": exclude_form or collect_forms.ExcludeForm(),
            "language_name": collect_forms.language_name(response.language),
            "crumbs": _crumbs(
                survey,
                middle=(pgettext("survey", "Responses"), listed),
                last=_("Response No. %(number)s") % {"number": response.pk},
            ),
        },
        status=status,
    )


@login_required
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_response(request, _response(request, pk))


@login_required
@require_POST
def response_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    response = _response(request, pk)
    policies.require(request.user, "surveys.manage", response.survey)
    form = collect_forms.ExcludeForm(request.POST)
    if form.is_valid():
        try:
            services.response_exclude(
                response, user=_user(request), reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The response is left out of the analysis."))
            return redirect("surveys:response", pk=response.pk)
    return _render_response(request, response, exclude_form=form, status=400)


@login_required
@require_POST
def response_include(request: HttpRequest, pk: int) -> HttpResponse:
    response = _response(request, pk)
    policies.require(request.user, "surveys.manage", response.survey)
    services.response_include(response, user=_user(request))
    messages.success(request, _("The response is counted in the analysis again."))
    return redirect("surveys:response", pk=response.pk)


urlpatterns: list[URLPattern] = [
    path("collect/<int:pk>/paper/", paper, name="paper"),
    path("collect/<int:pk>/responses/", responses, name="responses"),
    path("collect/responses/<int:pk>/", response_detail, name="response"),
    path("collect/responses/<int:pk>/exclude/", response_exclude, name="response_exclude"),
    path("collect/responses/<int:pk>/include/", response_include, name="response_include"),
]
