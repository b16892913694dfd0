"""Integration tokens: made by managers within their subtree, shown once, revoked, audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from freezegun import freeze_time

from birlik.access.models import AuditEntry, Grant, Role
from birlik.api.models import ApiToken
from birlik.api.services import (
    TokenError,
    TokenRejected,
    api_token_revoke,
    api_token_use,
    token_digest,
)


def test_a_token_makes_an_integration_account_with_a_staff_grant_and_stores_only_a_digest(
    network, make_token
):
    made = make_token(network.pavlodar, scopes=("events:write",))
    token = made.token
    assert made.secret.startswith("bk_")
    assert token.digest == token_digest(made.secret) and made.secret not in token.digest
    assert not token.user.has_usable_password()
    grant = Grant.objects.get(user=token.user)
    assert (grant.role, grant.organisation) == (Role.BODY_STAFF, network.pavlodar)
    assert AuditEntry.objects.filter(
        object_type="api.ApiToken", object_id=str(token.pk), action="create"
    ).exists()
    assert api_token_use(secret=made.secret) == token


def test_a_coordinator_makes_tokens_only_in_their_region(network, make_token):
    assert make_token(network.pavlodar_house, by="coordinator_pavlodar").token.pk
    with pytest.raises(PermissionDenied):
        make_token(network.almaty_house, by="coordinator_pavlodar")
    with pytest.raises(PermissionDenied):
        make_token(network.pavlodar_house, by="staff_pavlodar_house")


def test_bad_token_requests_are_refused_with_a_message_and_nothing_is_stored(network, make_token):
    with pytest.raises(TokenError):
        make_token(scopes=())
    with pytest.raises(TokenError):
        make_token(scopes=("everything:write",))
    with pytest.raises(TokenError):
        make_token(name="   ")
    with pytest.raises(TokenError):
        make_token(expires_at=timezone.now() - datetime.timedelta(days=1))
    assert not ApiToken.objects.exists()
    assert not Grant.objects.filter(user__username__startswith="api-").exists()


def test_a_revoked_token_stops_and_its_account_loses_its_roles(network, make_token):
    made = make_token()
    api_token_revoke(actor=network.users["admin"], token=made.token)
    with pytest.raises(TokenRejected):
        api_token_use(secret=made.secret)
    assert not Grant.objects.filter(user=made.token.user, revoked_at__isnull=True).exists()
    assert AuditEntry.objects.filter(object_type="api.ApiToken", action="revoke").exists()
    with pytest.raises(TokenError):
        api_token_revoke(actor=network.users["admin"], token=made.token)


def test_an_expired_token_is_rejected(network, make_token):
    with freeze_time("2026-11-25 10:00"):
        made = make_token(expires_at=timezone.now() + datetime.timedelta(days=1))
        assert api_token_use(secret=made.secret)
    with freeze_time("2026-11-27 10:00"), pytest.raises(TokenRejected):
        api_token_use(secret=made.secret)


def test_a_forged_secret_with_a_real_prefix_is_rejected(network, make_token):
    made = make_token()
    with pytest.raises(TokenRejected):
        api_token_use(secret=made.secret[:-2] + "xx")
    with pytest.raises(TokenRejected):
        api_token_use(secret="not-a-token")


# --- Workspace pages ------------------------------------------------------------------------


def test_the_admin_makes_a_token_and_sees_the_secret_once(network, login):
    client = login(network.users["admin"])
    page = client.get("/en/workspace/integrations/new/")
    assert page.status_code == 200
    assert "Make an integration token" in page.content.decode()
    response = client.post(
        "/en/workspace/integrations/new/",
        {"name": "Pavlodar CRM", "body": network.pavlodar.pk, "scopes": ["events:write"]},
    )
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    text = response.content.decode()
    secret = text.split('id="token-secret" type="text" readonly value="')[1].split('"')[0]
    assert api_token_use(secret=secret) == token
    assert token.expires_at is not None and token.expires_at.date() > timezone.localdate()
    listing = client.get("/en/workspace/integrations/").content.decode()
    assert "Pavlodar CRM" in listing and secret not in listing


def test_a_coordinator_cannot_make_a_token_for_another_region(network, login):
    client = login(network.users["coordinator_pavlodar"])
    response = client.post(
        "/en/workspace/integrations/new/",
        {"name": "CRM", "body": network.almaty_house.pk, "scopes": ["events:write"]},
    )
    assert response.status_code == 400
    assert "There is no body with this number in your area." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_form_explains_missing_values(network, login):
    client = login(network.users["admin"])
    response = client.post("/en/workspace/integrations/new/", {"name": "", "body": "x"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose at least one allowed action." in text
    assert "Enter a whole number." in text


def test_staff_of_a_body_cannot_open_the_token_pages(network, login):
    client = login(network.users["staff_pavlodar_house"])
    assert client.get("/en/workspace/integrations/").status_code == 403
    assert client.get("/en/workspace/integrations/new/").status_code == 403


def test_coordinators_see_only_their_regions_tokens_and_revoke_them(network, login, make_token):
    pavlodar = make_token(network.pavlodar_house, name="Pavlodar desk")
    almaty = make_token(network.almaty_house, name="Almaty desk")
    client = login(network.users["coordinator_pavlodar"])
    listing = client.get("/en/workspace/integrations/").content.decode()
    assert "Pavlodar desk" in listing and "Almaty desk" not in listing
    assert client.get(f"/en/workspace/integrations/{almaty.token.pk}/revoke/").status_code == 404
    confirm = client.get(f"/en/workspace/integrations/{pavlodar.token.pk}/revoke/")
    assert "Revoke the token" in confirm.content.decode()
    done = client.post(f"/en/workspace/integrations/{pavlodar.token.pk}/revoke/", follow=True)
    assert "was revoked" in done.content.decode()
    pavlodar.token.refresh_from_db()
    assert pavlodar.token.revoked_at is not None


def test_the_token_list_costs_the_same_queries_for_5_and_25_tokens(
    network, login, make_token, django_assert_max_num_queries
):
    client = login(network.users["admin"])
    for n in range(5):
        make_token(name=f"Integration {n}")
    with django_assert_max_num_queries(12) as small:
        assert client.get("/en/workspace/integrations/").status_code == 200
    for n in range(20):
        make_token(name=f"Integration more {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/en/workspace/integrations/").status_code == 200


def test_the_workspace_menu_links_to_tokens_for_managers_only(network, login):
    admin = login(network.users["admin"]).get("/en/workspace/").content.decode()
    assert "/en/workspace/integrations/" in admin
    staff = login(network.users["staff_pavlodar_house"]).get("/en/workspace/").content.decode()
    assert "/en/workspace/integrations/" not in staff
