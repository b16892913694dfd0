"""Training needs: who a rule requires (current terms of that kind of body and role), who is
trained (a valid certificate of one of the rule's courses issued within its period before the
day), who is overdue, a region's coverage — and who may read them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from birlik.core.kpi import Period, compute
from birlik.learning import queries
from birlik.registry.models import Membership

from ..factories import OrganisationFactory, kind, region
from .factories import certificate_for, make_course, make_rule, make_term

DAY = datetime.date(2025, 11, 15)


@pytest.fixture
def needs(learning):
    """Pavlodar: a house with three staff (one trained this year, one trained two years ago,
    one never) and a mediation centre with a mediator trained 20 months ago (refresher every
    24) and its head (not concerned by the mediators' rule); Almaty: one trained staff member."""
    network = learning.network
    refresher = make_course(learning.academy, title_en="Ethno-mediation refresher")
    make_rule("house_of_friendship", [learning.course], months=12)
    make_rule("mediation_centre", [refresher], months=24, role=Membership.Role.MEDIATOR)
    house = network.pavlodar_house
    current = make_term(house, last_name="Жаңа")
    stale = make_term(house, last_name="Ескі")
    never = make_term(house, last_name="Оқымаған")
    certificate_for(current.person, learning.course, datetime.date(2025, 2, 1))
    certificate_for(stale.person, learning.course, datetime.date(2023, 10, 1))
    centre = OrganisationFactory(
        parent=network.pavlodar, kind=kind("mediation_centre"), region=region("KZ-55")
    )
    mediator = make_term(centre, role=Membership.Role.MEDIATOR, last_name="Медиатор")
    make_term(centre, role=Membership.Role.HEAD, last_name="Басшы")
    certificate_for(mediator.person, refresher, datetime.date(2024, 3, 10))
    almaty = make_term(network.almaty_house, last_name="Алматылық")
    certificate_for(almaty.person, learning.course, datetime.date(2025, 9, 1))
    # The fixture's own staff terms: one in each house, never trained.
    return {"current": current, "stale": stale, "never": never, "mediator": mediator}


def _coverage(**kwargs):
    return {row.region: row for row in queries.coverage_by_region(**kwargs)}


def test_a_regions_coverage_counts_required_trained_and_overdue_people(needs):
    rows = _coverage(on=DAY)
    pavlodar = rows["KZ-55"]
    # house: 3 + the fixture's term; centre: the mediator (the head is not concerned)
    assert (pavlodar.required, pavlodar.overdue, pavlodar.trained) == (5, 3, 2)
    assert pavlodar.percent == 40.0
    almaty = rows["KZ-75"]
    assert (almaty.required, almaty.overdue) == (3, 2)  # with the network's member Ким


def test_training_expires_after_the_rules_months(needs):
    def overdue_on(day: datetime.date) -> set[str]:
        return {row.person.last_name for row in queries.overdue_terms(on=day, paths=None)}

    # The mediator's refresher (10.03.2024, 24 months) runs out on 10.03.2026.
    assert "Медиатор" not in overdue_on(datetime.date(2026, 3, 9))
    assert "Медиатор" in overdue_on(datetime.date(2026, 3, 10))
    # The house's yearly course of 01.02.2025 runs out on 01.02.2026.
    assert "Жаңа" not in overdue_on(datetime.date(2026, 1, 31))
    assert "Жаңа" in overdue_on(datetime.date(2026, 2, 1))


def test_a_certificate_issued_after_the_day_or_revoked_does_not_count(needs, learning):
    never = needs["never"].person
    later = certificate_for(never, learning.course, datetime.date(2025, 12, 1))
    assert "Оқымаған" in {row.person.last_name for row in queries.overdue_terms(on=DAY, paths=None)}
    assert "Оқымаған" not in {
        row.person.last_name
        for row in queries.overdue_terms(on=datetime.date(2025, 12, 2), paths=None)
    }
    later.revoked_at, later.revocation_reason = timezone.now(), "Қате"
    later.save()
    assert "Оқымаған" in {
        row.person.last_name
        for row in queries.overdue_terms(on=datetime.date(2025, 12, 2), paths=None)
    }


def test_a_person_required_twice_counts_once_and_is_overdue_if_one_rule_is_unmet(needs):
    # The trained house staff member is also a mediator of the centre, never refreshed.
    centre = needs["mediator"].organisation
    make_term(centre, role=Membership.Role.MEDIATOR, person=needs["current"].person)
    pavlodar = _coverage(on=DAY)["KZ-55"]
    assert (pavlodar.required, pavlodar.overdue) == (5, 4)
    total = queries.coverage_total(on=DAY)
    assert (total.required, total.overdue) == (8, 6)


def test_the_overdue_list_says_which_rule_and_when_last_trained(needs):
    rows = {row.person.last_name: row for row in queries.overdue_terms(on=DAY, paths=None)}
    assert set(rows) >= {"Ескі", "Оқымаған", "Бекова", "Ли"}
    assert rows["Ескі"].last_trained == datetime.date(2023, 10, 1)
    assert rows["Оқымаған"].last_trained is None
    assert rows["Ескі"].due_rule is not None


def test_the_figures_give_coverage_and_overdue_by_region(needs):
    with freeze_time("2026-01-20"):
        period = Period.year(2025)
        coverage = {row["region"]: row["value"] for row in compute("learning.coverage", period)}
        overdue = {row["region"]: row["value"] for row in compute("learning.overdue", period)}
    assert coverage == {"KZ-55": 40.0, "KZ-75": 33.3}
    assert overdue == {"KZ-55": 3, "KZ-75": 2}
    pavlodar = compute("learning.overdue", Period.year(2025), region("KZ-55"))
    assert pavlodar == [{"region": "KZ-55", "value": 3}]


# --- The pages ---------------------------------------------------------------------------------


@freeze_time("2025-11-15 10:00:00")
def test_a_coordinator_reads_their_regions_coverage_only(client, needs, learning):
    client.force_login(learning.network.users["coordinator_pavlodar"])
    page = client.get(reverse("learning:needs")).content.decode()
    assert "Pavlodar" in page or "Павлодар" in page
    assert "Алматы" not in page and "Almaty" not in page
    overdue = client.get(reverse("learning:overdue")).content.decode()
    assert "Оқымаған" in overdue and "Ли Виктория" not in overdue


@freeze_time("2025-11-15 10:00:00")
def test_analysts_read_the_counts_but_not_the_names(client, needs, learning):
    client.force_login(learning.network.users["analyst"])
    page = client.get(reverse("learning:needs"))
    assert page.status_code == 200
    assert "Оқымаған" not in page.content.decode()
    assert client.get(reverse("learning:overdue")).status_code == 403


def test_a_day_asked_for_is_used_and_a_bad_one_is_said(client, needs, learning):
    client.force_login(learning.network.users["admin"])
    url = reverse("learning:overdue")
    later = client.get(url, {"on": "2026-03-10"}).content.decode()
    assert "Медиатор" in later
    bad = client.get(url, {"on": "yesterday", "region": "KZ-99", "page": "x"})
    assert bad.status_code == 400
    assert client.get(reverse("learning:needs"), {"on": "31.02.2025"}).status_code == 400


def test_the_overdue_list_costs_the_same_queries_for_3_and_30_people(
    client, learning, django_assert_max_num_queries
):
    make_rule("house_of_friendship", [learning.course], months=12)
    client.force_login(learning.network.users["admin"])
    url = reverse("learning:overdue")
    for count in (3, 30):
        for index in range(count - (3 if count == 30 else 0)):
            make_term(learning.network.pavlodar_house, last_name=f"Кезекті{count}_{index}")
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200


def test_the_coverage_page_costs_the_same_queries_for_3_and_30_rules_and_regions(
    client, learning, django_assert_max_num_queries
):
    client.force_login(learning.network.users["admin"])
    url = reverse("learning:needs")
    for count in (3, 30):
        for index in range(count - (3 if count == 30 else 0)):
            make_rule("house_of_friendship", [learning.course], months=12 + index)
            make_term(learning.network.almaty_house, last_name=f"Алм{count}_{index}")
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
