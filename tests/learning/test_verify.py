"""The public check of a certificate: valid, revoked (since when), unknown (404); the holder's
name as printed, the course, hours, date and issuer — no other personal data; a typed code is
read leniently and rate limited per address; a QR code of a real certificate is never refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time

from birlik.learning import services
from birlik.learning.models import grouped_code, normalise_code

from .factories import certificate_for, make_term

EN_VERIFY = "/en/learning/certificates/"


@pytest.fixture
def issued(learning):
    person = learning.house_term.person
    person.birth_date = datetime.date(1988, 4, 2)
    person.phone = "+77017654321"
    person.email = "aizhan@example.kz"
    person.save()
    return certificate_for(person, learning.course, datetime.date(2025, 5, 20))


def _verify(client, certificate):
    with translation.override("en"):
        url = reverse("learning_portal:verify", kwargs={"code": certificate.code})
    return client.get(url)


def test_a_valid_certificate_shows_what_it_states_and_nothing_else(client, issued, learning):
    response = _verify(client, issued)
    page = response.content.decode()

    assert response.status_code == 200
    assert "Valid: this certificate was issued as shown below" in page
    for shown in (issued.holder_name, "Working in a house of friendship", "24", "20 May 2025"):
        assert shown in page, shown
    assert "APK Academy" in page and issued.number in page
    for hidden in (
        "1988",
        "02.04.1988",
        "+77017654321",
        "aizhan@example.kz",
        "House of Friendship",
    ):
        assert hidden not in page, hidden
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_revoked_certificate_says_so_with_the_date(client, issued, learning):
    with freeze_time("2025-09-03 12:00:00"):
        services.certificate_revoke(
            actor=learning.academy_staff, certificate=issued, reason="Құжат қате"
        )
    page = _verify(client, issued).content.decode()

    assert "Revoked on 3 September 2025: this certificate is no longer valid." in page
    assert "Valid:" not in page
    assert "Құжат қате" not in page  # the reason is the staff's, not the public's


def test_an_unknown_code_is_a_clear_not_found_page(client, learning):
    response = client.get(EN_VERIFY + "ZZZZ-ZZZZ-ZZZZ-ZZZZ/")
    assert response.status_code == 404
    assert "No such certificate" in response.content.decode()
    assert client.get(EN_VERIFY + "not-a-code/").status_code == 404


def test_a_code_in_other_case_or_grouped_leads_to_the_certificate(client, issued):
    response = client.get(EN_VERIFY + grouped_code(issued.code).lower() + "/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{issued.code}/")


def test_typed_codes_are_read_leniently():
    assert normalise_code(" abcd-efgh jk0o-1il2 ") == "ABCDEFGHJK001112"
    assert normalise_code("ABCD") == ""
    assert normalise_code("ABCD-EFGH-JKMN-PQRU") == ""  # U is not in the alphabet


def test_the_check_form_finds_a_typed_code(client, issued):
    response = client.post(EN_VERIFY, {"code": grouped_code(issued.code).lower()})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{issued.code}/")


def test_the_check_form_says_when_no_certificate_has_the_code(client, learning):
    response = client.post(EN_VERIFY, {"code": "0000-0000-0000-0000"})
    assert response.status_code == 404
    assert "No certificate has this verification code" in response.content.decode()
    assert client.get(EN_VERIFY).status_code == 200
    assert client.post(EN_VERIFY, {"code": ""}).status_code == 400


def test_typed_codes_are_rate_limited_per_address(client, issued, settings):
    settings.RATE_CERTIFICATE_CHECKS = "3/h"
    for _ in range(3):
        assert client.post(EN_VERIFY, {"code": "0000-0000-0000-0000"}).status_code == 404
    refused = client.post(EN_VERIFY, {"code": issued.code})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    # Scanning a real certificate's QR code is never refused.
    assert _verify(client, issued).status_code == 200


def test_unknown_codes_asked_by_address_count_against_the_same_rate(client, settings, learning):
    settings.RATE_CERTIFICATE_CHECKS = "2/h"
    assert client.get(EN_VERIFY + "1111-1111-1111-1111/").status_code == 404
    assert client.get(EN_VERIFY + "2222-2222-2222-2222/").status_code == 404
    assert client.get(EN_VERIFY + "3333-3333-3333-3333/").status_code == 429


def test_the_verification_code_is_not_the_number(issued, learning):
    other = certificate_for(
        make_term(learning.network.pavlodar_house).person, learning.course, timezone.localdate()
    )
    assert issued.code != other.code
    assert issued.number not in issued.code and len(issued.code) == 16
