"""Face-to-face interviews on a phone that may be offline, and answers imported from a
spreadsheet.

Everything of the interview lives under one prefix, the service worker's scope:
``…/interview/<survey>/`` (the page), ``…/interview/<survey>/form-<version>.json`` (the
questionnaire; a versioned address the worker serves from its cache first),
``…/interview/<survey>/sync`` (one interview per POST, JSON) and ``…/interview/sw.js`` (the
worker, served from the static file's bytes so that its scope may be the prefix). The page's
scripts (``logic.js``, ``queue.js``, ``interview.js``) render the form, apply the skip logic,
keep saved interviews in IndexedDB and send them whenever the phone is online.

Who: collectors of the survey (its assigned interviewers, researchers covering it, staff inside
the network of the body that conducts it) — ``surveys.interview`` and ``surveys.import`` with
the survey. A survey out of their scope is not found (404).
"""

from __future__ import annotations

import contextlib
import functools
import json
from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, path, reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from birlik.access import policies
from birlik.core import uploads
from birlik.core.errors import DomainError

from . import answer_import, services
from .models import Mode, Option, Question, QuestionnaireVersion, Survey

INTERVIEW = "surveys.interview"
IMPORT = "surveys.import"
LANGUAGES = ("kk", "ru", "en")
# The form's address carries its version: a browser may keep it for a week.
FORM_MAX_AGE = 7 * 24 * 3600
PREVIEW_ROWS = 1000
WORKER = Path(__file__).resolve().parent / "static" / "birlik" / "surveys" / "sw.js"


def _survey(request: HttpRequest, pk: int) -> Survey:
    return policies.get_scoped_or_404(
        Survey.objects.select_related("version__questionnaire", "organisation"),
        request.user,
        pk=pk,
    )


def _url(name: str, *args: Any) -> str:
    """The address of another part's page, or "" while that part has none."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _crumbs(survey: Survey | None, *pairs: tuple[str, str]) -> list[dict[str, str]]:
    trail = [(_("Workspace"), reverse("workspace:home"))]
    if home := _url("surveys:home"):
        trail.append((pgettext("workspace menu", "Surveys"), home))
    if survey is not None:
        trail.append((survey.title, _url("surveys:survey", survey.pk)))
    return [{"label": label, "url": url} for label, url in [*trail, *pairs]]


def _nav(request: HttpRequest, current: str) -> dict[str, Any]:
    """The section's sub-navigation (the build part's ``surveys/_nav.html``) when it exists."""
    context: dict[str, Any] = {"nav": current, "nav_template": ""}
    with contextlib.suppress(TemplateDoesNotExist):
        get_template("surveys/_nav.html")
        context["nav_template"] = "surveys/_nav.html"
    from . import builder_views

    nav_context = getattr(builder_views, "nav_context", None)
    if callable(nav_context):
        context.update(nav_context(request.user))
    return context


def _interview_refused(survey: Survey) -> str:
    """Why interviews cannot be sent for the survey now ("" when they can)."""
    if Mode.INTERVIEWER.value not in [str(m) for m in survey.modes or []]:
        return _("This survey is not collected by interviewers.")
    if survey.status != Survey.Status.FIELDWORK:
        return _("This survey is not collecting answers now.")
    return ""


# --- The interview page -----------------------------------------------------------------------


def _texts() -> dict[str, str]:
    """What the page's scripts say, in the page's language."""
    return {
        "waiting": _("Interviews waiting to be sent: %(count)s"),
        "attention": _("Interviews that need your attention: %(count)s"),
        "sending": _("Sending the interviews…"),
        "sent": _("Every interview saved on this phone has been sent."),
        "offline": _(
            "No connection. The interviews are kept on this phone and sent when it is back."
        ),
        "signin": _("Sign in again to send the interviews waiting on this phone."),
        "signin_link": _("Sign in"),
        "later": _("The server could not take the interviews now; they will be sent later."),
        "saved": _("The interview was saved on this phone."),
        "offline_ready": _("This page now works without a connection too."),
        "no_storage": _(
            "This browser cannot keep interviews (private mode?): send each one while online."
        ),
        "load_failed": _(
            "The questionnaire could not be loaded. Open this page again while connected."
        ),
        "required": _("This question needs an answer."),
        "every_row": _("Answer every row."),
        "number": _("Enter a number."),
        "range": _("Enter a number from %(low)s to %(high)s."),
        "at_least": _("Enter a number of at least %(low)s."),
        "at_most": _("Enter a number of at most %(high)s."),
        "too_long": _("Keep the answer under %(limit)s characters (it has %(count)s)."),
        "correct": _("Please correct the errors below."),
        "conflict": _(
            "Sent before with other answers: the first ones are kept. Remove this copy once "
            "you have checked it."
        ),
        "invalid": _("Not accepted by the server:"),
        "edit": _("Correct this interview"),
        "remove": _("Remove from this phone"),
        "saved_on": _("Saved on %(date)s"),
        "required_mark": pgettext("interview form", "(required)"),
        "scale_ends": _("%(low)s — %(low_label)s; %(high)s — %(high_label)s"),
        "editing": _("You are correcting an interview saved before; save it to send it again."),
    }


@login_required
@require_GET
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    policies.require(request.user, INTERVIEW, survey)
    worker = reverse("surveys:interview_sw")
    language = translation.get_language() or settings.LANGUAGE_CODE
    return render(
        request,
        "surveys/interview/interview.html",
        {
            "survey": survey,
            "closed": _interview_refused(survey),
            "form_url": reverse(
                "surveys:interview_form", kwargs={"pk": survey.pk, "version": survey.version_id}
            ),
            "sync_url": reverse("surveys:interview_sync", args=[survey.pk]),
            "worker_url": worker,
            "worker_scope": worker.rsplit("/", 1)[0] + "/",
            "login_url": f"{reverse('access:login')}?{urlencode({'next': request.path})}",
            "respondent_languages": [
                (code, name) for code, name in settings.LANGUAGES if code in LANGUAGES
            ],
            "language": language if language in LANGUAGES else LANGUAGES[0],
            "texts_json": json.dumps(_texts(), ensure_ascii=False),
            "crumbs": _crumbs(survey, (pgettext("survey", "Interview"), "")),
            **_nav(request, "interview"),
        },
    )


def _in_languages(obj: Any, name: str) -> dict[str, str]:
    """A translated field in the three languages; an empty one falls back to another."""
    values = {code: str(getattr(obj, f"{name}_{code}", "") or "") for code in LANGUAGES}
    fallback = next((value for value in values.values() if value), "")
    return {code: value or fallback for code, value in values.items()}


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _option(option: Option) -> dict[str, Any]:
    return {"code": option.code, "label": _in_languages(option, "label")}


def _question(question: Question) -> dict[str, Any]:
    options = list(question.options.all())
    return {
        "code": question.code,
        "kind": question.kind,
        "text": _in_languages(question, "text"),
        "help": _in_languages(question, "help"),
        "required": question.required,
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "label_min": _in_languages(question, "label_min"),
        "label_max": _in_languages(question, "label_max"),
        "number_min": _number(question.number_min),
        "number_max": _number(question.number_max),
        "show_if": question.show_if or None,
        "role": question.role,
        "options": [_option(o) for o in options if o.kind == Option.Kind.CHOICE],
        "rows": [_option(o) for o in options if o.kind == Option.Kind.ROW],
    }


def form_data(survey: Survey, version: QuestionnaireVersion) -> dict[str, Any]:
    """The questionnaire as the phone renders it: questions in order with their options, texts
    in the three languages, skip conditions, required flags and demographic roles."""
    questions = version.questions.prefetch_related("options").order_by("order", "id")
    return {
        "survey": survey.pk,
        "version": version.pk,
        "title": _in_languages(survey, "title"),
        "consent": _in_languages(version, "consent"),
        "text_max_length": services.TEXT_MAX_LENGTH,
        "missing_codes": list(Option.MISSING_CODES),
        "questions": [_question(question) for question in questions],
    }


@login_required
@require_GET
def interview_form(request: HttpRequest, pk: int, version: int) -> JsonResponse:
    survey = _survey(request, pk)
    policies.require(request.user, INTERVIEW, survey)
    if version != survey.version_id:
        return JsonResponse({"error": _("This questionnaire is not the survey's.")}, status=404)
    response = JsonResponse(
        form_data(survey, survey.version), json_dumps_params={"ensure_ascii": False}
    )
    # Private to the signed-in interviewer; a new version has a new address. (The security
    # middleware makes every signed-in answer "private, no-store": the page's worker keeps the
    # form in its own cache, which no HTTP header governs.)
    response["Cache-Control"] = f"private, max-age={FORM_MAX_AGE}"
    return response


@login_required
@require_POST
def interview_sync(request: HttpRequest, pk: int) -> JsonResponse:
    survey = _survey(request, pk)
    policies.require(request.user, INTERVIEW, survey)
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return JsonResponse(
            {"status": "invalid", "errors": {"": _("The answers are not understood.")}},
            status=400,
        )
    status, body = services.response_sync(survey, payload, user=request.user)
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@functools.cache
def _worker_bytes() -> bytes:
    return WORKER.read_bytes()


def _interviews_somewhere(user: Any) -> bool:
    if policies.can(user, INTERVIEW):
        return True
    assigned = cast(Any, Survey).interviewers.through.objects.filter(user_id=user.pk)
    return assigned.exists()


@login_required
@require_GET
def interview_sw(request: HttpRequest) -> HttpResponse:
    """The service worker, from the static file's bytes: served here (not from /static/) so
    that its scope may be the interview pages."""
    if not _interviews_somewhere(request.user):
        policies.require(request.user, INTERVIEW)
    response = HttpResponse(_worker_bytes(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = request.path.rsplit("/", 1)[0] + "/"
    response["Cache-Control"] = "no-cache"
    return response


# --- Answers from a spreadsheet -------------------------------------------------------------------


class AnswersFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet of answers (XLSX or CSV)"),
        help_text=gettext_lazy(
            "One row per questionnaire. Name the columns by the question codes (T1, D_SEX…) or "
            "by the questions' texts in any language; write the answers as option codes or as "
            "the options' texts. A title above the table is fine."
        ),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language the questionnaires were filled in"),
        choices=[(code, name) for code, name in settings.LANGUAGES if code in LANGUAGES],
    )


def _import_page(
    request: HttpRequest, survey: Survey, form: AnswersFileForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "surveys/interview/import.html",
        {
            "survey": survey,
            "form": form,
            "closed": answer_import.import_refused(survey),
            "crumbs": _crumbs(survey, (pgettext("survey", "Import answers"), "")),
            **_nav(request, "import"),
        },
        status=status,
    )


VERDICTS = {
    answer_import.ADD: pgettext_lazy("import row", "Will be added"),
    answer_import.ALREADY: pgettext_lazy("import row", "Already imported"),
    answer_import.CHANGED: gettext_lazy("Imported before with other answers: left as it is"),
    answer_import.ERROR: pgettext_lazy("import row", "Not imported"),
}


@uploads.upload_limit(uploads.IMPORT_LIMIT)
@login_required
def answers_import(request: HttpRequest, pk: int) -> HttpResponseBase:
    survey = _survey(request, pk)
    policies.require(request.user, IMPORT, survey)
    language = translation.get_language() or settings.LANGUAGE_CODE
    initial = {"language": language if language in LANGUAGES else LANGUAGES[0]}
    if request.method != "POST":
        return _import_page(request, survey, AnswersFileForm(initial=initial))
    if refused := uploads.refusal_message(request, uploads.IMPORT_LIMIT, split=True):
        form = AnswersFileForm(request.POST, MultiValueDict())
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
        return _import_page(request, survey, form, status=400)
    form = AnswersFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, survey, form, status=400)
    try:
        plan = answer_import.import_upload(
            survey, form.cleaned_data["file"].read(), user=request.user
        )
    except DomainError as error:
        form.add_error("file" if error.field == "file" else None, str(error.message))
        return _import_page(request, survey, form, status=400)
    rows = [(row, VERDICTS[row.status]) for row in plan.rows[:PREVIEW_ROWS]]
    return render(
        request,
        "surveys/interview/import_preview.html",
        {
            "survey": survey,
            "plan": plan,
            "rows": rows,
            "shown": len(rows),
            "total": len(plan.rows),
            "counts": {
                "add": plan.count(answer_import.ADD),
                "already": plan.count(answer_import.ALREADY),
                "changed": plan.count(answer_import.CHANGED),
                "error": plan.count(answer_import.ERROR),
            },
            "language": form.cleaned_data["language"],
            "language_name": dict(settings.LANGUAGES)[form.cleaned_data["language"]],
            "filename": form.cleaned_data["file"].name or "",
            "crumbs": _crumbs(
                survey,
                (pgettext("survey", "Import answers"), reverse("surveys:import", args=[survey.pk])),
                (pgettext("import step", "Check"), ""),
            ),
            **_nav(request, "import"),
        },
    )


@login_required
@require_POST
def answers_import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    policies.require(request.user, IMPORT, survey)
    back = reverse("surveys:import", args=[survey.pk])
    try:
        result = answer_import.import_apply(
            survey,
            str(request.POST.get("reference", "")),
            user=request.user,
            language=str(request.POST.get("language", "")),
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(back)
    parts = [
        ngettext("%(count)s response was added.", "%(count)s responses were added.", result.created)
        % {"count": result.created}
    ]
    if result.already + result.changed:
        count = result.already + result.changed
        parts.append(
            ngettext(
                "%(count)s row had been imported before and was left as it is.",
                "%(count)s rows had been imported before and were left as they are.",
                count,
            )
            % {"count": count}
        )
    if result.rejected:
        parts.append(
            ngettext(
                "%(count)s row with errors was not imported.",
                "%(count)s rows with errors were not imported.",
                result.rejected,
            )
            % {"count": result.rejected}
        )
    messages.success(request, " ".join(parts))
    return redirect(back)


urlpatterns = [
    path("interview/sw.js", interview_sw, name="interview_sw"),
    path("interview/<int:pk>/", interview, name="interview"),
    path("interview/<int:pk>/form-<int:version>.json", interview_form, name="interview_form"),
    path("interview/<int:pk>/sync", interview_sync, name="interview_sync"),
    path("import/<int:pk>/", answers_import, name="import"),
    path("import/<int:pk>/apply/", answers_import_apply, name="import_apply"),
]
