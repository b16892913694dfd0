"""The deputy group's initiatives in Chromium with axe: the public list and an initiative's public
page in kk, ru and en (submitted initiatives only, filtered by stage), and the group's staff
recording the next stage on an initiative's page."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from birlik.access.models import Role
from birlik.core.workdays import legal_today
from birlik.deputies import services
from birlik.deputies.models import Initiative, Stage
from tests.conftest import Network
from tests.deputies.factories import make_initiative, through
from tests.factories import (
    GrantFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    kind,
)

LANGUAGES = ["kk", "ru", "en"]


def _group(network: Network) -> tuple[Any, Any, Any]:
    group = OrganisationFactory(
        parent=network.root,
        kind=kind("deputy_group"),
        name_kk="«Бір ел – бір мүдде» депутаттық тобы",
        name_ru="Депутатская группа «Бір ел – бір мүдде»",
        name_en="Bir El – Bir Mudde Deputy Group",
    )
    staff = UserFactory(username="deputy_group", full_name="Әлия Нұрланова")
    GrantFactory(user=staff, role=Role.BODY_STAFF, organisation=group)
    deputy = PersonFactory(registered_by=group, last_name="Депутатова")
    MembershipFactory(person=deputy, organisation=group)
    return group, staff, deputy


def _initiatives(network: Network) -> dict[str, Initiative]:
    group, staff, deputy = _group(network)
    today = legal_today()
    start = today - datetime.timedelta(days=60)
    adopted = make_initiative(
        actor=staff,
        organisation=group,
        title="Тіл курстары туралы бастама",
        authors=[deputy],
        drafted_on=start,
        stages=through(
            start + datetime.timedelta(days=5),
            start + datetime.timedelta(days=10),
            start + datetime.timedelta(days=40),
            end=Stage.ADOPTED,
        ),
    )
    services.initiative_record_result(
        actor=staff,
        initiative=adopted,
        act_kind="law",
        act_titles={"kk": "Тіл туралы заң", "ru": "Закон о языках", "en": "Law on languages"},
        act_number="101-VIII",
        act_date=start + datetime.timedelta(days=45),
        act_url="https://adilet.zan.kz/kaz/docs/Z2500000101",
    )
    submitted = make_initiative(
        actor=staff,
        organisation=group,
        to="parliament-senate",
        title="Медиация туралы бастама",
        drafted_on=start,
        stages=through(start + datetime.timedelta(days=3)),
    )
    draft = make_initiative(actor=staff, organisation=group, title="Жобадағы бастама")
    return {"adopted": adopted, "submitted": submitted, "draft": draft}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_initiatives_page_lists_submitted_initiatives_and_filters_them(
    page: Page, axe_check: Callable[..., Any], browser_network: Network, language: str
):
    made = _initiatives(browser_network)
    with translation.override(language):
        path = reverse("deputies_portal:initiatives")
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("h1")).to_have_count(1)
    results = page.locator("ul.results > li")
    expect(results).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("Жобадағы бастама")
    expect(page.locator("main")).not_to_contain_text("Депутатова")
    axe_check(page)
    page.locator("select[name=stage]").select_option("adopted")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**stage=adopted**")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("101-VIII")
    results.first.locator("h3 a").click()
    page.wait_for_url(f"**/{made['adopted'].number}/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("101-VIII")
    expect(page.locator("main")).not_to_contain_text("Депутатова")
    axe_check(page)


def test_the_groups_staff_record_the_next_stage_on_an_initiatives_page(
    page: Page,
    axe_check: Callable[..., Any],
    browser_network: Network,
    sign_in: Callable[..., Page],
):
    made = _initiatives(browser_network)
    sign_in("deputy_group", language="en")
    with translation.override("en"):
        list_path = reverse("deputies:initiatives")
        path = reverse("deputies:initiative", kwargs={"pk": made["submitted"].pk})
    response = page.goto(list_path)
    assert response is not None and response.status == 200
    expect(page.locator("table tbody tr")).to_have_count(3)
    axe_check(page)
    response = page.goto(path)
    assert response is not None and response.status == 200
    axe_check(page)
    next_step = page.locator("section.next-step")
    expect(next_step).to_contain_text("Record that it is under consideration")
    next_step.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("under consideration")
    item = Initiative.objects.get(pk=made["submitted"].pk)
    assert item.stage == Stage.CONSIDERATION and item.stage_on == legal_today()
    axe_check(page)
