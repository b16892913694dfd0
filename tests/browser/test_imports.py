"""The import pages in a real browser, in every language, at a desk and on a phone: the column
step and the review pass axe-core, and nothing but the tables scrolls sideways at 390 px."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from birlik.imports import tasks
from birlik.imports.models import ImportJob
from tests.conftest import Network
from tests.imports import messy

LANGUAGES = ["kk", "ru", "en"]


def overflow(page: Page) -> int:
    """How far the page itself scrolls sideways (tables scroll in their own box)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_column_step_and_the_review_are_accessible(
    page: Page,
    axe_check: Callable[..., Any],
    browser_network: Network,
    sign_in: Callable[..., Page],
    tmp_path: Path,
    language: str,
    width: int,
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("coordinator_pavlodar", language=language)
    path = tmp_path / "Список членов.xlsx"
    path.write_bytes(messy.members_titled(messy.MESSY_MEMBERS, language=language))
    with translation.override(language):
        upload = reverse("workspace:import", kwargs={"pk": browser_network.pavlodar.pk})
    page.goto(upload)
    axe_check(page)
    page.check("input[name=import_kind][value=members]")
    page.set_input_files("input[name=file]", path)
    page.locator("main form button.primary").click()
    page.wait_for_url("**/workspace/imports/*/columns/")
    chosen = page.locator("main select").evaluate_all("els => els.map(e => e.value)")
    assert {"full_name", "iin", "birth_date", "phone"} <= set(chosen)
    axe_check(page)
    assert overflow(page) <= 1
    page.fill("input[name=default_consent_date]", "2026-11-20")
    page.locator("button[value=check]").click()
    page.wait_for_url("**/workspace/imports/*/")
    job = ImportJob.objects.latest("id")
    tasks.run_check(job.pk)
    page.reload()
    expect(page.locator("main table tbody tr")).to_have_count(len(messy.MESSY_MEMBERS))
    expect(page.locator("tr.row-rejected")).to_have_count(6)  # see test_messy_imports
    axe_check(page)
    assert overflow(page) <= 1
