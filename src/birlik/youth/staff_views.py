"""The staff side of youth projects: projects and their forms, cohorts with their applications,
the jury's scoring page, the ranking and selection, sessions with attendance, graduation.

Records of another body's subtree are "not found" (404); a page the user may read but not act
on answers 403 for the action. Applicants' personal data is read only here, and each opening of
an application is audited.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import User
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of
from birlik.core.search import words_q

from . import forms, queries, services
from .models import Application, Cohort, Criterion, Question, Score, Session, YouthProject


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _project(request: HttpRequest, pk: int) -> YouthProject:
    return policies.get_scoped_or_404(
        YouthProject.objects.select_related("programme", "organisation", "organisation__region"),
        request.user,
        pk=pk,
    )


def _cohort(request: HttpRequest, pk: int) -> Cohort:
    return policies.get_scoped_or_404(
        Cohort.objects.select_related("project", "project__organisation", "project__programme"),
        request.user,
        pk=pk,
    )


def _fail(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error.message))


# --- Projects ----------------------------------------------------------------------------------


@staff_view
def projects(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "youth.view")
    rows = policies.scoped(YouthProject.objects.all(), request.user).select_related(
        "programme", "organisation"
    )
    page = page_of(request, rows.order_by("title", "pk"))
    return render(
        request,
        "youth/projects.html",
        {"page": page, "can_create": policies.can(request.user, "youth.manage")},
    )


def _project_data(form: forms.ProjectForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("organisation")
    data.pop("programme")
    return data


@staff_view
def project_new(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "youth.manage")
    form = forms.ProjectForm(request.POST or None, user=_user(request))
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_save(
                actor=_user(request),
                organisation=form.cleaned_data["organisation"],
                programme=form.cleaned_data["programme"],
                data=_project_data(form),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The project is created. Now write its application form."))
            return redirect("youth:project", pk=project.pk)
    return render(request, "youth/form.html", {"form": form, "heading": _("New youth project")})


@staff_view
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    policies.require(request.user, "youth.manage", project)
    form = forms.ProjectForm(request.POST or None, user=_user(request), project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_save(
                actor=_user(request),
                organisation=form.cleaned_data["organisation"],
                programme=form.cleaned_data["programme"],
                data=_project_data(form),
                project=project,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The project is saved."))
            return redirect("youth:project", pk=project.pk)
    return render(
        request,
        "youth/form.html",
        {"form": form, "project": project, "heading": _("Edit the project")},
    )


@staff_view
def project(request: HttpRequest, pk: int) -> HttpResponse:
    item = _project(request, pk)
    cohorts = item.cohorts.annotate(
        applied=Count("applications", filter=~Q(applications__status="withdrawn"))
    ).order_by("-starts_on", "pk")
    return render(
        request,
        "youth/project.html",
        {
            "project": item,
            "questions": item.questions.all(),
            "criteria": item.criteria.all(),
            "cohorts": cohorts,
            "can_manage": policies.can(request.user, "youth.manage", item),
        },
    )


@staff_view
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _project(request, pk)
    policies.require(request.user, "youth.manage", item)
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_add(
                actor=_user(request),
                project=item,
                kind=data["kind"],
                labels={lang: data[f"label_{lang}"] for lang in forms.LANGS},
                options={lang: data[f"options_{lang}"] for lang in forms.LANGS},
                required=data["required"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The question is added."))
            return redirect("youth:project", pk=item.pk)
    return render(
        request,
        "youth/form.html",
        {"form": form, "project": item, "heading": _("New question of the application form")},
    )


@staff_view
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    try:
        services.question_delete(actor=_user(request), question=question)
    except DomainError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The question is removed."))
    return redirect("youth:project", pk=question.project_id)


def _question(request: HttpRequest, pk: int) -> Question:
    """A question of a project the user sees, else 404."""
    projects = policies.scoped(YouthProject.objects.all(), request.user)
    return get_object_or_404(Question.objects.filter(project__in=projects), pk=pk)


def _criterion(request: HttpRequest, pk: int) -> Criterion:
    """A criterion of a project the user sees, else 404."""
    projects = policies.scoped(YouthProject.objects.all(), request.user)
    return get_object_or_404(Criterion.objects.filter(project__in=projects), pk=pk)


@staff_view
def criterion_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _project(request, pk)
    policies.require(request.user, "youth.manage", item)
    form = forms.CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.criterion_add(
                actor=_user(request),
                project=item,
                names={lang: data[f"name_{lang}"] for lang in forms.LANGS},
                weight=data["weight"],
                max_score=data["max_score"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The criterion is added."))
            return redirect("youth:project", pk=item.pk)
    return render(
        request,
        "youth/form.html",
        {"form": form, "project": item, "heading": _("New selection criterion")},
    )


@staff_view
@require_POST
def criterion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = _criterion(request, pk)
    try:
        services.criterion_delete(actor=_user(request), criterion=criterion)
    except DomainError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The criterion is removed."))
    return redirect("youth:project", pk=criterion.project_id)


# --- Cohorts -----------------------------------------------------------------------------------


def _cohort_data(form: forms.CohortForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    return {k: v for k, v in data.items() if k not in {"jury", "mentors"}}


@staff_view
def cohort_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _project(request, pk)
    policies.require(request.user, "youth.manage", item)
    form = forms.CohortForm(request.POST or None, body=item.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_save(
                actor=_user(request),
                project=item,
                data=_cohort_data(form),
                jury=form.cleaned_data["jury"],
                mentors=form.cleaned_data["mentors"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The cohort is created."))
            return redirect("youth:cohort", pk=cohort.pk)
    return render(
        request,
        "youth/form.html",
        {"form": form, "project": item, "heading": _("New cohort")},
    )


@staff_view
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    policies.require(request.user, "youth.manage", cohort)
    form = forms.CohortForm(request.POST or None, body=cohort.project.organisation, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_save(
                actor=_user(request),
                project=cohort.project,
                data=_cohort_data(form),
                jury=form.cleaned_data["jury"],
                mentors=form.cleaned_data["mentors"],
                cohort=cohort,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The cohort is saved."))
            return redirect("youth:cohort", pk=cohort.pk)
    return render(
        request,
        "youth/form.html",
        {
            "form": form,
            "project": cohort.project,
            "cohort": cohort,
            "heading": _("Edit the cohort"),
        },
    )


@staff_view
def cohort(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    form = forms.ApplicationFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = Application.objects.filter(cohort=item).select_related("region")
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("region"):
        rows = rows.filter(region=filters["region"])
    if filters.get("q"):
        rows = rows.filter(words_q(("last_name", "first_name"), filters["q"], max_words=3))
    page = page_of(request, rows.order_by("submitted_at", "pk"))
    user = _user(request)
    return render(
        request,
        "youth/cohort.html",
        {
            "cohort": item,
            "project": item.project,
            "form": form,
            "page": page,
            "query_string": kept_query(request, form),
            "invalid": bool(form.errors),
            "jury": item.jury.all(),
            "mentors": item.mentors.all(),
            "submitted": set(queries.submitted_jurors(item).values_list("juror_id", flat=True)),
            "can_manage": policies.can(user, "youth.manage", item),
            "is_juror": policies.can(user, "youth.score", item),
            "next_status": services.NEXT_STATUS.get(item.status, ()),
            "statuses": dict(Cohort.Status.choices),
            "window_open": item.window_open_on(timezone.localdate()),
        },
        status=400 if form.errors else 200,
    )


@staff_view
@require_POST
def cohort_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    try:
        services.cohort_set_status(
            actor=_user(request), cohort=item, status=request.POST.get("status", "")
        )
    except DomainError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The status of the cohort is changed."))
    return redirect("youth:cohort", pk=item.pk)


@staff_view
def application(request: HttpRequest, pk: int) -> HttpResponse:
    item = policies.get_scoped_or_404(
        Application.objects.select_related(
            "cohort", "cohort__project", "cohort__project__organisation", "region", "person"
        ),
        request.user,
        pk=pk,
    )
    services.application_read(actor=_user(request), application=item)
    answers = []
    for question in item.cohort.project.questions.all():
        value = item.answers.get(str(question.pk))
        if question.kind == Question.Kind.CHOICE and value is not None:
            options = question.option_list()
            value = options[value] if isinstance(value, int) and value < len(options) else value
        elif question.kind == Question.Kind.YES_NO and value is not None:
            value = _("Yes") if value else _("No")
        answers.append((question, value))
    return render(
        request,
        "youth/application.html",
        {
            "application": item,
            "cohort": item.cohort,
            "answers": answers,
            "age": item.age_on(item.cohort.starts_on),
        },
    )


# --- The jury ----------------------------------------------------------------------------------


@staff_view
def jury(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    user = _user(request)
    policies.require(user, "youth.score", item)
    criteria = list(item.project.criteria.all())
    submitted = queries.has_submitted(item, user)
    rows = queries.to_score(item).select_related("region").order_by("submitted_at", "pk")
    page = page_of(request, rows, size=20)
    mine = {
        (s.application_id, s.criterion_id): s.score
        for s in Score.objects.filter(juror=user, application__in=[a.pk for a in page.object_list])
    }
    if request.method == "POST":
        scores: dict[tuple[int, int], int | None] = {}
        bad = False
        for application_item in page.object_list:
            for criterion in criteria:
                raw = request.POST.get(f"s_{application_item.pk}_{criterion.pk}", "").strip()
                if not raw:
                    scores[(application_item.pk, criterion.pk)] = None
                elif raw.isdigit():
                    scores[(application_item.pk, criterion.pk)] = int(raw)
                else:
                    bad = True
        if bad:
            messages.error(request, _("Give each score as a whole number."))
        else:
            try:
                services.scores_save(juror=user, cohort=item, scores=scores)
            except DomainError as error:
                _fail(request, error)
            else:
                messages.success(request, _("Your scores are saved."))
                return redirect(request.get_full_path())
    grid = [
        (
            application_item,
            [(criterion, mine.get((application_item.pk, criterion.pk))) for criterion in criteria],
        )
        for application_item in page.object_list
    ]
    others: dict[int, list[Score]] = {}
    if submitted:
        for score in (
            queries.visible_scores(item, user)
            .exclude(juror=user)
            .filter(application__in=[a.pk for a in page.object_list])
            .select_related("criterion")
        ):
            others.setdefault(score.application_id, []).append(score)
    return render(
        request,
        "youth/jury.html",
        {
            "cohort": item,
            "project": item.project,
            "criteria": criteria,
            "grid": grid,
            "page": page,
            "submitted": submitted,
            "others": others,
            "open": item.status == Cohort.Status.SELECTION and not submitted,
        },
    )


@staff_view
@require_POST
def jury_submit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    try:
        services.scores_submit(juror=_user(request), cohort=item)
    except DomainError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Your scores are submitted. Thank you."))
    return redirect("youth:jury", pk=item.pk)


# --- Ranking and selection ---------------------------------------------------------------------


@staff_view
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    user = _user(request)
    policies.require(user, "youth.manage", item)
    ranked = queries.ranking(item)
    proposed = [row.application.pk for row in ranked[: item.places]]
    choices = [(row.application.pk, row.application.full_name) for row in ranked]
    form = forms.SelectionForm(
        request.POST or None, choices=choices, initial={"selected": proposed}
    )
    may_select = item.status == Cohort.Status.SELECTION
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_select(
                actor=user,
                cohort=item,
                selected=form.cleaned_data["selected"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The selection is made and the applicants are told."))
            return redirect("youth:cohort", pk=item.pk)
    return render(
        request,
        "youth/ranking.html",
        {
            "cohort": item,
            "project": item.project,
            "ranked": ranked,
            "form": form,
            "checked": _checked(request) if form.is_bound else set(proposed),
            "may_select": may_select,
            "jurors": queries.submitted_jurors(item).count(),
        },
    )


def _checked(request: HttpRequest) -> set[int]:
    return {int(value) for value in request.POST.getlist("selected") if value.isdigit()}


# --- Sessions, attendance, graduation ---------------------------------------------------------


@staff_view
def sessions(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    user = _user(request)
    can_manage = policies.can(user, "youth.manage", item)
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST":
        policies.require(user, "youth.manage", item)
        if form.is_valid():
            try:
                services.session_add(
                    actor=user,
                    cohort=item,
                    date=form.cleaned_data["date"],
                    topics={lang: form.cleaned_data[f"topic_{lang}"] for lang in forms.LANGS},
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("The session is added."))
                return redirect("youth:sessions", pk=item.pk)
    held = list(item.sessions.all())
    rows = list(queries.attendance_rates(item).prefetch_related("attendance"))
    marks = {
        row.pk: {mark.session_id: mark.get_mark_display() for mark in row.attendance.all()}
        for row in rows
    }
    grid = [
        (
            row,
            [marks[row.pk].get(session.pk, "—") for session in held],
            queries.may_graduate(item, row),
        )
        for row in rows
    ]
    return render(
        request,
        "youth/sessions.html",
        {
            "cohort": item,
            "project": item.project,
            "sessions": held,
            "grid": grid,
            "form": form,
            "can_manage": can_manage,
            "running": item.status == Cohort.Status.RUNNING,
        },
    )


@staff_view
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = policies.get_scoped_or_404(
        Session.objects.select_related(
            "cohort", "cohort__project", "cohort__project__organisation"
        ),
        request.user,
        pk=pk,
    )
    item = session.cohort
    user = _user(request)
    policies.require(user, "youth.manage", item)
    people = list(queries.participants(item).order_by("last_name", "first_name", "pk"))
    marks = dict(session.attendance.values_list("application_id", "mark"))
    form = forms.AttendanceForm(request.POST or None, participants=people, marks=marks)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(actor=user, session=session, marks=form.marks())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect("youth:sessions", pk=item.pk)
    return render(
        request,
        "youth/attendance.html",
        {"session": session, "cohort": item, "project": item.project, "form": form},
    )


@staff_view
def graduation(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    user = _user(request)
    policies.require(user, "youth.manage", item)
    rows = list(queries.attendance_rates(item))
    eligible = [row.pk for row in rows if queries.may_graduate(item, row)]
    form = forms.GraduationForm(
        request.POST or None,
        choices=[(row.pk, row.full_name) for row in rows],
        initial={"graduates": eligible},
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = services.cohort_graduate(
                actor=user, cohort=item, graduates=form.cleaned_data["graduates"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(count)s graduates are now activists of the running body.") % {"count": count},
            )
            return redirect("youth:cohort", pk=item.pk)
    return render(
        request,
        "youth/graduation.html",
        {
            "cohort": item,
            "project": item.project,
            "rows": [(row, row.pk in eligible) for row in rows],
            "form": form,
            "running": item.status == Cohort.Status.RUNNING,
            "sessions": item.sessions.count(),
        },
    )
