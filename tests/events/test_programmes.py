"""Programmes that bodies join: joining once at a time, leaving, scope, partners, the shipped
catalogue and the programme indicators (slice ``programmes``)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time

from birlik.access.models import AuditEntry
from birlik.appeals.models import StateBody
from birlik.core import kpi
from birlik.events import programme_services as services
from birlik.events.models import (
    Event,
    PartnerOrganisation,
    Programme,
    ProgrammeMembership,
    ProgrammePartner,
)
from birlik.events.programme_services import ProgrammeError

from ..factories import OrganisationFactory, kind, region
from .factories import EventFactory

DAY = datetime.date(2025, 3, 1)
AT = datetime.datetime(2025, 6, 10, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def myn_bala(db):
    return Programme.objects.get(code="myn_bala")


def join(network, programme, body, on=DAY, user="admin"):
    return services.programme_join(
        actor=network.users[user], programme=programme, organisation=body, joined_on=on
    )


def held(organiser, *, kind=Event.Kind.MEETING, programme=None, total=10, when=AT, **extra):
    return EventFactory(
        organiser=organiser,
        region=organiser.region,
        kind=kind,
        programme=programme,
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        status=Event.Status.HELD,
        participants_total=total,
        **extra,
    )


# --- The catalogue ---------------------------------------------------------------------------


def test_the_programmes_the_issue_names_are_shipped_in_three_languages(db):
    codes = {
        "state_language_interethnic": "«Мемлекеттік тіл – этносаралық қатынас тілі»",
        "uly_dala_tili": "«Ұлы даланың – ұлтаралық тілі»",
        "zhana_tolqyn": "«Жаңа толқын»",
        "leaders_school": "ҚХА Көшбасшылар мектебі",
        "jastar_generation": "Jastar Generation",
        "green_certificate": "«Жасыл сертификат»",
    }
    for code, kk in codes.items():
        programme = Programme.objects.get(code=code)
        assert programme.name_kk == kk
        assert programme.name_ru and programme.name_en
    assert Programme.objects.get(code="leaders_school").kind == Programme.Kind.YOUTH_PROJECT
    assert Programme.objects.get(code="uly_dala_tili").kind == Programme.Kind.LANGUAGE


def test_the_green_certificate_has_the_interior_ministry_as_partner(db):
    partner = ProgrammePartner.objects.get(programme__code="green_certificate")
    assert partner.state_body.code == "ministry-internal_affairs"
    assert partner.role_en == "Partner in the prevention work"
    assert Programme.objects.get(code="green_certificate").goal_ru


# --- Joining and leaving ---------------------------------------------------------------------


def test_a_body_joins_a_programme_once_at_a_time(network, myn_bala):
    join(network, myn_bala, network.pavlodar_house)
    with pytest.raises(ProgrammeError), translation.override("en"):
        join(network, myn_bala, network.pavlodar_house, on=DAY + datetime.timedelta(days=5))
    assert ProgrammeMembership.objects.filter(organisation=network.pavlodar_house).count() == 1
    # The database refuses a second open membership too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeMembership.objects.create(
            programme=myn_bala, organisation=network.pavlodar_house, joined_on=DAY
        )


def test_a_body_that_left_joins_again_after_the_day_it_left(network, myn_bala):
    membership = join(network, myn_bala, network.pavlodar_house)
    services.programme_leave(
        actor=network.users["admin"], membership=membership, left_on=datetime.date(2025, 5, 31)
    )
    with pytest.raises(ProgrammeError) as refused, translation.override("en"):
        join(network, myn_bala, network.pavlodar_house, on=datetime.date(2025, 5, 31))
    with translation.override("en"):
        assert "give a later date" in str(refused.value.message)
    again = join(network, myn_bala, network.pavlodar_house, on=datetime.date(2025, 9, 1))
    assert again.pk != membership.pk
    assert ProgrammeMembership.objects.filter(organisation=network.pavlodar_house).count() == 2


def test_leaving_before_joining_or_twice_is_refused(network, myn_bala):
    membership = join(network, myn_bala, network.pavlodar_house)
    with pytest.raises(ProgrammeError):
        services.programme_leave(
            actor=network.users["admin"],
            membership=membership,
            left_on=DAY.replace(day=1) - datetime.timedelta(days=1),
        )
    services.programme_leave(actor=network.users["admin"], membership=membership, left_on=DAY)
    with pytest.raises(ProgrammeError):
        services.programme_leave(actor=network.users["admin"], membership=membership, left_on=DAY)
    membership.refresh_from_db()
    assert membership.left_on == DAY


def test_joining_and_leaving_are_audited_under_the_body(network, myn_bala):
    membership = join(network, myn_bala, network.pavlodar_house, user="staff_pavlodar_house")
    services.programme_leave(actor=network.users["coordinator_pavlodar"], membership=membership)
    entries = AuditEntry.objects.filter(object_type="events.ProgrammeMembership")
    assert [entry.action for entry in entries.order_by("pk")] == ["create", "update"]
    assert {entry.organisation_path for entry in entries} == {network.pavlodar_house.path}


def test_a_coordinator_may_not_join_a_body_of_another_region(network, myn_bala):
    with pytest.raises(PermissionDenied):
        join(network, myn_bala, network.almaty_house, user="coordinator_pavlodar")
    with pytest.raises(PermissionDenied):
        join(network, myn_bala, network.pavlodar_house, user="analyst")
    assert not ProgrammeMembership.objects.exists()


def test_a_closed_body_or_a_retired_programme_cannot_be_joined(network, myn_bala):
    network.pavlodar_elders.status = "closed"
    network.pavlodar_elders.closed_on = DAY
    network.pavlodar_elders.save()
    with pytest.raises(ProgrammeError):
        join(network, myn_bala, network.pavlodar_elders)
    myn_bala.is_active = False
    myn_bala.save()
    with pytest.raises(ProgrammeError):
        join(network, myn_bala, network.pavlodar_house)


def test_joining_many_is_all_or_nothing(network, myn_bala):
    join(network, myn_bala, network.pavlodar_elders)
    with pytest.raises(ProgrammeError):
        services.programme_join_many(
            actor=network.users["coordinator_pavlodar"],
            programme=myn_bala,
            organisations=[network.pavlodar_house, network.pavlodar_elders],
            joined_on=DAY,
        )
    assert ProgrammeMembership.objects.count() == 1


# --- Joining through the workspace ------------------------------------------------------------


def test_a_coordinator_joins_several_bodies_of_the_region_at_once(network, myn_bala, as_user):
    client = as_user("coordinator_pavlodar")
    page = client.get(reverse("events:programme_detail", args=["myn_bala"]))
    assert page.status_code == 200
    assert network.pavlodar_house.name_en in page.content.decode()
    response = client.post(
        reverse("events:programme_join", args=["myn_bala"]),
        {
            "bodies": [network.pavlodar_house.pk, network.pavlodar_elders.pk],
            "joined_on": "2025-03-01",
        },
    )
    assert response.status_code == 302
    assert set(ProgrammeMembership.objects.values_list("organisation_id", flat=True)) == {
        network.pavlodar_house.pk,
        network.pavlodar_elders.pk,
    }


def test_a_coordinator_of_another_region_gets_404_for_a_body_not_in_scope(
    network, myn_bala, as_user
):
    response = as_user("coordinator_almaty").post(
        reverse("events:programme_join", args=["myn_bala"]),
        {"bodies": [network.pavlodar_house.pk], "joined_on": "2025-03-01"},
    )
    assert response.status_code == 404
    membership = join(network, myn_bala, network.pavlodar_house)
    response = as_user("coordinator_almaty").post(
        reverse("events:programme_leave", args=["myn_bala", membership.pk]),
        {"left_on": "2025-04-01"},
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.left_on is None


def test_joining_a_body_already_in_shows_the_reason(network, myn_bala, as_user):
    join(network, myn_bala, network.pavlodar_house)
    response = as_user("staff_pavlodar_house").post(
        reverse("events:programme_join", args=["myn_bala"]),
        {"bodies": [network.pavlodar_house.pk], "joined_on": "2025-04-01"},
    )
    assert response.status_code == 400
    assert "already takes part" in response.content.decode()
    response = as_user("staff_pavlodar_house").post(
        reverse("events:programme_join", args=["myn_bala"]),
        {"bodies": ["x"], "joined_on": "2025-04-01"},
    )
    assert response.status_code == 404
    response = as_user("staff_pavlodar_house").post(
        reverse("events:programme_join", args=["myn_bala"]), {"joined_on": "not a date"}
    )
    assert response.status_code == 400
    assert ProgrammeMembership.objects.count() == 1


def test_body_staff_record_the_leaving_of_their_body(network, myn_bala, as_user):
    membership = join(network, myn_bala, network.pavlodar_house)
    response = as_user("staff_pavlodar_house").post(
        reverse("events:programme_leave", args=["myn_bala", membership.pk]),
        {"left_on": "2025-04-01"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == datetime.date(2025, 4, 1)


def test_programme_pages_of_the_workspace_cost_the_same_queries_for_3_and_30_bodies(
    network, myn_bala, as_user, django_assert_max_num_queries
):
    client = as_user("coordinator_pavlodar")

    def bodies(count):
        for _ in range(count):
            body = OrganisationFactory(
                parent=network.pavlodar,
                kind=kind("ethnocultural_association"),
                region=region("KZ-55"),
            )
            join(network, myn_bala, body)

    bodies(3)
    with django_assert_max_num_queries(40) as few:
        assert client.get(reverse("events:programme_detail", args=["myn_bala"])).status_code == 200
        assert client.get(reverse("events:programme_list")).status_code == 200
    bodies(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("events:programme_detail", args=["myn_bala"])).status_code == 200
        assert client.get(reverse("events:programme_list")).status_code == 200


# --- Partners ----------------------------------------------------------------------------------


def test_a_partner_comes_from_the_state_bodies_catalogue(network, myn_bala):
    ministry = StateBody.objects.get(code="ministry-culture_information")
    partner = services.programme_partner_add(
        actor=network.users["admin"],
        programme=myn_bala,
        state_body=ministry,
        roles={"kk": "Қолдау", "ru": "Поддержка", "en": "Support"},
        starts_on=DAY,
    )
    assert partner.party == ministry
    assert partner.role_ru == "Поддержка"
    with pytest.raises(ProgrammeError):
        services.programme_partner_add(
            actor=network.users["admin"], programme=myn_bala, state_body=ministry
        )
    with pytest.raises(PermissionDenied):
        services.programme_partner_add(
            actor=network.users["coordinator_pavlodar"],
            programme=myn_bala,
            state_body=StateBody.objects.get(code="ministry-education"),
        )


def test_an_outside_organisation_is_added_as_partner_from_the_page(network, myn_bala, as_user):
    client = as_user("admin")
    url = reverse("events:programme_partners", args=["myn_bala"])
    refused = client.post(url, {"name_kk": "«Мейірім» қоры", "role_kk": "Демеуші"})
    assert refused.status_code == 400
    assert "Choose the kind of the new organisation" in refused.content.decode()
    both = client.post(
        url,
        {
            "state_body": StateBody.objects.get(code="ministry-education").pk,
            "name_kk": "«Мейірім» қоры",
            "kind": "ngo",
        },
    )
    assert both.status_code == 400
    response = client.post(
        url,
        {
            "name_kk": "«Мейірім» қоры",
            "name_ru": "Фонд «Мейірім»",
            "kind": "ngo",
            "role_kk": "Демеуші",
        },
    )
    assert response.status_code == 302
    organisation = PartnerOrganisation.objects.get()
    assert organisation.name_ru == "Фонд «Мейірім»"
    partner = ProgrammePartner.objects.get(programme=myn_bala)
    assert partner.organisation == organisation
    assert as_user("coordinator_pavlodar").get(url).status_code == 403
    remove = reverse("events:programme_partner_remove", args=["myn_bala", partner.pk])
    assert as_user("admin").post(remove).status_code == 302
    assert not ProgrammePartner.objects.filter(programme=myn_bala).exists()


# --- Indicators --------------------------------------------------------------------------------


def test_bodies_taking_part_count_the_memberships_that_overlap_the_period(network, myn_bala):
    join(network, myn_bala, network.pavlodar_house, on=datetime.date(2024, 5, 1))
    left = join(network, myn_bala, network.pavlodar_elders, on=datetime.date(2024, 1, 1))
    services.programme_leave(
        actor=network.users["admin"], membership=left, left_on=datetime.date(2024, 12, 31)
    )
    join(network, myn_bala, network.almaty_house, on=datetime.date(2025, 2, 1))
    green = Programme.objects.get(code="green_certificate")
    join(network, green, network.pavlodar_house, on=datetime.date(2025, 2, 1))
    rows = kpi.compute("events.programme_bodies", kpi.Period.year(2025))
    assert sorted((r["programme"], r["region"], r["value"]) for r in rows) == [
        ("green_certificate", "KZ-55", 1),
        ("myn_bala", "KZ-55", 1),
        ("myn_bala", "KZ-75", 1),
    ]
    rows_2024 = kpi.compute("events.programme_bodies", kpi.Period.year(2024), region("KZ-55"))
    assert rows_2024 == [{"programme": "myn_bala", "region": "KZ-55", "value": 2}]


def test_festivals_and_performances_count_held_events_of_their_kind(network, myn_bala):
    held(network.pavlodar_house, kind=Event.Kind.FESTIVAL, programme=myn_bala)
    held(network.pavlodar_house, kind=Event.Kind.FESTIVAL)
    held(network.almaty_house, kind=Event.Kind.CONCERT, programme=myn_bala)
    # Not counted: a planned festival, a cancelled concert, a meeting.
    EventFactory(
        organiser=network.pavlodar_house,
        kind=Event.Kind.FESTIVAL,
        starts_at=AT,
        ends_at=AT + datetime.timedelta(hours=2),
        status=Event.Status.PLANNED,
    )
    EventFactory(
        organiser=network.almaty_house,
        region=region("KZ-75"),
        kind=Event.Kind.CONCERT,
        starts_at=AT,
        ends_at=AT + datetime.timedelta(hours=2),
        status=Event.Status.CANCELLED,
    )
    held(network.almaty_house, kind=Event.Kind.MEETING, programme=myn_bala)
    period = kpi.Period.year(2025)
    festivals = kpi.compute("events.festivals", period)
    assert sorted((r["programme"], r["region"], r["value"]) for r in festivals) == [
        ("myn_bala", "KZ-55", 1),
        ("none", "KZ-55", 1),
    ]
    performances = kpi.compute("events.performances", period)
    assert performances == [{"programme": "myn_bala", "region": "KZ-75", "value": 1}]


def test_programme_events_add_up_to_the_events_by_programme(network, myn_bala):
    held(network.pavlodar_house, programme=myn_bala, total=30)
    held(network.almaty_house, programme=myn_bala, total=12)
    held(network.almaty_house, total=5)
    period = kpi.Period.year(2025)
    by_programme = {
        r["programme"]: r["value"] for r in kpi.compute("events.events_by_programme", period)
    }
    participants = {
        r["programme"]: r["value"] for r in kpi.compute("events.participants_by_programme", period)
    }
    for key, reference in (
        ("events.programme_events", by_programme),
        ("events.programme_participants", participants),
    ):
        summed: dict[str, float] = {}
        for row in kpi.compute(key, period):
            summed[row["programme"]] = summed.get(row["programme"], 0) + row["value"]
        assert summed == reference
    assert by_programme == {"myn_bala": 2, "none": 1}


@freeze_time("2026-02-01 09:00:00")
def test_joining_today_counts_in_this_years_figures(network, myn_bala):
    join(network, myn_bala, network.pavlodar_house, on=timezone.localdate())
    rows = kpi.compute("events.programme_bodies", kpi.Period.year(2026))
    assert rows == [{"programme": "myn_bala", "region": "KZ-55", "value": 1}]
