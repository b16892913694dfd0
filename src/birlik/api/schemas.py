"""The shapes of the API: what goes in and what comes out (public fields only on public reads)."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import AfterValidator

from birlik.appeals.models import Appeal
from birlik.events.models import Event

MAX_PAGE = 100
DEFAULT_PAGE = 25

Language = Literal["kk", "ru", "en"]


def _in_utc(value: datetime.datetime) -> datetime.datetime:
    """A moment given with any UTC offset, held in UTC (the database keeps offsets only within
    ±16 hours); a moment with no offset is read later in the platform's time zone."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError(gettext("This moment is out of range.")) from None


Moment = Annotated[datetime.datetime, AfterValidator(_in_utc)]


class PageQuery(Schema):
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="Rows per page (at most 100).")
    offset: int = Field(0, ge=0, le=10_000_000, description="Rows to skip.")


class Names(Schema):
    kk: str
    ru: str
    en: str


class Ref(Schema):
    id: int
    name: str


# --- Territory and kinds --------------------------------------------------------------------------


class RegionOut(Schema):
    iso: str = Field(description="ISO 3166-2:KZ code, e.g. KZ-55")
    kato: str
    name: str
    kind: str
    centre: str


class DistrictOut(Schema):
    kato: str
    name: str
    kind: str
    region: str = Field(description="ISO code of the region")


class KindOut(Schema):
    code: str
    name: str
    name_plural: str
    level: str
    description: str


class ProgrammeOut(Schema):
    code: str
    name: str
    description: str
    is_active: bool


# --- Bodies -------------------------------------------------------------------------------------


class BodyQuery(PageQuery):
    q: str = Field("", max_length=100, description="Words of the name (any language).")
    region: str | None = Field(None, max_length=5, description="ISO code of the region.")
    district: str | None = Field(None, max_length=9, description="KATO code of the district.")
    kind: str | None = Field(None, max_length=50, description="Code of the kind of body.")
    parent: int | None = Field(None, ge=1, description="Bodies directly under this body.")
    status: Literal["active", "closed"] | None = None


class BodyOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    status: str
    region: str | None
    district: str | None
    address: str
    closed_on: datetime.date | None
    url: str


class BodyPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BodyOut]


class RoleCount(Schema):
    role: str
    label: str
    value: int


class EthnicGroupOut(Schema):
    code: str
    name: str


class OpeningInterval(Schema):
    weekday: int = Field(ge=0, le=6, description="Day of the week: 0 is Monday, 6 is Sunday.")
    opens: str = Field(description="Local time (Asia/Almaty), HH:MM.", examples=["09:00"])
    closes: str = Field(description="Local time (Asia/Almaty), HH:MM.", examples=["18:00"])


class BodyDetail(BodyOut):
    names: Names
    description: str
    phone: str
    email: str
    website: str
    founded_on: datetime.date | None
    parent: Ref | None
    ethnic_groups: list[EthnicGroupOut]
    members_by_role: list[RoleCount] = Field(description="People holding a term today: counts.")
    opening_hours: list[OpeningInterval] = Field(
        description="The usual week, Monday first; a day may have several intervals (a lunch "
        "break); a day without any is closed. Empty: not recorded."
    )
    opening_hours_note: str = Field(description="A note on the hours, in the language asked for.")
    open_on_public_holidays: bool


# --- Events -------------------------------------------------------------------------------------


class EventQuery(PageQuery):
    region: str | None = Field(None, max_length=5, description="ISO code of the region.")
    body: int | None = Field(None, ge=1, description="Organised or co-organised by this body.")
    kind: Event.Kind | None = None
    programme: str | None = Field(None, max_length=50, description="Code of the programme.")
    date_from: datetime.date | None = Field(None, description="Events ending on or after.")
    date_to: datetime.date | None = Field(None, description="Events starting on or before.")
    updated_since: Moment | None = Field(None, description="Changed at or after.")


class EventOut(Schema):
    id: int
    title: str
    kind: str
    kind_name: str
    format: str
    status: str
    organiser: Ref
    region: str
    district: str | None
    programme: str | None
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    languages: list[str]
    address: str
    online_url: str
    registration_required: bool
    capacity: int | None
    places_left: int | None
    participants: int | None = Field(description="Counted participants once held, else null.")
    updated_at: datetime.datetime
    url: str


class EventPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EventOut]


class EventDetail(EventOut):
    titles: Names
    description: str
    venue: Ref | None
    co_organisers: list[Ref]
    audiences: list[str]
    accessibility: list[str]
    outcomes: str


class EventIn(Schema):
    organiser: int = Field(ge=1, description="Id of the organising body (in the token's area).")
    title_kk: str = Field("", max_length=300)
    title_ru: str = Field("", max_length=300)
    title_en: str = Field("", max_length=300)
    description_kk: str = Field("", max_length=20_000)
    description_ru: str = Field("", max_length=20_000)
    description_en: str = Field("", max_length=20_000)
    kind: Event.Kind
    format: Event.Format = Event.Format.IN_PERSON
    region: str | None = Field(None, max_length=5, description="ISO code; the body's by default.")
    district: str | None = Field(None, max_length=9, description="KATO code.")
    venue: int | None = Field(None, ge=1, description="Id of a body hosting the event.")
    address_kk: str = Field("", max_length=300)
    address_ru: str = Field("", max_length=300)
    address_en: str = Field("", max_length=300)
    online_url: str = Field("", max_length=200)
    starts_at: Moment
    ends_at: Moment
    languages: list[Language] = Field(min_length=1, max_length=3)
    accessibility: list[Event.Accessibility] = Field(default_factory=list, max_length=6)
    capacity: int | None = Field(None, ge=1, le=1_000_000)
    registration_required: bool = True
    programme: str | None = Field(None, max_length=50, description="Code of the programme.")
    audiences: list[str] = Field(default_factory=list, max_length=20)
    co_organisers: list[int] = Field(default_factory=list, max_length=20)
    publish: bool = Field(False, description="Open for registration at once.")


class EventPatch(Schema):
    title_kk: str | None = Field(None, max_length=300)
    title_ru: str | None = Field(None, max_length=300)
    title_en: str | None = Field(None, max_length=300)
    description_kk: str | None = Field(None, max_length=20_000)
    description_ru: str | None = Field(None, max_length=20_000)
    description_en: str | None = Field(None, max_length=20_000)
    kind: Event.Kind | None = None
    format: Event.Format | None = None
    region: str | None = Field(None, max_length=5)
    district: str | None = Field(None, max_length=9)
    venue: int | None = Field(None, ge=1)
    address_kk: str | None = Field(None, max_length=300)
    address_ru: str | None = Field(None, max_length=300)
    address_en: str | None = Field(None, max_length=300)
    online_url: str | None = Field(None, max_length=200)
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    languages: list[Language] | None = Field(None, min_length=1, max_length=3)
    accessibility: list[Event.Accessibility] | None = Field(None, max_length=6)
    capacity: int | None = Field(None, ge=1, le=1_000_000)
    registration_required: bool | None = None
    programme: str | None = Field(None, max_length=50)
    audiences: list[str] | None = Field(None, max_length=20)
    co_organisers: list[int] | None = Field(None, max_length=20)


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


class CheckInIn(Schema):
    code: str = Field(min_length=1, max_length=32, description="The ticket code.")


class CheckInOut(Schema):
    registration: int
    status: str
    checked_in_at: datetime.datetime
    attended: int = Field(description="People checked in at the event so far.")


class SheetRowIn(Schema):
    full_name: str = Field(min_length=1, max_length=200)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)


class SheetIn(Schema):
    rows: list[SheetRowIn] = Field(min_length=1, max_length=5000)


class SheetOut(Schema):
    checked_in: int
    already_counted: int
    added: int
    participants: int


class ReportIn(Schema):
    held: bool
    reported_count: int = Field(0, ge=0, le=1_000_000)
    outcomes: str = Field("", max_length=20_000)
    press_links: str = Field("", max_length=5_000)


class ReportOut(Schema):
    event: int
    held: bool
    reported_count: int
    participants: int
    is_late: bool


# --- Appeals (the register: never the applicant or the text) -----------------------------------


class AppealQuery(PageQuery):
    status: Appeal.Status | None = None
    body: int | None = Field(None, ge=1, description="Appeals to this body and those below it.")


class AppealOut(Schema):
    id: int
    number: str
    kind: str
    channel: str
    status: str
    body: Ref
    received_at: datetime.datetime
    due_date: datetime.date
    effective_due: datetime.date
    extended_until: datetime.date | None
    answered_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class AppealPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AppealOut]


class AnswerIn(Schema):
    text: str = Field(min_length=1, max_length=20_000, description="In the appeal's language.")


class ExtendIn(Schema):
    until: datetime.date
    reason: str = Field(min_length=1, max_length=1_000)


class CloseIn(Schema):
    reason: str = Field("", max_length=1_000)


# --- Indicators ---------------------------------------------------------------------------------


class IndicatorOut(Schema):
    key: str
    name: str
    unit: str
    dimensions: list[str]
    description: str


class PeriodQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="A calendar year.")
    date_from: datetime.date | None = Field(None, description="Start of the period (with date_to).")
    date_to: datetime.date | None = Field(None, description="End of the period (with date_from).")
    region: str | None = Field(None, max_length=5, description="ISO code of the region.")


class FiguresQuery(PeriodQuery):
    indicators: str = Field(
        "", max_length=2000, description="Keys between commas (default: every indicator)."
    )


class Period(Schema):
    start: datetime.date
    end: datetime.date


class Row(Schema):
    dimensions: dict[str, str]
    labels: dict[str, str]
    value: int | float | None


class IndicatorValues(IndicatorOut):
    total: int | float | None
    rows: list[Row]


class Figures(Schema):
    period: Period
    region: str | None
    indicators: list[IndicatorValues]
