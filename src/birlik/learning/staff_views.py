"""The staff side of training: the providers' courses (modules, teachers, prerequisites) and
cohorts (status, sessions, attendance, results, completion), nominations by the sending bodies,
a trainee's record, certificates (PDF, revocation), training needs and their rules.

Records of another subtree are "not found" (404); a page the user may read but not act on
answers 403 for the action. Trainees' records are read only here; each opening of one and each
certificate downloaded is audited.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import User
from birlik.core import collation
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of
from birlik.core.private_files import private_download
from birlik.geo.labels import region_labels

from . import certificate_pdf, forms, queries, services
from .models import Certificate, Cohort, Course, Enrolment, Module, Session, TrainingRule

LANGUAGES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _course(request: HttpRequest, pk: int) -> Course:
    return policies.get_scoped_or_404(
        Course.objects.select_related("provider", "provider__kind", "provider__region"),
        request.user,
        pk=pk,
    )


def _cohort(request: HttpRequest, pk: int) -> Cohort:
    return policies.get_scoped_or_404(
        Cohort.objects.select_related("course", "course__provider"), request.user, pk=pk
    )


def _enrolment(request: HttpRequest, pk: int) -> Enrolment:
    return policies.get_scoped_or_404(
        Enrolment.objects.select_related(
            "person",
            "organisation",
            "organisation__region",
            "cohort",
            "cohort__course",
            "cohort__course__provider",
        ),
        request.user,
        pk=pk,
    )


def _certificate(request: HttpRequest, pk: int) -> Certificate:
    return policies.get_scoped_or_404(
        Certificate.objects.select_related(
            "course",
            "course__provider",
            "enrolment",
            "enrolment__organisation",
            "enrolment__cohort",
            "enrolment__person",
        ),
        request.user,
        pk=pk,
    )


def _fail(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error.message))


def _day(form: Any) -> datetime.date:
    """The day asked for in a filter form (``on``), else today."""
    return form.cleaned_data.get("on") or timezone.localdate()


# --- Home: cohorts open for nominations ----------------------------------------------------------


@staff_view
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = queries.with_places_taken(queries.open_cohorts()).select_related(
        "course", "course__provider"
    )
    page = page_of(request, rows.order_by("starts_on", "pk"))
    return render(
        request,
        "learning/home.html",
        {
            "page": page,
            "can_nominate": policies.can(user, "learning.nominate"),
            "can_view": policies.can(user, "learning.view"),
            "can_overdue": policies.can(user, "learning.view_overdue"),
        },
    )


# --- Courses -------------------------------------------------------------------------------------


@staff_view
def courses(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, "learning.view")
    rows = (
        policies.scoped(Course.objects.all(), user)
        .select_related("provider")
        .annotate(hours=queries.hours_of_courses(), cohort_count=Count("cohorts"))
    )
    page = page_of(request, collation.ordered(rows, "title"))
    return render(
        request,
        "learning/courses.html",
        {
            "page": page,
            "can_create": policies.can(user, "learning.manage") and forms.run_bodies(user).exists(),
        },
    )


def _save_course(request: HttpRequest, form: forms.CourseForm, course: Course | None) -> Course:
    data = form.cleaned_data
    return services.course_save(
        actor=_user(request),
        provider=data["provider"],
        titles=forms.texts(form, "title"),
        descriptions=forms.texts(form, "description"),
        course_format=data["format"],
        prerequisites=data["prerequisites"],
        teacher_names=form.teacher_name_list(),
        teacher_people=data["teacher_people"],
        is_active=data["is_active"],
        course=course,
    )


@staff_view
def course_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, "learning.manage")
    form = forms.CourseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            item = _save_course(request, form, None)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The course is created. Now add its modules."))
            return redirect("learning:course", pk=item.pk)
    return render(
        request,
        "learning/form.html",
        {
            "form": form,
            "heading": _("New course"),
            "no_provider": not form.fields["provider"].queryset.exists(),  # type: ignore[attr-defined]
        },
    )


@staff_view
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _course(request, pk)
    user = _user(request)
    policies.require(user, "learning.manage", item)
    form = forms.CourseForm(request.POST or None, user=user, course=item)
    if request.method == "POST" and form.is_valid():
        try:
            _save_course(request, form, item)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The course is saved."))
            return redirect("learning:course", pk=item.pk)
    return render(
        request,
        "learning/form.html",
        {"form": form, "course": item, "heading": _("Edit the course")},
    )


@staff_view
def course(request: HttpRequest, pk: int) -> HttpResponse:
    item = _course(request, pk)
    cohorts = queries.with_places_taken(item.cohorts.all()).order_by("-starts_on", "-pk")
    return render(
        request,
        "learning/course.html",
        {
            "course": item,
            "hours": queries.course_hours(item),
            "modules": item.modules.all(),
            "teachers": item.teachers.all(),
            "prerequisites": item.prerequisites.order_by("title", "pk"),
            "page": page_of(request, cohorts),
            "can_manage": policies.can(request.user, "learning.manage", item),
        },
    )


@staff_view
def module_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _course(request, pk)
    policies.require(request.user, "learning.manage", item)
    return _module_form(request, item, None)


@staff_view
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    module = _module(request, pk)
    policies.require(request.user, "learning.manage", module.course)
    return _module_form(request, module.course, module)


def _module(request: HttpRequest, pk: int) -> Module:
    return policies.get_scoped_or_404(
        Module.objects.select_related("course", "course__provider"), request.user, pk=pk
    )


def _module_form(request: HttpRequest, item: Course, module: Module | None) -> HttpResponse:
    form = forms.ModuleForm(request.POST or None, module=module)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_save(
                actor=_user(request),
                course=item,
                titles=forms.texts(form, "title"),
                hours=form.cleaned_data["hours"],
                module=module,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The module is saved."))
            return redirect("learning:course", pk=item.pk)
    heading = _("New module") if module is None else _("Edit the module")
    return render(request, "learning/form.html", {"form": form, "course": item, "heading": heading})


@staff_view
@require_POST
def module_delete(request: HttpRequest, pk: int) -> HttpResponse:
    module = _module(request, pk)
    try:
        services.module_delete(actor=_user(request), module=module)
    except DomainError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The module is removed."))
    return redirect("learning:course", pk=module.course_id)


# --- Cohorts -------------------------------------------------------------------------------------


def _cohort_form(
    request: HttpRequest, item: Course, cohort: Cohort | None, heading: str
) -> HttpResponse:
    form = forms.CohortForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.cohort_save(
                actor=_user(request),
                course=item,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                capacity=data["capacity"],
                place=data["place"],
                online=data["online"],
                cohort=cohort,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The cohort is saved."))
            return redirect("learning:cohort", pk=saved.pk)
    return render(
        request,
        "learning/form.html",
        {"form": form, "course": item, "cohort": cohort, "heading": heading},
    )


@staff_view
def cohort_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _course(request, pk)
    policies.require(request.user, "learning.manage", item)
    return _cohort_form(request, item, None, pgettext("training", "New cohort"))


@staff_view
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    policies.require(request.user, "learning.manage", item)
    return _cohort_form(request, item.course, item, _("Edit the cohort"))


@staff_view
def cohort(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    user = _user(request)
    return render(
        request,
        "learning/cohort.html",
        {
            "cohort": item,
            "course": item.course,
            "page": page_of(request, queries.roster(item)),
            "taken": queries.places_taken(item),
            "can_manage": policies.can(user, "learning.manage", item),
            "next_status": services.NEXT_STATUS.get(item.status, ()),
            "statuses": dict(Cohort.Status.choices),
            "results_open": item.status in services.RESULT_STATUSES,
        },
    )


@staff_view
@require_POST
def cohort_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    form = forms.CohortStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the new status of the cohort."))
        return redirect("learning:cohort", pk=item.pk)
    try:
        services.cohort_set_status(
            actor=_user(request),
            cohort=item,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The status of the cohort is changed."))
    return redirect("learning:cohort", pk=item.pk)


# --- Sessions, attendance, results ------------------------------------------------------------


@staff_view
def sessions(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    user = _user(request)
    can_manage = policies.can(user, "learning.manage", item)
    form = forms.SessionForm(request.POST or None, course=item.course)
    if request.method == "POST":
        policies.require(user, "learning.manage", item)
        if form.is_valid():
            try:
                services.session_add(
                    actor=user,
                    cohort=item,
                    date=form.cleaned_data["date"],
                    topics=forms.texts(form, "topic"),
                    module=form.cleaned_data["module"],
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("The session is added."))
                return redirect("learning:sessions", pk=item.pk)
    held = list(item.sessions.select_related("module"))
    rows = list(queries.attendance_rates(item).prefetch_related("attendance"))
    marks = {
        row.pk: {mark.session_id: mark.get_mark_display() for mark in row.attendance.all()}
        for row in rows
    }
    grid = [(row, [marks[row.pk].get(s.pk, "—") for s in held]) for row in rows]
    return render(
        request,
        "learning/sessions.html",
        {
            "cohort": item,
            "course": item.course,
            "sessions": held,
            "grid": grid,
            "form": form,
            "can_manage": can_manage,
            "adding": item.status in services.SESSION_STATUSES,
            "marking": item.status in services.RESULT_STATUSES,
            "today": timezone.localdate(),
        },
    )


@staff_view
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = policies.get_scoped_or_404(
        Session.objects.select_related("cohort", "cohort__course", "cohort__course__provider"),
        request.user,
        pk=pk,
    )
    item = session.cohort
    user = _user(request)
    policies.require(user, "learning.manage", item)
    people = list(queries.trainees(item))
    marks = dict(session.attendance.values_list("enrolment_id", "mark"))
    form = forms.AttendanceForm(request.POST or None, trainees=people, marks=marks)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(actor=user, session=session, marks=form.marks())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect("learning:sessions", pk=item.pk)
    return render(
        request,
        "learning/attendance.html",
        {"session": session, "cohort": item, "course": item.course, "form": form},
    )


def _completable(rows: list[Enrolment]) -> list[tuple[int, str]]:
    return [
        (row.pk, row.person.full_name)
        for row in rows
        if row.passed is True and row.status != Enrolment.Status.COMPLETED
    ]


@staff_view
def results(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    user = _user(request)
    policies.require(user, "learning.manage", item)
    rows = list(queries.attendance_rates(item).select_related("certificate"))
    form = forms.ResultsForm(request.POST or None, trainees=rows)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.results_record(actor=user, cohort=item, results=form.results())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("The results are saved (%(count)s changed).") % {"count": count}
            )
            return redirect("learning:results", pk=item.pk)
    choices = _completable(rows)
    completion = forms.CompletionForm(
        choices=choices, initial={"completed": [pk for pk, _name in choices]}
    )
    return render(
        request,
        "learning/results.html",
        {
            "cohort": item,
            "course": item.course,
            "form": form,
            "completion": completion,
            "open": item.status in services.RESULT_STATUSES,
        },
        status=400 if form.errors else 200,
    )


@staff_view
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _cohort(request, pk)
    user = _user(request)
    policies.require(user, "learning.manage", item)
    rows = list(queries.trainees(item))
    form = forms.CompletionForm(request.POST, choices=_completable(rows))
    if not form.is_valid():
        messages.error(request, _("Choose trainees who passed the assessment."))
        return redirect("learning:results", pk=item.pk)
    try:
        issued = services.enrolments_complete(
            actor=user, cohort=item, enrolments=form.cleaned_data["completed"]
        )
    except DomainError as error:
        _fail(request, error)
    else:
        messages.success(
            request,
            _("%(count)s trainees completed the course; their certificates are issued.")
            % {"count": len(issued)},
        )
    return redirect("learning:results", pk=item.pk)


# --- Nominations ---------------------------------------------------------------------------------


@staff_view
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    policies.require(user, "learning.nominate")
    item = get_object_or_404(
        Cohort.objects.select_related("course", "course__provider").filter(course__is_active=True),
        pk=pk,
    )
    today = timezone.localdate()
    search = forms.PersonSearchForm(request.GET)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    terms = queries.nominable(user=user, on=today)
    if request.method == "POST":
        form = forms.NominateForm(request.POST, terms=terms)
        if not form.is_valid():
            messages.error(request, str(form.errors["membership"][0]))
        else:
            try:
                enrolment = services.enrolment_create(
                    actor=user, cohort=item, membership=form.cleaned_data["membership"]
                )
            except DomainError as error:
                _fail(request, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is nominated to the cohort.")
                    % {"name": enrolment.person.full_name},
                )
                return redirect(
                    reverse("learning:nominate", kwargs={"pk": item.pk})
                    + ("?" + urlencode({"q": query}) if query else "")
                )
    found = None
    if query:
        on_list = Enrolment.objects.filter(cohort=item, person_id=OuterRef("person_id"))
        matches = queries.nominable(user=user, on=today, query=query)
        found = page_of(request, matches.annotate(on_list=Exists(on_list)))
    sent = (
        Enrolment.objects.filter(
            policies.prefix_q(
                "organisation__path", policies.roots(user, policies.PERSONAL_DATA_ROLES)
            ),
            cohort=item,
        )
        .select_related("person", "organisation")
        .order_by("nominated_at", "pk")
    )
    return render(
        request,
        "learning/nominate.html",
        {
            "cohort": item,
            "course": item.course,
            "search": search,
            "query": query,
            "found": found,
            "query_string": urlencode({"q": query}),
            "sent": page_of(request, sent, param="sent"),
            "open": item.status == Cohort.Status.ENROLLING,
            "taken": queries.places_taken(item),
            "prerequisites": item.course.prerequisites.order_by("title", "pk"),
        },
    )


@staff_view
def nominations(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, "learning.nominate")
    form = forms.NominationsFilterForm(request.GET)
    form.is_valid()
    filters = form.cleaned_data
    rows = queries.nominations(user=user)
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    for word in (filters.get("q") or "").split()[:3]:
        rows = rows.filter(queries.any_case(("person__last_name", "person__first_name"), word))
    return render(
        request,
        "learning/nominations.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "query_string": kept_query(request, form),
            "invalid": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


@staff_view
def enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    item = _enrolment(request, pk)
    user = _user(request)
    services.enrolment_read(actor=user, enrolment=item)
    marks = {
        mark.session_id: mark.get_mark_display()
        for mark in item.attendance.all()  # the marks of one trainee: a cohort's sessions
    }
    held = [(session, marks.get(session.pk, "—")) for session in item.cohort.sessions.all()]
    certificate = Certificate.objects.filter(enrolment=item).first()
    return render(
        request,
        "learning/enrolment.html",
        {
            "enrolment": item,
            "cohort": item.cohort,
            "course": item.cohort.course,
            "sessions": held,
            "certificate": certificate,
            "languages": LANGUAGES.items(),
            "withdraw_form": forms.ReasonForm(),
            "can_withdraw": item.status == Enrolment.Status.ENROLLED
            and policies.can(user, "learning.withdraw", item),
            "can_revoke": certificate is not None
            and certificate.revoked_at is None
            and policies.can(user, "learning.revoke", certificate),
        },
    )


@staff_view
@require_POST
def enrolment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = _enrolment(request, pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason: it is recorded."))
        return redirect("learning:enrolment", pk=item.pk)
    try:
        services.enrolment_withdraw(
            actor=_user(request), enrolment=item, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The trainee is withdrawn; the place is free."))
    return redirect("learning:enrolment", pk=item.pk)


# --- Certificates --------------------------------------------------------------------------------


@staff_view
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    item = _certificate(request, pk)
    language = request.GET.get("lang") or "kk"
    if language not in LANGUAGES:
        raise Http404
    services.certificate_read(actor=_user(request), certificate=item)
    link = request.build_absolute_uri(reverse("learning_portal:verify", kwargs={"code": item.code}))
    data = certificate_pdf.certificate_pdf(item, link=link, language=language)
    return private_download(
        data, filename=f"certificate-{item.number}-{language}.pdf", content_type="application/pdf"
    )


@staff_view
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    item = _certificate(request, pk)
    user = _user(request)
    policies.require(user, "learning.revoke", item)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                actor=user, certificate=item, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The certificate is revoked. Its check now says so."))
            return redirect("learning:enrolment", pk=item.enrolment_id)
    return render(
        request,
        "learning/revoke.html",
        {
            "certificate": item,
            "cohort": item.enrolment.cohort,
            "course": item.course,
            "form": form,
        },
    )


# --- Training needs and rules ------------------------------------------------------------------


@staff_view
def needs(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, "learning.view_needs")
    form = forms.NeedsForm(request.GET)
    form.is_valid()
    day = _day(form)
    paths = policies.roots(user, policies.ALL_ROLES)
    rules = queries.active_rules()
    rows = queries.coverage_by_region(on=day, paths=paths, rules=rules)
    labels = region_labels()
    return render(
        request,
        "learning/needs.html",
        {
            "form": form,
            "day": day,
            "rows": [(labels.get(row.region, row.region), row) for row in rows],
            "total": queries.coverage_total(on=day, paths=paths, rules=rules),
            "rules": bool(rules),
            "can_overdue": policies.can(user, "learning.view_overdue"),
            "invalid": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


@staff_view
def overdue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, "learning.view_overdue")
    form = forms.OverdueFilterForm(request.GET)
    form.is_valid()
    filters = form.cleaned_data
    day = _day(form)
    rules = queries.active_rules()
    rows = queries.overdue_terms(
        on=day,
        paths=policies.roots(user, policies.PERSONAL_DATA_ROLES),
        region=filters.get("region"),
        kind=filters.get("kind"),
        rules=rules,
    )
    for word in (filters.get("q") or "").split()[:3]:
        rows = rows.filter(queries.any_case(("person__last_name", "person__first_name"), word))
    page = page_of(request, rows)
    names = dict(
        TrainingRule.objects.filter(pk__in=[rule.pk for rule in rules]).values_list("pk", "name")
    )
    months = {rule.pk: rule.validity_months for rule in rules}
    shown = [
        (
            row,
            names.get(row.due_rule, ""),
            queries.months_after(row.last_trained, months[row.due_rule])
            if row.last_trained and row.due_rule in months
            else None,
        )
        for row in page.object_list
    ]
    return render(
        request,
        "learning/overdue.html",
        {
            "form": form,
            "day": day,
            "page": page,
            "rows": shown,
            "query_string": kept_query(request, form),
            "invalid": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


@staff_view
def rules(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = (
        policies.scoped(TrainingRule.objects.all(), user)
        .select_related("kind")
        .prefetch_related("courses")
        .order_by("-is_active", "kind__position", "role", "pk")
    )
    return render(
        request,
        "learning/rules.html",
        {"page": page_of(request, rows), "can_edit": policies.can(user, "learning.manage_rules")},
    )


def _rule_form(request: HttpRequest, rule: TrainingRule | None) -> HttpResponse:
    user = _user(request)
    policies.require(user, "learning.manage_rules")
    form = forms.RuleForm(request.POST or None, rule=rule)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rule_save(
                actor=user,
                names=forms.texts(form, "name"),
                kind=data["kind"],
                role=data["role"],
                courses=data["courses"],
                validity_months=data["validity_months"],
                is_active=data["is_active"],
                rule=rule,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The training rule is saved."))
            return redirect("learning:rules")
    heading = _("New training rule") if rule is None else _("Edit the training rule")
    return render(request, "learning/form.html", {"form": form, "heading": heading})


@staff_view
def rule_new(request: HttpRequest) -> HttpResponse:
    return _rule_form(request, None)


@staff_view
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policies.require(request.user, "learning.manage_rules")
    return _rule_form(request, get_object_or_404(TrainingRule, pk=pk))
