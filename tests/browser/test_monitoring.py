"""Early warning in a real browser: a national analyst reads and labels the media, the staff of
the Pavlodar House of Friendship answer the alert routed to them, a coordinator reads the
dashboard and an alert on a phone, and the public sees the coverage figures only. axe-core
checks every page on the way (no serious or critical violation).

The data goes through the project's own code, as the worker would run it: items typed in with
``services.item_enter``, read by the pipeline (``processing.items_process``: language, places,
risk by the starter keyword rules, stories), a rule written with ``services.alert_rule_save``
and the alerts raised by ``services.alerts_evaluate``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect

from birlik.geo import mentions as geo_mentions
from birlik.geo.models import Region
from birlik.monitoring import classifier, processing, services
from birlik.monitoring.models import (
    Alert,
    AlertRule,
    AlertStep,
    Item,
    KeywordRule,
    Label,
    Topic,
)
from birlik.registry import mentions as group_mentions
from tests.browser.conftest import open_tab
from tests.conftest import PASSWORD, Network

# Two reports of one brawl in Pavlodar (Russian, Kazakh), a clash in Almaty and a festival there.
PAVLODAR_RU = (
    "Массовая драка на национальной почве в Павлодаре",
    "В Павлодаре вечером произошла массовая драка на рынке. Полиция проверяет сообщения о "
    "межнациональном конфликте между торговцами.",
)
PAVLODAR_KK = (
    "Павлодардағы базарда жаппай төбелес болды",
    "Павлодар қаласындағы базарда кеше кешке жаппай төбелес болды. Полиция ұлтаралық "
    "қақтығыс туралы хабарларды тексеріп жатыр.",
)
ALMATY_CLASH = (
    "Ethnic tension after a mass brawl in Almaty",
    "A mass brawl at a bazaar in Almaty was followed by reports of interethnic tension; "
    "the police are checking the reports of an ethnic clash.",
)
ALMATY_FESTIVAL = (
    "Almaty celebrates the Day of Unity",
    "Thousands of people joined the festival of friendship and unity in Almaty on Sunday, "
    "with songs and dances of every people of Kazakhstan.",
)
ASSESSMENT = "A quarrel between two traders; the elders know them."
ACTION_NOTE = "Met both families at the House of Friendship."
CLOSING_NOTE = "The families made peace; the market is calm."
PHONE_WIDTH = 390
SCROLL_WIDTH = "document.scrollingElement.scrollWidth"


@dataclass
class Media:
    pavlodar_ru: Item
    pavlodar_kk: Item
    almaty_clash: Item
    almaty_festival: Item

    @property
    def items(self) -> list[Item]:
        return [self.pavlodar_ru, self.pavlodar_kk, self.almaty_clash, self.almaty_festival]


def forget_indexes() -> None:
    geo_mentions.reset()
    group_mentions.reset()
    classifier.forget_scorer()
    processing.reset()


@pytest.fixture(autouse=True)
def _fresh_indexes() -> Iterator[None]:
    """The pipeline keeps its place and group indexes per process, keyed by row ids; a
    transactional test empties the tables and loads the catalogues again under new ids, so
    an index built before (or by this test, for the next) points at rows that are gone."""
    forget_indexes()
    yield
    forget_indexes()


def collected(network: Network) -> Media:
    """Four items typed in by the national administrator and processed by the pipeline."""
    # A new install has starter rules (migration 0002); a transactional test that ran before
    # may have emptied them. Start from the starter keyword lists and no alert rule.
    AlertRule.objects.all().delete()
    KeywordRule.objects.all().delete()
    services.keyword_rules_seed()
    admin = network.users["admin"]
    entered = [
        services.item_enter(actor=admin, title=title, text=text)
        for title, text in (PAVLODAR_RU, PAVLODAR_KK, ALMATY_CLASH, ALMATY_FESTIVAL)
    ]
    result = processing.items_process(now=timezone.now())
    assert result.processed == len(entered)
    media = Media(*(Item.objects.get(pk=item.pk) for item in entered))
    pavlodar, almaty = Region.objects.get(iso="KZ-55"), Region.objects.get(iso="KZ-75")
    # The pipeline found each item's place and language, and scored the clashes as conflict:
    # what the journeys below rely on.
    for item, region, language in [
        (media.pavlodar_ru, pavlodar, "ru"),
        (media.pavlodar_kk, pavlodar, "kk"),
        (media.almaty_clash, almaty, "en"),
        (media.almaty_festival, almaty, "en"),
    ]:
        assert item.language == language, (item.title, item.language)
        assert item.places.filter(region=region).exists(), item.title
        assert item.story_id is not None, item.title
    for item in (media.pavlodar_ru, media.pavlodar_kk, media.almaty_clash):
        assert item.topics.get("conflict", 0) >= 0.5, (item.title, item.topics)
    assert media.almaty_festival.topics.get("conflict", 0) < 0.5
    return media


def alerts_raised(network: Network, media: Media) -> tuple[Alert, Alert]:
    """A conflict rule written by the national administrator, evaluated on the Russian report
    from Pavlodar and the clash in Almaty: one alert for each region."""
    services.alert_rule_save(
        by=network.users["admin"],
        name="Interethnic conflict in the news",
        kind=AlertRule.Kind.RISK,
        topic="conflict",
        threshold=0.5,
    )
    raised = services.alerts_evaluate(
        now=timezone.now(), item_ids=[media.pavlodar_ru.pk, media.almaty_clash.pk]
    )
    by_region = {alert.region.iso: alert for alert in raised}
    assert sorted(by_region) == ["KZ-55", "KZ-75"], raised
    pavlodar = by_region["KZ-55"]
    assert network.pavlodar_house in pavlodar.routed_to.all()
    return pavlodar, by_region["KZ-75"]


def en(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def sign_in_on(tab: Page, username: str, *, language: str) -> None:
    """The login form, filled on ``tab`` (a phone's tab has no ``sign_in`` fixture)."""
    with translation.override(language):
        tab.goto(reverse("access:login"))
    form = tab.locator("form").filter(has=tab.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    tab.wait_for_load_state()


# --- 1. The national analyst ------------------------------------------------------------------


def test_an_analyst_reads_the_media_and_labels_an_item(
    page: Page,
    sign_in: Callable[..., Page],
    axe_check: Callable[..., Any],
    browser_network: Network,
):
    media = collected(browser_network)
    analyst = browser_network.users["analyst"]
    sign_in("analyst", language="en")

    page.goto(en("monitoring:dashboard"))
    expect(page.locator("h1")).to_have_text("Media monitoring")
    stories = page.locator("section[aria-labelledby=stories-heading]")
    expect(stories.get_by_role("link", name=media.pavlodar_ru.story.title)).to_be_visible()
    axe_check(page)

    # The items of Pavlodar Region: the two reports of the brawl, nothing from Almaty.
    page.get_by_role("link", name="Items", exact=True).click()
    expect(page.locator("h1")).to_have_text("Media items")
    page.get_by_label("Region").select_option(label="Pavlodar Region")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#results-heading")).to_have_text("2 items")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=PAVLODAR_RU[0])).to_have_count(1)
    expect(rows.filter(has_text=PAVLODAR_KK[0])).to_have_count(1)
    expect(page.get_by_text(ALMATY_CLASH[0])).to_have_count(0)
    axe_check(page)

    page.get_by_role("link", name=PAVLODAR_RU[0]).click()
    expect(page.locator("h1")).to_have_text(PAVLODAR_RU[0])
    places = page.locator("section[aria-labelledby=places-heading]")
    expect(places).to_contain_text("Pavlodar Region")
    axe_check(page)

    story = media.pavlodar_ru.story
    page.get_by_role("link", name=story.title).click()
    expect(page.locator("h1")).to_contain_text(story.title)
    expect(page.get_by_role("link", name=PAVLODAR_RU[0]).first).to_be_visible()
    axe_check(page)

    # Back on the item, the analyst labels it.
    page.goto(en("monitoring:item", media.pavlodar_ru.pk))
    page.get_by_role("link", name="Label this item").click()
    expect(page.locator("h1")).to_have_text(PAVLODAR_RU[0])
    axe_check(page)
    answers = {
        "conflict": "yes",
        "hate": "no",
        "violence": "no",
        "disinformation": "not sure",
        "language": "no",
        "unity": "no",
    }
    with translation.override("en"):
        legends = {code: str(Topic(code).label) for code in answers}
    for code, answer in answers.items():
        group = page.get_by_role("group", name=re.compile(f"^{re.escape(legends[code])}$", re.I))
        group.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Save and go to the next item").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    stored = dict(
        Label.objects.filter(item=media.pavlodar_ru, analyst=analyst).values_list("topic", "value")
    )
    assert stored == {
        "conflict": "yes",
        "hate": "no",
        "violence": "no",
        "disinformation": "unsure",
        "language": "no",
        "unity": "no",
    }
    axe_check(page)

    page.goto(en("monitoring:learn_models"))
    expect(page.locator("h1")).to_have_text("Risk models")
    conflict = page.locator("table tbody tr").filter(
        has=page.get_by_role("rowheader", name=re.compile("^interethnic conflict", re.I))
    )
    expect(conflict.locator("td").first).to_have_text("1")  # one "yes" so far
    expect(page.get_by_text("No version is trained yet")).to_be_visible()
    axe_check(page)


# --- 2. The staff of the Pavlodar House of Friendship ------------------------------------------


def test_the_house_of_friendship_answers_the_alert_routed_to_it(
    page: Page,
    sign_in: Callable[..., Page],
    axe_check: Callable[..., Any],
    browser_network: Network,
):
    media = collected(browser_network)
    pavlodar_alert, almaty_alert = alerts_raised(browser_network, media)
    staff = browser_network.users["staff_pavlodar_house"]
    sign_in("staff_pavlodar_house", language="en")

    page.goto(en("monitoring:alerts"))
    expect(page.locator("h1")).to_have_text("Alerts")
    expect(page.get_by_role("link", name=pavlodar_alert.title)).to_be_visible()
    expect(page.get_by_text(almaty_alert.title)).to_have_count(0)
    axe_check(page)

    page.get_by_role("link", name=pavlodar_alert.title).click()
    expect(page.locator("h1")).to_have_text(pavlodar_alert.title)
    timeline = page.locator("ol.timeline > li")
    expect(timeline).to_have_count(1)  # raised
    expect(page.locator("dl.facts")).to_contain_text("House of Friendship of Pavlodar Region")
    axe_check(page)

    page.get_by_role("button", name="Acknowledge", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text("The alert is acknowledged.")).to_be_visible()
    expect(timeline).to_have_count(2)
    expect(timeline.nth(1)).to_contain_text("Acknowledged")
    axe_check(page)

    page.get_by_role("textbox", name="Assessment").fill(ASSESSMENT)
    page.get_by_role("button", name="Save the assessment").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The assessment is recorded.")).to_be_visible()
    expect(timeline).to_have_count(3)
    expect(timeline.nth(2)).to_contain_text(ASSESSMENT)
    axe_check(page)

    page.get_by_role("combobox", name="Action taken").select_option(label="meeting")
    page.get_by_role("textbox", name="Note on the action").fill(ACTION_NOTE)
    page.get_by_role("button", name="Save the action").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The action taken is recorded.")).to_be_visible()
    expect(timeline).to_have_count(4)
    expect(timeline.nth(3)).to_contain_text("Action taken: meeting")
    expect(timeline.nth(3)).to_contain_text(ACTION_NOTE)
    axe_check(page)

    page.get_by_role("textbox", name="How it ended").fill(CLOSING_NOTE)
    page.get_by_role("button", name="Close the alert").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The alert is closed.")).to_be_visible()
    expect(timeline).to_have_count(5)
    expect(timeline.nth(4)).to_contain_text("Closed")
    expect(timeline.nth(4)).to_contain_text(CLOSING_NOTE)
    expect(page.locator("dl.facts")).to_contain_text("Closed")
    # A closed alert offers no further step.
    expect(page.locator(".record-actions")).to_have_count(0)
    axe_check(page)

    pavlodar_alert.refresh_from_db()
    assert pavlodar_alert.state == Alert.State.CLOSED
    steps = list(pavlodar_alert.steps.values_list("step", "action", "actor"))
    assert steps == [
        (AlertStep.Step.ACKNOWLEDGE, "", staff.pk),
        (AlertStep.Step.ASSESS, "", staff.pk),
        (AlertStep.Step.ACT, AlertStep.Action.MEETING, staff.pk),
        (AlertStep.Step.CLOSE, "", staff.pk),
    ]
    almaty_alert.refresh_from_db()
    assert almaty_alert.state == Alert.State.RAISED


# --- 3. The public, and a phone -----------------------------------------------------------------


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_public_coverage_page_shows_counts_and_no_risk_signal(
    page: Page,
    axe_check: Callable[..., Any],
    browser_network: Network,
    language: str,
):
    media = collected(browser_network)
    pavlodar_alert, _almaty = alerts_raised(browser_network, media)
    with translation.override(language):
        url = reverse("monitoring_portal:coverage")
        topics = [str(label) for _code, label in Topic.choices]
        total_label = gettext("media items collected")
    assert url == f"/{language}/media/"
    response = page.goto(url)
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("h1")).to_have_count(1)
    total = page.locator(".figure").filter(has_text=total_label)
    expect(total.locator(".figure-value")).to_have_text(str(len(media.items)))

    # What the page says and what its markup holds (the charts' titles, hidden text).
    text = (page.locator("body").inner_text() + page.content()).casefold()
    secrets = [
        *(item.title for item in media.items),
        *(item.story.title for item in media.items),
        pavlodar_alert.title,
        pavlodar_alert.rule.name,
        *topics,
    ]
    shown = [secret for secret in secrets if secret.casefold() in text]
    assert not shown, f"the public page shows risk signals: {shown}"
    axe_check(page)


def stacked(tab: Page) -> bool:
    """Whether the page's list of facts puts each value under its name (a phone's layout)."""
    name = tab.locator("dl.facts > dt").first.bounding_box()
    value = tab.locator("dl.facts > dd").first.bounding_box()
    assert name is not None and value is not None
    return value["y"] >= name["y"] + name["height"] and value["x"] == name["x"]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_dashboard_and_an_alert_fit_a_phone(
    browser: Browser,
    live_server: Any,
    axe_check: Callable[..., Any],
    browser_network: Network,
    language: str,
):
    media = collected(browser_network)
    pavlodar_alert, _almaty = alerts_raised(browser_network, media)
    with translation.override(language):
        dashboard = reverse("monitoring:dashboard")
        alert = reverse("monitoring:alert", args=[pavlodar_alert.pk])
        story = reverse("monitoring:story", args=[media.pavlodar_ru.story_id])
        acknowledge = gettext("Acknowledge")
    tab = open_tab(browser, live_server, "phone", language)
    try:
        # The region's coordinator reads these pages and may answer the alert.
        sign_in_on(tab, "coordinator_pavlodar", language=language)
        for url in (dashboard, alert, story):
            response = tab.goto(url)
            assert response is not None and response.status == 200, url
            # A phone's browser widens its layout to fit a page wider than the screen: the
            # page fits when the layout stayed as wide as the screen and nothing scrolls
            # sideways beyond it (wide tables scroll inside their own box).
            assert tab.evaluate("window.innerWidth") == PHONE_WIDTH, url
            wider = tab.evaluate(f"{SCROLL_WIDTH} - window.innerWidth")
            assert wider <= 0, f"{url} is {wider}px wider than the phone's screen"
            axe_check(tab)
            if url != dashboard:
                # Names of bodies and regions are not broken inside words in a narrow column.
                assert stacked(tab), url
        tab.goto(alert)
        # The next step's button is within the screen's width.
        button = tab.get_by_role("button", name=acknowledge, exact=True)
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
        assert not tab.errors, tab.errors  # type: ignore[attr-defined]
    finally:
        tab.context.close()
