"""Readers of confidential records named on them without a grant — a case's mediators, a help
request's caseworkers — sign in with a second factor like the holders of confidential roles."""

from __future__ import annotations

import pytest

from ..charity.factories import build as build_charity
from ..factories import UserFactory
from ..mediation.factories import MediatorFactory
from .conftest import url


@pytest.fixture(autouse=True)
def required(settings):
    settings.BIRLIK_REQUIRE_2FA = True


def test_a_mediator_is_sent_to_set_up_a_second_factor(login, network):
    user = UserFactory(username="mediator_pavlodar")
    MediatorFactory(user=user)
    response = login(user).get(url("access:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("access:totp"))


def test_a_caseworker_named_on_a_request_is_sent_to_set_up_a_second_factor(login, network):
    charity = build_charity(network)
    response = login(charity.worker).get(url("access:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("access:totp"))


def test_body_staff_named_on_nothing_confidential_is_not_stopped(login, network):
    response = login(network.users["staff_pavlodar_house"]).get(url("access:profile"))
    assert response.status_code == 200
