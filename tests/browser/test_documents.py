"""The annual report and the open data in a real browser: a national administrator asks for the
2025 report in Kazakh, watches it finish and downloads it; the open data page passes axe."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from birlik.reports.documents import services
from birlik.reports.documents.models import ReportRun
from tests.documents.factories import build_activity

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def documents_dir(settings, tmp_path):
    settings.BIRLIK_DOCUMENTS_DIR = str(tmp_path / "documents")
    return tmp_path / "documents"


def url(name: str, language: str = "kk", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def test_a_national_admin_asks_for_the_2025_report_in_kazakh_and_downloads_it(
    browser_network, sign_in, axe_check, documents_dir, settings, tmp_path
):
    # The job stays queued until this test runs it, so the page's own refresh is what shows
    # the report finishing.
    settings.TASKS = DUMMY
    build_activity(browser_network)
    page = sign_in("admin")
    page.goto(url("reports_documents:runs"))
    assert page.locator("html").get_attribute("lang") == "kk"
    axe_check(page)
    form = page.locator("form.filters")
    form.locator("input[name=year]").fill("2025")
    form.locator("select[name=language]").select_option("kk")
    form.locator("select[name=scope]").select_option("national")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    run = ReportRun.objects.get()
    assert (run.year, run.language, run.region_id) == (2025, "kk", None)
    expect(page.locator(f"#run-{run.pk}-progress")).to_be_visible()
    axe_check(page)

    services.report_run_generate(run_id=run.pk)  # what the worker does

    link = page.locator(f'a[href$="/{run.pk}/pdf/"]')
    expect(link).to_be_visible(timeout=20_000)
    expect(page.locator(f"#run-{run.pk}-progress")).to_have_attribute("value", "100")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "birlik-annual-report-2025-KZ-kk.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert Path(saved).read_bytes().startswith(b"%PDF-")


def test_open_data_page_in_kazakh_lists_the_release_and_passes_axe(
    browser_network, page, axe_check, documents_dir
):
    build_activity(browser_network)
    services.opendata_generate()
    response = page.goto(url("reports_documents_portal:index"))
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "kk"
    expect(page.locator('a[href$="/open-data/files/birlik-open-data.zip"]')).to_be_visible()
    axe_check(page)
    page.goto(url("reports_documents_portal:dictionary"))
    expect(page.locator("#dataset-events")).to_be_visible()
    axe_check(page)
