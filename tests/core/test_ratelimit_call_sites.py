"""Every public form, the sign-in and the API are limited by the one limiter (core.ratelimit),
and a client cannot escape a limit by sending its own X-Forwarded-For."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from birlik.appeals.models import Appeal
from birlik.charity.models import HelpRequest, Pledge
from birlik.core.models import RateCounter
from birlik.events.models import Registration
from birlik.mediation.models import MediationCase
from tests.charity.factories import bring_to_helping
from tests.charity.factories import build as build_charity
from tests.conftest import PASSWORD
from tests.mediation.conftest import med  # noqa: F401 - the mediation network fixture
from tests.portal.events_data import make_event
from tests.portal.test_appeals_portal import appeal_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_store(settings):
    """These tests read the embedded default's table of counters; the Redis store has tests of
    its own (with a real redis-server), so the CI stage that sets REDIS_URL does not move
    them."""
    settings.REDIS_URL = ""


@dataclass
class PublicForm:
    url: str
    data: Any  # a function of the attempt's number → the form's fields
    stored: Any  # a function → how many records the form has made
    message: str


def _appeals(network, mediation) -> PublicForm:
    with translation.override("en"):
        url = reverse("portal:appeal_new")
    return PublicForm(
        url,
        lambda n: appeal_form(),
        Appeal.objects.count,
        "Too many appeals were sent from your connection.",
    )


def _events(network, mediation) -> PublicForm:
    event = make_event(network)
    with translation.override("en"):
        url = reverse("portal:event", kwargs={"pk": event.pk})
    return PublicForm(
        url,
        lambda n: {"full_name": "Айгүл Нұрланова", "phone": f"8 701 234 56 0{n}", "consent": "on"},
        Registration.objects.count,
        "Too many registrations were sent from your connection.",
    )


def _mediation(network, mediation) -> PublicForm:
    with translation.override("en"):
        url = reverse("mediation_portal:request")
    return PublicForm(
        url,
        lambda n: {
            "centre": mediation.almaty_centre.pk,
            "name": "Бекова Гүлнар",
            "phone": f"+7 701 111 22 3{n}",
            "kind": "neighbourhood",
            "other_party": "My neighbour",
            "description": "Noise at night.",
            "language": "ru",
            "consent": "on",
        },
        MediationCase.objects.count,
        "Too many requests were sent from your connection.",
    )


def _charity_request(network, mediation) -> PublicForm:
    build_charity(network)
    return PublicForm(
        "/en/charity/ask/",
        lambda n: {
            "category": "emergency",
            "urgency": "urgent",
            "need": "Үйіміз өртеніп кетті, киім мен төсек керек",
            "region": network.pavlodar.region_id,
            "amount": "150000",
            "name": "Гүлнар Исаева",
            "phone": f"+7701777000{n}",
            "consent": "on",
        },
        HelpRequest.objects.count,
        "Too many attempts from your connection. Try again in 60 minutes.",
    )


def _charity_pledge(network, mediation) -> PublicForm:
    charity = build_charity(network)
    bring_to_helping(charity)
    return PublicForm(
        f"/en/charity/requests/{charity.request.public_id}/",
        lambda n: {
            "kind": "money",
            "amount": "5000",
            "donor_name": "Асель",
            "donor_phone": "+7701",
        },
        Pledge.objects.count,
        "Too many attempts from your connection. Try again in 60 minutes.",
    )


FORMS = {
    "RATE_APPEALS": _appeals,
    "RATE_EVENT_REGISTRATIONS": _events,
    "RATE_MEDIATION_REQUESTS": _mediation,
    "RATE_CHARITY_REQUESTS": _charity_request,
    "RATE_CHARITY_PLEDGES": _charity_pledge,
}


@pytest.mark.parametrize("setting", FORMS)
def test_each_public_form_takes_its_limit_then_asks_to_wait(
    client,
    network,
    med,  # noqa: F811 - the mediation fixture, imported above
    settings,
    setting,
):
    setattr(settings, setting, "2/h")
    form = FORMS[setting](network, med)
    before = form.stored()
    for n in range(2):
        answer = client.post(form.url, form.data(n), REMOTE_ADDR="198.51.100.7")
        assert answer.status_code in (200, 302), answer.content.decode()[:2000]
    assert form.stored() == before + 2

    refused = client.post(form.url, form.data(3), REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert form.message in refused.content.decode()
    assert form.stored() == before + 2

    # Another client is not held by this one's count.
    other = client.post(form.url, form.data(4), REMOTE_ADDR="198.51.100.8")
    assert other.status_code in (200, 302)
    assert form.stored() == before + 3


@pytest.mark.parametrize("setting", FORMS)
def test_a_forged_forwarded_address_does_not_reset_a_form_limit(
    client,
    network,
    med,  # noqa: F811 - the mediation fixture, imported above
    settings,
    setting,
):
    assert settings.FORWARDED_ALLOW_IPS == []
    setattr(settings, setting, "1/h")
    form = FORMS[setting](network, med)
    assert client.post(form.url, form.data(0)).status_code in (200, 302)  # from 127.0.0.1
    forged = client.post(form.url, form.data(1), HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert forged.status_code == 429


def test_the_counters_are_in_the_shared_table_not_the_cache(client, network, settings):
    settings.RATE_APPEALS = "5/h"
    with translation.override("en"):
        url = reverse("portal:appeal_new")
    client.post(url, appeal_form())
    assert RateCounter.objects.get(scope="appeals-submit").count == 1


# --- Sign-in -------------------------------------------------------------------------------


def _login_url():
    with translation.override("en"):
        return reverse("access:login")


def test_the_sign_in_lockout_is_exact_and_shared(client, network, settings):
    settings.RATE_SIGN_IN_FAILURES = "3/15min"
    user = network.users["coordinator_pavlodar"]
    for _ in range(3):
        wrong = client.post(_login_url(), {"username": user.username, "password": "wrong"})
        assert wrong.status_code == 200
    right = client.post(_login_url(), {"username": user.username, "password": PASSWORD})
    assert right.status_code == 429
    assert "Too many failed attempts to sign in." in right.content.decode()
    row = RateCounter.objects.get(scope="sign-in")
    assert row.count == 4  # every attempt counted before the password is checked


def test_a_forged_forwarded_address_does_not_unlock_an_account(client, network, settings):
    settings.RATE_SIGN_IN_FAILURES = "2/15min"
    user = network.users["coordinator_pavlodar"]
    for _ in range(2):
        client.post(_login_url(), {"username": user.username, "password": "wrong"})
    forged = client.post(
        _login_url(),
        {"username": user.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert forged.status_code == 429


def test_behind_a_configured_proxy_each_client_has_its_own_count(client, network, settings):
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1"]
    settings.RATE_SIGN_IN_FAILURES = "2/15min"
    user = network.users["coordinator_pavlodar"]
    for _ in range(2):
        client.post(
            _login_url(),
            {"username": user.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    blocked = client.post(
        _login_url(),
        {"username": user.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert blocked.status_code == 429
    elsewhere = client.post(
        _login_url(),
        {"username": user.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert elsewhere.status_code == 302


def test_a_good_sign_in_clears_the_failures(client, network, settings):
    settings.RATE_SIGN_IN_FAILURES = "3/15min"
    user = network.users["coordinator_pavlodar"]
    client.post(_login_url(), {"username": user.username, "password": "wrong"})
    client.post(_login_url(), {"username": user.username, "password": PASSWORD})
    assert not RateCounter.objects.filter(scope="sign-in").exists()


# --- API -----------------------------------------------------------------------------------


def test_the_api_counts_in_the_shared_store_with_retry_after(client, db, settings):
    settings.API_RATE_ANON = "2/min"
    for _ in range(2):
        assert client.get("/api/v1/kinds").status_code == 200
    refused = client.get("/api/v1/kinds", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert RateCounter.objects.get(scope="api-anon").count == 3
