"""The public side: a partner's request registered with the Centre (number, private status link,
notices through the outbox), the trap for robots, the rate limit, bad input, and the year's
figures page (aggregates only)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from birlik.diplomacy import services
from birlik.diplomacy.models import InternationalRequest
from birlik.notify.models import Notice
from birlik.registry.models import Organisation

from .factories import TODAY, make_request, make_visit

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict[str, str]:
    data = {
        "requester_name": "Konrad-Adenauer-Stiftung, Almaty office",
        "requester_kind": "research_centre",
        "country": "DE",
        "email": "kas.partner@example.org",
        "topic": "research",
        "text": "We propose a joint study of language policy in the regions.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def _url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def test_a_partner_sends_a_request_and_follows_it_by_the_private_link(client, diplomacy):
    page = client.get(_url("diplomacy_portal:request"))
    assert page.status_code == 200
    assert 'name="website"' in page.content.decode()
    response = client.post(_url("diplomacy_portal:request"), _form())
    assert response.status_code == 302
    item = InternationalRequest.objects.get()
    assert (item.organisation, item.number, item.channel) == (
        diplomacy.centre,
        "PD-2025-0001",
        "portal",
    )
    assert (item.received_on, item.language, item.requester_contact) == (
        TODAY,
        "en",
        "kas.partner@example.org",
    )
    assert item.consent_given_at is not None
    received = client.get(response["Location"])
    text = received.content.decode()
    assert "PD-2025-0001" in text and item.token in text
    assert received["Cache-Control"] == "private, no-store"
    # The Centre's staff are told, and the partner gets the link, through the outbox.
    notices = {notice.recipient: notice for notice in Notice.objects.all()}
    assert set(notices) == {"centre@example.kz", "kas.partner@example.org"}
    assert "PD-2025-0001" in notices["centre@example.kz"].body
    assert item.token in notices["kas.partner@example.org"].body

    status = client.get(_url("diplomacy_portal:status", token=item.token))
    assert status.status_code == 200
    assert status["X-Robots-Tag"] == "noindex, nofollow"
    assert "PD-2025-0001" in status.content.decode()
    assert "kas.partner@example.org" not in status.content.decode()

    staff = diplomacy.staff
    services.request_take_on(actor=staff, request=item)
    services.request_answer(
        actor=staff,
        request=item,
        text="We welcome the study: see the attached plan.",
        answered_on=TODAY,
    )
    answered = client.get(_url("diplomacy_portal:status", token=item.token)).content.decode()
    assert "We welcome the study" in answered
    assert Notice.objects.filter(
        recipient="kas.partner@example.org", idempotency_key__endswith=":answered"
    ).exists()


def test_the_status_link_shows_only_its_own_request(client, diplomacy):
    first = make_request(diplomacy.staff, diplomacy.centre, requester_name="Embassy of Japan")
    second = make_request(diplomacy.staff, diplomacy.centre, requester_name="Sejm of Poland")
    services.request_decline(actor=diplomacy.staff, request=second, reason="Not our topic, sorry.")
    text = client.get(_url("diplomacy_portal:status", token=first.token)).content.decode()
    assert "Embassy of Japan" in text
    assert "Sejm of Poland" not in text and second.number not in text
    assert "Jan Kowalski" not in text  # the contact is never shown there
    declined = client.get(_url("diplomacy_portal:status", token=second.token)).content.decode()
    assert "Not our topic, sorry." in declined
    for token in ("x" * 32, first.token[:-1], "x" * 100):
        assert client.get(_url("diplomacy_portal:status", token=token)).status_code == 404


def test_a_robot_filling_the_trap_is_answered_but_nothing_is_kept(client, diplomacy):
    response = client.post(_url("diplomacy_portal:request"), _form(website="http://spam.example"))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert not InternationalRequest.objects.exists()
    assert not Notice.objects.exists()


def test_bad_input_is_refused_with_a_message_and_nothing_stored(client, diplomacy):
    url = _url("diplomacy_portal:request")
    with translation.override("en"):
        for data, message in (
            (_form(country="XK"), "Select a valid choice"),
            (_form(country="ZZZ"), "Select a valid choice"),
            (_form(email="not-an-address"), "Enter a valid email address"),
            (_form(consent=""), "We need your consent"),
            (_form(requester_kind="alien"), "Select a valid choice"),
            (_form(text=""), "This field is required"),
        ):
            response = client.post(url, data)
            assert response.status_code == 400, data
            assert message in response.content.decode(), data
    assert not InternationalRequest.objects.exists()


def test_the_form_is_rate_limited_per_address(client, diplomacy, settings):
    settings.RATE_DIPLOMACY_REQUESTS = "2/h"
    url = _url("diplomacy_portal:request")
    assert client.post(url, _form()).status_code == 302
    assert client.post(url, _form()).status_code == 302
    with translation.override("en"):
        refused = client.post(url, _form())
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert InternationalRequest.objects.count() == 2


def test_without_an_active_centre_the_form_says_requests_are_not_accepted(client, diplomacy):
    Organisation.objects.filter(pk=diplomacy.centre.pk).update(
        status=Organisation.Status.CLOSED, closed_on=TODAY
    )
    with translation.override("en"):
        page = client.get(_url("diplomacy_portal:request"))
        assert page.status_code == 200
        assert "not accepted online now" in page.content.decode()
        sent = client.post(_url("diplomacy_portal:request"), _form())
    assert sent.status_code == 503
    assert not InternationalRequest.objects.exists()


def test_the_received_page_without_a_request_sends_to_the_form(client, diplomacy):
    response = client.get(_url("diplomacy_portal:received"))
    assert response.status_code == 302
    assert response["Location"] == _url("diplomacy_portal:request")


def test_the_figures_page_counts_the_year_without_names(client, diplomacy):
    staff = diplomacy.staff
    make_request(staff, diplomacy.centre, requester_name="Sejm of Poland", country="PL")
    make_request(staff, diplomacy.centre, requester_name="Embassy of Japan", country="JP")
    make_request(
        staff,
        diplomacy.centre,
        requester_name="Older",
        country="JP",
        received_on=datetime.date(2024, 3, 1),
    )
    make_visit(staff, diplomacy.centre, starts_on=TODAY, ends_on=TODAY)
    with translation.override("en"):
        page = client.get(_url("diplomacy_portal:index"))
        text = page.content.decode()
        assert page.status_code == 200
        assert "2 international requests received" in text
        assert "1 foreign delegation received" in text
        assert "Poland" in text and "Japan" in text and "foreign parliament" in text.lower()
        assert "Sejm of Poland" not in text and "Embassy of Japan" not in text
        older = client.get(_url("diplomacy_portal:index"), {"year": "2024"}).content.decode()
        assert "1 international request received" in older
        bad = client.get(_url("diplomacy_portal:index"), {"year": "abc"})
    assert bad.status_code == 400
    assert "2 international requests received" in bad.content.decode()
