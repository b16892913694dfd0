"""The staff pages: lists in the user's scope with their filters (the same queries for 3 and 30
rows, bad input understood or refused, never a 500), the request page and its steps, and the
pickers, which take nothing outside the user's scope."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from birlik.access.models import AuditEntry
from birlik.diplomacy import services
from birlik.diplomacy.models import (
    Ambassador,
    AmbassadorActivity,
    InternationalRequest,
    Visit,
)

from ..factories import MembershipFactory, PersonFactory
from .factories import TODAY, make_ambassador, make_event, make_request, make_visit

pytestmark = pytest.mark.django_db


def _url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("count", [3, 30])
def test_the_register_costs_the_same_queries_for_3_and_30_requests(
    login, diplomacy, count, django_assert_max_num_queries
):
    for index in range(count):
        make_request(diplomacy.staff, diplomacy.centre, requester_name=f"Partner {index}")
    client = login(diplomacy.network.users["admin"])
    with django_assert_max_num_queries(12):
        response = client.get(_url("diplomacy:requests"), {"year": 2025, "country": "PL"})
    assert response.status_code == 200
    assert f"Partner {count - 1}" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_visits_cost_the_same_queries_for_3_and_30(
    login, diplomacy, count, django_assert_max_num_queries
):
    for index in range(count):
        make_visit(diplomacy.staff, diplomacy.centre, delegation=f"Delegation {index}")
    client = login(diplomacy.staff)
    with django_assert_max_num_queries(12):
        response = client.get(_url("diplomacy:visits"), {"direction": "incoming"})
    assert response.status_code == 200
    assert f"Delegation {count - 1}" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_ambassadors_and_their_activities_cost_the_same_queries_for_3_and_30(
    login, diplomacy, count, django_assert_max_num_queries
):
    for index in range(count):
        person = PersonFactory(registered_by=diplomacy.corps, last_name=f"Елшіұлы{index:02d}")
        ambassador = make_ambassador(
            diplomacy.staff, diplomacy.corps, person, countries=("DE", "CN")
        )
        services.activity_add(
            actor=diplomacy.staff,
            ambassador=ambassador,
            date=TODAY,
            kind="media",
            country="CN",
            description=f"Interview {index}",
        )
    first = ambassador
    for index in range(count - 1):
        services.activity_add(
            actor=diplomacy.staff,
            ambassador=first,
            date=TODAY,
            kind="meeting",
            country="DE",
            description=f"Meeting {index}",
        )
    client = login(diplomacy.staff)
    with django_assert_max_num_queries(12):
        response = client.get(_url("diplomacy:ambassadors"), {"active": "yes"})
    assert response.status_code == 200
    assert "Елшіұлы00" in response.content.decode()
    with django_assert_max_num_queries(16):
        page = client.get(_url("diplomacy:ambassador", pk=first.pk))
    assert page.status_code == 200


def test_lists_survive_bad_input_and_say_what_was_not_understood(login, diplomacy):
    make_request(diplomacy.staff, diplomacy.centre)
    client = login(diplomacy.staff)
    with translation.override("en"):
        for name in ("diplomacy:requests", "diplomacy:visits", "diplomacy:ambassadors"):
            response = client.get(
                _url(name),
                {"year": "x", "page": "abc", "country": "QQ", "status": "?", "active": "maybe"},
            )
            assert response.status_code == 400, name
            assert "were not understood" in response.content.decode(), name
        ok = client.get(_url("diplomacy:requests"), {"page": "999"})
    assert ok.status_code == 200 and "PD-2025-0001" in ok.content.decode()


def test_each_user_sees_the_requests_of_their_scope_only(login, diplomacy):
    network = diplomacy.network
    ours = make_request(network.users["admin"], network.pavlodar, requester_name="Pavlodar guest")
    theirs = make_request(network.users["admin"], network.almaty, requester_name="Almaty guest")
    client = login(network.users["coordinator_pavlodar"])
    listed = client.get(_url("diplomacy:requests")).content.decode()
    assert "Pavlodar guest" in listed and "Almaty guest" not in listed
    assert client.get(_url("diplomacy:request", pk=ours.pk)).status_code == 200
    assert client.get(_url("diplomacy:request", pk=theirs.pk)).status_code == 404
    assert client.get(_url("diplomacy:request", pk=999999)).status_code == 404
    analyst = login(network.users["analyst"])
    assert analyst.get(_url("diplomacy:requests")).status_code == 403
    assert analyst.get(_url("diplomacy:request", pk=ours.pk)).status_code == 403


def test_the_contact_is_shown_to_staff_only_and_each_read_is_audited(login, diplomacy):
    network = diplomacy.network
    item = make_request(network.users["admin"], network.pavlodar)
    auditor = login(network.users["auditor"])
    page = auditor.get(_url("diplomacy:request", pk=item.pk)).content.decode()
    assert "j.kowalski@sejm.example" not in page
    assert _url("diplomacy:request_take_on", pk=item.pk) not in page
    assert auditor.post(_url("diplomacy:request_take_on", pk=item.pk)).status_code == 403
    staff = login(network.users["coordinator_pavlodar"])
    page = staff.get(_url("diplomacy:request", pk=item.pk)).content.decode()
    assert "j.kowalski@sejm.example" in page
    assert (
        AuditEntry.objects.filter(
            action="read", object_type="diplomacy.InternationalRequest", object_id=str(item.pk)
        ).count()
        == 1
    )


def test_staff_register_a_request_and_take_it_through_its_steps_on_the_pages(login, diplomacy):
    client = login(diplomacy.staff)
    form = client.get(_url("diplomacy:request_new"))
    assert form.status_code == 200
    response = client.post(
        _url("diplomacy:request_new"),
        {
            "organisation": diplomacy.centre.pk,
            "received_on": "2025-06-10",
            "channel": "letter",
            "requester_kind": "embassy",
            "requester_name": "Embassy of the Republic of Korea",
            "requester_contact": "+82 2 0000 0000",
            "country": "KR",
            "topic": "languages",
            "text": "A request for materials about the Korean ethnocultural centres.",
            "language": "en",
        },
    )
    item = InternationalRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(
        "diplomacy:request", pk=item.pk
    )
    with translation.override("en"):
        refused = client.post(
            _url("diplomacy:request_close", pk=item.pk),
            {"outcome_kind": "information", "outcome_text": "", "closed_on": "2025-06-15"},
        )
    assert refused.status_code == 400
    assert "cannot become" in refused.content.decode()
    assert client.post(_url("diplomacy:request_take_on", pk=item.pk)).status_code == 302
    with translation.override("en"):
        future = client.post(
            _url("diplomacy:request_answer", pk=item.pk),
            {"text": "Here are the materials.", "answered_on": "2025-07-01"},
        )
    assert future.status_code == 400
    assert "cannot be in the future" in future.content.decode()
    ok = client.post(
        _url("diplomacy:request_answer", pk=item.pk),
        {"text": "Here are the materials.", "answered_on": "2025-06-14"},
    )
    assert ok.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.answered_on) == ("answered", datetime.date(2025, 6, 14))
    assert (
        client.post(
            _url("diplomacy:request_close", pk=item.pk),
            {"outcome_kind": "information", "outcome_text": "Sent.", "closed_on": "2025-06-15"},
        ).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.status == "closed"
    assert client.get(_url("diplomacy:request_edit", pk=item.pk)).status_code == 302


def test_a_visit_recorded_from_the_request_page_arranges_the_request(login, diplomacy):
    network = diplomacy.network
    coordinator = network.users["coordinator_pavlodar"]
    item = services.request_take_on(
        actor=coordinator, request=make_request(coordinator, network.pavlodar)
    )
    client = login(coordinator)
    page = client.get(_url("diplomacy:visit_new") + f"?request={item.pk}")
    assert page.status_code == 200
    assert f'value="{item.pk}" selected' in page.content.decode()
    response = client.post(
        _url("diplomacy:visit_new"),
        {
            "organisation": network.pavlodar.pk,
            "direction": "incoming",
            "country": "PL",
            "delegation": "Sejm delegation",
            "size": "4",
            "starts_on": "2025-07-01",
            "ends_on": "2025-07-03",
            "regions": [network.pavlodar.region_id],
            "request": item.pk,
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "visit_arranged" and visit.request == item
    event = make_event(network.users["admin"], network.pavlodar_house, "Кездесу")
    elsewhere = make_event(network.users["admin"], network.almaty_house, "Басқа кездесу")
    visit_page = client.get(_url("diplomacy:visit", pk=visit.pk), {"event_q": "Кездесу"})
    text = visit_page.content.decode()
    assert "Кездесу" in text and "Басқа кездесу" not in text
    refused = client.post(_url("diplomacy:visit_events", pk=visit.pk), {"event": elsewhere.pk})
    assert refused.status_code == 400
    assert (
        client.post(_url("diplomacy:visit_events", pk=visit.pk), {"event": event.pk}).status_code
        == 302
    )
    assert list(visit.events.all()) == [event]
    assert (
        client.post(
            _url("diplomacy:visit_events", pk=visit.pk), {"action": "remove", "event": elsewhere.pk}
        ).status_code
        == 404
    )


def test_the_person_picker_finds_and_takes_only_people_of_the_scope(login, diplomacy):
    network = diplomacy.network
    item = make_request(network.users["admin"], network.pavlodar)
    client = login(network.users["coordinator_pavlodar"])
    found = client.get(_url("diplomacy:request", pk=item.pk), {"person_q": "Жұмабаев"})
    assert f'value="{network.pavlodar_person.pk}"' in found.content.decode()
    hidden = client.get(_url("diplomacy:request", pk=item.pk), {"person_q": "Ким"})
    assert f'value="{network.almaty_person.pk}"' not in hidden.content.decode()
    refused = client.post(
        _url("diplomacy:request_people", pk=item.pk), {"person": network.almaty_person.pk}
    )
    assert refused.status_code == 400
    assert not item.people.exists()
    for value in ("abc", "", "99999999"):
        assert (
            client.post(_url("diplomacy:request_people", pk=item.pk), {"person": value}).status_code
            == 400
        )
    added = client.post(
        _url("diplomacy:request_people", pk=item.pk), {"person": network.pavlodar_person.pk}
    )
    assert added.status_code == 302
    assert list(item.people.all()) == [network.pavlodar_person]
    body_refused = client.post(
        _url("diplomacy:request_bodies", pk=item.pk), {"body": network.almaty_house.pk}
    )
    assert body_refused.status_code == 400 and not item.bodies.exists()
    assert (
        client.post(
            _url("diplomacy:request_bodies", pk=item.pk), {"body": network.pavlodar_house.pk}
        ).status_code
        == 302
    )


def test_an_ambassador_is_added_from_the_corps_and_records_activities(login, diplomacy):
    network = diplomacy.network
    member = PersonFactory(registered_by=diplomacy.corps, last_name="Достықов")
    MembershipFactory(person=member, organisation=diplomacy.corps)
    client = login(diplomacy.staff)
    page = client.get(_url("diplomacy:ambassador_new"))
    assert page.status_code == 200 and "Достықов" in page.content.decode()
    refused = client.post(
        _url("diplomacy:ambassador_new"),
        {
            "organisation": diplomacy.corps.pk,
            "person": network.almaty_person.pk,
            "countries": ["DE"],
            "since": "2024-01-01",
        },
    )
    assert refused.status_code == 400
    response = client.post(
        _url("diplomacy:ambassador_new"),
        {
            "organisation": diplomacy.corps.pk,
            "person": member.pk,
            "countries": ["DE", "AT"],
            "since": "2024-01-01",
            "note": "German-speaking countries",
        },
    )
    assert response.status_code == 302
    ambassador = Ambassador.objects.get(person=member)
    added = client.post(
        _url("diplomacy:activity_add", pk=ambassador.pk),
        {"date": "2025-05-20", "kind": "lecture", "country": "AT", "description": "Vienna talk"},
    )
    assert added.status_code == 302
    activity = AmbassadorActivity.objects.get()
    detail = client.get(_url("diplomacy:ambassador", pk=ambassador.pk)).content.decode()
    assert "Vienna talk" in detail and "Austria" in detail
    bad = client.post(
        _url("diplomacy:activity_add", pk=ambassador.pk),
        {"date": "2023-05-20", "kind": "lecture", "country": "AT", "description": "Too early"},
    )
    assert bad.status_code == 400
    assert (
        client.post(
            _url("diplomacy:activity_remove", pk=ambassador.pk, activity=activity.pk + 1)
        ).status_code
        == 404
    )
    assert (
        client.post(
            _url("diplomacy:activity_remove", pk=ambassador.pk, activity=activity.pk)
        ).status_code
        == 302
    )
    assert not AmbassadorActivity.objects.exists()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_staff_page_opens_in_each_language(login, diplomacy, language):
    network = diplomacy.network
    admin = network.users["admin"]
    item = services.request_take_on(actor=admin, request=make_request(admin, network.pavlodar))
    services.request_person_add(actor=admin, request=item, person=network.pavlodar_person)
    visit = make_visit(admin, network.pavlodar, request=item)
    person = PersonFactory(registered_by=diplomacy.corps)
    ambassador = make_ambassador(admin, diplomacy.corps, person, countries=("TR",))
    services.activity_add(
        actor=admin,
        ambassador=ambassador,
        date=TODAY,
        kind="hosting",
        country="TR",
        description="x",
    )
    client = login(admin)
    pages = [
        ("diplomacy:requests", {}),
        ("diplomacy:request_new", {}),
        ("diplomacy:request", {"pk": item.pk}),
        ("diplomacy:request_edit", {"pk": item.pk}),
        ("diplomacy:visits", {}),
        ("diplomacy:visit_new", {}),
        ("diplomacy:visit", {"pk": visit.pk}),
        ("diplomacy:visit_edit", {"pk": visit.pk}),
        ("diplomacy:ambassadors", {}),
        ("diplomacy:ambassador_new", {}),
        ("diplomacy:ambassador", {"pk": ambassador.pk}),
        ("diplomacy:ambassador_edit", {"pk": ambassador.pk}),
        ("diplomacy_portal:index", {}),
        ("diplomacy_portal:request", {}),
        ("diplomacy_portal:status", {"token": item.token}),
    ]
    for name, kwargs in pages:
        with translation.override(language):
            url = reverse(name, kwargs=kwargs)
        response = client.get(url, {"person_q": "Жұмабаев", "body_q": "Павлодар"})
        assert response.status_code == 200, (name, response.status_code)
        assert f'<html lang="{language}">' in response.content.decode(), name
