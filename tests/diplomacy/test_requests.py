"""The register of international requests: gapless numbers, a request followed to its outcome
(each step audited, illegal steps refused), dates and countries checked, scope enforced."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from birlik.access.models import AuditEntry
from birlik.diplomacy import services
from birlik.diplomacy.models import InternationalRequest, OutcomeKind, RequestStep

from ..factories import PersonFactory
from .factories import TODAY, make_request, make_visit, request_data

pytestmark = pytest.mark.django_db
Status = InternationalRequest.Status


def _audited(request: InternationalRequest) -> list[dict]:
    return [
        entry.changes
        for entry in AuditEntry.objects.filter(
            object_type="diplomacy.InternationalRequest", object_id=str(request.pk)
        ).order_by("pk")
    ]


def test_numbers_run_without_gaps_per_register_and_year(diplomacy):
    admin = diplomacy.network.users["admin"]
    first = make_request(admin, diplomacy.centre)
    second = make_request(admin, diplomacy.centre)
    older = make_request(admin, diplomacy.centre, received_on=datetime.date(2024, 12, 30))
    regional = make_request(admin, diplomacy.network.pavlodar)
    assert (first.number, second.number) == ("PD-2025-0001", "PD-2025-0002")
    assert older.number == "PD-2024-0001"
    assert regional.number == f"PD{diplomacy.network.pavlodar.pk}-2025-0001"
    with pytest.raises(services.DiplomacyError):
        make_request(admin, diplomacy.centre, country="XX")  # refused: no number is used up
    assert make_request(admin, diplomacy.centre).number == "PD-2025-0003"


def test_a_request_is_followed_to_its_outcome(diplomacy):
    """received → in progress → visit arranged (a visit answers it) → closed with an outcome;
    every step is written to the history and the audit log; wrong steps are refused."""
    staff = diplomacy.staff
    item = make_request(staff, diplomacy.centre)
    assert item.status == Status.RECEIVED
    with translation.override("en"), pytest.raises(services.DiplomacyError) as refused:
        services.request_close(
            actor=staff,
            request=item,
            outcome_kind=OutcomeKind.VISIT,
            outcome_text="",
            closed_on=TODAY,
        )
    assert str(refused.value.message) == (
        "A request with the status “received” cannot become “closed”."
    )
    item = services.request_take_on(actor=staff, request=item)
    assert item.status == Status.IN_PROGRESS
    with pytest.raises(services.DiplomacyError):
        services.request_take_on(actor=staff, request=item)  # not twice

    visit = make_visit(staff, diplomacy.centre, request=item)
    item.refresh_from_db()
    assert item.status == Status.VISIT_ARRANGED
    assert list(item.visits.all()) == [visit]
    with pytest.raises(services.DiplomacyError):
        services.request_answer(actor=staff, request=item, text="Late answer", answered_on=TODAY)

    item = services.request_close(
        actor=staff,
        request=item,
        outcome_kind=OutcomeKind.VISIT,
        outcome_text="The delegation met the Pavlodar house of friendship.",
        closed_on=TODAY,
    )
    assert (item.status, item.outcome_kind, item.closed_on) == (Status.CLOSED, "visit", TODAY)
    for step in (services.request_take_on, services.request_decline):
        with pytest.raises(services.DiplomacyError):
            if step is services.request_decline:
                step(actor=staff, request=item, reason="Too late")
            else:
                step(actor=staff, request=item)

    assert list(item.steps.values_list("status", flat=True)) == [
        RequestStep.REGISTERED,
        Status.IN_PROGRESS,
        Status.VISIT_ARRANGED,
        Status.CLOSED,
    ]
    statuses = [changes.get("status") for changes in _audited(item)]
    assert statuses == [
        [None, "received"],
        ["received", "in_progress"],
        ["in_progress", "visit_arranged"],
        ["visit_arranged", "closed"],
    ]


def test_an_answered_request_is_closed_and_the_answer_cannot_be_dated_before_receipt(diplomacy):
    staff = diplomacy.staff
    item = services.request_take_on(actor=staff, request=make_request(staff, diplomacy.centre))
    received = item.received_on
    with pytest.raises(services.DiplomacyError) as early:
        services.request_answer(
            actor=staff, request=item, text="Answer", answered_on=received - datetime.timedelta(1)
        )
    assert early.value.field == "answered_on"
    with pytest.raises(services.DiplomacyError) as future:
        services.request_answer(
            actor=staff, request=item, text="Answer", answered_on=TODAY + datetime.timedelta(1)
        )
    assert future.value.field == "answered_on"
    with pytest.raises(services.DiplomacyError) as empty:
        services.request_answer(actor=staff, request=item, text="   ", answered_on=TODAY)
    assert empty.value.field == "text"
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS and item.answer_text == ""  # nothing half-written
    item = services.request_answer(
        actor=staff, request=item, text="The materials are attached.", answered_on=TODAY
    )
    assert item.status == Status.ANSWERED
    with pytest.raises(services.DiplomacyError):
        services.request_close(
            actor=staff, request=item, outcome_kind="nonsense", outcome_text="", closed_on=TODAY
        )
    item = services.request_close(
        actor=staff,
        request=item,
        outcome_kind=OutcomeKind.INFORMATION,
        outcome_text="",
        closed_on=TODAY,
    )
    assert item.status == Status.CLOSED


def test_a_declined_request_keeps_its_reason_and_takes_no_more_steps(diplomacy):
    staff = diplomacy.staff
    item = make_request(staff, diplomacy.centre)
    with pytest.raises(services.DiplomacyError):
        services.request_decline(actor=staff, request=item, reason=" ")
    item = services.request_decline(
        actor=staff, request=item, reason="The topic is outside the Centre's work."
    )
    assert item.status == Status.DECLINED and item.closed_on == TODAY
    with pytest.raises(services.DiplomacyError):
        services.request_take_on(actor=staff, request=item)
    with pytest.raises(services.DiplomacyError):
        services.request_update(actor=staff, request=item, data=request_data())


def test_received_date_country_and_choices_are_checked(diplomacy):
    staff = diplomacy.staff
    cases = [
        ({"received_on": TODAY + datetime.timedelta(days=1)}, "received_on"),
        ({"received_on": None}, "received_on"),
        ({"country": "EU"}, "country"),
        ({"country": "XK"}, "country"),
        ({"country": ""}, "country"),
        ({"topic": "weather"}, "topic"),
        ({"channel": "pigeon"}, "channel"),
        ({"requester_kind": "alien"}, "requester_kind"),
        ({"requester_name": "  "}, "requester_name"),
        ({"text": ""}, "text"),
    ]
    for overrides, field in cases:
        with pytest.raises(services.DiplomacyError) as refused:
            make_request(staff, diplomacy.centre, **overrides)
        assert refused.value.field == field, overrides
    assert not InternationalRequest.objects.exists()
    assert make_request(staff, diplomacy.centre, country="de").country == "DE"


def test_only_staff_of_the_register_write_in_it(diplomacy):
    network = diplomacy.network
    with pytest.raises(PermissionDenied):
        make_request(network.users["coordinator_almaty"], network.pavlodar)
    with pytest.raises(PermissionDenied):
        make_request(network.users["auditor"], network.pavlodar)
    with pytest.raises(services.DiplomacyError):
        make_request(network.users["admin"], network.pavlodar_house)  # not a keeping body
    item = make_request(network.users["coordinator_pavlodar"], network.pavlodar)
    with pytest.raises(PermissionDenied):
        services.request_take_on(actor=network.users["coordinator_almaty"], request=item)
    with pytest.raises(PermissionDenied):
        services.request_take_on(actor=diplomacy.staff, request=item)


def test_a_change_keeps_the_year_and_leaves_the_contact_out_of_the_log(diplomacy):
    staff = diplomacy.staff
    item = make_request(staff, diplomacy.centre)
    with pytest.raises(services.DiplomacyError) as moved:
        services.request_update(
            actor=staff, request=item, data=request_data(received_on=datetime.date(2024, 5, 1))
        )
    assert moved.value.field == "received_on"
    services.request_update(
        actor=staff,
        request=item,
        data=request_data(requester_contact="secret@sejm.example", topic="languages"),
    )
    item.refresh_from_db()
    assert item.topic == "languages" and item.requester_contact == "secret@sejm.example"
    changes = _audited(item)[-1]
    assert changes["topic"] == ["interethnic_practice", "languages"]
    assert "secret@sejm.example" not in str(changes)


def test_people_and_bodies_named_on_a_request_come_from_the_actors_scope(diplomacy):
    network = diplomacy.network
    coordinator = network.users["coordinator_pavlodar"]
    item = make_request(coordinator, network.pavlodar)
    services.request_person_add(actor=coordinator, request=item, person=network.pavlodar_person)
    with pytest.raises(services.DiplomacyError):
        services.request_person_add(actor=coordinator, request=item, person=network.pavlodar_person)
    with pytest.raises(services.DiplomacyError) as outside:
        services.request_person_add(actor=coordinator, request=item, person=network.almaty_person)
    assert outside.value.field == "person"
    stranger = PersonFactory(registered_by=network.almaty_house, last_name="Бөтенов")
    with pytest.raises(services.DiplomacyError):
        services.request_person_add(actor=coordinator, request=item, person=stranger)
    services.request_body_add(actor=coordinator, request=item, body=network.pavlodar_house)
    with pytest.raises(services.DiplomacyError) as other_region:
        services.request_body_add(actor=coordinator, request=item, body=network.almaty_house)
    assert other_region.value.field == "body"
    assert list(item.people.all()) == [network.pavlodar_person]
    assert list(item.bodies.all()) == [network.pavlodar_house]
    services.request_person_remove(actor=coordinator, request=item, person=network.pavlodar_person)
    assert not item.people.exists()
    assert {"people": [None, network.pavlodar_person.pk]} in _audited(item)
