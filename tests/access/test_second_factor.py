"""The second factor is required for managing, auditing and confidential roles (one middleware):
enrolment with a QR code, ten one-time recovery codes, verification, reset by another admin."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from birlik.access.models import AuditEntry, RecoveryCode, RecoveryDevice, Role

from ..conftest import PASSWORD
from ..factories import GrantFactory, OrganisationFactory, UserFactory, kind, region
from .conftest import code_for, url

CODE = re.compile(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>")


@pytest.fixture(autouse=True)
def required(settings):
    settings.BIRLIK_REQUIRE_2FA = True


@pytest.fixture
def head(network):
    centre = OrganisationFactory(
        parent=network.almaty_house, kind=kind("charity_centre"), region=region("KZ-75")
    )
    user = UserFactory(username="head_almaty")
    GrantFactory(user=user, role=Role.CENTRE_HEAD, organisation=centre)
    return user


def sign_in(client: Client, user, code: str | None = None) -> Client:
    client.post(url("access:login"), {"username": user.username, "password": PASSWORD})
    if code is not None:
        client.post(url("access:login"), {"token": code})
    return client


def enrol(client: Client, user) -> list[str]:
    client.post(url("access:totp"), {"action": "start"})
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(url("access:totp"), {"action": "confirm", "token": code_for(device)})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return CODE.findall(response.content.decode())


@pytest.mark.parametrize("name", ["admin", "coordinator_pavlodar", "auditor", "head"])
def test_a_required_role_without_an_app_is_sent_to_set_one_up(login, network, head, name):
    user = head if name == "head" else network.users[name]
    client = login(user)
    for page in (url("workspace:home"), url("access:grants"), url("access:profile")):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(url("access:totp") + "?next=")
    enrolment = client.get(url("access:totp"))
    assert enrolment.status_code == 200
    assert "your account needs a second factor" in enrolment.content.decode()


def test_a_superuser_without_any_role_also_needs_it(login, network):
    user = network.users["nobody"]
    user.is_superuser = True
    user.save()
    response = login(user).get(url("access:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("access:totp"))


@pytest.mark.parametrize("name", ["staff_pavlodar_house", "analyst", "nobody"])
def test_other_roles_are_not_stopped(login, network, name):
    client = login(network.users[name])
    assert client.get(url("access:profile")).status_code == 200


def test_the_public_portal_is_not_concerned(login, network):
    client = login(network.users["coordinator_pavlodar"])
    assert client.get("/en/").status_code == 200


def test_the_setting_switches_the_requirement_off(login, network, settings):
    settings.BIRLIK_REQUIRE_2FA = False
    client = login(network.users["coordinator_pavlodar"])
    assert client.get(url("workspace:home")).status_code == 200


def test_sign_in_enrol_keep_the_recovery_codes_and_continue(client, network):
    user = network.users["coordinator_pavlodar"]
    sign_in(client, user)
    response = client.get(url("workspace:home"))
    assert response["Location"] == url("access:totp") + "?next=%2Fen%2Fworkspace%2F"
    client.post(url("access:totp"), {"action": "start", "next": "/en/workspace/"})
    page = client.get(url("access:totp"))
    assert "<svg" in page.content.decode()  # the QR code, drawn by segno on the server
    codes = enrol(client, user)
    assert len(codes) == len(set(codes)) == 10
    # kept only as keyed hashes: no code can be read back from the database
    digests = list(RecoveryCode.objects.filter(device__user=user).values_list("digest", flat=True))
    assert len(digests) == 10
    assert not {code.replace("-", "") for code in codes} & {d[:10] for d in digests}
    assert all(code not in digest for code in codes for digest in digests)
    # the session has passed the second factor
    assert client.get(url("workspace:home")).status_code == 200
    assert AuditEntry.objects.filter(
        actor=user, action=AuditEntry.Action.CREATE, changes__recovery_codes=[None, 10]
    ).exists()


def test_a_recovery_code_signs_in_once_instead_of_the_app(network):
    user = network.users["coordinator_pavlodar"]
    first = Client()
    first.force_login(user)
    codes = enrol(first, user)

    second = sign_in(Client(), user, codes[0])
    assert second.get(url("workspace:home")).status_code == 200
    used = RecoveryCode.objects.filter(device__user=user, used_at__isnull=False)
    assert used.count() == 1

    third = Client()
    sign_in(third, user)
    response = third.post(url("access:login"), {"token": codes[0]})
    assert response.status_code == 200
    assert "enter an unused recovery code" in response.content.decode()
    assert "_auth_user_id" not in third.session

    profile = second.get(url("access:profile")).content.decode()
    assert "9 unused recovery codes left." in profile


def test_a_session_signed_in_without_the_code_is_asked_for_it(login, network):
    user = network.users["admin"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = login(user)
    response = client.get(url("access:grants"))
    assert response["Location"] == url("access:verify") + "?next=%2Fen%2Faccount%2Fgrants%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    wrong = client.post(
        url("access:verify"), {"token": code_for(device, offset=5), "next": "/en/account/grants/"}
    )
    assert wrong.status_code == 200
    assert "This code is not right." in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(
        url("access:verify"), {"token": code_for(device), "next": "/en/account/grants/"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/en/account/grants/"
    assert client.get(url("access:grants")).status_code == 200


def test_a_code_from_two_minutes_ago_is_refused(login, network):
    user = network.users["auditor"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = login(user)
    earlier = timezone.now() - datetime.timedelta(minutes=2)
    with freeze_time(earlier):
        old_code = code_for(device)
    response = client.post(url("access:verify"), {"token": old_code})
    assert response.status_code == 200
    assert client.get(url("access:audit")).status_code == 302


def test_recovery_codes_are_renewed_with_the_password_and_the_old_ones_stop(login, network):
    user = network.users["coordinator_pavlodar"]
    client = login(user)
    old = enrol(client, user)
    refused = client.post(url("access:totp"), {"action": "codes", "codes-password": "wrong"})
    assert "The password is not right." in refused.content.decode()
    response = client.post(url("access:totp"), {"action": "codes", "codes-password": PASSWORD})
    new = CODE.findall(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    device = RecoveryDevice.objects.get(user=user)
    assert not device.verify_token(old[0])
    device.throttle_reset()
    assert device.verify_token(new[0])


def test_another_national_admin_resets_a_second_factor(login, network):
    coordinator = network.users["coordinator_pavlodar"]
    enrol(login(coordinator), coordinator)
    other_admin = UserFactory(username="admin_two")
    GrantFactory(user=other_admin, role=Role.NATIONAL_ADMIN, organisation=network.root)
    client = Client()
    client.force_login(other_admin)
    TOTPDevice.objects.create(user=other_admin, name="phone", confirmed=True)
    verified = client.post(
        url("access:verify"), {"token": code_for(TOTPDevice.objects.get(user=other_admin))}
    )
    assert verified.status_code == 302
    page = client.get(url("access:second_factor_reset", coordinator.pk))
    assert page.status_code == 200
    assert "Reset the second factor" in page.content.decode()
    response = client.post(url("access:second_factor_reset", coordinator.pk))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not RecoveryDevice.objects.filter(user=coordinator).exists()
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.DELETE, object_id=str(coordinator.pk), actor=other_admin
    )
    assert "second_factor" in entry.changes
    # its next session is sent to set up a new app
    again = Client()
    again.force_login(coordinator)
    assert again.get(url("workspace:home"))["Location"].startswith(url("access:totp"))


def test_nobody_resets_their_own_second_factor(network, settings):
    settings.BIRLIK_REQUIRE_2FA = False
    admin = network.users["admin"]
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client = Client()
    client.force_login(admin)
    page = client.get(url("access:second_factor_reset", admin.pk))
    assert page.status_code == 200
    assert "You may not reset your own second factor." in page.content.decode()
    client.post(url("access:second_factor_reset", admin.pk))
    assert TOTPDevice.objects.filter(user=admin).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("admin", 200),
        ("coordinator_pavlodar", 403),
        ("coordinator_almaty", 403),
        ("staff_pavlodar_house", 403),
        ("analyst", 403),
        ("auditor", 403),
        ("head", 403),
        ("nobody", 403),
        ("anonymous", 302),
    ],
)
def test_the_reset_page_answers_each_role(network, head, settings, name, status):
    settings.BIRLIK_REQUIRE_2FA = False  # the roles themselves, not the second factor
    target = network.users["staff_pavlodar_house"]
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    client = Client()
    if name != "anonymous":
        client.force_login(head if name == "head" else network.users[name])
    assert client.get(url("access:second_factor_reset", target.pk)).status_code == status
    response = client.post(url("access:second_factor_reset", target.pk))
    assert response.status_code == (302 if name in {"admin", "anonymous"} else 403)
    assert TOTPDevice.objects.filter(user=target).exists() == (name != "admin")


def test_the_reset_needs_the_csrf_token(network, settings):
    settings.BIRLIK_REQUIRE_2FA = False
    target = network.users["staff_pavlodar_house"]
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(network.users["admin"])
    assert client.post(url("access:second_factor_reset", target.pk)).status_code == 403
    assert TOTPDevice.objects.filter(user=target).exists()


@pytest.mark.parametrize(
    "name", ["admin", "coordinator_pavlodar", "staff_pavlodar_house", "analyst", "auditor", "head"]
)
def test_the_verification_page_answers_each_role(network, head, name):
    user = head if name == "head" else network.users[name]
    client = Client()
    client.force_login(user)
    # without an app: to the set-up page; with one: the form
    assert client.get(url("access:verify"))["Location"].startswith(url("access:totp"))
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    assert client.get(url("access:verify")).status_code == 200
    anonymous = Client().get(url("access:verify"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(url("access:login"))
