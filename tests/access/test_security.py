"""Setting up and removing the authenticator app (second factor)."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from birlik.access.models import AuditEntry

from ..conftest import PASSWORD
from .conftest import code_for, url


def test_security_page_offers_to_set_up_an_app(login, network):
    client = login(network.users["staff_pavlodar_house"])
    text = client.get(url("access:totp")).content.decode()
    assert "Set up an authenticator app" in text


def test_setting_up_shows_an_inline_qr_code_and_the_key_then_confirms_with_a_code(login, network):
    user = network.users["staff_pavlodar_house"]
    client = login(user)
    response = client.post(url("access:totp"), {"action": "start"})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed

    text = client.get(url("access:totp")).content.decode()
    assert "<svg" in text  # drawn by the server, no image from elsewhere
    assert "http" not in text.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    secret = text.split('<code class="secret">', 1)[1].split("</code>", 1)[0]
    assert len(secret.replace(" ", "")) == 32

    response = client.post(url("access:totp"), {"action": "confirm", "token": code_for(device)})
    assert response.status_code == 200
    assert "Your recovery codes" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, actor=user).exists()


def test_a_wrong_code_does_not_confirm_the_app(login, network):
    user = network.users["staff_pavlodar_house"]
    client = login(user)
    client.post(url("access:totp"), {"action": "start"})
    device = TOTPDevice.objects.get(user=user)
    response = client.post(
        url("access:totp"), {"action": "confirm", "token": code_for(device, offset=20)}
    )
    assert response.status_code == 200
    assert "This code is not right." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_removing_the_app_asks_for_the_password_again(login, network):
    user = network.users["staff_pavlodar_house"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = login(user)
    response = client.post(url("access:totp"), {"action": "remove", "password": "not-mine"})
    assert response.status_code == 200
    assert "The password is not right." in response.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()

    response = client.post(url("access:totp"), {"action": "remove", "password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, actor=user).exists()


def test_security_page_needs_a_signed_in_user(client, network):
    response = client.get(url("access:totp"))
    assert response.status_code == 302
    assert url("access:login") in response["Location"]
