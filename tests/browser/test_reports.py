"""Dashboards in a real browser, in Kazakh: charts, tables and filters pass axe-core."""

from __future__ import annotations

import datetime

from playwright.sync_api import expect

from tests.reports.factories import held_event


def _activity(network) -> None:
    held_event(network.pavlodar_elders, 40)
    held_event(
        network.pavlodar_house, 100, when=datetime.datetime(2025, 7, 1, 6, tzinfo=datetime.UTC)
    )
    held_event(network.almaty_house, 7)


def test_public_dashboard_in_kazakh_passes_axe(browser_network, page, axe_check):
    _activity(browser_network)
    response = page.goto("/kk/figures/?year=2025")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "kk"
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert page.locator("table caption").count() >= 3
    axe_check(page)


def test_public_dashboard_filters_tell_what_was_wrong(browser_network, page, axe_check):
    page.goto("/kk/figures/?date_from=2025-05-01&date_to=2025-01-01")
    expect(page.locator("[role=alert]")).to_be_visible()
    axe_check(page)


def test_staff_dashboard_of_a_coordinator_in_kazakh_passes_axe(browser_network, sign_in, axe_check):
    _activity(browser_network)
    page = sign_in("coordinator_pavlodar")
    response = page.goto("/kk/workspace/reports/?year=2025")
    assert response is not None and response.status == 200
    options = page.locator("select[name=region] option")
    expect(options).to_have_count(1)
    axe_check(page)


def test_catalogue_and_every_indicator_pages_pass_axe(browser_network, page, axe_check):
    page.goto("/kk/figures/indicators/")
    axe_check(page)
    page.goto("/kk/figures/all/?year=2025")
    axe_check(page)


def test_plan_page_of_the_national_admin_passes_axe(browser_network, sign_in, axe_check):
    from birlik.geo.models import Region
    from birlik.reports.models import Plan, Target

    _activity(browser_network)
    plan = Plan.objects.create(year=2025, title="Жоспар 2025")
    Target.objects.create(
        plan=plan, indicator="events.events", region=Region.objects.get(iso="KZ-55"), value=4
    )
    page = sign_in("admin")
    response = page.goto(f"/kk/workspace/reports/plans/{plan.pk}/")
    assert response is not None and response.status == 200
    expect(page.locator("form[action$='/approve/']")).to_be_visible()
    axe_check(page)
