"""iCalendar (RFC 5545) feeds of public events, written by hand: the format is small.

Lines end with CRLF and are folded at 75 octets (never inside a UTF-8 character); text values
escape backslashes, semicolons, commas and newlines; times are in UTC with the ``Z`` suffix.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from birlik.events.models import Event

CRLF = "\r\n"
MAX_OCTETS = 75
PRODUCT = "-//Birlik//Events of the Assembly of People of Kazakhstan//KK"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets (continuations start with a space)."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = " ", 1, MAX_OCTETS
        current += char
        size += width
    pieces.append(current)
    return CRLF.join(pieces)


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "birlik.local"


def _location(event: Event) -> str:
    parts: list[str] = []
    if event.venue_id is not None and event.venue is not None:
        parts.append(str(event.venue.name))
    if event.address:
        parts.append(str(event.address))
    if not parts and event.online_url:
        parts.append(event.online_url)
    return ", ".join(parts)


def _status(event: Event) -> str:
    if event.status == Event.Status.CANCELLED:
        return "CANCELLED"
    if event.status == Event.Status.PLANNED:
        return "TENTATIVE"
    return "CONFIRMED"


def event_lines(event: Event, *, url: str, stamp: datetime.datetime) -> list[str]:
    """The unfolded content lines of one VEVENT."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{_host()}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SUMMARY:{escape_text(str(event.title))}",
    ]
    location = _location(event)
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(str(event.description))}")
    if event.organiser_id is not None:
        lines.append(f"ORGANIZER;CN={_param(str(event.organiser.name))}:{_organiser_uri(event)}")
    lines += [
        f"URL:{url}",
        f"STATUS:{_status(event)}",
        f"LAST-MODIFIED:{utc(event.updated_at)}",
        "END:VEVENT",
    ]
    return lines


def _param(value: str) -> str:
    """A parameter value: quoted, with the characters a quoted value cannot hold removed."""
    cleaned = "".join(ch for ch in value if ch not in '"\r\n' and (ch == "\t" or ch >= " "))
    return f'"{cleaned}"'


def _organiser_uri(event: Event) -> str:
    email = getattr(event.organiser, "email", "") or ""
    return f"mailto:{email}" if email else f"mailto:noreply@{_host()}"


def calendar(events: Iterable[Event], *, name: str, url_of: Callable[[Event], str]) -> str:
    """A whole VCALENDAR document; ``url_of(event)`` gives the absolute page address."""
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    for event in events:
        lines += event_lines(event, url=url_of(event), stamp=stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
