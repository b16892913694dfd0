"""Mediators, mediation cases, their parties, sessions and documents (confidential).

A case is seen only by the mediators assigned to it and by the head of its centre
(``policies``); everyone else, the portal and analysts included, gets anonymous counts. Files
are kept under the data directory outside any URL-served path and served by a checked view.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.registry.models import Organisation, Person

CENTRE_KINDS = ("mediation_centre", "mediation_council")


class PrivateStorage(FileSystemStorage):
    """Case files: under the data directory, never under MEDIA_ROOT, and with no URL at all;
    the directory is read from the settings at each use."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.DATA_DIR / "private" / "mediation")

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Case files have no URL: they are served by a checked view.")


def private_storage() -> FileSystemStorage:
    return PrivateStorage()


class Language(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    OTHER = "other", _("another language")


class DisputeKind(models.TextChoices):
    FAMILY = "family", _("family dispute")
    LABOUR = "labour", _("labour dispute")
    NEIGHBOURHOOD = "neighbourhood", _("neighbourhood dispute")
    INTERETHNIC = "interethnic", _("interethnic dispute")
    OTHER = "other", _("other dispute")


class Mediator(models.Model):
    """A mediator of a centre or council, professional or not as the Law on Mediation says."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("mediator", "active")
        SUSPENDED = "suspended", _("suspended")
        EXCLUDED = "excluded", _("excluded from the register")

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="mediator", verbose_name=_("person")
    )
    user = models.OneToOneField(
        "access.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediator",
        verbose_name=_("login"),
    )
    centre = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="mediators",
        verbose_name=_("mediation centre or council"),
    )
    professional = models.BooleanField(_("professional mediator"), default=False)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    specialisations = models.JSONField(_("specialisations"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    registered_on = models.DateField(_("in the register since"), default=timezone.localdate)

    class Meta:
        ordering = ["person__last_name", "person__first_name", "id"]
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        indexes = [models.Index(fields=["centre", "status"])]

    def __str__(self) -> str:
        return self.person.full_name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def language_labels(self) -> list[str]:
        names = dict(Language.choices)
        return [str(names.get(code, code)) for code in self.languages]

    def specialisation_labels(self) -> list[str]:
        names = dict(DisputeKind.choices)
        return [str(names.get(code, code)) for code in self.specialisations]


class Training(models.Model):
    mediator = models.ForeignKey(
        Mediator, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("mediator")
    )
    completed_on = models.DateField(_("completed on"))
    hours = models.PositiveSmallIntegerField(_("hours"))
    provider = models.CharField(_("provider"), max_length=200)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return f"{self.provider} {self.completed_on}"


class MediationCase(models.Model):
    class Source(models.TextChoices):
        WALK_IN = "walk_in", _("came to the centre")
        ONLINE = "online", _("online request from the portal")
        COURT = "court", _("referred by a court")
        AKIMAT = "akimat", _("referred by an akimat")
        POLICE = "police", _("referred by the police")
        APPEAL = "appeal", _("appeal redirected from the appeals inbox")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        OPEN = "open", _("in progress")
        CLOSED = "closed", pgettext_lazy("mediation case", "closed")
        REFUSED = "refused", _("refused")

    class Outcome(models.TextChoices):
        AGREEMENT = "agreement", _("agreement reached")
        PARTLY = "partly", _("partly agreed")
        NO_AGREEMENT = "no_agreement", _("no agreement")
        REFUSED = "refused", _("refused")

    class Execution(models.TextChoices):
        EXECUTED = "executed", _("executed")
        PARTLY = "partly", _("partly executed")
        NOT_EXECUTED = "not_executed", _("not executed")

    SETTLED = (Outcome.AGREEMENT, Outcome.PARTLY)

    number = models.CharField(_("case number"), max_length=40, unique=True)
    centre = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="mediation_cases",
        verbose_name=_("mediation centre or council"),
    )
    kind = models.CharField(_("kind of dispute"), max_length=15, choices=DisputeKind.choices)
    source = models.CharField(_("how it arrived"), max_length=10, choices=Source.choices)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediation_cases",
        verbose_name=_("appeal"),
    )
    referral_note = models.CharField(_("referral (who and document)"), max_length=300, blank=True)
    language = models.CharField(
        _("language of the parties"), max_length=2, choices=Language.choices[:3], default="kk"
    )
    description = models.TextField(_("the dispute in short"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    duration_days = models.PositiveIntegerField(_("duration in days"), null=True, blank=True)
    execution_due = models.DateField(_("agreement to be executed by"), null=True, blank=True)
    execution = models.CharField(
        _("execution of the agreement"), max_length=12, choices=Execution.choices, blank=True
    )
    execution_note = models.CharField(_("note on execution"), max_length=500, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        indexes = [
            models.Index(fields=["centre", "status"]),
            models.Index(fields=["received_on"]),
            models.Index(fields=["closed_on"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_settled(self) -> bool:
        return self.outcome in self.SETTLED

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.OPEN)


class Party(models.Model):
    """A party to the dispute: a person (from the registry or typed) or an organisation."""

    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("organisation")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("kind of party"), max_length=12, choices=Kind.choices)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=300)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    bin = models.CharField(_("BIN"), max_length=12, blank=True)
    is_state_body = models.BooleanField(_("a state body"), default=False)
    state_body = models.ForeignKey(
        "appeals.StateBody", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_applicant = models.BooleanField(_("applicant"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A mediator named on a case: with the centre head, the only people who read it."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="assignments")
    mediator = models.ForeignKey(Mediator, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "mediator"], name="mediation_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.case} — {self.mediator}"


class Session(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["held_at", "id"]
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")

    def __str__(self) -> str:
        return f"{self.case} {self.held_at:%Y-%m-%d}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "party"], name="mediation_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.party} {self.present}"


class ConflictDeclaration(models.Model):
    """A mediator declared a conflict of interest on a case: never assigned to it again."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="conflicts")
    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="conflicts")
    note = models.CharField(_("note"), max_length=300, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.case} — {self.mediator}"


def _document_name(instance: Any, filename: str) -> str:
    return filename  # the service chooses a random name


class Document(models.Model):
    """A file of a case: the generated agreement, its signed scan, or another document."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("agreement (generated)")
        SIGNED = "signed", _("signed agreement")
        OTHER = "other", _("other document")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=10, choices=Kind.choices)
    file = models.FileField(storage=private_storage, upload_to=_document_name, max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    language = models.CharField(max_length=2, blank=True)
    uploaded_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.pk}"

    @property
    def extension(self) -> str:
        return str(self.file.name).rsplit(".", 1)[-1]
