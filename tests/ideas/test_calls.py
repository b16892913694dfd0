"""Calls for ideas: saved with their phases in order, published, cancelled; public pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from birlik.ideas import services
from birlik.ideas.models import Call

from .factories import category, make_call, make_idea, support

pytestmark = pytest.mark.django_db


def _data(**extra):
    today = timezone.localdate()
    data = {
        "title_kk": "Жастар бастамалары",
        "title_ru": "Молодёжные инициативы",
        "title_en": "Youth initiatives",
        "description_kk": "Сипаттама",
        "opens_on": today,
        "collect_until": today + datetime.timedelta(days=20),
        "support_until": today + datetime.timedelta(days=40),
        "review_until": today + datetime.timedelta(days=60),
        "threshold": 50,
        "answer_working_days": 15,
        "categories": [category("youth")],
    }
    data.update(extra)
    return data


def test_a_coordinator_opens_a_draft_call_for_the_region(network):
    call = services.call_save(
        actor=network.users["coordinator_pavlodar"], organisation=network.pavlodar, data=_data()
    )
    assert call.status == Call.Status.DRAFT
    assert call.title_ru == "Молодёжные инициативы"
    assert list(call.categories.values_list("code", flat=True)) == ["youth"]


def test_phases_out_of_order_are_refused_and_nothing_is_stored(network):
    today = timezone.localdate()
    with pytest.raises(services.IdeaError) as error:
        services.call_save(
            actor=network.users["coordinator_pavlodar"],
            organisation=network.pavlodar,
            data=_data(support_until=today + datetime.timedelta(days=10)),
        )
    assert error.value.field == "support_until"
    assert not Call.objects.exists()


def test_a_coordinator_cannot_open_a_call_for_another_region(network):
    with pytest.raises(PermissionDenied):
        services.call_save(
            actor=network.users["coordinator_pavlodar"], organisation=network.almaty, data=_data()
        )


def test_publish_then_cancel_a_call(network):
    actor = network.users["coordinator_pavlodar"]
    call = services.call_save(actor=actor, organisation=network.pavlodar, data=_data())
    services.call_publish(actor=actor, call=call)
    with pytest.raises(services.IdeaError):
        services.call_publish(actor=actor, call=call)
    cancelled = services.call_cancel(actor=actor, call=call, reason="Қайта жоспарлау")
    assert cancelled.status == Call.Status.CANCELLED
    with pytest.raises(services.IdeaError):
        services.call_save(actor=actor, organisation=network.pavlodar, data=_data(), call=call)


def test_the_call_form_shows_the_phase_error_on_its_field(network, login):
    client = login(network.users["coordinator_pavlodar"])
    today = timezone.localdate()
    response = client.post(
        reverse("ideas:call_new"),
        {
            "organisation": network.pavlodar.pk,
            "title_kk": "Байқау",
            "opens_on": today.isoformat(),
            "collect_until": (today + datetime.timedelta(days=5)).isoformat(),
            "support_until": (today + datetime.timedelta(days=3)).isoformat(),
            "review_until": (today + datetime.timedelta(days=9)).isoformat(),
            "threshold": "10",
            "answer_working_days": "10",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert not Call.objects.exists()


def test_the_call_form_creates_a_call(network, login):
    client = login(network.users["coordinator_pavlodar"])
    today = timezone.localdate()
    response = client.post(
        reverse("ideas:call_new"),
        {
            "organisation": network.pavlodar.pk,
            "title_kk": "Байқау",
            "opens_on": today.isoformat(),
            "collect_until": (today + datetime.timedelta(days=5)).isoformat(),
            "support_until": (today + datetime.timedelta(days=8)).isoformat(),
            "review_until": (today + datetime.timedelta(days=9)).isoformat(),
            "threshold": "10",
            "answer_working_days": "10",
        },
    )
    call = Call.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:call", kwargs={"pk": call.pk})


def test_the_public_list_shows_published_calls_with_their_phase(network, client):
    make_call(network.pavlodar, title_en="Open call")
    make_call(network.pavlodar, title_en="Draft call", status=Call.Status.DRAFT)
    with translation.override("en"):
        response = client.get(reverse("ideas_portal:calls"))
    text = response.content.decode()
    assert "Open call" in text
    assert "Draft call" not in text
    assert "Collecting ideas" in text


def test_the_call_page_shows_the_timeline_and_its_most_supported_ideas(network, client):
    call = make_call(network.pavlodar, title_en="Sport ideas")
    idea = make_idea(network.pavlodar, call=call, title="Аудандар арасындағы футбол")
    support(idea)
    with translation.override("en"):
        response = client.get(reverse("ideas_portal:call", kwargs={"pk": call.pk}))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Gathering support" in text and "Review" in text
    assert "Аудандар арасындағы футбол" in text
    assert 'aria-current="step"' in text


def test_a_draft_call_has_no_public_page(network, client):
    call = make_call(network.pavlodar, status=Call.Status.DRAFT)
    assert client.get(reverse("ideas_portal:call", kwargs={"pk": call.pk})).status_code == 404
    assert client.get(reverse("ideas_portal:call", kwargs={"pk": 999999})).status_code == 404


def test_the_public_call_list_costs_the_same_queries_for_3_and_30_calls(
    network, client, django_assert_max_num_queries
):
    for _ in range(3):
        make_call(network.pavlodar)
    with django_assert_max_num_queries(6):
        client.get(reverse("ideas_portal:calls"))
    for _ in range(27):
        make_call(network.almaty)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("ideas_portal:calls")).status_code == 200
