"""Sign-in, the second factor, the rate limit, safe redirects and sign-out."""

from __future__ import annotations

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from birlik.access.models import AuditEntry, Role

from ..conftest import PASSWORD
from ..factories import GrantFactory
from .conftest import code_for, url


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_login_page_shows_a_labelled_form(client, network):
    response = client.get(url("access:login"))
    assert response.status_code == 200
    text = response.content.decode()
    assert '<label for="id_username">Login' in text
    assert '<label for="id_password">Password' in text


def test_staff_member_signs_in_and_the_sign_in_is_audited(client, network):
    user = network.users["coordinator_pavlodar"]
    response = client.post(url("access:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN, actor=user)
    # Filed under the coordinator's region, so that the region's auditors see it.
    assert entry.organisation_path == network.pavlodar.path


def test_wrong_password_gives_a_clear_message_and_no_session(client, network):
    user = network.users["coordinator_pavlodar"]
    response = client.post(url("access:login"), {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "The login or the password is not right." in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists()


def test_account_with_an_authenticator_needs_the_code_after_the_password(client, network):
    user = network.users["admin"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.post(url("access:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == url("access:login")
    assert signed_in_user_id(client) is None  # not signed in before the second factor

    page = client.get(url("access:login"))
    assert "Second step: the code from your app" in page.content.decode()

    response = client.post(url("access:login"), {"token": code_for(device)})
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)
    assert client.session["otp_device_id"] == device.persistent_id
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN, actor=user)
    assert entry.note == "password + TOTP"


def test_a_wrong_code_does_not_sign_in(client, network):
    user = network.users["admin"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post(url("access:login"), {"username": user.username, "password": PASSWORD})
    wrong = code_for(device, offset=10)
    response = client.post(url("access:login"), {"token": wrong})
    assert response.status_code == 200
    assert "This code is not right." in response.content.decode()
    assert signed_in_user_id(client) is None


def test_a_code_that_is_not_six_digits_is_refused_with_a_message(client, network):
    user = network.users["admin"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post(url("access:login"), {"username": user.username, "password": PASSWORD})
    response = client.post(url("access:login"), {"token": "12ab"})
    assert response.status_code == 200
    assert (
        "Enter the 6 digits shown by your app, or a recovery code of 10 letters and digits."
        in response.content.decode()
    )
    assert signed_in_user_id(client) is None


def test_an_unconfirmed_authenticator_does_not_ask_for_a_code(client, network):
    user = network.users["admin"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=False)
    client.post(url("access:login"), {"username": user.username, "password": PASSWORD})
    assert signed_in_user_id(client) == str(user.pk)


def test_five_failures_block_even_the_right_password_for_a_while(client, network):
    user = network.users["coordinator_pavlodar"]
    for _attempt in range(5):
        response = client.post(
            url("access:login"), {"username": user.username, "password": "wrong"}
        )
        assert response.status_code == 200
    response = client.post(url("access:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts to sign in." in response.content.decode()
    assert signed_in_user_id(client) is None

    # Another account from the same place is not blocked by someone else's failures.
    other = network.users["coordinator_almaty"]
    response = client.post(url("access:login"), {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


def test_four_failures_still_let_the_right_password_in(client, network):
    user = network.users["coordinator_pavlodar"]
    for _attempt in range(4):
        client.post(url("access:login"), {"username": user.username, "password": "wrong"})
    response = client.post(url("access:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_codes_count_towards_the_limit(client, network):
    user = network.users["admin"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post(url("access:login"), {"username": user.username, "password": PASSWORD})
    for _attempt in range(5):
        client.post(url("access:login"), {"token": code_for(device, offset=10)})
    response = client.post(url("access:login"), {"token": code_for(device)})
    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_a_safe_next_address_is_followed(client, network):
    user = network.users["coordinator_pavlodar"]
    target = url("access:profile")
    response = client.post(
        url("access:login"),
        {"username": user.username, "password": PASSWORD, "next": target},
    )
    assert response["Location"] == target


def test_an_unsafe_next_address_is_ignored(client, network):
    user = network.users["coordinator_pavlodar"]
    for unsafe in ("https://evil.example/steal", "//evil.example/", "javascript:alert(1)"):
        client.post(url("access:logout"))
        response = client.post(
            url("access:login") + "?next=" + unsafe,
            {"username": user.username, "password": PASSWORD},
        )
        assert response.status_code == 302
        assert "evil" not in response["Location"]
        assert "javascript" not in response["Location"]


def test_logout_is_post_only(client, network):
    user = network.users["coordinator_pavlodar"]
    client.force_login(user)
    response = client.get(url("access:logout"))
    assert response.status_code == 405
    assert signed_in_user_id(client) == str(user.pk)
    response = client.post(url("access:logout"))
    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_login_without_csrf_token_is_refused(network):
    client = Client(enforce_csrf_checks=True)
    user = network.users["coordinator_pavlodar"]
    response = client.post(url("access:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403
    assert client.session.get("_auth_user_id") is None


def test_sign_in_of_an_account_with_roles_in_two_regions_is_filed_under_their_common_body(
    client, network
):
    user = network.users["staff_pavlodar_house"]
    GrantFactory(user=user, role=Role.BODY_STAFF, organisation=network.almaty_house)
    client.post(url("access:login"), {"username": user.username, "password": PASSWORD})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN, actor=user)
    assert entry.organisation_path == network.root.path
