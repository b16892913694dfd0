"""My account: the channels by which alerts reach a person, and the address each one needs."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from birlik.access import services
from birlik.access.models import AuditEntry, User

from .conftest import url

ALERTS = {"part": "alerts"}


def page(response) -> str:
    return html.unescape(response.content.decode())


def channel_updates(user: User):
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, object_id=str(user.pk), changes__has_key="alert_channels"
    )


@pytest.fixture
def staff(network) -> User:
    user = network.users["staff_pavlodar_house"]
    user.email = "aigerim@birlik.test"
    user.save(update_fields=["email"])
    return user


def test_a_new_account_gets_alerts_by_e_mail_and_the_page_shows_it_ticked(login, staff):
    assert staff.alert_channels == ["email"]

    text = login(staff).get(url("access:profile")).content.decode()

    assert "Channels for alerts" in text
    assert 'name="alert_channels" value="email"' in text
    checked = text.split('value="email"', 1)[1].split(">", 1)[0]
    assert "checked" in checked
    assert "aigerim@birlik.test" in text  # where the e-mail goes


def test_sms_and_telegram_are_saved_with_the_phone_in_one_form_and_audited(login, staff):
    client = login(staff)

    response = client.post(
        url("access:profile"),
        {
            **ALERTS,
            "alert_channels": ["telegram", "sms"],
            "phone": "8 (701) 234-56-78",
            "telegram_chat_id": " 123456789 ",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("access:profile")
    assert "Your channels for alerts have been saved." in page(response)
    staff.refresh_from_db()
    assert (staff.phone, staff.telegram_chat_id) == ("+77012345678", "123456789")
    assert staff.alert_channels == ["sms", "telegram"]
    (entry,) = channel_updates(staff)
    assert entry.actor == staff
    assert entry.changes == {
        "alert_channels": [["email"], ["sms", "telegram"]],
        "phone": ["", "+77012345678"],
        "telegram_chat_id": ["", "123456789"],
    }


def test_saving_the_same_choice_again_writes_no_audit_row(login, staff):
    client = login(staff)
    data = {**ALERTS, "alert_channels": ["email", "sms"], "phone": "+7 701 234 56 78"}
    client.post(url("access:profile"), data)
    client.post(url("access:profile"), {**data, "phone": "87012345678"})

    assert channel_updates(staff).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"alert_channels": ["sms"], "phone": ""},
            "Alerts by SMS need your phone number: give it, or untick SMS.",
        ),
        (
            {"alert_channels": ["telegram"], "telegram_chat_id": ""},
            "Alerts by Telegram need your Telegram chat id: give it, or untick Telegram.",
        ),
        ({}, "Choose at least one of: e-mail, SMS, Telegram."),
        (
            {"alert_channels": ["sms"], "phone": "12345"},
            "A phone number has 11 digits with the code, e.g. 8 701 234 56 78 or +7 7182 32 00 00.",
        ),
        (
            {"alert_channels": ["sms"], "phone": "+44 20 7946 0958"},
            "Only Kazakhstan numbers (+7) can be kept.",
        ),
        (
            {"alert_channels": ["telegram"], "telegram_chat_id": "@aigerim"},
            "A Telegram chat id is a number, e.g. 123456789 (a group's starts with a minus).",
        ),
        ({"alert_channels": ["fax"]}, "Select a valid choice. fax is not one of the available"),
    ],
)
def test_a_channel_without_a_usable_address_is_refused_with_a_message(login, staff, data, message):
    client = login(staff)

    response = client.post(url("access:profile"), {**ALERTS, **data})

    assert response.status_code == 200
    assert message in page(response)
    assert "Please correct the following:" in page(response)
    staff.refresh_from_db()
    assert (staff.alert_channels, staff.phone, staff.telegram_chat_id) == (["email"], "", "")
    assert not channel_updates(staff).exists()


def test_e_mail_cannot_be_chosen_by_an_account_without_an_address(login, network):
    user = network.users["analyst"]
    assert user.email == ""
    client = login(user)

    response = client.post(
        url("access:profile"),
        {**ALERTS, "alert_channels": ["email", "sms"], "phone": "+77012345678"},
    )

    assert response.status_code == 200
    assert "Your account has no e-mail address: ask your administrator" in page(response)
    user.refresh_from_db()
    assert user.phone == ""

    fixed = client.post(
        url("access:profile"), {**ALERTS, "alert_channels": ["sms"], "phone": "+77012345678"}
    )

    assert fixed.status_code == 302
    user.refresh_from_db()
    assert (user.alert_channels, user.phone) == (["sms"], "+77012345678")


def test_saving_the_name_keeps_the_channels_and_saving_the_channels_keeps_the_name(login, staff):
    staff.alert_channels, staff.phone = ["sms"], "+77012345678"
    staff.save(update_fields=["alert_channels", "phone"])
    client = login(staff)

    client.post(url("access:profile"), {"full_name": "Айгерім Сейітова", "language": "en"})
    staff.refresh_from_db()
    assert (staff.full_name, staff.alert_channels, staff.phone) == (
        "Айгерім Сейітова",
        ["sms"],
        "+77012345678",
    )

    client.post(url("access:profile"), {**ALERTS, "alert_channels": ["email"], "phone": ""})
    staff.refresh_from_db()
    assert (staff.full_name, staff.alert_channels, staff.phone) == (
        "Айгерім Сейітова",
        ["email"],
        "",
    )


def test_the_kazakh_page_shows_the_channel_form_in_kazakh(login, staff):
    with translation.override("kk"):
        address = reverse("access:profile")
        legend, heading = gettext("Send me alerts by"), gettext("Channels for alerts")

    text = page(login(staff).get(address))

    assert address.startswith("/kk/")
    assert legend in text and heading in text


def test_the_service_refuses_what_the_form_would_not_send(staff, network):
    other = network.users["analyst"]
    with (
        translation.override("en"),
        pytest.raises(services.AccessError, match="only your own account"),
    ):
        services.user_update_alert_channels(
            actor=other, user=staff, phone="", telegram_chat_id="", alert_channels=["email"]
        )
    with pytest.raises(services.AccessError) as refused:
        services.user_update_alert_channels(
            actor=staff, user=staff, phone="", telegram_chat_id="", alert_channels=["sms"]
        )
    assert refused.value.field == "phone"
    with pytest.raises(services.AccessError) as unknown:
        services.user_update_alert_channels(
            actor=staff, user=staff, phone="", telegram_chat_id="", alert_channels=["email", "fax"]
        )
    assert unknown.value.field == "alert_channels"
    with pytest.raises(services.AccessError) as empty:
        services.user_update_alert_channels(
            actor=staff, user=staff, phone="", telegram_chat_id="", alert_channels=[]
        )
    assert empty.value.field == "alert_channels"
    staff.refresh_from_db()
    assert staff.alert_channels == ["email"]
    assert not channel_updates(staff).exists()


def test_a_new_phone_number_is_no_longer_verified_until_its_code_is_entered(staff):
    from django.utils import timezone

    staff.phone = "+77011112233"
    staff.phone_verified_at = timezone.now()
    staff.save(update_fields=["phone", "phone_verified_at"])
    services.user_update_alert_channels(
        actor=staff, user=staff, phone="+77011112233", telegram_chat_id="", alert_channels=["sms"]
    )
    staff.refresh_from_db()
    assert staff.phone_verified_at is not None  # the same number stays verified
    services.user_update_alert_channels(
        actor=staff, user=staff, phone="+77019998877", telegram_chat_id="", alert_channels=["sms"]
    )
    staff.refresh_from_db()
    assert staff.phone == "+77019998877"
    assert staff.phone_verified_at is None
    assert not staff.contact_verified


# --- The Django admin ------------------------------------------------------------------------


@pytest.fixture
def admin_client(login, network):
    user = network.users["admin"]
    user.is_staff = True
    user.save()
    return login(user)


def test_the_admin_user_form_shows_the_alert_fields(admin_client, staff):
    text = admin_client.get(url("admin:access_user_change", staff.pk)).content.decode()

    assert 'name="phone"' in text
    assert 'name="telegram_chat_id"' in text
    assert 'type="checkbox" name="alert_channels" value="sms"' in text


def test_the_admin_saves_a_normalised_phone_and_audits_it(admin_client, staff, network):
    response = admin_client.post(
        url("admin:access_user_change", staff.pk),
        {
            "username": staff.username,
            "full_name": staff.full_name,
            "email": staff.email,
            "language": staff.language,
            "alert_channels": ["email", "sms"],
            "phone": "8 701 234 56 78",
            "telegram_chat_id": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302, page(response)[:3000]
    staff.refresh_from_db()
    assert (staff.alert_channels, staff.phone) == (["email", "sms"], "+77012345678")
    entry = AuditEntry.objects.filter(object_id=str(staff.pk), note="admin").latest("at")
    assert entry.actor == network.users["admin"]
    assert entry.changes["phone"] == ["", "+77012345678"]


def test_the_admin_refuses_a_wrong_phone_and_no_channel(admin_client, staff):
    response = admin_client.post(
        url("admin:access_user_change", staff.pk),
        {
            "username": staff.username,
            "full_name": staff.full_name,
            "email": staff.email,
            "language": staff.language,
            "phone": "12345",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    text = page(response)
    assert "A phone number has 11 digits with the code" in text
    assert "Choose at least one of: e-mail, SMS, Telegram." in text
    staff.refresh_from_db()
    assert staff.phone == ""
