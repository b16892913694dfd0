"""Events, programmes, registrations, attendance and reports: the activity of the network.

Participants are counted from records: an attended registration counts once (its
``participant_key`` stops the same person being counted twice at one event), and an event held
without online registration carries the organiser's reported count of the people not
registered online. ``Event.participants_total`` is the maintained rollup the figures sum.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birlik.core.text import search_key
from birlik.geo.models import District, Region
from birlik.registry.models import Organisation

TITLE_LANGUAGES = ("kk", "ru", "en")
TITLE_FIELDS = frozenset({"title", *(f"title_{language}" for language in TITLE_LANGUAGES)})


class Programme(models.Model):
    """A programme or project of the Assembly (data: admins add them without a release).

    Bodies join it (``ProgrammeMembership``), partners outside the Assembly take part in it
    (``ProgrammePartner``), the national plan sets yearly targets for it per region, and its
    public page (``is_public``) shows its figures."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("programme")
        YOUTH_PROJECT = "youth_project", _("youth project")
        LANGUAGE = "language", _("language programme")
        CULTURE = "culture", _("culture and arts")
        SPORTS = "sports", _("sports")
        PREVENTION = "prevention", _("prevention")
        SOCIAL = "social", _("social project")
        EDUCATION = "education", _("education and training")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveIntegerField(_("sort order"), default=1000)
    # --- (programmes): what makes a programme a thing bodies join
    kind = models.CharField(
        _("kind of programme"), max_length=20, choices=Kind.choices, default=Kind.PROGRAMME
    )
    goal = models.TextField(_("goal"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_programmes",
        verbose_name=_("body in charge"),
        help_text=_("Usually the Secretariat of the Assembly."),
    )
    first_year = models.PositiveSmallIntegerField(_("active from (year)"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(
        _("active until (year)"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the programme runs."),
    )
    is_public = models.BooleanField(
        _("public page"),
        default=True,
        help_text=_("Show the programme and its figures on the portal."),
    )

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True)
                | Q(first_year__isnull=True)
                | Q(last_year__gte=F("first_year")),
                name="programme_years_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def active_in(self, year: int) -> bool:
        """Whether the programme ran in ``year`` (by its years; no year given is no limit)."""
        return (self.first_year is None or self.first_year <= year) and (
            self.last_year is None or year <= self.last_year
        )


class Audience(models.Model):
    """A category of participants an event is meant for (youth, elderly, schools…)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("sort order"), default=1000)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        FESTIVAL = "festival", _("festival")
        TRAINING = "training", _("training")
        COURSE = "course", _("course")
        CONCERT = "concert", _("concert")
        SPORTS = "sports", _("sports event")
        PREVENTION_TALK = "prevention_talk", _("prevention talk")
        CONSULTATION = "consultation", _("consultation")
        VOLUNTEERING = "volunteering", _("volunteering")
        EXHIBITION = "exhibition", _("exhibition")
        ROUND_TABLE = "round_table", _("round table")
        COMPETITION = "competition", _("competition")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")
        MIXED = "mixed", _("in person and online")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        OPEN = "open", _("open for registration")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")
        REPORTED = "reported", _("reported")

    class Accessibility(models.TextChoices):
        STEP_FREE = "step_free", _("step-free access")
        SIGN_LANGUAGE = "sign_language", _("sign language interpreter")
        HEARING_LOOP = "hearing_loop", _("hearing loop")
        EASY_READ = "easy_read", _("easy-read materials")
        ACCESSIBLE_TOILET = "accessible_toilet", _("accessible toilet")
        SEATS_RESERVED = "seats_reserved", _("seats reserved for people with disabilities")

    LANGUAGES = (("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English")))

    organiser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="events", verbose_name=_("organiser")
    )
    co_organisers = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="co_organised_events",
        verbose_name=_("co-organisers"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind of event"), max_length=20, choices=Kind.choices)
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="events", verbose_name=_("region")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("district"),
    )
    venue = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("venue (a body's premises)"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="events", verbose_name=_("audience")
    )
    # Codes between commas (",kk,ru,") so one indexed LIKE filters on SQLite and PostgreSQL.
    languages = models.CharField(_("languages"), max_length=20, default=",kk,")
    accessibility = models.CharField(_("accessibility"), max_length=200, blank=True, default="")
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_required = models.BooleanField(_("registration online"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    confirmed_count = models.PositiveIntegerField(default=0, editable=False)
    waitlist_count = models.PositiveIntegerField(default=0, editable=False)
    attended_count = models.PositiveIntegerField(default=0, editable=False)
    reported_count = models.PositiveIntegerField(default=0, editable=False)
    participants_total = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the portal's text search matches: the kk/ru/en titles folded and in Latin spelling
    # (``core.text.search_key``, as the directory's bodies), kept by ``save``.
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["region", "starts_at"]),
            models.Index(fields=["organiser", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["programme", "starts_at"]),
            # integrations poll "what changed since" (API filter updated_since)
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(confirmed_count__lte=F("capacity")),
                name="event_no_overbooking",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Bulk inserts (the demo) call ``refresh_search_text`` themselves; a save of some
        # fields (the counters) leaves the key alone unless a title is among them.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or TITLE_FIELDS & set(update_fields):
            self.refresh_search_text()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        self.search_text = search_key(
            *(getattr(self, f"title_{language}", "") or "" for language in TITLE_LANGUAGES)
        )

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def accessibility_codes(self) -> list[str]:
        return [code for code in self.accessibility.split(",") if code]

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def is_counted(self) -> bool:
        return self.status in {self.Status.HELD, self.Status.REPORTED}


def _ticket_code() -> str:
    return secrets.token_urlsafe(16)


class Registration(models.Model):
    """A citizen's place at an event, with or without an account."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    class Source(models.TextChoices):
        ONLINE = "online", _("registered online")
        STAFF = "staff", _("registered by staff")
        PAPER = "paper", _("paper sign-in sheet")

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # A keyed digest of the phone or e-mail: one place per person and event.
    participant_key = models.CharField(max_length=64, editable=False)
    user = models.ForeignKey(
        "access.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    language = models.CharField(_("language"), max_length=2, default="kk")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ONLINE
    )
    ticket_code = models.CharField(max_length=32, unique=True, default=_ticket_code, editable=False)
    consent_given_at = models.DateTimeField(_("consent given at"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["event", "status", "created_at"]),
            models.Index(fields=["participant_key"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant_key"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.event}"


class EventReport(models.Model):
    """What the organiser reports after the event."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="report", verbose_name=_("event")
    )
    held = models.BooleanField(_("the event was held"), default=True)
    # People not registered online (paper sheets, counted at the door): added to attended ones.
    reported_count = models.PositiveIntegerField(_("participants not registered online"), default=0)
    breakdown = models.JSONField(_("breakdown by audience"), default=dict, blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    press_links = models.TextField(_("press links"), blank=True)
    submitted_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    is_late = models.BooleanField(_("submitted late"), default=False)

    class Meta:
        verbose_name = _("event report")
        verbose_name_plural = _("event reports")

    def __str__(self) -> str:
        return str(self.event)


class EventAttachment(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        DOCUMENT = "document", _("document")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="events/%Y/%m/")
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.caption or str(self.file.name)


class EventMonthFigure(models.Model):
    """The rollup the dashboards read: events held and their participants per month (Almaty
    time), region of the event and kind of the organising body. Kept by ``events.services``
    (each write that changes a figure recounts its month and region) and rebuilt whole by
    ``event_figures_rebuild`` (the demo, the benchmark, the nightly job)."""

    month = models.DateField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    kind = models.ForeignKey(
        "registry.OrganisationKind", on_delete=models.CASCADE, null=True, related_name="+"
    )
    events = models.PositiveIntegerField(default=0)
    participants = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region", "kind"], name="events_month_figure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id} {self.kind_id}: {self.events}"


class EventFiguresBuilt(models.Model):
    """Present once the rollup has been built: until then the figures count the events."""

    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.built_at:%Y-%m-%d %H:%M}"


# The Assembly of People of Kazakhstan was founded in 1995: no figure of the network is older.
FOUNDING_YEAR = 1995


class HistoricalFigure(models.Model):
    """A year's total of events and participants of one body (and programme) from the records
    kept before Birlik, imported from a spreadsheet. It has no month: the figures add it to a
    period that covers its whole year, and mark it as an imported total."""

    year = models.PositiveSmallIntegerField(_("year"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="historical_figures",
        verbose_name=_("body"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="historical_figures",
        verbose_name=_("programme"),
    )
    events_count = models.PositiveIntegerField(_("events held"))
    participants = models.PositiveBigIntegerField(_("participants"), default=0)
    source = models.CharField(_("source file"), max_length=255, blank=True)
    imported_by = models.ForeignKey(
        "access.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["-year", "organisation_id", "programme_id"]
        verbose_name = _("historical figure")
        verbose_name_plural = _("historical figures")
        indexes = [models.Index(fields=["year", "organisation"])]
        constraints = [
            # NULL never equals NULL in a unique index: the rows without a programme need their
            # own partial constraint (the same on SQLite and PostgreSQL).
            models.UniqueConstraint(
                fields=["year", "organisation", "programme"],
                condition=Q(programme__isnull=False),
                name="historical_figure_unique",
            ),
            models.UniqueConstraint(
                fields=["year", "organisation"],
                condition=Q(programme__isnull=True),
                name="historical_figure_unique_no_programme",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FOUNDING_YEAR), name="historical_figure_year_founded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.organisation_id} {self.programme_id or '-'}: {self.events_count}"


# --- (programmes): bodies that join programmes, and the programmes' partners -----------------


class ProgrammeMembership(models.Model):
    """A body taking part in a programme from ``joined_on`` until ``left_on`` (inclusive).

    A body is in a programme once at a time: the database refuses a second open membership;
    after leaving, it may join again (a new row, the history kept)."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("programme"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programme_memberships",
        verbose_name=_("body"),
    )
    joined_on = models.DateField(_("taking part since"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    joined_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    left_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["programme", "organisation__path", "-joined_on"]
        verbose_name = _("body taking part in a programme")
        verbose_name_plural = _("bodies taking part in programmes")
        indexes = [
            models.Index(fields=["programme", "joined_on"]),
            models.Index(fields=["organisation", "programme"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"],
                condition=Q(left_on__isnull=True),
                name="programme_membership_once_at_a_time",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="programme_membership_left_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.organisation_id} {self.joined_on}"

    @property
    def is_open(self) -> bool:
        return self.left_on is None


class PartnerOrganisation(models.Model):
    """An organisation outside the Assembly that takes part in programmes (state bodies come
    from the appeals' catalogue instead)."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        AKIMAT = "akimat", _("akimat")
        NGO = "ngo", _("non-governmental organisation")
        BUSINESS = "business", _("business")
        INTERNATIONAL = "international", _("international organisation")
        MEDIA = "media", _("media")
        UNIVERSITY = "university", _("university")
        OTHER = "other", _("other organisation")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name


class ProgrammePartner(models.Model):
    """A partner of a programme: a state body of the catalogue or an outside organisation, with
    its role and the dates of the partnership."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="partners", verbose_name=_("programme")
    )
    state_body = models.ForeignKey(
        "appeals.StateBody",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_partnerships",
        verbose_name=_("state body"),
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the programme"), max_length=300, blank=True)
    starts_on = models.DateField(_("partner since"), null=True, blank=True)
    ends_on = models.DateField(_("partner until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["programme", "starts_on", "id"]
        verbose_name = _("programme partner")
        verbose_name_plural = _("programme partners")
        constraints = [
            models.CheckConstraint(
                condition=(Q(state_body__isnull=False) & Q(organisation__isnull=True))
                | (Q(state_body__isnull=True) & Q(organisation__isnull=False)),
                name="programme_partner_one_party",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="programme_partner_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.state_body or self.organisation or "")

    @property
    def party(self) -> Any:
        return self.state_body if self.state_body_id else self.organisation


# --- Rollups of the figures (kept by ``events.services``, rebuilt by ``birlik rollups``) --------


class EventFigure(models.Model):
    """Events held and their participants per month (Almaty), region, district, kind of the
    organising body, programme and kind of event: every dimension of the events' indicators but
    the audience (``EventAudienceFigure``). Recounted with ``EventMonthFigure`` for each
    (month, region) a write touches."""

    month = models.DateField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, related_name="+")
    kind = models.ForeignKey(
        "registry.OrganisationKind", on_delete=models.CASCADE, null=True, related_name="+"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, null=True, related_name="+")
    event_kind = models.CharField(max_length=20)
    events = models.PositiveIntegerField(default=0)
    participants = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "region"], name="events_figure_month_region")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id} {self.event_kind}: {self.events}"


class EventAudienceFigure(models.Model):
    """Events held and their participants per month, region, audience (none: no audience given),
    programme and kind of event: an event with several audiences is in several rows."""

    month = models.DateField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    audience = models.ForeignKey(Audience, on_delete=models.CASCADE, null=True, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, null=True, related_name="+")
    event_kind = models.CharField(max_length=20)
    events = models.PositiveIntegerField(default=0)
    participants = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "region"], name="events_audience_month_region")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id} {self.audience_id}: {self.events}"


# Scope of the participants' rollups: a region's id, or 0 for the whole country.
COUNTRY = 0


class ParticipantMonth(models.Model):
    """The per-person rollup: one row per person (``participant_key``) checked in at an event
    held in a month, per region of the event and once more for the whole country (scope 0), so
    that the different people of a month are rows, not a scan of the registrations."""

    scope = models.PositiveIntegerField()
    month = models.DateField()
    participant_key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "month", "participant_key"], name="participant_month_once"
            )
        ]
        indexes = [models.Index(fields=["participant_key", "month"], name="participant_month_key")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.scope} {self.participant_key[:8]}"


class ParticipantYear(models.Model):
    """One row per person, calendar year and scope (region or 0): the first month of the year
    the person was seen in it. The people of a year up to a month are the rows whose first
    month is not after it: a count on an index, however many check-ins there were."""

    scope = models.PositiveIntegerField()
    year = models.PositiveSmallIntegerField()
    participant_key = models.CharField(max_length=64)
    first_month = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "year", "participant_key"], name="participant_year_once"
            )
        ]
        indexes = [
            models.Index(fields=["scope", "year", "first_month"], name="participant_year_first"),
            models.Index(fields=["participant_key", "year"], name="participant_year_key"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.scope} {self.participant_key[:8]}: {self.first_month}"


class ParticipantYearCount(models.Model):
    """The people of ``ParticipantYear`` counted by scope, year and first month: the different
    people of a year up to a month are the sum of at most twelve rows, however many people
    the country has. Kept with ``ParticipantYear`` in the same transaction."""

    scope = models.PositiveIntegerField()
    year = models.PositiveSmallIntegerField()
    first_month = models.PositiveSmallIntegerField()
    people = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "year", "first_month"], name="participant_year_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.first_month:02d} {self.scope}: {self.people}"
