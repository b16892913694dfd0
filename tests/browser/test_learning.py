"""Training in Chromium with axe: the public course catalogue and a course's page, the check of
a certificate (typed code → the certificate's page; valid, revoked, unknown), and the provider
staff's cohort and results pages, in kk, ru and en."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from birlik.access.models import Role
from birlik.learning.models import Cohort
from tests.conftest import PASSWORD, Network
from tests.factories import GrantFactory, OrganisationFactory, UserFactory, kind
from tests.learning.factories import certificate_for, enrol, make_cohort, make_course, make_term

LANGUAGES = ["kk", "ru", "en"]


def _training(network: Network) -> dict[str, Any]:
    academy = OrganisationFactory(
        parent=network.root,
        kind=kind("apk_academy"),
        name_kk="ҚХА Академиясы",
        name_ru="Академия АНК",
        name_en="APK Academy",
    )
    staff = UserFactory(username="academy_browser")
    GrantFactory(user=staff, role=Role.BODY_STAFF, organisation=academy)
    course = make_course(academy, description_en="For the staff of houses of friendship.")
    make_course(academy, title_en="Public accord: the basics", format="online")
    cohort = make_cohort(course, status=Cohort.Status.RUNNING, starts_on=timezone.localdate())
    make_cohort(course)  # taking nominations
    term = make_term(network.pavlodar_house, last_name="Бекова", first_name="Айжан")
    enrol(cohort, term, score=91, passed=True)
    valid = certificate_for(term.person, course, datetime.date(2025, 5, 20))
    other = make_term(network.pavlodar_house, last_name="Садықов")
    revoked = certificate_for(other.person, course, datetime.date(2025, 6, 2), revoked=True)
    return {"course": course, "cohort": cohort, "valid": valid, "revoked": revoked, "staff": staff}


def _path(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_course_catalogue_and_a_course_page(
    page: Page, axe_check: Callable[..., Any], browser_network: Network, language: str
):
    training = _training(browser_network)
    response = page.goto(_path("learning_portal:courses", language))
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("main .results li")).to_have_count(2)
    axe_check(page)
    page.locator("select[name=format]").select_option("online")
    page.locator("main form.filters button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("main .results li")).to_have_count(1)
    response = page.goto(_path("learning_portal:course", language, pk=training["course"].pk))
    assert response is not None and response.status == 200
    expect(page.locator("main ol li")).to_have_count(2)  # the two modules
    axe_check(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_typed_code_opens_the_certificates_check(
    page: Page, axe_check: Callable[..., Any], browser_network: Network, language: str
):
    training = _training(browser_network)
    valid = training["valid"]
    response = page.goto(_path("learning_portal:check", language))
    assert response is not None and response.status == 200
    axe_check(page)
    page.locator("input[name=code]").fill(valid.printed_code.lower())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/{valid.code}/")
    expect(page.locator("#certificate-validity")).to_have_class("message message-success")
    expect(page.locator("main")).to_contain_text(valid.holder_name)
    axe_check(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_revoked_and_an_unknown_certificate_say_so(
    page: Page, axe_check: Callable[..., Any], browser_network: Network, language: str
):
    training = _training(browser_network)
    revoked = training["revoked"]
    response = page.goto(_path("learning_portal:verify", language, code=revoked.code))
    assert response is not None and response.status == 200
    expect(page.locator("#certificate-validity")).to_have_class("message message-error")
    axe_check(page)
    response = page.goto(_path("learning_portal:verify", language, code="0000000000000000"))
    assert response is not None and response.status == 404
    expect(page.locator("input[name=code]")).to_be_visible()
    axe_check(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_provider_staff_read_the_cohort_and_record_results(
    page: Page,
    axe_check: Callable[..., Any],
    browser_network: Network,
    sign_in: Callable[..., Page],
    language: str,
):
    training = _training(browser_network)
    sign_in("academy_browser", PASSWORD, language=language)
    for name in ("learning:home", "learning:courses", "learning:cohort", "learning:results"):
        kwargs = (
            {"pk": training["cohort"].pk} if name in ("learning:cohort", "learning:results") else {}
        )
        response = page.goto(_path(name, language, **kwargs))
        assert response is not None and response.status == 200, (name, response.status)
        expect(page.locator("h1")).to_have_count(1)
        axe_check(page)
    expect(page.locator("main")).to_contain_text("Бекова Айжан")
