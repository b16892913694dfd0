"""Writes of the access app: the audit log and grants."""

from __future__ import annotations

import datetime
import decimal
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from birlik.core.cleaning import normalise_phone
from birlik.core.errors import DomainError

from . import policies
from .models import (
    AccountConsent,
    AlertChannel,
    AuditEntry,
    ContactChannel,
    ContactCode,
    Grant,
    GrantRequest,
    RecoveryCode,
    RecoveryDevice,
    Role,
    User,
    recovery_digest,
    validate_alert_channels,
    validate_telegram_chat_id,
)

RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


class AccessError(DomainError):
    pass


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The audited state of a record: the given concrete fields as JSON values."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        data[name] = _jsonable(getattr(obj, attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    organisation_path: str = "",
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """One audit row; callers write it inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:300],
        organisation_path=organisation_path,
        changes=changes or {},
        note=note[:300],
    )


def audit_read(*, actor: User, obj: models.Model, organisation_path: str, note: str = "") -> None:
    """Reads of personal data are logged like writes."""
    audit_record(
        actor=actor,
        action=AuditEntry.Action.READ,
        obj=obj,
        organisation_path=organisation_path,
        note=note,
    )


@transaction.atomic
def grant_create(*, actor: User, user: User, role: str, organisation: Any) -> Grant | GrantRequest:
    """A manager hands out a role within their subtree, never to themselves; a confidential
    role is only asked for here and takes effect when a second person approves it."""
    problem = policies.grant_problem(actor, role, organisation, user)
    if problem is not None:
        raise AccessError(problem, field="role")
    if Grant.objects.filter(
        user=user, role=role, organisation=organisation, revoked_at__isnull=True
    ).exists():
        raise AccessError(_("This user already holds this role on this body."))
    if policies.needs_approval(role):
        return _grant_request_create(actor=actor, user=user, role=role, organisation=organisation)
    grant = Grant.objects.create(user=user, role=role, organisation=organisation, granted_by=actor)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.GRANT,
        obj=grant,
        organisation_path=str(organisation.path),
        changes={"role": [None, role], "user": [None, user.username]},
    )
    policies.forget_grants(user)
    return grant


def _grant_request_create(*, actor: User, user: User, role: str, organisation: Any) -> GrantRequest:
    if GrantRequest.objects.filter(
        user=user, role=role, organisation=organisation, status=GrantRequest.Status.PENDING
    ).exists():
        raise AccessError(_("This role is already waiting for approval for this user."))
    grant_request = GrantRequest.objects.create(
        user=user, role=role, organisation=organisation, requested_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.REQUEST,
        obj=grant_request,
        organisation_path=str(organisation.path),
        changes={"role": [None, role], "user": [None, user.username]},
        note="waits for a second person's approval",
    )
    return grant_request


def _locked_pending(grant_request: GrantRequest, actor: User) -> GrantRequest:
    locked = (
        GrantRequest.objects.select_for_update(of=("self",))
        .select_related("user", "organisation", "organisation__kind", "requested_by")
        .get(pk=grant_request.pk)
    )
    if locked.status != GrantRequest.Status.PENDING:
        raise AccessError(_("This role has already been approved or refused."))
    if actor.pk == locked.requested_by_id:
        raise AccessError(_("A second person must decide: you asked for this role."))
    if actor.pk == locked.user_id:
        raise AccessError(_("A second person must decide: this role would be yours."))
    problem = policies.grant_problem(actor, locked.role, locked.organisation, locked.user)
    if problem is not None:
        raise AccessError(problem)
    return locked


@transaction.atomic
def grant_request_approve(*, actor: User, grant_request: GrantRequest) -> Grant:
    """A second person who may give the role approves it; the heads of the centre are told."""
    locked = _locked_pending(grant_request, actor)
    if Grant.objects.filter(
        user=locked.user,
        role=locked.role,
        organisation=locked.organisation,
        revoked_at__isnull=True,
    ).exists():
        raise AccessError(_("This user already holds this role on this body."))
    now = timezone.now()
    grant = Grant.objects.create(
        user=locked.user,
        role=locked.role,
        organisation=locked.organisation,
        granted_by=locked.requested_by,
        approved_by=actor,
        created_at=now,
    )
    locked.status = GrantRequest.Status.APPROVED
    locked.decided_by = actor
    locked.decided_at = now
    locked.grant = grant
    locked.save(update_fields=["status", "decided_by", "decided_at", "grant"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.APPROVE,
        obj=grant,
        organisation_path=str(locked.organisation.path),
        changes={
            "role": [None, locked.role],
            "user": [None, locked.user.username],
            "requested_by": [None, locked.requested_by.username if locked.requested_by else None],
        },
    )
    _tell_heads_of_centre(grant)
    policies.forget_grants(locked.user)
    grant_request.status = locked.status
    return grant


@transaction.atomic
def grant_request_refuse(*, actor: User, grant_request: GrantRequest) -> GrantRequest:
    """A second person who may give the role refuses it; nothing is granted."""
    locked = _locked_pending(grant_request, actor)
    locked.status = GrantRequest.Status.REFUSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.REFUSE,
        obj=locked,
        organisation_path=str(locked.organisation.path),
        changes={"role": [locked.role, None], "user": [locked.user.username, None]},
    )
    grant_request.status = locked.status
    return locked


def _tell_heads_of_centre(grant: Grant) -> None:
    """An e-mail through the outbox to each head of the centre (on the body or above it)."""
    from birlik.notify.services import notice_queue
    from birlik.registry.models import Organisation

    path = str(grant.organisation.path)
    step = Organisation.steplen
    above = [path[:end] for end in range(step, len(path) + 1, step)]
    heads = (
        Grant.objects.filter(
            role=Role.CENTRE_HEAD, revoked_at__isnull=True, organisation__path__in=above
        )
        .exclude(user=grant.user)
        .select_related("user")
        .order_by("user_id")
    )
    told: set[int] = set()
    for head in heads:
        if head.user_id in told or not head.user.is_active or not head.user.email:
            continue
        told.add(head.user_id)
        with translation.override(head.user.language):
            subject = gettext("Birlik: a new role on %(body)s") % {"body": grant.organisation}
            body = gettext(
                "%(user)s now holds the role “%(role)s” on %(body)s. It was asked for by "
                "%(asked)s and approved by %(approved)s. If this is not right, tell your "
                "coordinator."
            ) % {
                "user": grant.user,
                "role": grant.get_role_display(),
                "body": grant.organisation,
                "asked": grant.granted_by or "—",
                "approved": grant.approved_by or "—",
            }
        notice_queue(
            channel="email",
            recipient=head.user.email,
            subject=subject,
            body=body,
            key=f"access:grant-approved:{grant.pk}:{head.user_id}",
            language=head.user.language,
            organisation_path=path,
        )


@transaction.atomic
def grant_revoke(*, actor: User, grant: Grant) -> Grant:
    """A grant is revoked, never deleted, so the audit trail keeps who had access and when."""
    if grant.revoked_at is not None:
        raise AccessError(_("This role has already been revoked."))
    if not policies.can_revoke(actor, grant):
        raise AccessError(_("You may not revoke this role."))
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.REVOKE,
        obj=grant,
        organisation_path=str(grant.organisation.path),
        changes={"role": [grant.role, None], "user": [grant.user.username, None]},
    )
    policies.forget_grants(grant.user)
    return grant


def _required_full_name(full_name: str) -> str:
    """Staff are shown to colleagues and applicants by their full name, never by their login."""
    cleaned = " ".join(full_name.split())
    if not cleaned:
        raise AccessError(_("Give the person's full name."), field="full_name")
    return cleaned


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    email: str,
    password: str,
    language: str = "kk",
    organisation_path: str = "",
) -> User:
    """An account for a member of staff; roles are given separately with ``grant_create``."""
    full_name = _required_full_name(full_name)
    if User.objects.filter(username__iexact=username).exists():
        raise AccessError(_("An account with this login already exists."))
    user = User(username=username, full_name=full_name, email=email, language=language)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=user,
        organisation_path=organisation_path,
        changes={"username": [None, username]},
    )
    return user


# --- Accounts: sign-in, profile, password, second factor ------------------------------------


def account_path(user: User) -> str:
    """The body an account-level event is filed under: the deepest body above all its grants.

    Audit rows are scoped by body; an account belongs to no body, so its sign-ins and settings
    are filed under the common ancestor of the bodies where it holds roles (the root when they
    span regions): the coordinator of a region sees its staff's sign-ins, not another region's.
    """
    from birlik.registry.models import Organisation

    paths = [grant.path for grant in policies.grants_of(user)]
    if not paths:
        return ""
    common = paths[0]
    for path in paths[1:]:
        length = 0
        for left, right in zip(common, path, strict=False):
            if left != right:
                break
            length += 1
        common = common[:length]
    step = Organisation.steplen  # cut back to a whole level of the tree
    return common[: len(common) - len(common) % step]


def login_record(*, user: User, second_factor: bool) -> AuditEntry:
    """A successful sign-in is written to the audit log."""
    return audit_record(
        actor=user,
        action=AuditEntry.Action.LOGIN,
        obj=user,
        organisation_path=account_path(user),
        note="password + TOTP" if second_factor else "password",
    )


def _check_password_rules(password: str, user: User) -> None:
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise AccessError(" ".join(error.messages), field="password") from error


@transaction.atomic
def user_create_with_grant(
    *,
    actor: User,
    username: str,
    full_name: str,
    email: str,
    password: str,
    role: str,
    organisation: Any,
    language: str = "kk",
) -> Grant | GrantRequest:
    """A new account and its first role, both or neither; the password must pass the rules."""
    problem = policies.grant_problem(actor, role, organisation)
    if problem is not None:
        raise AccessError(problem, field="role")
    _check_password_rules(
        password, User(username=username, full_name=full_name, email=email, language=language)
    )
    user = user_create(
        actor=actor,
        username=username,
        full_name=full_name,
        email=email,
        password=password,
        language=language,
        organisation_path=str(organisation.path),
    )
    return grant_create(actor=actor, user=user, role=role, organisation=organisation)


@transaction.atomic
def user_update_profile(*, actor: User, user: User, full_name: str, language: str) -> User:
    """People change their own name and language; nobody else's."""
    if actor.pk != user.pk:
        raise AccessError(_("You may change only your own account here."))
    if language not in {code for code, _name in User._meta.get_field("language").choices or []}:
        raise AccessError(_("Choose one of the offered languages."), field="language")
    before = snapshot(user, ["full_name", "language"])
    user.full_name = _required_full_name(full_name)
    user.language = language
    user.save(update_fields=["full_name", "language"])
    changes = diff(before, snapshot(user, ["full_name", "language"]))
    if changes:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=user,
            organisation_path=account_path(user),
            changes=changes,
        )
    return user


ALERT_CONTACT_FIELDS = ["phone", "telegram_chat_id", "alert_channels"]
# The field that holds each channel's address: where a missing address is reported.
ALERT_ADDRESS_FIELDS = {
    AlertChannel.EMAIL.value: "email",
    AlertChannel.SMS.value: "phone",
    AlertChannel.TELEGRAM.value: "telegram_chat_id",
}


def alert_channel_problems(*, user: User, channels: list[str]) -> dict[str, str]:
    """The address field → message for each chosen channel the account keeps no address for.

    ``user`` carries the addresses as they will be saved. Read by the profile form, to show
    every problem at once, and by ``user_update_alert_channels``, which trusts no caller.
    """
    messages = {
        AlertChannel.EMAIL.value: _(
            "Your account has no e-mail address: ask your administrator to add one, or choose "
            "SMS or Telegram."
        ),
        AlertChannel.SMS.value: _("Alerts by SMS need your phone number: give it, or untick SMS."),
        AlertChannel.TELEGRAM.value: _(
            "Alerts by Telegram need your Telegram chat id: give it, or untick Telegram."
        ),
    }
    return {
        ALERT_ADDRESS_FIELDS[channel]: str(messages[channel])
        for channel in channels
        if channel in messages and not user.alert_address(channel)
    }


def _alert_contact_check(user: User) -> None:
    """Normalise the phone, then refuse a malformed address or a channel without its address."""
    from django.core.exceptions import ValidationError

    user.phone = user.phone.strip()
    user.telegram_chat_id = user.telegram_chat_id.strip()
    try:
        if user.phone:
            user.phone = normalise_phone(user.phone)
        if user.telegram_chat_id:
            validate_telegram_chat_id(user.telegram_chat_id)
    except ValueError as error:
        raise AccessError(str(error), field="phone") from None
    except ValidationError as error:
        raise AccessError(" ".join(error.messages), field="telegram_chat_id") from None
    try:
        validate_alert_channels(user.alert_channels)
    except ValidationError as error:
        raise AccessError(" ".join(error.messages), field="alert_channels") from None
    problems = alert_channel_problems(user=user, channels=user.alert_channels)
    if problems:
        field, message = next(iter(problems.items()))
        raise AccessError(message, field=field)


@transaction.atomic
def user_update_alert_channels(
    *, actor: User, user: User, phone: str, telegram_chat_id: str, alert_channels: list[str]
) -> User:
    """People choose how alerts reach them — e-mail, SMS, Telegram, at least one — and give
    the address each chosen channel needs; only their own account; audited."""
    if actor.pk != user.pk:
        raise AccessError(_("You may change only your own account here."))
    # A locked copy: a refused change leaves the caller's object as stored.
    target = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    before = snapshot(target, ALERT_CONTACT_FIELDS)
    stored_phone = target.phone
    target.phone = phone
    target.telegram_chat_id = telegram_chat_id
    # Kept in the order the channels are offered, so that re-saving the same choice is no change.
    target.alert_channels = [value for value in AlertChannel.values if value in alert_channels]
    if len(target.alert_channels) != len(set(alert_channels)):
        raise AccessError(
            _("Choose at least one of: e-mail, SMS, Telegram."), field="alert_channels"
        )
    _alert_contact_check(target)
    fields = list(ALERT_CONTACT_FIELDS)
    if target.phone != stored_phone and target.phone_verified_at is not None:
        # A new number counts (ideas' supports, volunteering) once its code is entered.
        target.phone_verified_at = None
        fields.append("phone_verified_at")
    target.save(update_fields=fields)
    changes = diff(before, snapshot(target, ALERT_CONTACT_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=target,
            organisation_path=account_path(target),
            changes=changes,
        )
    for name in fields:
        setattr(user, name, getattr(target, name))
    return user


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> User:
    """A new password needs the current one and must pass the password rules."""
    if not user.check_password(old_password):
        raise AccessError(_("The current password is not right."), field="old_password")
    _check_password_rules(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        organisation_path=account_path(user),
        changes={"password": ["•••", "•••"]},
    )
    return user


@transaction.atomic
def totp_device_start(*, user: User) -> Any:
    """An unconfirmed authenticator for the user (the same one until it is confirmed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise AccessError(_("You already use an authenticator app. Remove it first."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Birlik", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, token: str) -> Any:
    """The authenticator counts once it has shown a valid code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = (
        TOTPDevice.objects.select_for_update(of=("self",))
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )
    if device is None:
        raise AccessError(_("Start the set-up of an authenticator app first."))
    if not device.verify_token(token):
        raise AccessError(
            _("This code is not right. Check the time on your phone and try the newest code."),
            field="token",
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE,
        obj=device,
        organisation_path=account_path(user),
        changes={"second_factor": [None, "TOTP"]},
    )
    return device


@transaction.atomic
def totp_device_remove(*, user: User, password: str) -> int:
    """Removing the second factor asks for the password again."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not user.check_password(password):
        raise AccessError(_("The password is not right."), field="password")
    devices = list(TOTPDevice.objects.filter(user=user))
    if not devices:
        raise AccessError(_("You have no authenticator app to remove."))
    for device in devices:
        if device.confirmed:
            audit_record(
                actor=user,
                action=AuditEntry.Action.DELETE,
                obj=device,
                organisation_path=account_path(user),
                changes={"second_factor": ["TOTP", None]},
            )
        device.delete()
    # The recovery codes stand in for the app: they go with it.
    RecoveryDevice.objects.filter(user=user).delete()
    return len(devices)


@dataclass(frozen=True)
class Enrolment:
    device: Any
    recovery_codes: list[str]


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryDevice.objects.filter(user=user).delete()
    device = RecoveryDevice.objects.create(user=user, name="Birlik", confirmed=True)
    codes = []
    for _index in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _char in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_digest(code)) for code in codes
    )
    return codes


@transaction.atomic
def second_factor_enrol(*, user: User, token: str) -> Enrolment:
    """The app counts once it has shown a valid code; ten one-time recovery codes come with it
    (returned once, stored only as keyed hashes)."""
    device = totp_device_confirm(user=user, token=token)
    codes = _new_recovery_codes(user)
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE,
        obj=user,
        organisation_path=account_path(user),
        changes={"recovery_codes": [None, RECOVERY_CODES]},
    )
    return Enrolment(device=device, recovery_codes=codes)


@transaction.atomic
def recovery_codes_renew(*, user: User, password: str) -> list[str]:
    """A new set of recovery codes replaces the old one; it needs the password again."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not user.check_password(password):
        raise AccessError(_("The password is not right."), field="password")
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise AccessError(_("Set up an authenticator app first: recovery codes go with it."))
    codes = _new_recovery_codes(user)
    audit_record(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        organisation_path=account_path(user),
        changes={"recovery_codes": ["•••", RECOVERY_CODES]},
    )
    return codes


def recovery_codes_left(user: User) -> int | None:
    """How many unused recovery codes the account has; None when it has none set up."""
    device = RecoveryDevice.objects.filter(user=user, confirmed=True).first()
    return None if device is None else device.codes_left()


def second_factor_match(*, user: User, token: str) -> Any:
    """The device that accepts ``token``: 6 digits are a code from the app, anything else is
    tried as a recovery code (which is then used up); None when neither accepts it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    token = "".join(token.split())
    model: Any = TOTPDevice if token.isdigit() and len(token) == 6 else RecoveryDevice
    with transaction.atomic():
        for device in model.objects.select_for_update(of=("self",)).filter(
            user=user, confirmed=True
        ):
            if device.verify_token(token):
                return device
    return None


@transaction.atomic
def second_factor_reset(*, actor: User, user: User) -> int:
    """Another national administrator removes an account's app and recovery codes (for a lost
    phone); the account sets them up again at its next sign-in. Never one's own."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if actor.pk == user.pk:
        raise AccessError(
            _("You may not reset your own second factor. Ask another national administrator.")
        )
    if not policies.can(actor, "access.reset_second_factor", user):
        raise AccessError(_("Only a national administrator may reset a second factor."))
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += RecoveryDevice.objects.filter(user=user).delete()[0]
    if not removed:
        raise AccessError(_("This account has no second factor to reset."))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=user,
        organisation_path=account_path(user),
        changes={"second_factor": ["TOTP", None], "recovery_codes": ["•••", None]},
        note="second factor reset by another national administrator",
    )
    return int(removed)


# --- participants (accounts) ------------------------------------------------------------------
#
# A participant's account (ideas, youth projects, volunteering) is opened with a phone or an
# e-mail, which is its login, and confirmed by a one-time code sent through the outbox. The code
# is kept only as a keyed digest, for CONTACT_CODE_MINUTES and CONTACT_CODE_ATTEMPTS wrong
# tries; how often codes are sent is limited by the views (settings.RATE_CONTACT_CODES).

# The version of the consent text shown on the join page (``participant_consent_text``):
# change it with the text, so that each recorded consent names the words that were read.
PARTICIPANT_CONSENT_VERSION = "2026-1"
CONTACT_CODE_DIGITS = 6


def participant_consent_text() -> Any:
    """The words a participant agrees to when joining (version PARTICIPANT_CONSENT_VERSION)."""
    return _(
        "I agree to the processing of my personal data (name, phone or e-mail) by the Assembly "
        "of People of Kazakhstan for my account: to confirm it, to count my support of ideas "
        "once, and for my applications to youth projects and volunteering."
    )


class ContactTaken(AccessError):
    """The phone or e-mail is another account's login or confirmed contact; whose is not said."""

    def __init__(self, channel: str) -> None:
        message = (
            _("If this number is yours, sign in or reset the password.")
            if channel == ContactChannel.PHONE
            else _("If this e-mail is yours, sign in or reset the password.")
        )
        super().__init__(message, field="contact")


class ContactCodeRefused(AccessError):
    """A code that is wrong, expired or used up; ``left`` wrong tries remain (0: ask again)."""

    def __init__(self, message: Any, *, left: int = 0) -> None:
        super().__init__(message, field="code")
        self.left = left


def code_minutes() -> int:
    return max(1, int(getattr(settings, "CONTACT_CODE_MINUTES", 15)))


def code_attempts() -> int:
    return max(1, int(getattr(settings, "CONTACT_CODE_ATTEMPTS", 5)))


def contact_parse(value: str) -> tuple[str, str]:
    """(channel, address) of a typed phone or e-mail: the phone as +7XXXXXXXXXX (a mobile
    number: codes go by SMS), the e-mail in lower case; AccessError saying what to change."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    text = " ".join(str(value or "").split())
    if not text:
        raise AccessError(_("Give your mobile phone number or your e-mail."), field="contact")
    if "@" in text:
        address = text.replace(" ", "").lower()
        try:
            validate_email(address)
        except ValidationError:
            raise AccessError(
                _("Give a valid e-mail address, for example name@example.kz."), field="contact"
            ) from None
        if len(address) > 150:  # the login's length
            raise AccessError(_("This e-mail address is too long."), field="contact")
        return ContactChannel.EMAIL.value, address
    try:
        phone = normalise_phone(text)
    except ValueError as error:
        raise AccessError(str(error), field="contact") from None
    # +7 7xx… are mobile numbers; +7 71x/72x… are towns' fixed lines, which get no SMS.
    if phone[2] != "7" or phone[3] in "12":
        raise AccessError(
            _("Give a mobile number (e.g. +7 701 234 56 78): the code comes by SMS."),
            field="contact",
        )
    return ContactChannel.PHONE.value, phone


def login_name(value: str) -> str:
    """The login a person types, as accounts store it: a phone or e-mail in its stored form
    (``8 701 234-56-78`` → ``+77012345678``), anything else (a staff login) unchanged."""
    text = str(value or "").strip()
    try:
        _channel, address = contact_parse(text)
    except AccessError:
        return text
    if "@" in text and User.objects.filter(username=text).exists():
        return text  # a staff login that happens to contain "@"
    return address


def _contact_taken(channel: str, address: str, *, exclude: User | None = None) -> bool:
    """The address is an account's login, or a contact another account has confirmed."""
    accounts = User.objects.all() if exclude is None else User.objects.exclude(pk=exclude.pk)
    if channel == ContactChannel.PHONE:
        confirmed = models.Q(phone=address, phone_verified_at__isnull=False)
    else:
        confirmed = models.Q(email__iexact=address, email_verified_at__isnull=False)
    return bool(accounts.filter(models.Q(username__iexact=address) | confirmed).exists())


def contact_addresses(user: User) -> dict[str, str]:
    """The account's contacts a code can confirm: channel → address (only those it has)."""
    found: dict[str, str] = {}
    if user.phone:
        found[ContactChannel.PHONE.value] = user.phone
    if user.email:
        found[ContactChannel.EMAIL.value] = user.email
    return found


def contact_verified_at(user: User, channel: str) -> datetime.datetime | None:
    if channel == ContactChannel.PHONE:
        return user.phone_verified_at
    return user.email_verified_at


def _code_digest(*, user_id: int, purpose: str, channel: str, address: str, code: str) -> str:
    value = f"{user_id}|{purpose}|{channel}|{address.lower()}|{code}"
    return salted_hmac("birlik.access.contact-code", value, algorithm="sha256").hexdigest()


def _code_notice(
    *, user: User, channel: str, address: str, code: str, key: str, purpose: str
) -> None:
    from birlik.notify.services import notice_queue

    minutes = code_minutes()
    with translation.override(user.language):
        if purpose == ContactCode.Purpose.RESET:
            subject = gettext("Birlik: your code to set a new password")
            text = gettext(
                "Birlik: your code to set a new password is %(code)s. It is valid for "
                "%(minutes)s minutes. If you did not ask for it, ignore this message."
            )
        else:
            subject = gettext("Birlik: your confirmation code")
            text = gettext(
                "Birlik: your confirmation code is %(code)s. It is valid for %(minutes)s "
                "minutes. Do not tell it to anyone."
            )
        body = text % {"code": code, "minutes": minutes}
    notice_queue(
        channel="sms" if channel == ContactChannel.PHONE else "email",
        recipient=address,
        subject=subject if channel == ContactChannel.EMAIL else "",
        body=body,
        key=key,
        language=user.language,
    )


@transaction.atomic
def contact_code_send(
    *, user: User, channel: str, purpose: str = ContactCode.Purpose.VERIFY
) -> ContactCode:
    """A new 6-digit code to the account's phone (SMS) or e-mail, replacing the last one; the
    code leaves only in the notice, the account keeps its keyed digest. Views limit how often
    (``RATE_CONTACT_CODES``)."""
    if purpose not in ContactCode.Purpose.values:
        raise AccessError(_("This action is not known. Use the buttons on the page."))
    address = contact_addresses(user).get(channel)
    if not address:
        raise AccessError(
            _("Your account has no phone number to confirm.")
            if channel == ContactChannel.PHONE
            else _("Your account has no e-mail to confirm."),
            field="channel",
        )
    code = "".join(secrets.choice("0123456789") for _digit in range(CONTACT_CODE_DIGITS))
    now = timezone.now()
    fields = {
        "address": address,
        "digest": _code_digest(
            user_id=user.pk, purpose=purpose, channel=channel, address=address, code=code
        ),
        "sent_at": now,
        "expires_at": now + datetime.timedelta(minutes=code_minutes()),
        "attempts": 0,
    }
    row = (
        ContactCode.objects.select_for_update(of=("self",))
        .filter(user=user, channel=channel, purpose=purpose)
        .first()
    )
    if row is None:
        row = ContactCode.objects.create(user=user, channel=channel, purpose=purpose, **fields)
    else:
        for name, value in fields.items():
            setattr(row, name, value)
        row.sends += 1
        row.save(update_fields=[*fields, "sends"])
    _code_notice(
        user=user,
        channel=channel,
        address=address,
        code=code,
        key=f"access:contact-code:{row.pk}:{row.sends}",
        purpose=purpose,
    )
    return row


def _code_check(
    *, user: User, channel: str, purpose: str, code: str, address: str
) -> ContactCode | ContactCodeRefused:
    """Inside a transaction: the locked code row when ``code`` matches, else the refusal (a
    wrong try is counted and kept, whatever the caller does next)."""
    row = (
        ContactCode.objects.select_for_update(of=("self",))
        .filter(user=user, channel=channel, purpose=purpose)
        .first()
    )
    if row is None or row.address.lower() != address.lower():
        return ContactCodeRefused(_("No code was sent to this address yet. Ask for a code."))
    if row.attempts >= code_attempts():
        return ContactCodeRefused(_("Too many wrong codes. Ask for a new code."))
    if row.expires_at <= timezone.now():
        return ContactCodeRefused(_("This code has expired. Ask for a new code."))
    typed = "".join(str(code or "").split())
    expected = _code_digest(
        user_id=user.pk, purpose=purpose, channel=channel, address=address, code=typed
    )
    if not constant_time_compare(expected, row.digest):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        left = code_attempts() - row.attempts
        if left <= 0:
            return ContactCodeRefused(_("Too many wrong codes. Ask for a new code."))
        return ContactCodeRefused(
            ngettext(
                "This code is not right. You may try %(count)s more time.",
                "This code is not right. You may try %(count)s more times.",
                left,
            )
            % {"count": left},
            left=left,
        )
    return row


def contact_verify(*, user: User, channel: str, code: str) -> User:
    """The code sent to the account's phone or e-mail confirms that address (a wrong code is
    counted even though it is refused); a phone that a youth activist of the registry gave
    links the account to that person."""
    refusal: ContactCodeRefused | None = None
    with transaction.atomic():
        target = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        address = contact_addresses(target).get(channel, "")
        if not address:
            raise AccessError(_("Your account has no such contact to confirm."), field="channel")
        checked = _code_check(
            user=target,
            channel=channel,
            purpose=ContactCode.Purpose.VERIFY,
            code=code,
            address=address,
        )
        if isinstance(checked, ContactCodeRefused):
            refusal = checked
        else:
            checked.delete()
            _contact_confirm(target, channel, address)
            for name in ("phone_verified_at", "email_verified_at", "person_id"):
                setattr(user, name, getattr(target, name))
    if refusal is not None:
        raise refusal
    return user


def _contact_confirm(user: User, channel: str, address: str) -> None:
    """Mark ``address`` confirmed on the locked ``user``: one account per confirmed contact."""
    if _contact_taken(channel, address, exclude=user):
        raise AccessError(
            _(
                "Another account already uses this phone number. Sign in to that account, or "
                "set a new password for it with a code."
            )
            if channel == ContactChannel.PHONE
            else _(
                "Another account already uses this e-mail. Sign in to that account, or set a "
                "new password for it with a code."
            ),
            field="code",
        )
    field = "phone_verified_at" if channel == ContactChannel.PHONE else "email_verified_at"
    setattr(user, field, timezone.now())
    user.save(update_fields=[field])
    audit_record(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        organisation_path=account_path(user),
        changes={field: [None, str(getattr(user, field))]},
        note=f"{channel} confirmed by a one-time code",
    )
    if channel == ContactChannel.PHONE and user.person_id is None:
        _activist_link(user, address)


def activist_person_for_phone(phone: str) -> Any:
    """The one registry person with this phone who is an activist today (a membership of the
    role ACTIVIST whose term covers today), or None — also when several people share it.

    The registry keeps phones as staff typed them ("+7 701 234 56 78", "8 (701) …"): the
    candidates are those whose digits end with the number's 10 digits, each then normalised."""
    from django.db.models import Value
    from django.db.models.functions import Replace

    from birlik.registry.models import Membership, Person
    from birlik.registry.queries import active_on

    digits = phone[-10:]
    stripped: Any = models.F("phone")
    for char in (" ", "-", "(", ")", ".", "\u00a0"):
        stripped = Replace(stripped, Value(char), Value(""))
    activists = Membership.objects.filter(
        active_on(timezone.localdate()), role=Membership.Role.ACTIVIST
    ).values("person_id")
    candidates = (
        Person.objects.filter(pk__in=activists)
        .annotate(phone_digits=stripped)
        .filter(phone_digits__endswith=digits)
        .only("pk", "phone", "registered_by_id")[:10]
    )
    matches = []
    for person in candidates:
        try:
            if normalise_phone(person.phone) == phone:
                matches.append(person)
        except ValueError:
            continue
    return matches[0] if len(matches) == 1 else None


def _activist_link(user: User, phone: str) -> None:
    from birlik.registry.models import Person

    person = activist_person_for_phone(phone)
    if person is None:
        return
    person = Person.objects.select_related("registered_by").get(pk=person.pk)
    user.person = person
    user.save(update_fields=["person"])
    audit_record(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        organisation_path=str(person.registered_by.path),
        changes={"person": [None, person.pk]},
        note="linked to the registry's activist by the confirmed phone",
    )


def activist_memberships(user: User) -> Any:
    """The current activist memberships of the account's own registry person (none when it is
    not linked): what the profile shows as "Youth activist of …"."""
    from birlik.registry.models import Membership
    from birlik.registry.queries import active_on

    if user.person_id is None:
        return Membership.objects.none()
    return (
        Membership.objects.filter(
            active_on(timezone.localdate()),
            person_id=user.person_id,
            role=Membership.Role.ACTIVIST,
        )
        .select_related("organisation")
        .order_by("organisation__path")
    )


@transaction.atomic
def participant_join(
    *,
    full_name: str,
    contact: str,
    password: str,
    consent: bool,
    language: str = "kk",
) -> User:
    """A participant's account: the phone or e-mail is its login (one account per contact),
    the password passes the rules, the consent is recorded with the version of its text, and a
    one-time code goes to the contact."""
    full_name = " ".join(str(full_name or "").split())
    if not full_name:
        raise AccessError(_("Give your full name."), field="full_name")
    if len(full_name) > 200:
        raise AccessError(_("The name is too long: use at most 200 letters."), field="full_name")
    channel, address = contact_parse(contact)
    if not consent:
        raise AccessError(
            _("An account needs your consent to the processing of your personal data."),
            field="consent",
        )
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = "kk"
    user = User(
        username=address,
        full_name=full_name,
        language=language,
        phone=address if channel == ContactChannel.PHONE else "",
        email=address if channel == ContactChannel.EMAIL else "",
        alert_channels=["sms" if channel == ContactChannel.PHONE else "email"],
    )
    _check_password_rules(password, user)
    if _contact_taken(channel, address):
        raise ContactTaken(channel)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same contact joined at the same moment
        raise ContactTaken(channel) from None
    now = timezone.now()
    AccountConsent.objects.create(
        user=user,
        purpose=AccountConsent.Purpose.PARTICIPATION,
        text_version=PARTICIPANT_CONSENT_VERSION,
        given_at=now,
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE,
        obj=user,
        changes={"contact": [None, channel], "consent": [None, PARTICIPANT_CONSENT_VERSION]},
        note="participant's account",
    )
    contact_code_send(user=user, channel=channel)
    return user


def participant_for_reset(contact: str) -> tuple[User, str] | None:
    """The active participant's account whose login is this phone or e-mail, with the channel;
    None otherwise (staff logins are reset by their administrators)."""
    try:
        channel, address = contact_parse(contact)
    except AccessError:
        return None
    user = User.objects.filter(username=address, is_active=True).first()
    if user is None or contact_addresses(user).get(channel, "").lower() != address:
        return None
    if user.is_staff or user.is_superuser or policies.grants_of(user):
        return None  # a member of staff whose login looks like an e-mail: not here
    return user, channel


@transaction.atomic
def participant_reset_start(*, contact: str) -> bool:
    """A code to set a new password goes to the phone or e-mail that is the account's login;
    False (nothing sent, and the page says the same) when there is no such account."""
    found = participant_for_reset(contact)
    if found is None:
        return False
    user, channel = found
    contact_code_send(user=user, channel=channel, purpose=ContactCode.Purpose.RESET)
    return True


def participant_reset_finish(*, contact: str, code: str, password: str) -> User:
    """The code sent to the login's phone or e-mail sets a new password (and confirms that
    contact); a wrong code is counted even though it is refused."""
    found = participant_for_reset(contact)
    if found is None:
        raise ContactCodeRefused(_("No code was sent to this address yet. Ask for a code."))
    user, channel = found
    _check_password_rules(password, user)
    refusal: ContactCodeRefused | None = None
    with transaction.atomic():
        target = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        checked = _code_check(
            user=target,
            channel=channel,
            purpose=ContactCode.Purpose.RESET,
            code=code,
            address=target.username,
        )
        if isinstance(checked, ContactCodeRefused):
            refusal = checked
        else:
            checked.delete()
            target.set_password(password)
            target.save(update_fields=["password"])
            audit_record(
                actor=target,
                action=AuditEntry.Action.UPDATE,
                obj=target,
                organisation_path=account_path(target),
                changes={"password": ["•••", "•••"]},
                note="new password set with a one-time code",
            )
            if contact_verified_at(target, channel) is None and not _contact_taken(
                channel, target.username, exclude=target
            ):
                _contact_confirm(target, channel, target.username)
    if refusal is not None:
        raise refusal
    return target


def contact_code_pending(user: User, channel: str) -> ContactCode | None:
    """The code last sent to confirm this contact, while it may still be entered."""
    row = ContactCode.objects.filter(
        user=user, channel=channel, purpose=ContactCode.Purpose.VERIFY
    ).first()
    if row is None or row.expires_at <= timezone.now() or row.attempts >= code_attempts():
        return None
    if row.address.lower() != contact_addresses(user).get(channel, "").lower():
        return None
    return row
