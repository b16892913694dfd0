"""Whole journeys in a real browser: a citizen looking for a body, a coordinator importing one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from openpyxl import Workbook
from playwright.sync_api import Browser, Locator, Page, expect

from birlik.imports import tasks
from birlik.imports.models import ImportJob
from birlik.workspace.importing import BODY_COLUMNS
from tests.conftest import Network
from tests.factories import OrganisationFactory, district_of, kind, region


def url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def translated(language: str, message: str, **values: Any) -> str:
    """A message as the user reads it in ``language`` (the same catalogue as the server's)."""
    with translation.override(language):
        text = gettext(message)
    return text % values if values else text


def translated_plural(language: str, singular: str, plural: str, count: int) -> str:
    with translation.override(language):
        text = ngettext(singular, plural, count)
    return text % {"counter": count}


def expect_message(locator: Locator, language: str, message: str, **values: Any) -> None:
    """The message shows, whatever it says in the placeholders not given (e.g. an example the
    server picks): each fixed part of the translation is on the page."""
    text = translated(language, message)
    for name, value in values.items():
        text = text.replace(f"%({name})s", str(value))
    for part in re.split(r"%\(\w+\)s", text):
        if part.strip():
            expect(locator).to_contain_text(part.strip())


def pavlodar_with_houses() -> dict[str, Any]:
    """A regional assembly in Pavlodar Region with a House of Friendship in one of its districts,
    and bodies that the citizen's filters must leave out."""
    pavlodar = region("KZ-55")
    district = district_of("KZ-55")
    other_district = (
        pavlodar.districts.filter(kind="district").exclude(pk=district.pk).order_by("kato").first()
    )
    assert other_district is not None
    root = OrganisationFactory(kind=kind("secretariat"), name_kk="ҚХА Хатшылығы")
    assembly = OrganisationFactory(
        parent=root,
        kind=kind("regional_assembly"),
        region=pavlodar,
        name_kk="Павлодар облысының ассамблеясы",
        name_ru="Ассамблея Павлодарской области",
        name_en="Assembly of Pavlodar Region",
    )
    house = OrganisationFactory(
        parent=assembly,
        kind=kind("house_of_friendship"),
        region=pavlodar,
        district=district,
        name_kk="Ертіс Достық үйі",
        name_ru="Дом дружбы «Иртыш»",
        name_en="Irtysh House of Friendship",
        address_kk="Павлодар қ., Достық көшесі, 12",
        phone="+7 7182 32-00-00",
        email="dostyk@example.kz",
    )
    elsewhere = OrganisationFactory(
        parent=assembly,
        kind=kind("house_of_friendship"),
        region=pavlodar,
        district=other_district,
        name_kk="Баянауыл Достық үйі",
    )
    other_kind = OrganisationFactory(
        parent=assembly,
        kind=kind("elders_council"),
        region=pavlodar,
        district=district,
        name_kk="Ертіс ақсақалдар кеңесі",
    )
    return {
        "root": root,
        "region": pavlodar,
        "district": district,
        "assembly": assembly,
        "house": house,
        "elsewhere": elsewhere,
        "other_kind": other_kind,
    }


def test_citizen_finds_a_house_of_friendship_in_their_district_in_kazakh(page: Page):
    data = pavlodar_with_houses()
    house, assembly = data["house"], data["assembly"]

    page.goto("/kk/")
    assert page.locator("html").get_attribute("lang") == "kk"
    region_on_map = page.locator("#map svg a[href$='region=KZ-55']")
    expect(region_on_map).to_have_count(1)
    region_on_map.click()
    page.wait_for_url("**/kk/bodies/?region=KZ-55")

    form = page.get_by_role("search")
    form.locator("select[name=region]").select_option("KZ-55")
    form.locator("select[name=district]").select_option(data["district"].kato)
    form.locator("select[name=kind]").select_option("house_of_friendship")
    form.locator("[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "kk"
    results = page.locator("ul.results")
    expect(results.locator("li")).to_have_count(1)
    expect(results).to_contain_text("Ертіс Достық үйі")
    expect(results).not_to_contain_text(data["elsewhere"].name_kk)
    expect(results).not_to_contain_text(data["other_kind"].name_kk)

    results.get_by_role("link", name="Ертіс Достық үйі").click()
    page.wait_for_url(f"**{url('portal:body', 'kk', pk=house.pk)}")
    assert page.locator("html").get_attribute("lang") == "kk"
    expect(page.locator("h1")).to_have_text("Ертіс Достық үйі")
    main = page.locator("main")
    expect(main).to_contain_text("Павлодар қ., Достық көшесі, 12")
    expect(main).to_contain_text(str(data["district"].name_kk))
    expect(main.locator("a[href^='tel:']")).to_have_text("+7 7182 32-00-00")
    expect(main.locator("a[href='mailto:dostyk@example.kz']")).to_be_visible()
    parent_link = main.get_by_role("link", name="Павлодар облысының ассамблеясы")
    expect(parent_link).to_have_attribute("href", url("portal:body", "kk", pk=assembly.pk))


def bodies_file(path: Path, rows: list[dict[str, str]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(BODY_COLUMNS)
    for row in rows:
        sheet.append([row.get(column, "") for column in BODY_COLUMNS])
    workbook.save(path)
    return path


def current_job(page: Page) -> ImportJob:
    token = page.url.rstrip("/").split("/")[-1]
    return ImportJob.objects.get(token=token)


def upload_and_check(page: Page, path: Path, *, mode: str = "partial") -> None:
    """Upload, keep the columns Birlik proposes, check every row (the background job is run
    here, in the test's thread) and show the review."""
    page.check("input[name=import_kind][value=bodies]")
    page.set_input_files("input[name=file]", path)
    page.get_by_role("button", name=translated("kk", "Upload and choose the columns")).click()
    page.wait_for_url("**/workspace/imports/*/columns/")
    page.check(f"input[name=mode][value={mode}]")
    page.get_by_role("button", name=translated("kk", "Check every row")).click()
    page.wait_for_url("**/workspace/imports/*/")
    tasks.run_check(current_job(page).pk)
    page.reload()


def test_coordinator_imports_a_spreadsheet_with_a_bad_row_fixes_it_and_finds_the_new_body(
    browser_network: Network, sign_in, page: Page, tmp_path: Path
):
    centre = {
        "kind": "ethnocultural_association",
        "name_kk": "Павлодар украин мәдени орталығы",
        "name_ru": "Украинский культурный центр Павлодара",
        "name_en": "Ukrainian Cultural Centre of Pavlodar",
        "region": "KZ-55",
        "phone": "+7 7182 55-11-22",
    }
    council = {
        "kind": "mothers_council",
        "name_kk": "Павлодар аналар кеңесі",
        "name_ru": "Совет матерей Павлодара",
        "name_en": "Mothers' Council of Pavlodar",
        "region": "KZ-99",
    }
    bad = bodies_file(tmp_path / "bodies.xlsx", [centre, council])

    sign_in("coordinator_pavlodar", language="kk")
    import_url = url("workspace:import", "kk", pk=browser_network.pavlodar.pk)
    link_name = translated(
        "kk",
        "Import a spreadsheet into “%(name)s”",
        name=browser_network.pavlodar.name_kk,
    )
    page.get_by_role("link", name=link_name).click()
    page.wait_for_url(f"**{import_url}")

    upload_and_check(page, bad, mode="all")
    expect(page.locator("tbody tr.row-created")).to_have_count(1)
    rejected = page.locator("tbody tr.row-rejected")
    expect(rejected).to_have_count(1)
    expect(rejected).to_contain_text("Павлодар аналар кеңесі")
    expect_message(
        rejected,
        "kk",
        "Unknown region «%(value)s»: write its name, e.g. %(example)s.",
        value="KZ-99",
    )
    expect(page.locator("[role=alert]")).to_be_visible()
    # All or nothing was chosen: with a rejected row there is nothing to confirm.
    import_one = translated_plural("kk", "Import %(counter)s row", "Import %(counter)s rows", 1)
    expect(page.get_by_role("button", name=import_one)).to_have_count(0)
    expect(
        page.get_by_role("button", name=translated("kk", "Import the valid rows only"))
    ).to_be_visible()

    council["region"] = "KZ-55"
    fixed = bodies_file(tmp_path / "bodies-fixed.xlsx", [centre, council])
    page.get_by_role("link", name=translated("kk", "Upload another file")).click()
    page.wait_for_url(f"**{import_url}")
    upload_and_check(page, fixed)
    expect(page.locator("tbody tr.row-rejected")).to_have_count(0)
    expect(page.locator("tbody tr.row-created")).to_have_count(2)
    confirm = page.get_by_role(
        "button",
        name=translated_plural("kk", "Import %(counter)s row", "Import %(counter)s rows", 2),
    )
    confirm.click()
    page.wait_for_url("**/workspace/imports/*/")
    tasks.run_commit(current_job(page).pk)
    page.reload()
    done = translated_plural(
        "kk", "Import done: %(counter)s row written.", "Import done: %(counter)s rows written.", 2
    )
    expect(page.locator("[role=status]")).to_contain_text(done)

    page.goto(url("portal:directory", "kk"))
    form = page.get_by_role("search")
    form.locator("input[name=q]").fill("аналар кеңесі")
    form.locator("[type=submit]").click()
    page.wait_for_load_state()
    results = page.locator("ul.results")
    expect(results.get_by_role("link", name="Павлодар аналар кеңесі")).to_have_count(1)
    results.get_by_role("link", name="Павлодар аналар кеңесі").click()
    expect(page.locator("h1")).to_have_text("Павлодар аналар кеңесі")
    expect(page.locator("main")).to_contain_text(browser_network.pavlodar.name_kk)


def test_language_switch_on_a_body_page_keeps_the_body(page: Page):
    house = pavlodar_with_houses()["house"]
    page.goto(url("portal:body", "kk", pk=house.pk))
    assert page.locator("html").get_attribute("lang") == "kk"

    page.locator("nav.lang-switch").get_by_role("link", name="Русский").click()
    page.wait_for_url(f"**{url('portal:body', 'ru', pk=house.pk)}")
    assert page.url.endswith(f"/ru/bodies/{house.pk}/"), page.url
    assert page.locator("html").get_attribute("lang") == "ru"
    expect(page.locator("h1")).to_have_text("Дом дружбы «Иртыш»")


def test_directory_filters_by_region_without_javascript(browser: Browser, live_server: Any):
    data = pavlodar_with_houses()
    almaty_name = "Алматы қаласының ассамблеясы"
    OrganisationFactory(
        parent=data["root"], kind=kind("city_assembly"), region=region("KZ-75"), name_kk=almaty_name
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url("portal:directory", "kk"))
        results = page.locator("ul.results")
        expect(results).to_contain_text(almaty_name)

        page.get_by_role("search").locator("select[name=region]").select_option("KZ-55")
        page.get_by_role("search").locator("[type=submit]").click()
        page.wait_for_url("**/kk/bodies/?*region=KZ-55*")
        expect(results.locator("li")).to_have_count(4)
        expect(results).to_contain_text("Ертіс Достық үйі")
        expect(results).to_contain_text(data["assembly"].name_kk)
        expect(results).not_to_contain_text(almaty_name)
    finally:
        context.close()
