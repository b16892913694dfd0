"""Citizens' appeals (APPC terms) with legal deadlines, and bodies' proposals to state bodies.

An appeal is confidential: the applicant's personal data and the text are shown only to the
staff named on it (``AppealHandler``) — the registrar, the executor, the approver — and every
read is audited. Everyone else in the body's subtree sees the register: number, kind, dates.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.geo.models import District, Region
from birlik.registry.models import Organisation, OrganisationKind

# APPC Article 76: the term may be extended "not more than up to two months" in all.
LEGAL_MAX_EXTENSION_MONTHS = 2


class DeadlineRules(models.Model):
    """Working-day terms per kind of body; without a row, the APPC defaults apply."""

    kind = models.OneToOneField(
        OrganisationKind,
        on_delete=models.CASCADE,
        related_name="appeal_rules",
        verbose_name=_("kind of body"),
    )
    answer_days = models.PositiveSmallIntegerField(_("working days to answer"), default=15)
    max_extension_months = models.PositiveSmallIntegerField(
        _("longest term with extensions, in months from the registration"),
        default=LEGAL_MAX_EXTENSION_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(LEGAL_MAX_EXTENSION_MONTHS)],
    )
    notice_days = models.PositiveSmallIntegerField(
        _("working days to tell the applicant of an extension"), default=3
    )
    redirect_days = models.PositiveSmallIntegerField(
        _("working days to redirect to a competent body"), default=3
    )

    class Meta:
        verbose_name = _("deadline rules")
        verbose_name_plural = _("deadline rules")

    def __str__(self) -> str:
        return str(self.kind)


class StateBody(models.Model):
    """A state body that receives proposals or redirected appeals."""

    class Kind(models.TextChoices):
        PARLIAMENT = "parliament", _("chamber of Parliament")
        MINISTRY = "ministry", _("ministry")
        AKIMAT = "akimat", _("akimat")
        MASLIKHAT = "maslikhat", _("maslikhat")
        OTHER = "other", _("other state body")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("state body")
        verbose_name_plural = _("state bodies")

    def __str__(self) -> str:
        return self.name


def _token() -> str:
    return secrets.token_urlsafe(24)


class Appeal(models.Model):
    class Kind(models.TextChoices):
        STATEMENT = "statement", _("statement")
        COMPLAINT = "complaint", _("complaint")
        PROPOSAL = "proposal", _("proposal")
        REQUEST = "request", _("request")
        RESPONSE = "response", _("response")
        REPORT = "report", _("report")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("portal")
        PAPER = "paper", _("on paper")
        MEETING = "meeting", _("at a meeting")
        EMAIL = "email", _("e-mail")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        IN_PROGRESS = "in_progress", _("being considered")
        EXTENDED = "extended", _("term extended")
        REDIRECTED = "redirected", _("redirected to a competent body")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", pgettext_lazy("appeal", "closed")
        NOT_CONSIDERED = "not_considered", _("not considered (anonymous)")

    OPEN_STATUSES = (Status.REGISTERED, Status.IN_PROGRESS, Status.EXTENDED)

    number = models.CharField(_("registration number"), max_length=30, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("body")
    )
    kind = models.CharField(_("kind of appeal"), max_length=12, choices=Kind.choices)
    channel = models.CharField(
        pgettext_lazy("how received", "received"),
        max_length=10,
        choices=Channel.choices,
        default=Channel.PORTAL,
    )
    language = models.CharField(_("language"), max_length=2, default="kk")
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    applicant_name = models.CharField(_("applicant"), max_length=200, blank=True)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=40, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_user = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    security_threat = models.BooleanField(_("reports a threat to security"), default=False)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    counted_from = models.DateField(_("term counted from"))
    due_date = models.DateField(_("answer due"))
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extended_on = models.DateField(_("extension decided on"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    # When the applicant's notice of the (latest) extension was put in the outbox.
    extension_notice_at = models.DateTimeField(
        _("applicant told of the extension at"), null=True, blank=True
    )
    # The last day to send the appeal on to a competent body (3 working days after the term
    # starts); empty only on rows written without the services.
    redirect_by = models.DateField(_("redirect by"), null=True, blank=True)
    redirected_late = models.BooleanField(_("redirected after the term"), default=False)
    # The extension, else the due date: kept by the services (and ``save``) so the inbox can
    # order and filter its queues on one indexed column.
    effective_due = models.DateField(_("effective due date"), editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    executor = models.ForeignKey(
        "access.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals_to_execute",
        verbose_name=_("executor"),
    )
    redirected_to = models.ForeignKey(
        StateBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redirected_appeals",
        verbose_name=_("redirected to"),
    )
    escalated_to = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalated_appeals",
        verbose_name=_("escalated to"),
    )
    answer_text = models.TextField(_("answer"), blank=True)
    answer_approved_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [
            models.Index(fields=["organisation", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["status", "effective_due"]),
            models.Index(fields=["organisation", "status", "effective_due"]),
            models.Index(fields=["received_at"]),
            models.Index(fields=["status", "redirect_by"]),
            # The inbox's queues, each walked in its own order and stopped at the page (keyset
            # pagination, ``birlik.core.listing``); the body is the last column so that scope
            # checks and ``?page=N`` skips read the index only (migration 0008).
            models.Index(
                fields=["effective_due", "id", "organisation"],
                # Appeal.OPEN_STATUSES (the class is not built yet here).
                condition=models.Q(status__in=["registered", "in_progress", "extended"]),
                name="appeal_open_due_idx",
            ),
            models.Index(
                fields=["redirect_by", "id", "organisation"],
                # ``status IN (...)``, as ``queries.to_redirect_q`` writes it (SQLite matches
                # a partial index's WHERE only term by term).
                condition=models.Q(
                    status__in=["registered"], redirected_to__isnull=True, redirect_by__isnull=False
                ),
                name="appeal_to_redirect_idx",
            ),
            models.Index(fields=["status", "id", "organisation"], name="appeal_status_id_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keeps ``effective_due`` in step with the due date and the extension."""
        self.effective_due = self.extended_until or self.due_date
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"due_date", "extended_until"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "effective_due"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class AppealHandler(models.Model):
    """A member of staff named on an appeal: only they see the applicant's data and the text."""

    class Role(models.TextChoices):
        REGISTRAR = "registrar", _("registrar")
        EXECUTOR = "executor", _("executor")
        APPROVER = "approver", _("approver")
        SUPERVISOR = "supervisor", _("supervisor")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="handlers")
    user = models.ForeignKey("access.User", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appeal", "user", "role"], name="appeal_handler_once")
        ]

    def __str__(self) -> str:
        return f"{self.appeal} — {self.user} ({self.role})"


class AppealStep(models.Model):
    """The appeal's history: every step, with who and when (notes are internal)."""

    class Action(models.TextChoices):
        REGISTERED = "registered", _("registered")
        ASSIGNED = "assigned", _("executor assigned")
        NOTE = "note", _("internal note")
        DRAFTED = "drafted", _("answer drafted")
        APPROVED = "approved", _("answer approved and sent")
        EXTENDED = "extended", _("term extended")
        REDIRECTED = "redirected", _("redirected")
        ESCALATED = "escalated", _("escalated to the parent body")
        CLOSED = "closed", pgettext_lazy("appeal", "closed")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal} {self.action}"


class AppealAttachment(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="appeals/%Y/%m/")
    # The name the applicant's file had, shown to them and to the handlers; the stored file
    # has a random name, so nothing the applicant chose reaches the file system.
    original_name = models.CharField(_("file name"), max_length=150, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.file.name)

    @property
    def kind_label(self) -> str:
        return "PDF" if self.content_type == "application/pdf" else str(_("image"))


class AppealRating(models.Model):
    """The applicant's rating of the answer: 1 to 5 and an optional comment, once per appeal."""

    appeal = models.OneToOneField(
        Appeal, on_delete=models.CASCADE, related_name="rating", verbose_name=_("appeal")
    )
    score = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    rated_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("rating of the answer")
        verbose_name_plural = _("ratings of the answers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="appeal_rating_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appeal} {self.score}/5"


class Proposal(models.Model):
    """A body's proposal to a state body, tracked to the state body's answer."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved by the chair")
        SENT = "sent", _("sent")
        ANSWERED = "answered", _("answered")

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("taken into account")
        PARTLY = "partly", _("partly taken into account")
        REJECTED = "rejected", pgettext_lazy("proposal outcome", "rejected")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("body")
    )
    state_body = models.ForeignKey(
        StateBody, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("state body")
    )
    number = models.CharField(_("outgoing number"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("proposal and its grounds"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    drafted_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    answer_text = models.TextField(_("answer of the state body"), blank=True)
    answered_at = models.DateField(_("answered on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    actions_taken = models.TextField(_("what was done"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal to a state body")
        verbose_name_plural = _("proposals to state bodies")
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["sent_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class AppealMonthFigure(models.Model):
    """The rollup of the appeals' figures: appeals per month received (Almaty), region,
    district and kind of the receiving body (their ids, 0 for none), kind of appeal, status,
    how it was answered (on time, late, "" not answered) and whether its redirection was late.
    Kept by ``appeals.rollups`` in the transaction of each service that changes one of these;
    rebuilt whole by ``birlik rollups --rebuild``."""

    month = models.DateField()
    region_key = models.PositiveIntegerField()
    district_key = models.PositiveIntegerField()
    body_kind_key = models.PositiveIntegerField()
    kind = models.CharField(max_length=12)
    status = models.CharField(max_length=16)
    answer = models.CharField(max_length=8, blank=True)
    redirected_late = models.BooleanField(default=False)
    # Signed: a count that went below zero (a write outside the services) shows in the check.
    appeals = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "region_key",
                    "district_key",
                    "body_kind_key",
                    "kind",
                    "status",
                    "answer",
                    "redirected_late",
                ],
                name="appeal_month_figure_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_key} {self.kind} {self.status}: {self.appeals}"


class AppealFiguresBuilt(models.Model):
    """Present once ``AppealMonthFigure`` has been built: until then the figures count the
    appeals themselves."""

    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.built_at:%Y-%m-%d %H:%M}"
