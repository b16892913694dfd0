"""Accounts, grants of a role on an organisation subtree, and the audit log."""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from birlik.core.cleaning import normalise_phone


class AlertChannel(models.TextChoices):
    """How an alert reaches a member of staff (the outbox's channels of the same names)."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")


def default_alert_channels() -> list[str]:
    return [AlertChannel.EMAIL.value]


def validate_phone(value: str) -> None:
    """A Kazakhstan number in any usual form (``core.cleaning.normalise_phone``)."""
    try:
        normalise_phone(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid") from None


# The Telegram Bot API sends to a chat by its number: a person's chat is positive, a group's
# negative (-100… for a supergroup). Public @names reach channels only, never a person.
validate_telegram_chat_id = RegexValidator(
    r"^-?[1-9]\d{0,19}\Z",
    _("A Telegram chat id is a number, e.g. 123456789 (a group's starts with a minus)."),
)


def validate_alert_channels(value: object) -> None:
    """A non-empty list of known channels, each once."""
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(channel, str) for channel in value)
        or len(set(value)) != len(value)
        or not set(value) <= set(AlertChannel.values)
    ):
        raise ValidationError(
            _("Choose at least one of: e-mail, SMS, Telegram."), code="invalid_channels"
        )


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        default="kk",
    )
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("For alerts by SMS, e.g. +7 701 234 56 78."),
    )
    telegram_chat_id = models.CharField(
        _("Telegram chat id"),
        max_length=40,
        blank=True,
        validators=[validate_telegram_chat_id],
        help_text=_("For alerts by Telegram: the number of the chat with the Assembly's bot."),
    )
    alert_channels = models.JSONField(
        _("channels for alerts"),
        default=default_alert_channels,
        validators=[validate_alert_channels],
    )
    # A participant's account (ideas, volunteering) is verified by a one-time code sent to its
    # phone or e-mail; one support per idea and verified account.
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    # The registry's person whose phone this account verified (a youth activist, say): set
    # only by ``services.contact_verify``; the account reads that person's memberships, no more.
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("person in the registry"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.phone:
            with contextlib.suppress(ValueError):  # reported by the field's validator
                self.phone = normalise_phone(self.phone)

    @property
    def contact_verified(self) -> bool:
        """A verified phone or e-mail: the account may support ideas and sign up to volunteer."""
        return self.phone_verified_at is not None or self.email_verified_at is not None

    def alert_address(self, channel: str) -> str:
        """Where ``channel`` reaches this person, or "" when the account keeps no address."""
        addresses: dict[str, str] = {
            AlertChannel.EMAIL.value: self.email,
            AlertChannel.SMS.value: self.phone,
            AlertChannel.TELEGRAM.value: self.telegram_chat_id,
        }
        return (addresses.get(channel) or "").strip()

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Birlik's permissions are ``rules`` predicates, and a superuser obeys them too.

        Django's ``has_perm`` answers True for any active superuser, which would let the
        superuser read confidential records through ``{% if perms.… %}`` and any caller of
        ``has_perm``. Names declared with ``rules`` are answered by ``policies.can`` alone;
        Django's own model permissions (used by nothing but the admin) keep their meaning.
        """
        from . import policies

        if policies.is_rule(perm):
            return policies.can(self, perm, obj)
        return super().has_perm(perm, obj)


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("national administrator")
    REGIONAL_COORDINATOR = "regional_coordinator", _("regional coordinator")
    BODY_STAFF = "body_staff", _("staff of a body")
    ANALYST = "analyst", _("analyst")
    AUDITOR = "auditor", _("auditor")
    CENTRE_HEAD = "centre_head", _("head of a centre")


class Grant(models.Model):
    """A role that a user holds on a body and every body below it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="grants", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("body"),
    )
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    approved_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(_("granted at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=models.Q(revoked_at__isnull=True),
                name="grant_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class GrantRequest(models.Model):
    """A confidential role asked for one person and waiting for a second person's decision.

    It gives no access: only a ``Grant`` does, and one is made when the request is approved.
    Pending requests live apart from grants so that no query over grants can take one for an
    effective role.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="grant_requests", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="grant_requests",
        verbose_name=_("body"),
    )
    requested_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    grant = models.OneToOneField(
        Grant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("grant"),
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("role awaiting approval")
        verbose_name_plural = _("roles awaiting approval")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=models.Q(status="pending"),
                name="grant_request_unique_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


def recovery_digest(code: str) -> str:
    """The stored form of a recovery code: a keyed hash of its letters, never the code."""
    normal = "".join(ch for ch in code.lower() if ch.isalnum())
    return salted_hmac("birlik.access.recovery-code", normal, algorithm="sha256").hexdigest()


class RecoveryDevice(TimestampMixin, ThrottlingMixin, Device):
    """The set of one-time recovery codes of an account, usable instead of the app's code."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_RECOVERY_THROTTLE_FACTOR", 1))

    def codes_left(self) -> int:
        return int(self.codes.filter(used_at__isnull=True).count())

    def verify_token(self, token: Any) -> bool:
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        used = self.codes.filter(digest=recovery_digest(str(token)), used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        indexes = [models.Index(fields=["device", "digest"])]

    def __str__(self) -> str:
        return f"{self.device_id}: •••"


class AuditEntry(models.Model):
    """Who did what to which record, and when: written in the same transaction as the change."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        CLOSE = "close", pgettext_lazy("audit action", "closed")
        DELETE = "delete", _("deleted")
        READ = "read", _("read personal data")
        IMPORT = "import", _("imported")
        EXPORT = "export", _("exported")
        GRANT = "grant", _("granted a role")
        REVOKE = "revoke", _("revoked a role")
        REQUEST = "request", _("asked for a role")
        APPROVE = "approve", _("approved a role")
        REFUSE = "refuse", _("refused a role")
        LOGIN = "login", _("signed in")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("type of record"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=300, blank=True)
    organisation_path = models.CharField(max_length=255, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"


# --- participants (accounts) ------------------------------------------------------------------


class ContactChannel(models.TextChoices):
    """Where a one-time code goes: the account's phone (by SMS) or its e-mail."""

    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")


class ContactCode(models.Model):
    """The one-time code last sent to an account's phone or e-mail: kept only as a keyed digest,
    valid until ``expires_at`` and for a few attempts; a new code replaces the old one."""

    class Purpose(models.TextChoices):
        VERIFY = "verify", _("confirm the phone or e-mail")
        RESET = "reset", _("set a new password")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="contact_codes", verbose_name=_("user")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    # The phone or e-mail the code was sent to: it confirms that address only.
    address = models.CharField(_("address"), max_length=254)
    digest = models.CharField(max_length=64)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    sends = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel", "purpose"], name="contact_code_one_per_purpose"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.channel} •••"


class AccountConsent(models.Model):
    """A participant's consent to the processing of personal data, like the registry's
    ``Consent`` of a person: the purpose, when it was given, and the version of the text read."""

    class Purpose(models.TextChoices):
        PARTICIPATION = "participation", _("an account for ideas, youth projects and volunteering")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("user")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    text_version = models.CharField(_("version of the text"), max_length=20)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent of an account")
        verbose_name_plural = _("consents of accounts")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_purpose_display()} — {self.given_at:%Y-%m-%d}"
