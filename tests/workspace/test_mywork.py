"""The "my work" home: counts of waiting work in the user's scope, the nearest deadline as a
coloured badge that says it in words, the menu of the role and breadcrumbs of record pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from birlik.access.models import Role
from birlik.appeals.models import Appeal, StateBody
from birlik.appeals.services import proposal_draft
from birlik.core.workdays import legal_today
from birlik.imports.models import ImportJob
from birlik.mediation import services as mediation_services
from birlik.mediation.models import MediationCase
from birlik.workspace.mywork import my_work

from ..appeals.helpers import register
from ..charity.factories import centre as charity_centre
from ..charity.factories import make_request
from ..events.factories import EventFactory
from ..factories import GrantFactory, OrganisationFactory, UserFactory, kind, region

GROUNDS = "Ауылдағы мектепке жол салу қажет, балалар қыста жете алмайды."


def _appeal(body, *, due_in: int) -> Appeal:
    appeal = register(body)
    Appeal.objects.filter(pk=appeal.pk).update(
        effective_due=legal_today() + datetime.timedelta(days=due_in)
    )
    return appeal


def _late_event(body, *, ended_days_ago: int = 10):
    start = timezone.now() - datetime.timedelta(days=ended_days_ago, hours=2)
    return EventFactory(
        organiser=body,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        status="held",
        region=body.region,
    )


def _proposal(network, body):
    akimat = StateBody.objects.filter(region=network.pavlodar.region, kind="akimat").first()
    return proposal_draft(
        actor=network.users["admin"],
        organisation=body,
        state_body=akimat,
        title="Ұсыныс",
        text=GROUNDS,
    )


def _work(user) -> dict[str, object]:
    return {item.key: item for item in my_work(user)}


@pytest.fixture
def busy(network):
    """Pavlodar: one appeal overdue by two days, one due tomorrow, a late event report, a draft
    proposal, a request for help to verify. Almaty: the same, twice over."""
    _appeal(network.pavlodar_house, due_in=-2)
    _appeal(network.pavlodar_house, due_in=1)
    _late_event(network.pavlodar_house)
    _proposal(network, network.pavlodar_house)
    make_request(charity_centre(network.pavlodar, "KZ-55"), None)
    almaty_centre = charity_centre(network.almaty, "KZ-75")
    for _n in range(2):
        _appeal(network.almaty_house, due_in=-5)
        _appeal(network.almaty_house, due_in=1)
        _late_event(network.almaty_house)
        _proposal(network, network.almaty_house)
        make_request(almaty_centre, None)
    return network


def test_a_coordinator_of_pavlodar_counts_only_pavlodar_work(busy):
    work = _work(busy.users["coordinator_pavlodar"])
    assert work["appeals_overdue"].count == 1
    assert work["appeals_overdue"].days_left == -2
    assert work["appeals_overdue"].tone == "late"
    assert work["appeals_overdue"].badge == "the oldest 2 days overdue"
    assert work["appeals_due_soon"].count == 1
    assert work["appeals_due_soon"].tone == "soon"
    assert work["event_reports_late"].count == 1
    assert work["event_reports_late"].tone == "late"
    assert work["proposals_to_approve"].count == 1
    assert work["charity_to_verify"].count == 1
    # Mediation cases are confidential: a coordinator gets no count of them at all.
    assert "mediation_follow_ups" not in work


def test_the_national_administrator_counts_the_whole_country(busy):
    work = _work(busy.users["admin"])
    assert work["appeals_overdue"].count == 3
    assert work["appeals_overdue"].days_left == -5
    assert work["appeals_due_soon"].count == 3
    assert work["event_reports_late"].count == 3
    assert work["proposals_to_approve"].count == 3
    assert work["charity_to_verify"].count == 3


def test_an_analyst_has_no_appeals_or_reports_to_handle(busy):
    work = _work(busy.users["analyst"])
    assert not {"appeals_overdue", "event_reports_late", "proposals_to_approve"} & set(work)


def test_a_report_still_within_its_days_is_not_late(network, settings):
    settings.EVENT_REPORT_DAYS = 5
    _late_event(network.pavlodar_house, ended_days_ago=2)
    assert _work(network.users["coordinator_pavlodar"])["event_reports_late"].count == 0


def test_a_far_deadline_is_neutral_and_a_near_one_amber(network):
    _appeal(network.pavlodar_house, due_in=3)
    item = _work(network.users["coordinator_pavlodar"])["appeals_due_soon"]
    assert (item.days_left, item.tone) == (3, "soon")
    assert item.badge == "the nearest in 3 days"


def test_a_centre_head_counts_the_follow_ups_of_their_own_centre_only(network):
    centres = {}
    places = (
        ("pavlodar", network.pavlodar_house, "KZ-55"),
        ("almaty", network.almaty_house, "KZ-75"),
    )
    for name, parent, iso in places:
        body = OrganisationFactory(parent=parent, kind=kind("mediation_centre"), region=region(iso))
        head = UserFactory(username=f"head_{name}")
        GrantFactory(user=head, role=Role.CENTRE_HEAD, organisation=body)
        case = mediation_services.case_open(
            actor=head,
            centre=body,
            kind="family",
            source="walk_in",
            parties=[
                mediation_services.PartyData(name="Қонысбаев Серік", is_applicant=True),
                mediation_services.PartyData(name="Тұрсынова Әлия"),
            ],
            description="A dispute about a shared yard.",
            consent=True,
        )
        MediationCase.objects.filter(pk=case.pk).update(
            outcome="agreement", execution_due=legal_today() - datetime.timedelta(days=4)
        )
        centres[name] = head
    item = _work(centres["pavlodar"])["mediation_follow_ups"]
    assert (item.count, item.days_left) == (1, -4)
    assert item.url.endswith("?follow_up=1")


def test_imports_waiting_are_the_users_own_and_link_to_their_review(network):
    coordinator = network.users["coordinator_pavlodar"]
    mine = ImportJob.objects.create(
        user=coordinator,
        organisation=network.pavlodar,
        kind="members",
        filename="members.xlsx",
        status=ImportJob.Status.READY,
    )
    ImportJob.objects.create(
        user=coordinator, organisation=network.pavlodar, kind="members", status="done"
    )
    ImportJob.objects.create(
        user=network.users["admin"],
        organisation=network.pavlodar,
        kind="members",
        status=ImportJob.Status.READY,
    )
    item = _work(coordinator)["imports_waiting"]
    assert item.count == 1
    assert item.url == reverse("workspace:import_review", kwargs={"token": mine.token})
    assert "members.xlsx" in item.entries[0].label


def test_the_home_page_shows_counts_badges_and_links_to_the_filtered_lists(busy, as_user):
    page = as_user("coordinator_pavlodar").get(reverse("workspace:home")).content.decode()
    assert f'href="{reverse("appeals:inbox")}?queue=overdue"' in page
    assert f'href="{reverse("events:list")}?late=on"' in page
    assert "due-late" in page
    assert "the oldest 2 days overdue" in page


def test_the_home_page_costs_the_same_queries_for_a_few_and_many_records(
    busy, as_user, django_assert_max_num_queries
):
    from django.db import connection

    from tests.queries import DataQueriesContext

    client = as_user("admin")
    path = reverse("workspace:home")
    with DataQueriesContext(connection) as few:
        client.get(path)
    for _n in range(15):
        _appeal(busy.almaty_house, due_in=-3)
        _appeal(busy.pavlodar_house, due_in=2)
        _late_event(busy.pavlodar_elders)
        _proposal(busy, busy.pavlodar_elders)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(path)
    assert {i.key: i.count for i in response.context["work"]}["appeals_overdue"] == 18


# --- The menu and the breadcrumbs -------------------------------------------------------------


def test_the_menu_shows_the_roles_sections_the_full_name_and_the_current_one(network, as_user):
    user = network.users["coordinator_pavlodar"]
    user.full_name = "Айгүл Серікқызы"
    user.save()
    page = as_user("coordinator_pavlodar").get(reverse("appeals:inbox")).content.decode()
    assert "Айгүл Серікқызы" in page
    assert "coordinator_pavlodar" not in page
    assert "regional coordinator, Assembly of Pavlodar Region" in page
    for name in ("workspace:bodies", "events:list", "appeals:proposals", "access:profile"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("appeals:inbox")}" aria-current="page"' in page
    assert f'href="{reverse("workspace:import", args=[network.pavlodar.pk])}"' in page


def test_the_menu_leaves_out_what_the_role_may_not_use(as_user):
    page = as_user("analyst").get(reverse("workspace:home")).content.decode()
    for name in ("appeals:inbox", "workspace:people", "access:grants", "api_tokens:list"):
        assert f'href="{reverse(name)}"' not in page
    assert f'href="{reverse("reports:dashboard")}"' in page
    auditor = as_user("auditor").get(reverse("workspace:home")).content.decode()
    assert f'href="{reverse("access:audit")}"' in auditor


def test_record_pages_show_breadcrumbs_in_the_users_scope(network, as_user):
    client = as_user("coordinator_pavlodar")
    page = client.get(reverse("workspace:body", args=[network.pavlodar_elders.pk])).content
    trail = page.decode().split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert "Assembly of Pavlodar Region" in trail
    assert "Secretariat" not in trail  # above the coordinator's grant
    assert '<span aria-current="page">Council of Elders</span>' in trail
    person = client.get(reverse("workspace:person", args=[network.pavlodar_person.pk]))
    trail = person.content.decode().split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert f'href="{reverse("workspace:people")}"' in trail
