"""A student on a phone proposes an idea, is shown a similar idea written in Russian while she
types in Kazakh, follows it and supports it instead; axe finds nothing serious on the list, the
idea page and the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Browser, expect

from birlik.geo.models import Region
from birlik.ideas import similarity
from birlik.ideas.models import Idea
from tests.browser.conftest import open_tab, visit
from tests.conftest import PASSWORD, Network
from tests.ideas.factories import make_idea, verified_user


def test_a_student_supports_a_similar_idea_instead_of_repeating_it(
    browser: Browser,
    live_server: Any,
    browser_network: Network,
    axe_check: Callable[..., Any],
):
    existing = make_idea(
        browser_network.pavlodar,
        language="ru",
        title="Турнир по футболу между молодежными командами районов",
        problem="У молодежи районов мало организованного досуга, спортивные площадки пустуют.",
        solution="Проводить ежегодный турнир по футболу между командами районов области.",
        region=Region.objects.get(iso="KZ-55"),
        published_at=timezone.now(),
    )
    similarity.index_idea(existing)
    student = verified_user(username="student", full_name="Аружан Бекова")
    student.set_password(PASSWORD)
    student.save()
    with translation.override("kk"):
        login, listing = reverse("access:login"), reverse("ideas_portal:list")
        submit = reverse("ideas_portal:submit")
        idea_url = reverse("ideas_portal:idea", kwargs={"pk": existing.pk})

    tab = open_tab(browser, live_server, "phone", "kk")
    try:
        visit(tab, listing, "ideas-list-phone")
        axe_check(tab)

        tab.goto(f"{login}?next={submit}")
        form = tab.locator("form").filter(has=tab.locator("input[name=password]"))
        form.locator("input[name=username]").fill("student")
        form.locator("input[name=password]").fill(PASSWORD)
        form.locator("[type=submit]").click()
        tab.wait_for_load_state()
        if not tab.url.endswith(submit):
            visit(tab, submit, "ideas-submit-phone")
        expect(tab.locator("input[name=title]")).to_be_visible()
        axe_check(tab)

        tab.locator("input[name=title]").press_sequentially(
            "Аудандар арасында футбол турнирі", delay=20
        )
        suggestion = tab.locator("#similar-ideas a").first
        expect(suggestion).to_be_visible(timeout=10_000)
        expect(suggestion).to_contain_text("футбол")
        suggestion.click()
        tab.wait_for_load_state()
        assert tab.url.endswith(idea_url)
        axe_check(tab)

        tab.locator(f"form[action$='{idea_url}support/'] button").click()
        tab.wait_for_load_state()
        expect(tab.locator("#support-count")).to_contain_text("1")
        axe_check(tab)
        assert tab.errors == []  # type: ignore[attr-defined]
    finally:
        tab.context.close()
    existing.refresh_from_db()
    assert existing.support_count == 1
    assert existing.supports.get().user == student
    assert not Idea.objects.exclude(pk=existing.pk).exists()
