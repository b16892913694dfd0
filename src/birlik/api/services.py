"""Every write of the API app: integration tokens made, used and revoked.

The secret is ``bk_<prefix>_<random>``; the prefix finds the row, the SHA-256 digest of the whole
secret is compared in constant time. Making a token makes the integration's account and its
grant in one transaction, so a token never exists without the scope it acts in.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import AuditEntry, Grant, Role, User
from birlik.access.services import audit_record, grant_create, grant_revoke
from birlik.core.errors import DomainError
from birlik.registry.models import Organisation

from .models import ApiToken

SECRET_START = "bk_"  # noqa: S105 - the visible start of every token
# bk_<12 hex digits>_<token_urlsafe(32)>; the prefix finds the row, the whole is compared hashed.
SECRET_SHAPE = re.compile(r"bk_[0-9a-f]{1,16}_[A-Za-z0-9_-]{16,100}")
# Touching ``last_used_at`` on every call would make every read a write.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)
INTEGRATION_ROLE = Role.BODY_STAFF


class TokenError(DomainError):
    pass


class TokenRejected(TokenError):
    """The bearer token is unknown, revoked or expired (the API answers 401)."""


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


@transaction.atomic
def api_token_create(
    *,
    actor: User,
    name: str,
    organisation: Organisation,
    scopes: Iterable[str],
    expires_at: datetime.datetime | None = None,
) -> NewToken:
    """A manager makes a token for an integration acting as staff of a body in their subtree."""
    policies.require(actor, "api.manage_tokens", organisation)
    name = " ".join((name or "").split())
    if not name:
        raise TokenError(_("Give the name of the integration."), field="name")
    if len(name) > 100:
        raise TokenError(_("The name can have at most 100 characters."), field="name")
    codes = list(dict.fromkeys(code for code in scopes if code))
    if not codes:
        raise TokenError(_("Choose at least one allowed action."), field="scopes")
    if set(codes) - set(ApiToken.Scope.values):
        raise TokenError(_("Choose values from the list."), field="scopes")
    if organisation.status != Organisation.Status.ACTIVE:
        raise TokenError(_("A closed body cannot have integrations."), field="body")
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError(_("The expiry date must be in the future."), field="expires_on")
    if not policies.can_grant(actor, INTEGRATION_ROLE, organisation):
        raise TokenError(_("You may not give this role on this body."), field="body")
    user = User(username=f"api-{secrets.token_hex(8)}", full_name=name[:200], language="kk")
    user.set_unusable_password()
    user.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=user,
        organisation_path=str(organisation.path),
        changes={"username": [None, user.username]},
        note="integration account",
    )
    grant_create(actor=actor, user=user, role=INTEGRATION_ROLE, organisation=organisation)
    prefix = secrets.token_hex(6)
    secret = f"{SECRET_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name,
        user=user,
        organisation=organisation,
        prefix=prefix,
        digest=token_digest(secret),
        scopes="," + ",".join(codes) + ",",
        created_by=actor,
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=token,
        organisation_path=str(organisation.path),
        changes={
            "name": [None, name],
            "scopes": [None, codes],
            "body": [None, organisation.pk],
            "expires_at": [None, str(expires_at) if expires_at else None],
        },
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """A revoked token stops at once; its account loses its roles and cannot sign in."""
    token = (
        ApiToken.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=token.pk)
    )
    policies.require(actor, "api.manage_tokens", token.organisation)
    if token.revoked_at is not None:
        raise TokenError(_("This token has already been revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    grants = Grant.objects.select_related("organisation", "user").filter(
        user_id=token.user_id, revoked_at__isnull=True
    )
    for grant in grants:
        if policies.can_grant(actor, grant.role, grant.organisation):
            grant_revoke(actor=actor, grant=grant)
    User.objects.filter(pk=token.user_id).update(is_active=False)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.REVOKE,
        obj=token,
        organisation_path=str(token.organisation.path),
        changes={"revoked_at": [None, str(token.revoked_at)]},
    )
    return token


def api_token_use(*, secret: str) -> ApiToken:
    """The token of a call: known, not revoked, not expired, its account active; else rejected."""
    secret = (secret or "").strip()
    # Checked by shape before any lookup: a NUL byte or other junk never reaches the database.
    if not SECRET_SHAPE.fullmatch(secret):
        raise TokenRejected(_("The token is not valid. Check that it was copied whole."))
    parts = secret[len(SECRET_START) :].split("_", 1)
    token = ApiToken.objects.select_related("user").filter(prefix=parts[0]).first()
    if token is None or not hmac.compare_digest(token.digest, token_digest(secret)):
        raise TokenRejected(_("The token is not valid. Check that it was copied whole."))
    now = timezone.now()
    if token.revoked_at is not None or not token.user.is_active:
        raise TokenRejected(_("This token has been revoked. Ask your administrator for a new one."))
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRejected(_("This token has expired. Ask your administrator for a new one."))
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
