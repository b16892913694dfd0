"""Volunteers: profiles of verified participants, calls for volunteers by the network's bodies
(for an event or a charity need), sign-ups with a waiting list, hours and the yearly record.

A profile is personal data: it is read by its owner and by the staff of the bodies whose calls
its owner signed up for (``policies``), nobody else. A call for a charity request never holds
the request's private need or beneficiary: it shows the public text the centre wrote when it
verified the request (``HelpRequest.public_need``) or the project's title.

Places are taken with one conditional UPDATE (``confirmed_count < places``), guarded by a CHECK
constraint, as events do. Hours are kept in whole minutes on the sign-up (``minutes``): computed
from check-in and check-out within the call's window, or entered by staff with a reason.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.geo.models import District, Region
from birlik.registry.models import Organisation

# Languages a volunteer may offer besides the three of the platform: the languages most spoken
# by Kazakhstan's ethnic groups, and sign language.
OTHER_LANGUAGES = (
    ("uz", _("Uzbek")),
    ("ug", _("Uyghur")),
    ("tt", _("Tatar")),
    ("ko", _("Korean")),
    ("de", _("German")),
    ("uk", _("Ukrainian")),
    ("az", _("Azerbaijani")),
    ("tr", _("Turkish")),
    ("zh", _("Chinese")),
    ("sgn", _("Kazakh sign language")),
)
LANGUAGES = (("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English")), *OTHER_LANGUAGES)


class Availability(models.TextChoices):
    WEEKDAYS = "weekdays", _("weekdays")
    EVENINGS = "evenings", _("evenings")
    WEEKENDS = "weekends", _("weekends")


def _codes(value: str) -> list[str]:
    return [code for code in value.split(",") if code]


def codes_field(codes: list[str] | tuple[str, ...]) -> str:
    """Codes between commas (",kk,ru,"): one column that one LIKE filters."""
    return f",{','.join(codes)}," if codes else ""


class Skill(models.Model):
    """A skill volunteers offer and calls ask for (a catalogue: admins add skills)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveIntegerField(_("sort order"), default=1000)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("volunteer skill")
        verbose_name_plural = _("volunteer skills")

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """A verified participant's volunteer profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer_profile",
        verbose_name=_("account"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    districts = models.ManyToManyField(
        District, blank=True, related_name="+", verbose_name=_("districts")
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="profiles", verbose_name=_("skills")
    )
    languages = models.CharField(_("languages"), max_length=60, default=",kk,")
    availability = models.CharField(_("availability"), max_length=40, blank=True, default="")
    about = models.CharField(_("about me"), max_length=500, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        indexes = [models.Index(fields=["region"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def language_codes(self) -> list[str]:
        return _codes(self.languages)

    @property
    def availability_codes(self) -> list[str]:
        return _codes(self.availability)

    def language_labels(self) -> list[str]:
        names = dict(LANGUAGES)
        return [str(names.get(code, code)) for code in self.language_codes]

    def availability_labels(self) -> list[str]:
        names = dict(Availability.choices)
        return [str(names.get(code, code)) for code in self.availability_codes]


class Call(models.Model):
    """A call for volunteers by a body: for an event or a charity need, in a time window."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("volunteer call", "open")
        CLOSED = "closed", pgettext_lazy("volunteer call", "closed")
        CANCELLED = "cancelled", pgettext_lazy("volunteer call", "cancelled")

    class Purpose(models.TextChoices):
        EVENT = "event", _("an event")
        PROJECT = "project", _("a charity project")
        NEED = "need", _("a request for help")
        OTHER = "other", _("the body's own work")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="volunteer_calls",
        verbose_name=_("body"),
    )
    purpose = models.CharField(
        _("for"), max_length=10, choices=Purpose.choices, default=Purpose.OTHER
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_calls",
        verbose_name=_("event"),
    )
    project = models.ForeignKey(
        "charity.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_calls",
        verbose_name=_("charity project"),
    )
    help_request = models.ForeignKey(
        "charity.HelpRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_calls",
        verbose_name=_("request for help"),
    )
    # What the public reads of the charity need: copied from what the centre publishes (the
    # project's title, the request's public text), never the private need.
    need_title = models.CharField(_("the need, as published"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="calls", verbose_name=_("skills wanted")
    )
    places = models.PositiveIntegerField(_("places"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    confirmed_count = models.PositiveIntegerField(default=0, editable=False)
    waitlist_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("volunteer call")
        verbose_name_plural = _("volunteer calls")
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["region", "starts_at"]),
            models.Index(fields=["organisation", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="volunteer_call_window"
            ),
            models.CheckConstraint(condition=Q(places__gt=0), name="volunteer_call_places"),
            models.CheckConstraint(
                condition=Q(confirmed_count__lte=F("places")), name="volunteer_call_no_overbooking"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int:
        return max(self.places - self.confirmed_count, 0)

    @property
    def window_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SignUp(models.Model):
    """A volunteer's place on a call (or on its waiting list), with the hours given."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("volunteer sign-up", "confirmed")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("volunteer sign-up", "cancelled")

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="signups", verbose_name=_("volunteer call")
    )
    profile = models.ForeignKey(
        Profile, on_delete=models.PROTECT, related_name="signups", verbose_name=_("volunteer")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes given"), default=0)
    # Set when staff entered or corrected the hours by hand (the audit log keeps each change).
    hours_reason = models.CharField(_("reason for the hours"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("volunteer sign-up")
        verbose_name_plural = _("volunteer sign-ups")
        indexes = [
            models.Index(fields=["call", "status", "created_at"]),
            models.Index(fields=["profile", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "profile"],
                condition=~Q(status="cancelled"),
                name="volunteer_signup_once_per_call",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_in_at__isnull=False, checked_out_at__gte=F("checked_in_at")),
                name="volunteer_signup_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} — {self.call}"

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


def _verification_code() -> str:
    return secrets.token_urlsafe(12)


class YearRecord(models.Model):
    """A numbered yearly volunteer record as issued; a newer one for the same year (after the
    hours changed) supersedes it, and the public check says so."""

    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="records")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(
        pgettext_lazy("registration number", "number"), max_length=30, unique=True
    )
    code = models.CharField(max_length=32, unique=True, default=_verification_code, editable=False)
    minutes = models.PositiveIntegerField(_("minutes given"))
    calls = models.PositiveIntegerField(_("calls"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("yearly volunteer record")
        verbose_name_plural = _("yearly volunteer records")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "year"],
                condition=Q(superseded_at__isnull=True),
                name="volunteer_record_one_valid_per_year",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def is_valid(self) -> bool:
        return self.superseded_at is None
