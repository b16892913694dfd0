"""Writes for integrations: events, attendance and appeals through the services, in scope."""

from __future__ import annotations

import datetime

from django.utils import timezone
from freezegun import freeze_time

from birlik.access.models import AuditEntry
from birlik.appeals.models import Appeal, AppealHandler
from birlik.core.workdays import next_working_day
from birlik.events.models import Event, Registration
from birlik.events.services import registration_create

from ..appeals.helpers import APPLICANT, TEXT, register
from ..events.factories import EventFactory
from ..factories import region


def _event_body(network, **extra):
    starts = timezone.now() + datetime.timedelta(days=10)
    return {
        "organiser": network.pavlodar_house.pk,
        "title_kk": "Достық кеші",
        "title_en": "Friendship evening",
        "kind": "meeting",
        "address_kk": "Павлодар, Достық көшесі, 1",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + datetime.timedelta(hours=2)).isoformat(),
        "languages": ["kk", "ru"],
        "capacity": 50,
        "audiences": ["youth"],
        **extra,
    }


def test_an_integration_plans_and_publishes_an_event_of_its_body(network, api, make_token):
    client = api.with_token(make_token(network.pavlodar).secret)
    response = client.post("/events", _event_body(network, publish=True))
    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert response.json()["id"] == event.pk
    assert event.status == Event.Status.OPEN
    assert event.region == region("KZ-55")  # the body's region by default
    assert [a.code for a in event.audiences.all()] == ["youth"]
    assert AuditEntry.objects.filter(object_type="events.Event", action="create").exists()


def test_a_pavlodar_token_cannot_touch_almaty(network, api, make_token):
    client = api.with_token(make_token(network.pavlodar).secret)
    response = client.post("/events", _event_body(network, organiser=network.almaty_house.pk))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    almaty = EventFactory(organiser=network.almaty_house, region=region("KZ-75"))
    assert client.patch(f"/events/{almaty.pk}", {"capacity": 10}).status_code == 404
    assert client.post(f"/events/{almaty.pk}/check-in", {"code": "x"}).status_code == 404
    appeal = register(network.almaty_house)
    assert client.post(f"/appeals/{appeal.pk}/take-on").status_code == 404
    assert not Event.objects.filter(organiser=network.almaty_house).exclude(pk=almaty.pk).exists()
    almaty.refresh_from_db()
    assert almaty.capacity is None


def test_an_update_changes_only_the_fields_given(network, api, make_token):
    client = api.with_token(make_token(network.pavlodar).secret)
    event_id = client.post("/events", _event_body(network)).json()["id"]
    response = client.patch(f"/events/{event_id}", {"capacity": 80, "title_en": "Evening"})
    assert response.status_code == 200
    assert response.json()["capacity"] == 80
    event = Event.objects.get(pk=event_id)
    assert (event.capacity, event.title_en, event.title_kk) == (80, "Evening", "Достық кеші")


def test_a_broken_rule_is_a_400_problem_with_the_services_message(network, api, make_token):
    client = api.with_token(make_token(network.pavlodar).secret)
    starts = timezone.now() + datetime.timedelta(days=2)
    response = client.post(
        "/events",
        _event_body(
            network,
            starts_at=starts.isoformat(),
            ends_at=(starts - datetime.timedelta(hours=1)).isoformat(),
        ),
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["detail"] == "The event cannot end before it starts."
    assert problem["errors"][0]["field"] == "ends_at"
    assert not Event.objects.exists()


def test_invalid_values_are_a_422_problem_listing_each_field(network, api, make_token):
    client = api.with_token(make_token(network.pavlodar).secret)
    response = client.post("/events", {"organiser": "x", "kind": "party"})
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"organiser", "kind", "starts_at", "ends_at", "languages"} <= fields
    broken = client.client.post(
        "/api/v1/events",
        "{not json",
        content_type="application/json",
        headers=client.headers(),
    )
    assert broken.status_code in {400, 422}
    assert broken["Content-Type"] == "application/problem+json"


def test_a_token_without_the_scope_gets_403(network, api, make_token):
    client = api.with_token(make_token(network.pavlodar, scopes=("attendance:write",)).secret)
    response = client.post("/events", _event_body(network))
    assert response.status_code == 403
    assert "events:write" in response.json()["detail"]
    assert client.get("/appeals").status_code == 403


def test_revoked_and_expired_tokens_get_401(network, api, make_token):
    from birlik.api.services import api_token_revoke

    revoked = make_token(network.pavlodar)
    api_token_revoke(actor=network.users["admin"], token=revoked.token)
    response = api.with_token(revoked.secret).post("/events", _event_body(network))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    with freeze_time("2026-11-25 10:00"):
        expiring = make_token(
            network.pavlodar, expires_at=timezone.now() + datetime.timedelta(hours=1)
        )
    with freeze_time("2026-11-26 10:00"):
        response = api.with_token(expiring.secret).get("/appeals")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert api.post("/events", _event_body(network)).status_code == 401
    assert not Event.objects.exists()


def test_check_in_at_the_door_counts_the_participant_once(network, api, make_token):
    # Starts in an hour: check-in opens EVENT_CHECK_IN_OPENS_MINUTES (120) before the start.
    event = EventFactory(
        organiser=network.pavlodar_house, starts_at=timezone.now() + datetime.timedelta(hours=1)
    )
    registration = registration_create(
        event=event, full_name="Айгүл Сейітова", phone="+7 701 111 22 33", consent=True
    )
    client = api.with_token(make_token(network.pavlodar, scopes=("attendance:write",)).secret)
    response = client.post(f"/events/{event.pk}/check-in", {"code": registration.ticket_code})
    assert response.status_code == 200
    assert response.json()["attended"] == 1
    assert "Сейітова" not in response.content.decode()
    again = client.post(f"/events/{event.pk}/check-in", {"code": registration.ticket_code})
    assert again.status_code == 400
    assert "already checked in" in again.json()["detail"]


def test_a_sign_in_sheet_adds_people_not_registered_without_counting_twice(
    network, api, make_token
):
    event = EventFactory(
        organiser=network.pavlodar_house,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
        status=Event.Status.HELD,
    )
    Registration.objects.create(
        event=event,
        full_name="Асқар Сейітов",
        phone="+77011112233",
        participant_key=__import__(
            "birlik.events.services", fromlist=["participant_key"]
        ).participant_key(phone="+77011112233"),
        status=Registration.Status.CONFIRMED,
        consent_given_at=timezone.now(),
    )
    client = api.with_token(make_token(network.pavlodar, scopes=("attendance:write",)).secret)
    rows = [
        {"full_name": "Асқар Сейітов", "phone": "8 701 111 22 33"},
        {"full_name": "Бақыт Оспанова", "phone": "+7 702 000 00 01"},
        {"full_name": "Бақыт Оспанова", "phone": "+7 702 000 00 01"},
    ]
    response = client.post(f"/events/{event.pk}/attendance", {"rows": rows})
    assert response.status_code == 200, response.content
    assert response.json() == {"checked_in": 1, "already_counted": 1, "added": 1, "participants": 2}
    report = client.post(f"/events/{event.pk}/report", {"held": True, "reported_count": 5})
    assert report.status_code == 200
    assert report.json()["participants"] == 7


def test_an_integration_takes_on_drafts_and_closes_an_appeal_by_the_same_rules(
    network, api, make_token
):
    appeal = register(network.pavlodar_house)
    client = api.with_token(make_token(network.pavlodar, scopes=("appeals:write",)).secret)
    register_page = client.get("/appeals").json()
    assert [row["number"] for row in register_page["items"]] == [appeal.number]
    assert APPLICANT not in str(register_page) and TEXT[:20] not in str(register_page)
    assert (
        client.post(f"/appeals/{appeal.pk}/answer", {"text": "Жол жөнделеді."}).status_code == 403
    )
    taken = client.post(f"/appeals/{appeal.pk}/take-on")
    assert taken.status_code == 200
    assert AppealHandler.objects.filter(appeal=appeal, role="registrar").exists()
    drafted = client.post(f"/appeals/{appeal.pk}/answer", {"text": "Жол көктемде жөнделеді."})
    assert drafted.status_code == 200
    approved = client.post(f"/appeals/{appeal.pk}/approve")
    assert approved.status_code == 400
    assert "Another member of staff" in approved.json()["detail"]
    no_reason = client.post(f"/appeals/{appeal.pk}/close", {})
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"][0]["field"] == "reason"
    closed = client.post(f"/appeals/{appeal.pk}/close", {"reason": "Дубликат"})
    assert closed.status_code == 200
    assert closed.json()["status"] == Appeal.Status.CLOSED


def test_an_extension_beyond_the_legal_maximum_is_refused(network, api, make_token):
    appeal = register(network.pavlodar_house)
    client = api.with_token(make_token(network.pavlodar, scopes=("appeals:write",)).secret)
    client.post(f"/appeals/{appeal.pk}/take-on")
    too_late = (appeal.due_date + datetime.timedelta(days=90)).isoformat()
    response = client.post(f"/appeals/{appeal.pk}/extend", {"until": too_late, "reason": "x"})
    assert response.status_code == 400
    # A working day within the cap (two months from the start of the term): APPC Article 76.
    until = next_working_day(appeal.due_date + datetime.timedelta(days=20)).isoformat()
    response = client.post(f"/appeals/{appeal.pk}/extend", {"until": until, "reason": "Сараптама"})
    assert response.status_code == 200
    assert response.json()["effective_due"] == until


def test_the_appeal_register_costs_the_same_queries_for_5_and_50_rows(
    network, api, make_token, django_assert_max_num_queries
):
    client = api.with_token(make_token(network.pavlodar, scopes=("appeals:write",)).secret)
    client.get("/appeals")  # the token's last use is written once a minute
    for _ in range(5):
        register(network.pavlodar_house)
    with django_assert_max_num_queries(6) as small:
        assert len(client.get("/appeals", {"limit": 100}).json()["items"]) == 5
    for _ in range(45):
        register(network.pavlodar_elders)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get("/appeals", {"limit": 100}).json()["items"]) == 50
