"""The staff side of events: plan, publish, register people, check them in, report.

Every view asks ``access.policies``: an event outside the user's scope answers 404, an action
the role does not allow answers 403. Every write is one call to ``events.services``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view as events_view
from birlik.access.services import audit_read
from birlik.core import uploads
from birlik.core.collation import collated
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query as _kept_query
from birlik.core.listing import keyset_page
from birlik.core.listing import page_of as _page
from birlik.core.private_files import private_file_response
from birlik.core.search import contains_q
from birlik.registry.models import Organisation
from birlik.registry.queries import audit_trail

from . import forms, queries, services, sheets
from .models import Event, EventAttachment, EventReport, Registration

View = Callable[..., HttpResponseBase]
PAGE_SIZE = settings.BIRLIK_PAGE_SIZE
OPEN_STATUSES = (Event.Status.PLANNED, Event.Status.OPEN)


def _actor(request: HttpRequest) -> Any:
    return request.user


def _event(request: HttpRequest, pk: int) -> Event:
    return policies.get_scoped_or_404(
        Event.objects.select_related(
            "organiser", "organiser__kind", "region", "district", "programme", "venue", "report"
        ).prefetch_related("co_organisers", "audiences"),
        request.user,
        pk=pk,
    )


def _report_of(event: Event) -> EventReport | None:
    try:
        return event.report
    except EventReport.DoesNotExist:
        return None


def report_overdue(event: Event) -> bool:
    return queries.report_overdue(event, now=timezone.now())


def _next_or(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _detail_url(event: Event) -> str:
    return reverse("events:detail", kwargs={"pk": event.pk})


# --- List ------------------------------------------------------------------------------------


def _with_lateness(events: QuerySet[Event]) -> QuerySet[Event]:
    overdue = queries.report_late_q(now=timezone.now())
    return events.annotate(
        is_overdue=Case(When(overdue, then=Value(True)), default=Value(False)),
        is_late=Case(
            When(report__is_late=True, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


@events_view
def event_list(request: HttpRequest) -> HttpResponse:
    form = forms.EventFilterForm(request.GET)
    filters = form.filters()
    events = policies.scoped(Event.objects.all(), request.user)
    if filters.get("date_from"):
        events = events.filter(ends_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        events = events.filter(starts_at__date__lte=filters["date_to"])
    if filters.get("status"):
        events = events.filter(status=filters["status"])
    if filters.get("programme"):
        events = events.filter(programme=filters["programme"])
    if filters.get("region"):
        events = events.filter(region=filters["region"])
    body: Organisation | None = None
    if filters.get("body"):
        in_scope = policies.scoped(Organisation.objects.filter(pk=filters["body"]), request.user)
        body = in_scope.first()
        if body is None:
            form.add_error("body", _("No body in your scope has this number."))
        else:
            events = events.filter(organiser__path__startswith=body.path)
    if filters.get("late"):
        events = events.filter(queries.report_late_q(now=timezone.now()) | Q(report__is_late=True))
    events = _with_lateness(events).select_related("organiser", "region", "district", "programme")
    # Keyset pages along (starts_at, id): a page deep in ten years of events costs what the
    # first one costs, and the count stops at a thousand.
    page = keyset_page(
        request, events, order=("-starts_at", "-id"), query=_kept_query(request, form)
    )
    return render(
        request,
        "events/list.html",
        {
            "form": form,
            "page": page,
            "body": body,
            "invalid": bool(form.errors),
            "report_days": settings.EVENT_REPORT_DAYS,
        },
    )


# --- Planning --------------------------------------------------------------------------------


def _organiser(request: HttpRequest, pk: int) -> Organisation:
    return policies.get_scoped_or_404(
        Organisation.objects.select_related("kind", "region", "district"), request.user, pk=pk
    )


@events_view
def event_create(request: HttpRequest, body: int) -> HttpResponse:
    organiser = _organiser(request, body)
    policies.require(request.user, "events.add_event", organiser)
    if organiser.status != Organisation.Status.ACTIVE:
        messages.error(request, _("A closed body cannot plan events."))
        return redirect("workspace:body", pk=organiser.pk)
    form = forms.EventForm(request.POST or None, organiser=organiser, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=_actor(request),
                organiser=organiser,
                data=form.data_for_service(),
                audiences=form.audiences_for_service(),
                co_organisers=form.co_organisers_for_service(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The event has been planned. Publish it to open the registration.")
                if event.registration_required
                else _("The event has been planned."),
            )
            return redirect(_detail_url(event))
    return render(request, "events/form.html", {"form": form, "organiser": organiser})


@events_view
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    policies.require(request.user, "events.change_event", event)
    if event.status in {Event.Status.CANCELLED, Event.Status.REPORTED}:
        messages.error(request, _("A cancelled or reported event cannot be changed."))
        return redirect(_detail_url(event))
    form = forms.EventForm(
        request.POST or None,
        organiser=event.organiser,
        user=request.user,
        initial=forms.EventForm.initial_from(event),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                actor=_actor(request),
                event=event,
                data=form.data_for_service(),
                audiences=form.audiences_for_service(),
                co_organisers=form.co_organisers_for_service(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_detail_url(event))
    return render(
        request, "events/form.html", {"form": form, "event": event, "organiser": event.organiser}
    )


@require_POST
@events_view
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    policies.require(request.user, "events.change_event", event)
    try:
        services.event_publish(actor=_actor(request), event=event)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The event is open for registration."))
    return redirect(_detail_url(event))


@events_view
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    policies.require(request.user, "events.cancel_event", event)
    form = forms.EventCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(
                actor=_actor(request), event=event, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("The event has been cancelled. Registered people are being told.")
            )
            return redirect(_detail_url(event))
    return render(request, "events/cancel.html", {"form": form, "event": event})


# --- The event page ---------------------------------------------------------------------------


def _search(registrations: QuerySet[Registration], query: str) -> QuerySet[Registration]:
    """By a part of the name (as typed, or capitalised) or by at least four digits of the phone."""
    query = " ".join(query.split())
    if not query:
        return registrations
    digits = re.sub(r"\D", "", query)
    if len(digits) >= 4 and len(digits) * 2 >= len(query.replace(" ", "")):
        if len(digits) == 11 and digits[0] in "78":
            digits = digits[1:]
        return registrations.filter(phone__contains=digits)
    return registrations.filter(contains_q(("full_name",), query))


def _breakdown_rows(report: EventReport | None, audiences: list[Any]) -> list[tuple[str, int]]:
    """The reported numbers per audience, named in the reader's language."""
    if report is None or not report.breakdown:
        return []
    # In the event's order of audiences: PostgreSQL's jsonb does not keep the keys' order.
    numbers = {code: value for code, value in report.breakdown.items() if isinstance(value, int)}
    rows = [
        (str(audience.name), numbers.pop(audience.code))
        for audience in audiences
        if audience.code in numbers
    ]
    return rows + sorted(numbers.items())


def _permissions(user: Any, event: Event) -> dict[str, bool]:
    now = timezone.now()
    can_change = policies.can(user, "events.change_event", event)
    runs = policies.can(user, "events.register_people", event)
    active = event.status not in {Event.Status.CANCELLED, Event.Status.REPORTED}
    return {
        "can_change": can_change and active,
        "can_publish": can_change
        and event.status == Event.Status.PLANNED
        and event.registration_required
        and event.ends_at > now,
        "can_cancel": active and policies.can(user, "events.cancel_event", event),
        "can_register": runs
        and event.status in OPEN_STATUSES
        and event.registration_required
        and event.ends_at > now,
        "can_check_in": policies.can(user, "events.check_in", event)
        and event.status in (*OPEN_STATUSES, Event.Status.HELD),
        "can_report": policies.can(user, "events.report_event", event)
        and event.status != Event.Status.CANCELLED
        and event.starts_at <= now,
        "sees_registrations": policies.can(user, "events.view_registrations", event),
    }


@events_view
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    user = request.user
    allowed = _permissions(user, event)
    search = forms.RegistrationSearchForm(request.GET)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    registrations: Page | None = None
    if allowed["sees_registrations"]:
        registrations = _page(
            request,
            _search(event.registrations.order_by("-created_at", "-id"), query),
        )
        # Names and phones of registered people are personal data: the read is logged.
        audit_read(
            actor=_actor(request),
            obj=event,
            organisation_path=event.organiser.path,
            note=f"registrations, page {registrations.number}",
        )
    sees_audit = policies.can(user, "access.view_audit", event.organiser)
    report = _report_of(event)
    audiences = list(event.audiences.all())
    context: dict[str, Any] = {
        "event": event,
        "report": report,
        "audiences": [audience.name for audience in audiences],
        "co_organisers": list(event.co_organisers.all()),
        "language_names": [
            str(name) for code, name in Event.LANGUAGES if code in event.language_codes
        ],
        "accessibility_names": [
            str(name)
            for code, name in Event.Accessibility.choices
            if code in event.accessibility_codes
        ],
        "breakdown": _breakdown_rows(report, audiences),
        "press_links": report.press_links.split() if report is not None else [],
        "overdue": report_overdue(event),
        "report_days": settings.EVENT_REPORT_DAYS,
        "registrations": registrations,
        "search": search,
        "query": query,
        "query_string": urlencode({"q": query}) if query else "",
        "attachments": list(event.attachments.all()),
        "sees_audit": sees_audit,
        "trail": _page(
            request, audit_trail(object_type="events.Event", object_id=event.pk), "audit"
        )
        if sees_audit
        else None,
        "here": request.get_full_path(),
        **allowed,
    }
    return render(request, "events/detail.html", context)


# --- Registering people and checking them in -------------------------------------------------


@events_view
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    policies.require(request.user, "events.register_people", event)
    form = forms.RegisterForm(
        request.POST or None, initial={"language": translation.get_language() or "kk"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                event=event,
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                consent=form.cleaned_data["consent"],
                language=form.cleaned_data["language"],
                actor=_actor(request),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                text = _("%(name)s is registered; the ticket is sent to them.")
            else:
                text = _("The event is full: %(name)s is on the waiting list.")
            messages.success(request, text % {"name": registration.full_name})
            return redirect(_detail_url(event))
    return render(request, "events/register.html", {"form": form, "event": event})


@require_POST
@events_view
def registration_cancel(request: HttpRequest, pk: int, registration: int) -> HttpResponse:
    event = _event(request, pk)
    policies.require(request.user, "events.register_people", event)
    record = get_object_or_404(Registration, pk=registration, event=event)
    try:
        services.registration_cancel(registration=record, actor=_actor(request))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("The registration of %(name)s has been cancelled.") % {"name": record.full_name},
        )
    return redirect(_next_or(request, _detail_url(event)))


@events_view
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    policies.require(request.user, "events.check_in", event)
    sees_registrations = policies.can(request.user, "events.view_registrations", event)
    # ``scan=1``: the camera was on; the page after the check-in starts it again.
    scanning = (request.POST if request.method == "POST" else request.GET).get("scan") == "1"
    here = reverse("events:check_in", kwargs={"pk": event.pk})
    if scanning:
        here += "?" + urlencode({"scan": "1"})
    form = forms.CheckInForm(request.POST if "code" in request.POST else None, scanning=scanning)
    if request.method == "POST":
        code: str | None = None
        raw_registration = request.POST.get("registration", "")
        if raw_registration.isdigit() and sees_registrations:
            record = get_object_or_404(Registration, pk=int(raw_registration), event=event)
            code = record.ticket_code
        elif form.is_valid():
            code = form.cleaned_data["code"]
        if code is not None:
            try:
                checked = services.registration_check_in(
                    actor=_actor(request), event=event, code=code
                )
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request, _("%(name)s is checked in.") % {"name": checked.full_name}
                )
            return redirect(_next_or(request, here))
        if raw_registration:
            raise Http404
    search = forms.RegistrationSearchForm(request.GET)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    waiting: Page | None = None
    if sees_registrations:
        waiting = _page(
            request,
            _search(
                event.registrations.filter(
                    status=Registration.Status.CONFIRMED, checked_in_at__isnull=True
                ).order_by(collated("full_name"), "id"),
                query,
            ),
        )
    not_yet = services.check_in_not_yet_open(event)
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "form": form,
            "search": search,
            "query": query,
            "query_string": urlencode({"q": query}) if query else "",
            "waiting": waiting,
            "here": request.get_full_path(),
            "scanning": scanning,
            "not_yet_open": not_yet.message if not_yet is not None else None,
            # The result of the last check-in is shown in this page's fixed banner, in view
            # whatever the scroll; not in the page's usual place at the top (``messages``).
            "banner": list(messages.get_messages(request)),
            "messages": (),
        },
    )


# --- Report, attachments and the paper sheet -------------------------------------------------


def _render_report(
    request: HttpRequest,
    event: Event,
    *,
    form: forms.EventReportForm | None = None,
    attachment_form: forms.AttachmentForm | None = None,
) -> HttpResponse:
    report = _report_of(event)
    if form is None:
        form = forms.EventReportForm(
            event=event,
            audiences=list(event.audiences.all()),
            initial=forms.EventReportForm.initial_from(report),
        )
    return render(
        request,
        "events/report.html",
        {
            "event": event,
            "report": report,
            "overdue": report_overdue(event),
            "report_days": settings.EVENT_REPORT_DAYS,
            "due": event.ends_at + datetime.timedelta(days=settings.EVENT_REPORT_DAYS),
            "form": form,
            "attachment_form": attachment_form or forms.AttachmentForm(),
            "attachments": list(event.attachments.all()),
            "started": event.starts_at <= timezone.now(),
        },
    )


@events_view
def report(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    policies.require(request.user, "events.report_event", event)
    if event.status == Event.Status.CANCELLED:
        messages.error(request, _("A cancelled event is not reported."))
        return redirect(_detail_url(event))
    if request.method != "POST":
        return _render_report(request, event)
    form = forms.EventReportForm(request.POST, event=event, audiences=list(event.audiences.all()))
    if form.is_valid():
        try:
            submitted = services.event_report_submit(
                actor=_actor(request),
                event=event,
                held=form.cleaned_data["held"],
                reported_count=form.cleaned_data["reported_count"],
                breakdown=form.breakdown_for_service(),
                outcomes=form.cleaned_data["outcomes"],
                press_links=form.cleaned_data["press_links"],
            )
        except DomainError as error:
            field = error.field
            if field == "breakdown":
                form.add_error(None, str(error.message))
            else:
                show_domain_error(form, error)
        else:
            if submitted.is_late:
                messages.warning(
                    request,
                    _("The report has been saved. It came late and is marked so."),
                )
            else:
                messages.success(request, _("The report has been saved."))
            return redirect(_detail_url(event))
    return _render_report(request, event, form=form)


@csrf_exempt
@events_view
def attachment_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    # The size guard must be in place before the body is read, so the CSRF check (which reads
    # the form) runs just after, in ``_attachment_add``.
    uploads.guard_upload_size(request, uploads.ATTACHMENT_LIMIT)
    return _attachment_add(request, pk)


@csrf_protect
def _attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    policies.require(request.user, "events.report_event", event)
    report_url = reverse("events:report", kwargs={"pk": event.pk})
    if request.method != "POST":
        return redirect(report_url)
    if refused := uploads.refusal_message(request, uploads.ATTACHMENT_LIMIT):
        form = forms.AttachmentForm(request.POST, {})
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
        return _render_report(request, event, attachment_form=form)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=_actor(request),
                event=event,
                uploaded_file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                caption=form.cleaned_data["caption"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The file has been attached."))
            return redirect(report_url + "#attachments")
    return _render_report(request, event, attachment_form=form)


@events_view
def attachment(request: HttpRequest, pk: int, attachment: int) -> HttpResponseBase:
    """Files are served only through here, after the event's scope check: never by MEDIA_URL."""
    event = _event(request, pk)
    record = get_object_or_404(EventAttachment, pk=attachment, event=event)
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    extension = uploads.EXTENSIONS.get(record.content_type, "bin")
    return private_file_response(
        handle,
        content_type=record.content_type,
        inline=record.content_type.startswith("image/"),
        filename=f"event-{event.pk}-{record.pk}.{extension}",
    )


class _SheetUploadGuard(uploads.SizeLimitHandler):
    """The early size guard of a sign-in sheet and its scan: each file stopped past its own
    limit (the sheet: the imports' limit; the scan: the attachments' one)."""

    LIMITS: dict[str, uploads.Limit] = {
        "file": uploads.IMPORT_LIMIT,
        "scan": uploads.ATTACHMENT_LIMIT,
    }

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request, limit=uploads.IMPORT_LIMIT, max_files=len(self.LIMITS))
        self.field = "file"

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        self.field = field_name
        self.limit = self.LIMITS.get(field_name, uploads.IMPORT_LIMIT)
        super().new_file(field_name, *args, **kwargs)

    def _declared_too_large(self, max_bytes: int) -> bool:
        fields = getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None)
        files = sum(uploads.limit_bytes(limit) for limit in self.LIMITS.values())
        return fields is not None and self.declared > files + fields


def _sheet_refusal(request: HttpRequest) -> tuple[str, str] | None:
    """(field, message) when the guard stopped the upload."""
    guard = next((h for h in request.upload_handlers if isinstance(h, _SheetUploadGuard)), None)
    reason = uploads.refusal(request)
    if guard is None or reason is None:
        return None
    if reason == uploads.TOO_MANY:
        message = uploads.refusal_message(request, guard.limit, max_files=guard.max_files)
        return "file", message or ""
    field = guard.field if guard.field in guard.LIMITS else "file"
    return field, uploads.too_large_message(guard.LIMITS[field], split=field == "file")


@csrf_exempt
@events_view
def sheet(request: HttpRequest, pk: int) -> HttpResponseBase:
    # The size guard, placed before the body is read (see attachment_add).
    request.upload_handlers.insert(0, _SheetUploadGuard(request))
    return _sheet(request, pk)


@csrf_protect
def _sheet(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    policies.require(request.user, "events.report_event", event)
    form = forms.SheetForm(request.POST or None, request.FILES or None)
    summary: services.SheetSummary | None = None
    problems: list[str] = []
    if request.method == "POST":
        if refused := _sheet_refusal(request):
            field, message = refused
            form = forms.SheetForm(request.POST, {})
            form.is_valid()
            form.errors.pop("file", None)
            form.errors[field] = form.error_class([message])
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > uploads.limit_bytes(uploads.IMPORT_LIMIT):
                    raise sheets.SheetError(
                        [uploads.too_large_message(uploads.IMPORT_LIMIT, split=True)]
                    )
                rows = sheets.read_sheet(upload.read())
                summary = services.attendance_sheet_record(
                    actor=_actor(request), event=event, rows=rows, scan=form.cleaned_data["scan"]
                )
            except sheets.SheetError as error:
                problems = error.messages
                form.add_error("file", _("Nothing was recorded. Fix the file and upload it again."))
            except uploads.UploadError as error:
                form.add_error("scan", str(error.message))
            except DomainError as error:
                form.add_error("file", str(error.message))
            else:
                event.refresh_from_db()
    return render(
        request,
        "events/sheet.html",
        {
            "event": event,
            "form": form,
            "summary": summary,
            "problems": problems,
            "scan_kept": summary is not None and form.cleaned_data.get("scan") is not None,
        },
    )
