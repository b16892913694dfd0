"""Writes of the access app: the audit log and grants."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birlik.core.errors import DomainError

from . import policies
from .models import AuditEntry, Grant, User


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
def grant_create(*, actor: User, user: User, role: str, organisation: Any) -> Grant:
    """A manager hands out a role on a body within their own subtree, and no higher role."""
    if role not in policies.ALL_ROLES:
        raise AccessError(_("Unknown role."))
    if not policies.can_grant(actor, role, organisation):
        raise AccessError(_("You may not give this role on this body."))
    if Grant.objects.filter(
        user=user, role=role, organisation=organisation, revoked_at__isnull=True
    ).exists():
        raise AccessError(_("This user already holds this role on this body."))
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


@transaction.atomic
def grant_revoke(*, actor: User, grant: Grant) -> Grant:
    """A grant is revoked, never deleted, so the audit trail keeps who had access and when."""
    if grant.revoked_at is not None:
        raise AccessError(_("This role has already been revoked."))
    if not policies.can_grant(actor, grant.role, grant.organisation):
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
) -> Grant:
    """A new account and its first role, both or neither; the password must pass the rules."""
    if not policies.can_grant(actor, role, organisation):
        raise AccessError(_("You may not give this role on this body."), field="role")
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
    user.full_name = full_name.strip()
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
        TOTPDevice.objects.select_for_update()
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
    return len(devices)
