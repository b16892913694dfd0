"""People's diplomacy: the register of international requests, visits and delegations both
ways, and the Corps of Friendship Ambassadors with their activities.

Every record is kept by a body — the People's Diplomacy Centre, its Corps of Friendship
Ambassadors or an assembly — and is seen by the staff and auditors of that body's subtree. A
requester's contact is personal data: staff only. Countries are ISO 3166-1 alpha-2 codes
(``countries.py``); an international organisation is recorded under the country of its seat.
"""

from __future__ import annotations

import datetime
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.workdays import legal_today
from birlik.events.models import Event
from birlik.geo.models import Region
from birlik.registry.models import Organisation, Person

from . import countries

CENTRE_KIND = "peoples_diplomacy_centre"
CORPS_KIND = "friendship_ambassadors"
# Bodies that keep a register of requests, visits and ambassadors.
KEEPER_KINDS = (
    CENTRE_KIND,
    CORPS_KIND,
    "secretariat",
    "regional_assembly",
    "city_assembly",
    "district_assembly",
)
LANGUAGES = ("kk", "ru", "en")


def _token() -> str:
    return secrets.token_urlsafe(24)


class RequesterKind(models.TextChoices):
    INTERNATIONAL_ORGANISATION = (
        "international_organisation",
        pgettext_lazy("requester kind", "international organisation"),
    )
    FOREIGN_PARLIAMENT = "foreign_parliament", pgettext_lazy("requester kind", "foreign parliament")
    RESEARCH_CENTRE = "research_centre", pgettext_lazy("requester kind", "research centre")
    EMBASSY = "embassy", pgettext_lazy("requester kind", "embassy")
    PUBLIC_ORGANISATION = (
        "public_organisation",
        pgettext_lazy("requester kind", "foreign public organisation or media"),
    )
    OTHER = "other", pgettext_lazy("requester kind", "other")


class Topic(models.TextChoices):
    INTERETHNIC_PRACTICE = (
        "interethnic_practice",
        pgettext_lazy("request topic", "practice of interethnic relations"),
    )
    LANGUAGES = "languages", pgettext_lazy("request topic", "languages")
    CULTURE = "culture", pgettext_lazy("request topic", "culture")
    RELIGION = "religion", pgettext_lazy("request topic", "religion")
    YOUTH = "youth", pgettext_lazy("request topic", "youth")
    MEDIATION = "mediation", pgettext_lazy("request topic", "mediation")
    RESEARCH = "research", pgettext_lazy("request topic", "research cooperation")
    OTHER = "other", pgettext_lazy("request topic", "other")


class OutcomeKind(models.TextChoices):
    INFORMATION = "information", _("information given")
    VISIT = "visit", _("visit held")
    JOINT_EVENT = "joint_event", _("joint event")
    AGREEMENT = "agreement", _("agreement or memorandum")
    NONE = "none", _("no result")


class InternationalRequest(models.Model):
    """A request from abroad, numbered per keeper and year without gaps (``PD-2025-0007``)."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("letter")
        EMAIL = "email", _("e-mail")
        MEETING = "meeting", _("at a meeting")
        PORTAL = "portal", _("the portal's form")

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("international request", "received")
        IN_PROGRESS = "in_progress", pgettext_lazy("international request", "in progress")
        ANSWERED = "answered", pgettext_lazy("international request", "answered")
        VISIT_ARRANGED = "visit_arranged", _("visit arranged")
        CLOSED = "closed", pgettext_lazy("international request", "closed")
        DECLINED = "declined", pgettext_lazy("international request", "declined")

    # The steps a request may take: received → in progress → answered / visit arranged →
    # closed; declined from the first two.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.RECEIVED: frozenset({Status.IN_PROGRESS, Status.DECLINED}),
        Status.IN_PROGRESS: frozenset({Status.ANSWERED, Status.VISIT_ARRANGED, Status.DECLINED}),
        Status.ANSWERED: frozenset({Status.VISIT_ARRANGED, Status.CLOSED}),
        Status.VISIT_ARRANGED: frozenset({Status.CLOSED}),
        Status.CLOSED: frozenset(),
        Status.DECLINED: frozenset(),
    }
    OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.ANSWERED, Status.VISIT_ARRANGED)
    # A visit may answer a request that is being worked on or done with.
    VISIT_STATUSES = (Status.IN_PROGRESS, Status.ANSWERED, Status.VISIT_ARRANGED, Status.CLOSED)

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="international_requests",
        verbose_name=_("kept by"),
    )
    number = models.CharField(_("number of the request"), max_length=30)
    received_on = models.DateField(_("received on"))
    channel = models.CharField(
        pgettext_lazy("how received", "received"), max_length=10, choices=Channel.choices
    )
    requester_kind = models.CharField(
        _("kind of requester"), max_length=30, choices=RequesterKind.choices
    )
    requester_name = models.CharField(_("requester"), max_length=300)
    # Personal data: shown to staff only, each read logged.
    requester_contact = models.CharField(_("contact of the requester"), max_length=300, blank=True)
    country = models.CharField(_("country"), max_length=2)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    text = models.TextField(_("text of the request"))
    language = models.CharField(_("language"), max_length=2, default="kk")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    answer_text = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    outcome_kind = models.CharField(
        _("kind of outcome"), max_length=12, choices=OutcomeKind.choices, blank=True
    )
    outcome_text = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    people = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("people involved")
    )
    bodies = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("bodies involved")
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("international request")
        verbose_name_plural = _("international requests")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="diplomacy_request_number_once"
            )
        ]
        indexes = [
            models.Index(fields=["received_on"]),
            models.Index(fields=["organisation", "received_on"]),
            models.Index(fields=["status", "received_on"]),
            models.Index(fields=["country", "received_on"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def country_name(self) -> str:
        return countries.name(self.country)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class RequestStep(models.Model):
    """The request's history: each status it took, with who and when (the note is internal)."""

    REGISTERED = "registered"

    request = models.ForeignKey(
        InternationalRequest, on_delete=models.CASCADE, related_name="steps"
    )
    status = models.CharField(_("status"), max_length=16)
    actor = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request} {self.status}"


class Visit(models.Model):
    """A delegation received in Kazakhstan or sent abroad, its programme (linked events) and
    the request it answers."""

    class Direction(models.TextChoices):
        INCOMING = "incoming", _("incoming: a delegation to Kazakhstan")
        OUTGOING = "outgoing", _("outgoing: a delegation abroad")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("visit", "planned")
        HELD = "held", pgettext_lazy("visit", "held")
        CANCELLED = "cancelled", pgettext_lazy("visit", "cancelled")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("kept by")
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    country = models.CharField(_("country"), max_length=2)
    delegation = models.CharField(_("delegation"), max_length=300)
    head = models.CharField(_("head of the delegation"), max_length=300, blank=True)
    size = models.PositiveSmallIntegerField(_("people in the delegation"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("regions of Kazakhstan visited")
    )
    places = models.CharField(_("places visited"), max_length=300, blank=True)
    request = models.ForeignKey(
        InternationalRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("request it answers"),
    )
    events = models.ManyToManyField(
        Event, blank=True, related_name="+", verbose_name=_("programme")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    outcome_text = models.TextField(_("outcome"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("visit or delegation")
        verbose_name_plural = _("visits and delegations")
        indexes = [
            models.Index(fields=["starts_on"]),
            models.Index(fields=["organisation", "starts_on"]),
        ]

    def __str__(self) -> str:
        return self.delegation

    @property
    def country_name(self) -> str:
        return countries.name(self.country)


class Ambassador(models.Model):
    """A friendship ambassador: a person of the registry, with the countries they work with."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("kept by")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    since = models.DateField(_("ambassador since"))
    until = models.DateField(_("ambassador until"), null=True, blank=True)
    note = models.CharField(_("area of work"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["person__last_name", "person__first_name", "id"]
        verbose_name = _("friendship ambassador")
        verbose_name_plural = _("friendship ambassadors")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"], name="diplomacy_ambassador_once"
            )
        ]
        indexes = [models.Index(fields=["since", "until"])]

    def __str__(self) -> str:
        return str(self.person)

    def active_on(self, day: datetime.date) -> bool:
        """In the Corps on ``day``: the term has begun and not ended (the one rule of "active",
        also in ``queries.ambassadors_active``)."""
        return self.since <= day and (self.until is None or self.until >= day)

    @property
    def is_active(self) -> bool:
        return self.active_on(legal_today())


class AmbassadorCountry(models.Model):
    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="countries")
    country = models.CharField(_("country"), max_length=2)

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(
                fields=["ambassador", "country"], name="diplomacy_ambassador_country_once"
            )
        ]
        indexes = [models.Index(fields=["country"])]

    def __str__(self) -> str:
        return self.country

    @property
    def country_name(self) -> str:
        return countries.name(self.country)


class AmbassadorActivity(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", pgettext_lazy("ambassador activity", "meeting")
        LECTURE = "lecture", _("lecture")
        MEDIA = "media", _("media appearance")
        EVENT_ABROAD = "event_abroad", _("event abroad")
        HOSTING = "hosting", _("hosting a delegation")
        OTHER = "other", pgettext_lazy("ambassador activity", "other")

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField(_("date of the activity"))
    kind = models.CharField(_("kind of activity"), max_length=12, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2)
    description = models.TextField(_("description"))
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    created_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("ambassador's activity")
        verbose_name_plural = _("ambassadors' activities")
        indexes = [models.Index(fields=["date", "kind"])]

    def __str__(self) -> str:
        return f"{self.ambassador} {self.date}"

    @property
    def country_name(self) -> str:
        return countries.name(self.country)
