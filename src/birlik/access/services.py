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
    *, actor: User, username: str, full_name: str, email: str, password: str, language: str = "kk"
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
        changes={"username": [None, username]},
    )
    return user
