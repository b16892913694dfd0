"""Surveys' key pages in Chromium with axe: the public questionnaire on a phone (skip logic
hides a question until it applies, the answer is stored), the trust index's public method page
with its chart and map, and the analyst's survey and results pages, in kk, ru and en."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from birlik.surveys.models import Mode, Response
from tests.conftest import Network
from tests.surveys.factories import make_survey, make_version
from tests.surveys.results_helpers import trust_wave

LANGUAGES = ["kk", "ru", "en"]


def public_survey(network: Network) -> Any:
    version = make_version(
        network.pavlodar,
        [
            ("D_SEX", "single", {"options": ["female", "male"], "required": True, "role": "sex"}),
            ("Q1", "single", {"options": ["yes", "no"], "required": True}),
            (
                "Q2",
                "single",
                {"options": ["a", "b"], "required": True, "show_if": {"q": "Q1", "v": "yes"}},
            ),
            ("T1", "scale", {"scale_min": 0, "scale_max": 10, "options": ["88", "99"]}),
        ],
    )
    return make_survey(version, network.pavlodar, slug="browser-survey", modes=[Mode.WEB])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_citizen_answers_the_public_questionnaire_on_a_phone(
    page: Page, axe_check: Callable[..., Any], browser_network: Network, language: str
):
    survey = public_survey(browser_network)
    page.set_viewport_size({"width": 360, "height": 740})
    with translation.override(language):
        path = reverse("surveys_portal:survey", kwargs={"slug": survey.slug})
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    axe_check(page)
    second = page.locator('[data-question="Q2"]')
    expect(second).to_be_hidden()  # logic.js hides it until Q1 is "yes"
    page.locator('input[name="D_SEX"][value="female"]').check()
    page.locator('input[name="Q1"][value="yes"]').check()
    expect(second).to_be_visible()
    page.locator('input[name="Q2"][value="b"]').check()
    page.locator('input[name="sv_consent"]').check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/{survey.slug}/thanks/")
    axe_check(page)
    stored = Response.objects.get(survey=survey)
    assert stored.answers["Q2"] == "b" and stored.sex == "female" and stored.language == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_trust_index_method_page_shows_the_chart_map_and_tables(
    page: Page, axe_check: Callable[..., Any], browser_network: Network, language: str
):
    trust_wave(browser_network.root, year=2025, national=66.4)
    trust_wave(browser_network.root, year=2026, national=68.1)
    with translation.override(language):
        path = reverse("surveys_figures:index")
    response = page.goto(path)
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main svg").first).to_be_visible()
    expect(page.locator("main table").first).to_be_visible()
    axe_check(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_analyst_reads_a_wave_and_its_results(
    page: Page,
    axe_check: Callable[..., Any],
    browser_network: Network,
    sign_in: Callable[..., Page],
    language: str,
):
    survey = trust_wave(browser_network.root, year=2026)
    sign_in("analyst", language=language)
    for name in ("surveys:home", "surveys:survey", "surveys:results", "surveys:questionnaires"):
        with translation.override(language):
            kwargs = {"pk": survey.pk} if name in ("surveys:survey", "surveys:results") else {}
            path = reverse(name, kwargs=kwargs)
        response = page.goto(path)
        assert response is not None and response.status == 200, (name, response.status)
        expect(page.locator("h1")).to_have_count(1)
        axe_check(page)
