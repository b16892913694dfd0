"""The registry: every body of the Assembly's network, its place in the hierarchy, its people."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node

from birlik.core.text import search_key
from birlik.geo.models import District, Region


class EthnicGroup(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    population_2021 = models.PositiveIntegerField(
        _("population (2021 census)"), null=True, blank=True
    )
    position = models.PositiveIntegerField(_("sort order"), default=1000)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.Model):
    """A kind of body. Kinds are data: a national admin adds or renames them without a release."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        REGIONAL = "regional", _("regional")
        DISTRICT = "district", _("district")
        LOCAL = "local", _("local")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_plural = models.CharField(_("name in plural"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    allowed_parents = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="allowed_children",
        verbose_name=_("may be placed under"),
    )
    may_be_root = models.BooleanField(_("may be a top-level body"), default=False)
    requires_region = models.BooleanField(_("requires a region"), default=True)
    counts_members = models.BooleanField(_("members are counted in the figures"), default=True)
    has_ethnic_groups = models.BooleanField(_("linked to ethnic groups"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveIntegerField(_("sort order"), default=1000)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("kind of body")
        verbose_name_plural = _("kinds of body")

    def __str__(self) -> str:
        return self.name


class Organisation(MP_Node):
    """A body of the network. The materialised path makes subtree queries one indexed prefix."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("body", "active")
        CLOSED = "closed", pgettext_lazy("body", "closed")

    steplen = 4

    kind = models.ForeignKey(
        OrganisationKind,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("kind of body"),
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("region"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    ethnic_groups = models.ManyToManyField(
        EthnicGroup, blank=True, related_name="organisations", verbose_name=_("ethnic groups")
    )
    # The usual week is in ``OpeningHours``; the note and the holiday rule go with it
    # (written together by ``registry.services.opening_hours_replace``).
    opening_hours_note = models.CharField(
        _("note on the opening hours"),
        max_length=300,
        blank=True,
        help_text=_("For example: by appointment; the library closes at 17:00."),
    )
    open_on_public_holidays = models.BooleanField(_("open on public holidays"), default=False)
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        indexes = [
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["region", "kind"]),
            models.Index(fields=["district", "kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active") | Q(closed_on__isnull=False),
                name="organisation_closed_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_search_text(self) -> None:
        self.search_text = search_key(
            getattr(self, "name_kk", "") or "",
            getattr(self, "name_ru", "") or "",
            getattr(self, "name_en", "") or "",
        )

    def is_active_on(self, day: datetime.date) -> bool:
        started = self.founded_on is None or self.founded_on <= day
        return started and (self.closed_on is None or self.closed_on > day)


class OpeningHours(models.Model):
    """One interval of a body's usual week (Monday is 0); a day may have several, around a
    lunch break. The rules (no overlap, opens before it closes) are in ``registry.hours``."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="opening_hours",
        verbose_name=_("body"),
    )
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"), validators=[MaxValueValidator(6)]
    )
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["organisation", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="opening_hours_opens_before_closes"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_hours_weekday"),
            models.UniqueConstraint(
                fields=["organisation", "weekday", "opens"], name="opening_hours_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Person(models.Model):
    """A member of a body. The IIN is kept only as a keyed digest and its last four digits."""

    class Sex(models.TextChoices):
        MALE = "m", _("male")
        FEMALE = "f", _("female")

    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    iin_digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    iin_last4 = models.CharField(max_length=4, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    registered_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="registered_people",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def iin_masked(self) -> str:
        return f"••••••••{self.iin_last4}" if self.iin_last4 else ""


class Consent(models.Model):
    """Consent to the processing of personal data, with its purpose and date."""

    class Purpose(models.TextChoices):
        MEMBERSHIP = "membership", _("membership in a body of the Assembly")
        EVENTS = "events", _("participation in events")
        APPEALS = "appeals", _("consideration of appeals")
        MEDIATION = "mediation", _("mediation")
        CHARITY = "charity", _("charity help")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "access.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-given_on"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.person} — {self.get_purpose_display()} — {self.given_on}"


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        DEPUTY_CHAIR = "deputy_chair", _("deputy chair")
        SECRETARY = "secretary", _("secretary")
        HEAD = "head", _("head")
        STAFF = "staff", _("staff member")
        MEMBER = "member", _("member")
        ACTIVIST = "activist", _("activist")
        MEDIATOR = "mediator", _("mediator")
        EXPERT = "expert", _("expert")
        VOLUNTEER = "volunteer", _("volunteer")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("body"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    position = models.CharField(_("position"), max_length=200, blank=True)
    start_date = models.DateField(_("start of term"))
    end_date = models.DateField(_("end of term"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation", "role", "person"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["organisation", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["person", "organisation", "role", "start_date"],
                name="membership_unique_term",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)
