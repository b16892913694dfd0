"""Participants' accounts: joining with a phone or an e-mail, the one-time code that confirms
it, the youth activist of the registry, a forgotten password, and where a participant lands."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from freezegun import freeze_time

from birlik.access import services
from birlik.access.models import AccountConsent, AuditEntry, ContactCode, User
from birlik.notify.models import Notice
from birlik.registry.models import Membership

from ..conftest import PASSWORD
from ..factories import MembershipFactory, PersonFactory, UserFactory
from .conftest import url

NEW_PASSWORD = "steppe-wind-1917"
PHONE = "+77012345678"


def page(response) -> str:
    return html.unescape(response.content.decode())


def join(client: Client, contact: str = "8 (701) 234-56-78", *, query: str = "", **extra):
    data = {
        "full_name": "Айгерім Сейітова",
        "contact": contact,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "consent": "on",
        **extra,
    }
    return client.post(url("access:join", query=query), data)


def last_code(recipient: str) -> str:
    notice = Notice.objects.filter(recipient=recipient).order_by("-id").first()
    assert notice is not None, f"no notice to {recipient}"
    found = re.search(r"\b(\d{6})\b", notice.body)
    assert found is not None
    return found.group(1)


def verify(client: Client, code: str, *, channel: str = "phone", query: str = ""):
    return client.post(
        url("access:verify_contact", query=query),
        {"action": "verify", "channel": channel, "code": code},
    )


def signed_in(client: Client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


# --- Joining ------------------------------------------------------------------------------


def test_a_participant_joins_with_a_phone_is_signed_in_and_sent_to_the_code_page(client, db):
    response = join(client)

    assert response.status_code == 302
    assert response["Location"] == url("access:verify_contact")
    user = signed_in(client)
    assert user is not None
    assert (user.username, user.phone, user.email) == (PHONE, PHONE, "")
    assert user.full_name == "Айгерім Сейітова"
    assert not user.contact_verified
    assert user.check_password(NEW_PASSWORD)
    consent = AccountConsent.objects.get(user=user)
    assert consent.text_version == services.PARTICIPANT_CONSENT_VERSION
    assert consent.given_at is not None
    notice = Notice.objects.get(recipient=PHONE)
    assert notice.channel == "sms"
    # The code itself is never stored: only its keyed digest.
    code = last_code(PHONE)
    row = ContactCode.objects.get(user=user)
    assert code not in row.digest and len(row.digest) == 64
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE, object_id=str(user.pk)
    ).exists()

    with translation.override("en"):
        text = page(client.get(url("access:verify_contact")))
    assert "We have sent a 6-digit code to" in text and PHONE in text


def test_a_participant_joins_with_an_e_mail_in_any_letter_case(client, db):
    response = join(client, " Aigerim.S@Mail.KZ ")

    assert response.status_code == 302
    user = signed_in(client)
    assert (user.username, user.email, user.phone) == ("aigerim.s@mail.kz", "aigerim.s@mail.kz", "")
    notice = Notice.objects.get(recipient="aigerim.s@mail.kz")
    assert notice.channel == "email"
    assert notice.subject


def test_the_code_goes_out_in_the_language_the_participant_joined_in(client, db):
    with translation.override("ru"):
        address = reverse("access:join")
        expected = services.participant_consent_text()
        response = client.post(
            address,
            {
                "full_name": "Айгерим",
                "contact": "+7 701 234 56 78",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "consent": "on",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(username=PHONE)
    assert user.language == "ru"
    notice = Notice.objects.get(recipient=PHONE)
    assert notice.language == "ru"
    with translation.override("ru"):
        wanted = services.gettext(
            "Birlik: your confirmation code is %(code)s. It is valid for %(minutes)s "
            "minutes. Do not tell it to anyone."
        ) % {"code": last_code(PHONE), "minutes": 15}
    assert notice.body == wanted
    assert str(expected)  # the consent text is a translatable string


def test_a_phone_already_taken_is_refused_without_saying_whose_it_is(client, db):
    UserFactory(username=PHONE, full_name="Ержан Құпиясов", phone=PHONE)

    with translation.override("en"):
        response = join(client, "8 701 234 56 78")
        text = page(response)

    assert response.status_code == 200
    assert "If this number is yours, sign in or reset the password." in text
    assert "Ержан" not in text and "Құпиясов" not in text
    assert User.objects.filter(username=PHONE).count() == 1
    assert signed_in(client) is None
    assert not Notice.objects.exists()


def test_an_e_mail_another_account_has_confirmed_is_refused(client, db):
    UserFactory(username="staff.member", email="Aigerim@Mail.kz", email_verified_at=timezone.now())

    with translation.override("en"):
        text = page(join(client, "aigerim@mail.kz"))

    assert "If this e-mail is yours, sign in or reset the password." in text
    assert not User.objects.filter(username="aigerim@mail.kz").exists()


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ("", "Give your mobile phone number or your e-mail."),
        ("12345", "A phone number has 11 digits"),
        ("+1 212 555 0100", "Only Kazakhstan numbers (+7) can be kept."),
        ("+7 7182 32 00 00", "Give a mobile number (e.g. +7 701 234 56 78)"),
        ("name@", "Give a valid e-mail address, for example name@example.kz."),
    ],
)
def test_a_contact_that_is_neither_a_mobile_number_nor_an_e_mail_is_explained(
    client, db, contact, message
):
    with translation.override("en"):
        response = join(client, contact)
        text = page(response)
    assert response.status_code == 200
    assert message in text
    assert not User.objects.exists()


def test_joining_needs_consent_matching_passwords_and_a_strong_password(client, db):
    with translation.override("en"):
        no_consent = page(join(client, consent=""))
        differ = page(join(client, password2="something-else-42"))
        weak = page(join(client, password1="12345", password2="12345"))
    assert "An account needs your consent to the processing of your personal data." in no_consent
    assert "The two passwords differ." in differ
    assert "This password is too short." in weak
    assert not User.objects.exists()


def test_a_signed_in_person_is_not_offered_a_second_account(client, network):
    client.force_login(network.users["staff_pavlodar_house"])
    response = client.get(url("access:join"))
    assert response.status_code == 302
    assert response["Location"] == url("access:profile")


# --- The one-time code --------------------------------------------------------------------


def test_the_right_code_confirms_the_phone_and_leads_to_the_profile(client, db):
    join(client)

    response = verify(client, last_code(PHONE))

    assert response.status_code == 302
    assert response["Location"] == url("access:profile")
    user = User.objects.get(username=PHONE)
    assert user.phone_verified_at is not None
    assert user.contact_verified
    assert not ContactCode.objects.filter(user=user).exists()  # used up
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE,
        object_id=str(user.pk),
        changes__has_key="phone_verified_at",
    ).exists()
    with translation.override("en"):
        text = page(client.get(url("access:profile")))
    assert "confirmed on" in text


def test_a_wrong_code_is_refused_and_counted(client, db):
    join(client)
    code = last_code(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    with translation.override("en"):
        text = page(verify(client, wrong))

    assert "This code is not right. You may try 4 more times." in text
    user = User.objects.get(username=PHONE)
    assert user.phone_verified_at is None
    assert ContactCode.objects.get(user=user).attempts == 1


def test_a_code_is_refused_once_expired(client, db):
    join(client)
    code = last_code(PHONE)

    later = timezone.now() + datetime.timedelta(minutes=16)
    with freeze_time(later), translation.override("en"):
        text = page(verify(client, code))

    assert "This code has expired. Ask for a new code." in text
    assert User.objects.get(username=PHONE).phone_verified_at is None


def test_after_five_wrong_codes_even_the_right_one_is_refused(client, db):
    join(client)
    code = last_code(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _attempt in range(5):
        verify(client, wrong)

    with translation.override("en"):
        text = page(verify(client, code))

    assert "Too many wrong codes. Ask for a new code." in text
    assert User.objects.get(username=PHONE).phone_verified_at is None


def test_a_code_that_is_not_six_digits_is_explained(client, db):
    join(client)
    with translation.override("en"):
        text = page(verify(client, "12ab"))
    assert "Enter the 6 digits of the code we sent you." in text
    assert ContactCode.objects.get().attempts == 0


def test_a_new_code_replaces_the_last_one(client, db):
    join(client)
    first = last_code(PHONE)

    response = client.post(url("access:verify_contact"), {"action": "send", "channel": "phone"})

    assert response.status_code == 302
    assert Notice.objects.filter(recipient=PHONE).count() == 2
    second = last_code(PHONE)
    if first != second:
        verify(client, first)
        assert User.objects.get(username=PHONE).phone_verified_at is None
    verify(client, second)
    assert User.objects.get(username=PHONE).phone_verified_at is not None


def test_new_codes_are_limited_per_client_and_the_page_says_when_to_ask_again(client, db, settings):
    settings.RATE_CONTACT_CODES = "2/h"
    join(client)  # the first code counts
    client.post(url("access:verify_contact"), {"action": "send", "channel": "phone"})

    with translation.override("en"):
        response = client.post(url("access:verify_contact"), {"action": "send", "channel": "phone"})
        text = page(response)

    assert response.status_code == 429
    assert "Too many codes were asked for. Ask for a new code in 60 minutes." in text
    assert Notice.objects.filter(recipient=PHONE).count() == 2


def test_new_codes_are_limited_per_phone_whatever_the_client(client, db, settings):
    settings.RATE_CONTACT_CODES = "2/h"
    join(client)
    client.post(url("access:verify_contact"), {"action": "send", "channel": "phone"})
    user = User.objects.get(username=PHONE)
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    elsewhere.force_login(user)

    response = elsewhere.post(url("access:verify_contact"), {"action": "send", "channel": "phone"})

    assert response.status_code == 429
    assert Notice.objects.filter(recipient=PHONE).count() == 2


def test_joining_from_one_client_is_limited_too(client, db, settings):
    settings.RATE_CONTACT_CODES = "1/h"
    join(client)
    client.logout()

    with translation.override("en"):
        response = join(client, "+7 702 000 00 00")
        text = page(response)

    assert response.status_code == 429
    assert "Ask for a new code in" in text
    assert not User.objects.filter(username="+77020000000").exists()


# --- Where people land ----------------------------------------------------------------------


def test_a_safe_next_is_followed_after_the_code(client, db):
    target = url("access:password")
    response = join(client, query=urlencode({"next": target}))
    assert response["Location"] == url("access:verify_contact", query=urlencode({"next": target}))

    response = verify(client, last_code(PHONE), query=f"next={target}")

    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/x"])
def test_an_unsafe_next_is_ignored(client, db, unsafe):
    response = join(client, query=f"next={unsafe}")
    assert "evil" not in response["Location"]

    response = verify(client, last_code(PHONE), query=f"next={unsafe}")

    assert response["Location"] == url("access:profile")


def test_a_participant_signs_in_with_the_phone_typed_another_way_and_lands_on_the_portal(
    client, db
):
    UserFactory(username=PHONE, phone=PHONE)

    response = client.post(
        url("access:login"), {"username": "8 (701) 234 56 78", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert signed_in(client).username == PHONE


def test_a_participant_signing_in_with_next_goes_there(client, db):
    UserFactory(username="aigerim@mail.kz", email="aigerim@mail.kz")
    target = url("access:profile")

    response = client.post(
        url("access:login", query=f"next={target}"),
        {"username": "Aigerim@Mail.kz", "password": PASSWORD},
    )

    assert response["Location"] == target


def test_staff_still_land_in_the_workspace(client, network):
    user = network.users["staff_pavlodar_house"]
    response = client.post(url("access:login"), {"username": user.username, "password": PASSWORD})
    assert response["Location"] == reverse("workspace:home")


def test_a_participant_cannot_open_the_workspace(client, db):
    join(client)
    verify(client, last_code(PHONE))

    assert client.get(reverse("workspace:home")).status_code == 403
    with translation.override("en"):
        text = page(client.get(url("access:profile")))
    # Staff-only parts of the account page are not shown to a participant.
    assert "Channels for alerts" not in text
    assert "Ask your coordinator" not in text


# --- The youth activist of the registry -----------------------------------------------------


def activist(network, phone: str, **membership):
    person = PersonFactory(registered_by=network.pavlodar_house, phone=phone)
    MembershipFactory(
        person=person,
        organisation=network.pavlodar_house,
        role=Membership.Role.ACTIVIST,
        **membership,
    )
    return person


def test_a_confirmed_phone_of_a_registry_activist_links_the_account(client, network):
    person = activist(network, "8 (701) 234-56-78")

    join(client, "+7 701 234 56 78")
    verify(client, last_code(PHONE))

    user = User.objects.get(username=PHONE)
    assert user.person == person
    entry = AuditEntry.objects.get(object_id=str(user.pk), changes__has_key="person")
    assert entry.organisation_path == network.pavlodar_house.path
    with translation.override("en"):
        text = page(client.get(url("access:profile")))
    assert f"Youth activist of {network.pavlodar_house.name_en}" in text
    assert person.last_name not in text  # the account sees no more than the body


def test_no_link_before_the_phone_is_confirmed(client, network):
    activist(network, PHONE)
    join(client)
    with translation.override("en"):
        text = page(client.get(url("access:profile")))
    assert "Youth activist" not in text
    assert User.objects.get(username=PHONE).person is None


@pytest.mark.parametrize("case", ["ended", "shared", "member"])
def test_no_link_to_a_former_activist_a_shared_phone_or_another_role(client, network, case):
    if case == "ended":
        activist(network, PHONE, end_date=datetime.date(2024, 12, 31))
    elif case == "shared":
        activist(network, PHONE)
        activist(network, "+7 (701) 234 56 78")
    else:
        person = PersonFactory(registered_by=network.pavlodar_house, phone=PHONE)
        MembershipFactory(person=person, organisation=network.pavlodar_house)

    join(client)
    verify(client, last_code(PHONE))

    user = User.objects.get(username=PHONE)
    assert user.phone_verified_at is not None
    assert user.person is None


# --- Staff confirm their contacts too -------------------------------------------------------


def test_a_member_of_staff_confirms_the_e_mail_from_the_profile(login, network):
    user = network.users["staff_pavlodar_house"]
    user.email = "aigul@birlik.test"
    user.save(update_fields=["email"])
    client = login(user)

    with translation.override("en"):
        profile = page(client.get(url("access:profile")))
        start = page(client.get(url("access:verify_contact", query="channel=email")))
    assert "not confirmed" in profile and "Confirm with a code" in profile
    assert "We will send a 6-digit code to" in start and "aigul@birlik.test" in start

    client.post(url("access:verify_contact"), {"action": "send", "channel": "email"})
    response = verify(client, last_code("aigul@birlik.test"), channel="email")

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert user.contact_verified


def test_an_account_without_contacts_is_told_so(login, network):
    client = login(network.users["analyst"])
    with translation.override("en"):
        text = page(client.get(url("access:verify_contact")))
    assert "Your account has no phone or e-mail to confirm." in text


def test_the_code_page_needs_a_sign_in(client, db):
    response = client.get(url("access:verify_contact"))
    assert response.status_code == 302
    assert url("access:login") in response["Location"]


# --- A forgotten password -------------------------------------------------------------------


def test_a_participant_sets_a_new_password_with_a_code_and_is_signed_in(client, db):
    UserFactory(username=PHONE, phone=PHONE)

    response = client.post(url("access:password_reset"), {"contact": "87012345678"})
    assert response["Location"] == url("access:password_reset_code")
    response = client.post(
        url("access:password_reset_code"),
        {
            "action": "reset",
            "code": last_code(PHONE),
            "password1": "a-brand-new-secret-7",
            "password2": "a-brand-new-secret-7",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    user = User.objects.get(username=PHONE)
    assert user.check_password("a-brand-new-secret-7")
    assert user.phone_verified_at is not None  # the code proved the phone too
    assert signed_in(client) == user


def test_the_reset_page_answers_alike_for_an_unknown_contact_or_a_staff_login(client, network):
    staff = network.users["staff_pavlodar_house"]
    staff.username = "aigul@birlik.test"
    staff.email = "aigul@birlik.test"
    staff.save(update_fields=["username", "email"])

    for contact in ("+7 705 111 22 33", "aigul@birlik.test"):
        response = client.post(url("access:password_reset"), {"contact": contact})
        assert response["Location"] == url("access:password_reset_code")
    assert not Notice.objects.exists()

    with translation.override("en"):
        text = page(
            client.post(
                url("access:password_reset_code"),
                {
                    "action": "reset",
                    "code": "123456",
                    "password1": "a-brand-new-secret-7",
                    "password2": "a-brand-new-secret-7",
                },
            )
        )
    assert "No code was sent to this address yet." in text
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)
