"""Dashboards: scoped by grants, aggregates only in public, filters validated, numbers equal to
the registry's, a fixed number of queries."""

import re

import pytest
from django.utils import translation

from birlik.core import kpi
from birlik.core.templatetags.birlik_format import number

from ..factories import region

STAFF = "/en/workspace/reports/"
PUBLIC = "/en/figures/"


def figure_on(page: str, label: str) -> str:
    """The value written in the figure card labelled ``label``."""
    match = re.search(
        r'<span class="figure-value">([^<]*)</span> <span class="figure-label">' + re.escape(label),
        page,
    )
    assert match, label
    return match.group(1)


def total(key, period, region=None):
    return sum(row["value"] for row in kpi.compute(key, period, region))


@pytest.mark.django_db
def test_staff_dashboard_numbers_equal_the_registry(activity, login):
    page = login(activity.users["admin"]).get(STAFF, {"year": 2025}).content.decode()
    period = kpi.Period.year(2025)
    with translation.override("en"):
        assert figure_on(page, "Events held by kind of body") == number(
            total("events.events", period)
        )
        assert figure_on(page, "Participants by kind of body") == number(172)
    assert "Pavlodar" in page
    assert 'role="img"' in page
    assert "<caption>Events held: by region</caption>" in page


@pytest.mark.django_db
def test_a_coordinator_sees_their_region_only(activity, login):
    client = login(activity.users["coordinator_pavlodar"])
    response = client.get(STAFF, {"year": 2025})
    assert response.status_code == 200
    page = response.content.decode()
    assert figure_on(page, "Events held by kind of body") == "3"
    assert "Region:</strong> Pavlodar" in page
    options = re.findall(r'<option value="(KZ-\d+)"', page)
    assert options == ["KZ-55"]
    assert client.get(STAFF, {"year": 2025, "region": "KZ-75"}).status_code == 404
    assert client.get(STAFF, {"region": "XX-00"}).status_code == 404
    assert client.get(STAFF + "all/", {"region": "KZ-75"}).status_code == 404


@pytest.mark.django_db
def test_body_staff_see_their_bodys_region(activity, login):
    page = login(activity.users["staff_pavlodar_house"]).get(STAFF, {"year": 2025})
    assert figure_on(page.content.decode(), "Events held by kind of body") == "3"


@pytest.mark.django_db
def test_national_admin_may_choose_any_region(activity, login):
    page = login(activity.users["admin"]).get(STAFF, {"year": 2025, "region": "KZ-75"})
    assert figure_on(page.content.decode(), "Events held by kind of body") == "1"


@pytest.mark.django_db
def test_people_without_a_grant_are_refused(activity, client, login):
    assert client.get(STAFF).status_code == 302  # to the sign-in page
    assert login(activity.users["nobody"]).get(STAFF).status_code == 403


@pytest.mark.django_db
def test_kind_filter_counts_that_kind_only(activity, client):
    page = client.get(PUBLIC, {"year": 2025, "kind": "elders_council"}).content.decode()
    assert figure_on(page, "Events held by kind of body") == "2"
    assert figure_on(page, "Participants by kind of body") == "65"


@pytest.mark.django_db
def test_quarter_and_month_narrow_the_period(activity, client):
    first = client.get(PUBLIC, {"year": 2025, "quarter": 1}).content.decode()
    assert figure_on(first, "Events held by kind of body") == "3"
    july = client.get(PUBLIC, {"year": 2025, "month": 7}).content.decode()
    assert figure_on(july, "Events held by kind of body") == "1"
    dates = client.get(PUBLIC, {"date_from": "2025-07-01", "date_to": "2025-07-31"})
    assert figure_on(dates.content.decode(), "Events held by kind of body") == "1"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "1800"}, "Give a year between 1995 and"),
        ({"year": "abc"}, "Enter a whole number."),
        ({"date_from": "2025-05-01"}, "Give both dates of the period, or neither."),
        ({"date_from": "2025-05-01", "date_to": "2025-01-01"}, "The end of the period is before"),
        ({"date_from": "2001-01-01", "date_to": "2025-01-01"}, "at most five years"),
        ({"quarter": "2", "month": "3"}, "Choose a quarter or a month, not both."),
        ({"quarter": "9"}, "Select a valid choice."),
        ({"region": "KZ-99"}, "Select a valid choice."),
        ({"date_from": "2025-13-45", "date_to": "x"}, "Enter a valid date."),
    ],
)
@pytest.mark.django_db
def test_bad_filters_get_a_clear_message_and_still_a_page(network, client, query, message):
    response = client.get(PUBLIC, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert message in page


@pytest.mark.django_db
def test_public_dashboard_shows_no_personal_data(activity, client):
    page = client.get(PUBLIC, {"year": 2025}).content.decode()
    assert activity.pavlodar_person.last_name not in page
    assert "workspace" not in page.split("<main", 1)[-1]


@pytest.mark.django_db
def test_every_indicator_page_lists_each_registered_indicator(activity, client):
    page = client.get(PUBLIC + "all/", {"year": 2025}).content.decode()
    with translation.override("en"):
        for item in kpi.indicators():
            if not item.key.endswith("_cube"):
                shown = str(item.name) in page.replace("&#x27;", "'")
                assert shown == item.public, item.key  # staff-only signals are never shown


@pytest.mark.django_db
def test_catalogue_says_what_each_figure_means(network, client):
    page = client.get(PUBLIC + "indicators/").content.decode()
    assert "events.participants_unique" in page
    assert "Different people checked in at events of the period" in page


@pytest.mark.django_db
def test_dashboards_cost_a_fixed_number_of_queries(
    activity, client, login, django_assert_max_num_queries
):
    from django.core.cache import cache

    admin = login(activity.users["admin"])
    # Cold: one query per indicator shown (every indicator on "all/"), whatever the data size.
    cold = len(kpi.indicators()) + 30
    for url in (STAFF, STAFF + "all/"):
        cache.clear()
        with django_assert_max_num_queries(cold if url.endswith("all/") else 40):
            assert admin.get(url, {"year": 2025}).status_code == 200
        with django_assert_max_num_queries(20):
            assert admin.get(url, {"year": 2025}).status_code == 200
    for url in (PUBLIC, PUBLIC + "all/", PUBLIC + "indicators/"):
        cache.clear()
        with django_assert_max_num_queries(cold if url.endswith("all/") else 40):
            assert client.get(url, {"year": 2025, "region": "KZ-55"}).status_code == 200
        with django_assert_max_num_queries(20):
            assert client.get(url, {"year": 2025, "region": "KZ-55"}).status_code == 200
    assert region("KZ-55")
