"""Visits with their programme (events of the actor's scope only), and friendship ambassadors
(people of the actor's scope) with their countries, terms and activities."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from birlik.access.models import AuditEntry
from birlik.diplomacy import services
from birlik.diplomacy.models import Ambassador, AmbassadorActivity, Visit

from ..factories import MembershipFactory, PersonFactory, region
from .factories import TODAY, make_ambassador, make_event, make_request, make_visit

pytestmark = pytest.mark.django_db


def test_a_visit_is_checked_and_its_programme_holds_only_events_of_the_scope(diplomacy):
    network = diplomacy.network
    coordinator = network.users["coordinator_pavlodar"]
    for overrides, field in (
        ({"ends_on": TODAY}, "ends_on"),  # before it starts
        ({"size": 0}, "size"),
        ({"country": "UN"}, "country"),
        ({"direction": "sideways"}, "direction"),
        ({"delegation": ""}, "delegation"),
        (
            {"starts_on": datetime.date(1999, 1, 1), "ends_on": datetime.date(1999, 1, 3)},
            "starts_on",
        ),
        ({"ends_on": TODAY + datetime.timedelta(days=500)}, "ends_on"),
    ):
        with pytest.raises(services.DiplomacyError) as refused:
            make_visit(coordinator, network.pavlodar, **overrides)
        assert refused.value.field == field, overrides
    visit = make_visit(coordinator, network.pavlodar, regions=[region("KZ-55")])
    assert list(visit.regions.values_list("iso", flat=True)) == ["KZ-55"]
    ours = make_event(network.users["admin"], network.pavlodar_house, "Павлодардағы кездесу")
    theirs = make_event(network.users["admin"], network.almaty_house, "Алматыдағы кездесу")
    services.visit_event_add(actor=coordinator, visit=visit, event=ours)
    with pytest.raises(services.DiplomacyError) as outside:
        services.visit_event_add(actor=coordinator, visit=visit, event=theirs)
    assert outside.value.field == "event"
    with pytest.raises(PermissionDenied):
        services.visit_event_add(
            actor=network.users["coordinator_almaty"], visit=visit, event=theirs
        )
    assert list(visit.events.all()) == [ours]


def test_a_visit_links_only_a_request_the_actor_keeps(diplomacy):
    network = diplomacy.network
    coordinator = network.users["coordinator_almaty"]
    theirs = services.request_take_on(
        actor=diplomacy.staff, request=make_request(diplomacy.staff, diplomacy.centre)
    )
    with pytest.raises(services.DiplomacyError) as refused:
        make_visit(coordinator, network.almaty, request=theirs)
    assert refused.value.field == "request"
    assert not Visit.objects.exists()
    received = make_request(diplomacy.staff, diplomacy.centre)
    with pytest.raises(services.DiplomacyError):
        make_visit(diplomacy.staff, diplomacy.centre, request=received)  # not taken into work


def test_a_planned_visit_is_held_from_its_first_day_or_cancelled(diplomacy, frozen):
    staff = diplomacy.staff
    visit = make_visit(staff, diplomacy.centre)
    with pytest.raises(services.DiplomacyError):
        services.visit_mark_held(actor=staff, visit=visit, outcome_text="")
    frozen.move_to("2025-07-06 06:00:00")
    visit = services.visit_mark_held(actor=staff, visit=visit, outcome_text="A memorandum.")
    assert visit.status == Visit.Status.HELD
    with pytest.raises(services.DiplomacyError):
        services.visit_cancel(actor=staff, visit=visit, reason="Changed plans")
    other = make_visit(staff, diplomacy.centre, delegation="Another")
    with pytest.raises(services.DiplomacyError):
        services.visit_cancel(actor=staff, visit=other, reason="")
    other = services.visit_cancel(actor=staff, visit=other, reason="The guests postponed.")
    assert other.status == Visit.Status.CANCELLED


def test_an_ambassador_is_a_person_of_the_scope_with_valid_countries(diplomacy):
    network = diplomacy.network
    staff = diplomacy.staff
    member = PersonFactory(registered_by=diplomacy.corps, last_name="Елшібаев")
    MembershipFactory(person=member, organisation=diplomacy.corps)
    with pytest.raises(services.DiplomacyError) as outside:
        make_ambassador(staff, diplomacy.corps, network.almaty_person)
    assert outside.value.field == "person"
    for overrides, field in (
        ({"countries": ()}, "countries"),
        ({"countries": ("DE", "EU")}, "countries"),
        ({"since": TODAY + datetime.timedelta(days=1)}, "since"),
        ({"until": datetime.date(2020, 1, 1)}, "until"),
    ):
        with pytest.raises(services.DiplomacyError) as refused:
            make_ambassador(staff, diplomacy.corps, member, **overrides)
        assert refused.value.field == field, overrides
    ambassador = make_ambassador(staff, diplomacy.corps, member, countries=("pl", "DE", "PL"))
    assert list(ambassador.countries.values_list("country", flat=True)) == ["DE", "PL"]
    assert ambassador.is_active
    with pytest.raises(services.DiplomacyError) as twice:
        make_ambassador(staff, diplomacy.corps, member)
    assert twice.value.field == "person"
    assert Ambassador.objects.count() == 1
    ended = services.ambassador_save(
        actor=staff,
        organisation=diplomacy.corps,
        person=member,
        country_codes=["DE"],
        since=ambassador.since,
        until=datetime.date(2025, 1, 31),
        ambassador=ambassador,
    )
    assert not ended.is_active and ended.active_on(datetime.date(2025, 1, 31))
    entry = AuditEntry.objects.filter(object_type="diplomacy.Ambassador").latest("pk")
    assert entry.changes["countries"] == [["DE", "PL"], ["DE"]]


def test_activities_fall_within_the_term_and_link_only_events_of_the_scope(diplomacy):
    network = diplomacy.network
    staff = diplomacy.staff
    member = PersonFactory(registered_by=diplomacy.corps)
    ambassador = make_ambassador(
        staff, diplomacy.corps, member, since=datetime.date(2024, 1, 10), countries=("KR",)
    )

    def add(**overrides):
        values = {
            "date": datetime.date(2025, 3, 1),
            "kind": AmbassadorActivity.Kind.LECTURE,
            "country": "KR",
            "description": "A lecture at Seoul National University.",
            "event": None,
        }
        values.update(overrides)
        return services.activity_add(actor=staff, ambassador=ambassador, **values)

    for overrides, field in (
        ({"date": datetime.date(2024, 1, 9)}, "date"),
        ({"date": TODAY + datetime.timedelta(days=1)}, "date"),
        ({"kind": "party"}, "kind"),
        ({"country": "ZZ"}, "country"),
        ({"description": ""}, "description"),
        ({"event": make_event(network.users["admin"], network.almaty_house)}, "event"),
    ):
        with pytest.raises(services.DiplomacyError) as refused:
            add(**overrides)
        assert refused.value.field == field, overrides
    own_event = make_event(network.users["admin"], diplomacy.corps, "Корпус кездесуі")
    activity = add(event=own_event)
    assert activity.event == own_event
    with pytest.raises(PermissionDenied):
        services.activity_remove(actor=network.users["coordinator_pavlodar"], activity=activity)
    services.activity_remove(actor=staff, activity=activity)
    assert not AmbassadorActivity.objects.exists()
    assert AuditEntry.objects.filter(
        object_type="diplomacy.AmbassadorActivity", action="delete"
    ).exists()
