"""The public side of events: the calendar, an event's page with registration, tickets, iCal.

Citizens register without an account; the ticket code in the link is their only key, so the
ticket page shows nothing of anyone else and is kept out of search engines and caches.
"""

from __future__ import annotations

import calendar as std_calendar
import datetime
import mimetypes
from dataclasses import dataclass
from typing import Any, cast

import segno
from babel.dates import format_date, get_day_names
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from birlik.access.models import User
from birlik.core import ratelimit
from birlik.core.listing import keyset_page
from birlik.core.private_files import private_page
from birlik.core.templatetags.birlik_format import LOCALES
from birlik.events import queries
from birlik.events.models import Event, Registration
from birlik.events.services import RegistrationError, registration_cancel, registration_create

from . import ical
from .events_forms import MONTH, CalendarForm, RegistrationForm, month_shown

FEED_LIMIT = 500
# The calendar's first pages keep ?page=N links (addresses people share); deeper ones go on by
# cursor.
CALENDAR_NUMBERED_PAGES = 20
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
CANNOT_CANCEL = gettext_lazy("This registration can no longer be cancelled.")


@dataclass(frozen=True)
class Badge:
    code: str
    label: str


@dataclass(frozen=True)
class Item:
    """An event as one line of a list, with the status badge that line shows."""

    event: Event
    badge: Badge


def badge(event: Event) -> Badge:
    """What a visitor needs to know at a glance: cancelled, full, open or already held."""
    if event.status == Event.Status.CANCELLED:
        return Badge("cancelled", _("Cancelled"))
    if event.status in (Event.Status.HELD, Event.Status.REPORTED):
        return Badge("held", _("Held"))
    if event.ends_at <= timezone.now():
        return Badge("over", _("Over"))
    if event.status == Event.Status.OPEN and event.registration_required:
        if event.places_left == 0:
            return Badge("full", _("Full: waiting list"))
        return Badge("open", _("Registration open"))
    if not event.registration_required:
        return Badge("free", _("Free entry, no registration"))
    return Badge("planned", _("Registration opens later"))


def items(events: Any) -> list[Item]:
    return [Item(event=event, badge=badge(event)) for event in events]


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- Calendar ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A link offered when no event matches: what to change, and the calendar without it."""

    text: str
    url: str


def _suggestions(
    form: CalendarForm, kept: dict[str, str], filters: dict[str, Any]
) -> list[Suggestion]:
    """One link per filter in use (the same search without it), then the following month."""
    base = reverse("portal:events")

    def url(values: dict[str, str]) -> str:
        return f"{base}?{urlencode(values)}" if values else base

    shown = [key for key in kept if key != "organiser" and key not in PERIOD_KEYS]
    suggestions = [
        Suggestion(
            _("Clear the filter “%(filter)s”") % {"filter": form.fields[key].label},
            url({k: v for k, v in kept.items() if k != key}),
        )
        for key in shown
    ]
    last = filters["date_to"] or filters["date_from"]
    if last is not None:
        start = last + datetime.timedelta(days=1)
        end = start + datetime.timedelta(days=30)
        suggestions.append(
            Suggestion(
                _("Look at the next month: %(start)s – %(end)s")
                % {"start": start.strftime("%d.%m.%Y"), "end": end.strftime("%d.%m.%Y")},
                url({**kept, "date_from": start.isoformat(), "date_to": end.isoformat()}),
            )
        )
    return suggestions


# Values of the query string that choose how and when, not what: not counted as filters.
PERIOD_KEYS = ("view", "month", "date_from", "date_to")
# Events of a day the month grid names; "+N more" links to that day's list.
MONTH_SHOWN_PER_DAY = 3
# How a day is written above its events in the phone agenda (weekdays lowercase: glossary 7).
AGENDA_DAY_PATTERNS = {"en_GB": "EEEE d MMMM"}


def _events_url(values: dict[str, str]) -> str:
    base = reverse("portal:events")
    return f"{base}?{urlencode(values)}" if values else base


def _month_url(filters: dict[str, str], month: datetime.date | None) -> str:
    values = {**filters, "view": MONTH}
    if month is not None:
        values["month"] = month.strftime("%Y-%m")
    return _events_url(values)


def _common(form: CalendarForm, kept: dict[str, str]) -> dict[str, Any]:
    """What both views show: the form, the filters in use and the feed of the same events."""
    # The month is where the grid is, not a filter; the list's dates are filters.
    chosen = {key: value for key, value in kept.items() if key not in ("view", "month")}
    return {
        "form": form,
        "organiser": form.filters()["organiser"],
        "filtered": bool(chosen),
        # Filters chosen in the form (the organiser comes from a body's page, not the form).
        "active_filters": len([key for key in chosen if key != "organiser"]),
        "feed_url": reverse("portal:events_ical") + (f"?{urlencode(chosen)}" if chosen else ""),
        "invalid": bool(form.errors),
    }


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    form = CalendarForm(request.GET)
    if form.month_view:
        return _calendar_month(request, form)
    filters = form.filters()
    events = queries.calendar_events(**filters)
    kept = form.understood()
    # Keyset pages on the start index: page 200 costs what page 1 costs, the count stops at a
    # thousand; the first pages keep their ?page=N addresses.
    page = keyset_page(
        request,
        events,
        order=queries.CALENDAR_ORDER,
        query=urlencode(kept),
        numbered_pages=CALENDAR_NUMBERED_PAGES,
    )
    dated = filters["date_from"] is not None or filters["date_to"] is not None
    shown_items = items(page.object_list)
    # The month view keeps the filters; it shows the month the list's period starts in.
    chosen = {key: value for key, value in kept.items() if key not in PERIOD_KEYS}
    return render(
        request,
        "portal/events/calendar.html",
        {
            **_common(form, kept),
            "page": page,
            "items": shown_items,
            "suggestions": [] if shown_items else _suggestions(form, kept, filters),
            "dated": dated,
            "list_url": _events_url(kept),
            "month_url": _month_url(chosen, filters["date_from"]),
            "clear_url": reverse("portal:events"),
        },
    )


# --- The month view ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    """A cell of the month grid (and, when it has events, a day of the phone agenda)."""

    day: datetime.date
    label: str
    in_month: bool
    today: bool
    items: list[Item]
    total: int
    url: str

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _locale() -> str:
    return LOCALES.get((get_language() or "kk").split("-")[0], "kk_KZ")


def month_title(first: datetime.date) -> str:
    """«Желтоқсан 2026», «Декабрь 2026», "December 2026": the stand-alone (nominative) month
    name with a capital, as a heading writes it; the year is never grouped."""
    title = str(format_date(first, "LLLL y", locale=_locale()))
    return title[:1].upper() + title[1:]


def _shift(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_link(filters: dict[str, str], month: datetime.date) -> dict[str, str] | None:
    """A link to a month around the one shown; none past the months the view goes to."""
    if not month_shown(month):
        return None
    return {"url": _month_url(filters, month), "title": month_title(month)}


def _calendar_month(request: HttpRequest, form: CalendarForm) -> HttpResponse:
    """The month as a grid, Monday first (the kk/ru week); on a phone, as an agenda (CSS)."""
    first = form.first_of_month()
    filters = form.filters()
    kept = form.understood()
    chosen = {key: value for key, value in kept.items() if key not in PERIOD_KEYS}
    days = queries.calendar_month(
        first=first,
        shown_per_day=MONTH_SHOWN_PER_DAY,
        **{key: value for key, value in filters.items() if key not in ("date_from", "date_to")},
    )
    locale = _locale()
    pattern = AGENDA_DAY_PATTERNS.get(locale, "d MMMM, EEEE")
    today = timezone.localdate()

    def cell(day: datetime.date) -> Day:
        found = days.get(day)
        iso = day.isoformat()
        return Day(
            day=day,
            label=str(format_date(day, pattern, locale=locale)),
            in_month=day.month == first.month,
            today=day == today,
            items=items(found.events) if found else [],
            total=found.total if found else 0,
            url=_events_url({**chosen, "date_from": iso, "date_to": iso}),
        )

    weeks = [
        [cell(day) for day in week]
        for week in std_calendar.Calendar(firstweekday=0).monthdatescalendar(
            first.year, first.month
        )
    ]
    previous, following = _shift(first, -1), _shift(first, 1)
    last = following - datetime.timedelta(days=1)
    names = get_day_names("abbreviated", context="stand-alone", locale=locale)
    full_names = get_day_names("wide", context="stand-alone", locale=locale)
    total = sum(day.total for day in days.values())
    suggestions = []
    if not total:
        suggestions = [
            Suggestion(
                _("Clear the filter “%(filter)s”") % {"filter": form.fields[key].label},
                _month_url({k: v for k, v in chosen.items() if k != key}, first),
            )
            for key in chosen
            if key != "organiser"
        ]
        if month_shown(following):
            suggestions.append(
                Suggestion(
                    _("Look at the next month: %(month)s") % {"month": month_title(following)},
                    _month_url(chosen, following),
                )
            )
    return render(
        request,
        "portal/events/calendar_month.html",
        {
            **_common(form, kept),
            "month_view": True,
            "month": first,
            "month_title": month_title(first),
            "weekdays": [(names[index], full_names[index]) for index in range(7)],
            "weeks": weeks,
            "agenda": [day for week in weeks for day in week if day.in_month and day.total],
            "total": total,
            "previous": _month_link(chosen, previous),
            "next": _month_link(chosen, following),
            "suggestions": suggestions,
            "list_url": _events_url(
                {**chosen, "date_from": first.isoformat(), "date_to": last.isoformat()}
            ),
            "month_url": _month_url(chosen, first),
            "clear_url": _month_url({}, first),
        },
    )


def events_ical(request: HttpRequest) -> HttpResponse:
    form = CalendarForm(request.GET)
    events = list(queries.calendar_events(**form.filters())[:FEED_LIMIT])
    return _ical_response(events, name=_("Events of the Assembly of People of Kazakhstan"))


def event_ical(request: HttpRequest, pk: int) -> HttpResponse:
    event = queries.public_events().filter(pk=pk).first()
    if event is None:
        raise Http404(_("There is no event with this number."))
    return _ical_response([event], name=str(event.title), filename=f"event-{pk}.ics")


def _ical_response(events: list[Event], *, name: str, filename: str = "") -> HttpResponse:
    body = ical.calendar(
        events,
        name=name,
        url_of=lambda event: _absolute(reverse("portal:event", kwargs={"pk": event.pk})),
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- An event's page and registration ----------------------------------------------------------


def _registration_open(event: Event) -> bool:
    return (
        event.status == Event.Status.OPEN
        and event.registration_required
        and event.ends_at > timezone.now()
    )


@require_http_methods(["GET", "POST"])
def event(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.event_detail(pk)
    if item is None:
        raise Http404(_("There is no event with this number."))
    is_open = _registration_open(item)
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("Registration for this event is closed."))
            status = 400
        elif ratelimit.limited(request, "events-register", rate="RATE_EVENT_REGISTRATIONS"):
            form.add_error(
                None,
                _(
                    "Too many registrations were sent from your connection. "
                    "Please try again in an hour."
                ),
            )
            status = 429
        elif form.is_valid():
            try:
                registration = registration_create(
                    event=item,
                    full_name=form.cleaned_data["full_name"],
                    phone=form.cleaned_data["phone"],
                    email=form.cleaned_data["email"],
                    consent=form.cleaned_data["consent"],
                    language=(get_language() or "kk").split("-")[0],
                    user=cast(User, request.user) if request.user.is_authenticated else None,
                )
            except RegistrationError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, str(error.message))
            else:
                return redirect("portal:ticket", code=registration.ticket_code)
        if form.errors and status == 200:
            status = 400
    shown = item.status in queries.SHOWN_AFTER
    report = getattr(item, "report", None) if shown else None
    return render(
        request,
        "portal/events/event.html",
        {
            "event": item,
            "badge": badge(item),
            "co_organisers": list(item.co_organisers.all()),
            "audiences": list(item.audiences.all()),
            "languages": _language_names(item),
            "accessibility": _accessibility_names(item),
            "report": report,
            "photos": list(getattr(item, "photos", [])) if shown else [],
            "form": form if is_open else None,
            "is_open": is_open,
            "is_over": item.ends_at <= timezone.now(),
        },
        status=status,
    )


def _language_names(item: Event) -> list[str]:
    names = dict(Event.LANGUAGES)
    return [str(names[code]) for code in item.language_codes if code in names]


def _accessibility_names(item: Event) -> list[str]:
    names = dict(Event.Accessibility.choices)
    return [str(names[code]) for code in item.accessibility_codes if code in names]


@require_GET
def event_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = queries.public_photo(pk)
    if photo is None:
        raise Http404(_("There is no photo with this number."))
    content_type = photo.content_type or mimetypes.guess_type(photo.file.name or "")[0] or ""
    if content_type not in PHOTO_TYPES:
        raise Http404(_("There is no photo with this number."))
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("There is no photo with this number.")) from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- Tickets -------------------------------------------------------------------------------


def _ticket_or_404(code: str) -> Registration:
    registration = queries.ticket(code)
    if registration is None:
        raise Http404(_("There is no ticket with this code."))
    return registration


def qr_svg(code: str) -> SafeString:
    """The ticket code as an inline SVG QR code (drawn here: no image service, no network)."""
    label = escape(_("QR code of the ticket: %(code)s") % {"code": code})
    svg: str = segno.make(code, error="m", micro=False).svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="qr", omitsize=True
    )
    # segno's output is markup built from the code's modules only; the label is escaped.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308


def _can_cancel(registration: Registration) -> bool:
    event = registration.event
    return (
        registration.status != Registration.Status.CANCELLED
        and registration.checked_in_at is None
        and event.status in (Event.Status.OPEN, Event.Status.PLANNED)
        and event.ends_at > timezone.now()
    )


@never_cache
@require_GET
def ticket(request: HttpRequest, code: str) -> HttpResponse:
    registration = _ticket_or_404(code)
    return private_page(
        render(
            request,
            "portal/events/ticket.html",
            {
                "registration": registration,
                "event": registration.event,
                "position": queries.waitlist_position(registration),
                "qr": qr_svg(registration.ticket_code)
                if registration.status == Registration.Status.CONFIRMED
                else None,
                "can_cancel": _can_cancel(registration),
            },
        ),
        has_form=_can_cancel(registration),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def ticket_cancel(request: HttpRequest, code: str) -> HttpResponse:
    registration = _ticket_or_404(code)
    if not _can_cancel(registration):
        messages.error(request, CANNOT_CANCEL)
        return redirect("portal:ticket", code=registration.ticket_code)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            registration_cancel(registration=registration)
        except RegistrationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request, _("Your registration is cancelled. Thank you for telling us.")
            )
        return redirect("portal:ticket", code=registration.ticket_code)
    return private_page(
        render(
            request,
            "portal/events/ticket_cancel.html",
            {"registration": registration, "event": registration.event},
        ),
        has_form=True,
    )
