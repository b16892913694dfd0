"""Writes of the access app: the audit log and grants."""

from __future__ import annotations

import datetime
import decimal
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from birlik.core.cleaning import normalise_phone
from birlik.core.errors import DomainError

from . import policies
from .models import (
    AlertChannel,
    AuditEntry,
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
    target.phone = phone
    target.telegram_chat_id = telegram_chat_id
    # Kept in the order the channels are offered, so that re-saving the same choice is no change.
    target.alert_channels = [value for value in AlertChannel.values if value in alert_channels]
    if len(target.alert_channels) != len(set(alert_channels)):
        raise AccessError(
            _("Choose at least one of: e-mail, SMS, Telegram."), field="alert_channels"
        )
    _alert_contact_check(target)
    target.save(update_fields=ALERT_CONTACT_FIELDS)
    changes = diff(before, snapshot(target, ALERT_CONTACT_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=target,
            organisation_path=account_path(target),
            changes=changes,
        )
    for name in ALERT_CONTACT_FIELDS:
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
