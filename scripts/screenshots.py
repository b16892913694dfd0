"""Screenshots for docs/: the home page and its map, the public dashboard, mediation and charity
pages, a regional coordinator's dashboard against the plan, and the import of a members list
as a regional office keeps it (the column step and the check).

Starts nothing: point it at a running Birlik (``make screenshots`` starts a throw-away demo
server and calls this). Uses Debian's chromium through Playwright, never a downloaded browser.

    .venv/bin/python scripts/screenshots.py --base-url http://localhost:8000 --out docs/screenshots
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--font-render-hinting=none",
]


PUBLIC_PAGES = [
    ("figures", "figures/"),
    ("mediation", "mediation/"),
    ("charity", "charity/"),
    ("ideas", "ideas/"),
    ("programmes", "programmes/"),
    ("volunteers", "volunteers/"),
    ("youth", "youth/"),
]
STAFF_PAGES = [
    ("dashboard-coordinator", "workspace/reports/"),
]
DEMO_PASSWORD = "birlik-demo-2026"  # noqa: S105 - the published demo password


def take(base_url: str, out: Path, language: str) -> list[Path]:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Debian's chromium is missing: run scripts/setup-system.")
    out.mkdir(parents=True, exist_ok=True)
    home = out / f"home-{language}.png"
    map_shot = out / f"map-{language}.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, device_scale_factor=1, locale="kk-KZ"
        )
        page = context.new_page()
        response = page.goto(f"{base_url.rstrip('/')}/{language}/", wait_until="networkidle")
        if response is None or response.status != 200:
            status = response.status if response else "no answer"
            raise SystemExit(f"{base_url}/{language}/ answered {status}.")
        page.wait_for_selector("#map", state="visible", timeout=15_000)
        page.screenshot(path=str(home), full_page=True)
        page.locator("#map").screenshot(path=str(map_shot))
        shots = [home, map_shot]
        base = base_url.rstrip("/")
        for name, path in PUBLIC_PAGES:
            shot = out / f"{name}-{language}.png"
            page.goto(f"{base}/{language}/{path}", wait_until="networkidle")
            page.screenshot(path=str(shot), full_page=True)
            shots.append(shot)
        # A regional coordinator's own region against the plan (demo login).
        page.goto(f"{base}/{language}/account/login/", wait_until="networkidle")
        page.fill("input[name=username]", "coordinator_pavlodar")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.locator("form input[name=password]").press("Enter")
        page.wait_for_load_state("networkidle")
        for name, path in STAFF_PAGES:
            shot = out / f"{name}-{language}.png"
            page.goto(f"{base}/{language}/{path}", wait_until="networkidle")
            page.screenshot(path=str(shot), full_page=True)
            shots.append(shot)
        # The region against this year's plan: the newest plan in the list.
        page.goto(f"{base}/{language}/workspace/reports/plans/", wait_until="networkidle")
        page.locator("table a").first.click()
        page.wait_for_load_state("networkidle")
        shot = out / f"plan-coordinator-{language}.png"
        page.screenshot(path=str(shot), full_page=True)
        shots.append(shot)
        shots += _import_shots(page, base, out, language)
        browser.close()
    return shots


def _members_file() -> bytes:
    """A members list as a regional office keeps it: a title above, Russian column names,
    totals and a signature below, one row with letters lost to «?» and one bad date."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Список членов Ассамблеи народа Казахстана Павлодарской области"])
    sheet.merge_cells("A1:F1")
    sheet.append(["по состоянию на 01.12.2026 г."])
    sheet.append([])
    sheet.append(["№", "Ф.И.О.", "Дата рождения", "Должность", "Телефон", "Дата вступления"])
    people = [
        ("Сейтқали Нұрлан Асқарұлы", "12.03.1985", "Член совета", "8 (701) 234-56-78"),
        ("Жұмабаева Айгүл Серік қызы", "14.05.1990", "Волонтер", "+7 705 118 42 90"),
        ("Иванов  Сергей Петрович", "01.01.1978", "Член ассамблеи", 87471234567),
        ("Ахметов Н?рлан Болат?лы", "30.11.1969", "Член ассамблеи", "7012345679"),
        ("Ким Алина Викторовна", "31.02.2005", "Волонтер", "+7 777 310 12 34"),
        ("Юнусов Тимур Ахмедович", "12.03.2003", "Член ассамблеи", "8(702)555 44 33"),
    ]
    for number, (name, birth, position, phone) in enumerate(people, start=1):
        sheet.append([number, name, birth, position, phone, "15.01.2024"])
    sheet.append(["", f"Итого: {len(people)} человек"])
    sheet.append([])
    sheet.append(["Исполнитель: ____________ Ахметова А."])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import_shots(page: Any, base: str, out: Path, language: str) -> list[Path]:
    """The coordinator imports a members list into their regional assembly."""
    page.goto(f"{base}/{language}/workspace/bodies/", wait_until="networkidle")
    page.locator("main table a").first.click()
    page.wait_for_load_state("networkidle")
    page.goto(page.url.rstrip("/") + "/import/", wait_until="networkidle")
    upload = out / f"import-upload-{language}.png"
    page.screenshot(path=str(upload), full_page=True)
    page.locator("input[name=import_kind][value=members]").check()
    page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": "Список членов 2026.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": _members_file(),
            }
        ],
    )
    page.locator("form button.primary").click()
    page.wait_for_load_state("networkidle")
    page.fill("input[name=default_consent_date]", "2026-11-20")
    columns = out / f"import-columns-{language}.png"
    page.screenshot(path=str(columns), full_page=True)
    page.locator("button[value=check]").click()
    page.wait_for_load_state("networkidle")
    for _attempt in range(30):
        if page.locator("progress").count() == 0:
            break
        page.wait_for_timeout(1000)
        page.reload(wait_until="networkidle")
    review = out / f"import-review-{language}.png"
    page.screenshot(path=str(review), full_page=True)
    return [upload, columns, review]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://localhost:8000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--language", default="kk", choices=["kk", "ru", "en"])
    args = parser.parse_args(argv)
    for path in take(args.base_url, args.out, args.language):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
