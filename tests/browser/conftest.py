"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every test here is marked ``browser`` and runs on a transactional database (the live server
sees only committed rows); ``catalogues_after_flush`` in tests/conftest.py loads the migrated
catalogues again before each, since a transactional test ends by emptying every table. (Not
``serialized_rollback``: Django keeps that copy on the connection object, and after the first
Playwright test the test code was found holding a connection object without it.) Chromium is the
Debian package (``scripts/setup-system`` installs it), never a browser downloaded by Playwright.
Without it the tests are skipped on a developer's machine and fail in CI (``CI=true``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import PASSWORD, Network

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = ("serious", "critical")
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def pytest_itemcollected(item: pytest.Item) -> None:
    if not item.path.is_relative_to(HERE):
        return
    item.add_marker(pytest.mark.browser)
    if item.get_closest_marker("django_db") is None:
        item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        reason = (
            "Debian's chromium is not installed: run scripts/setup-system "
            "(apt-get install chromium) to run the browser tests."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Browser]:
    """Chromium for one test module.

    Playwright's sync API keeps an event loop running in the test thread while it is started,
    so Django refuses ORM calls ("You cannot call this from an async context") unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. Both last only as long as this fixture: module scope ends
    them before the tests that follow (some run `birlik check --deploy`, which rejects the flag).
    """
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
            )
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A fresh browser tab whose relative URLs go to the live server (``page.goto("/kk/")``).

    The test fails if a page raised a JavaScript error: the portal must work, not just render.
    """
    context = browser.new_context(
        base_url=live_server.url,
        locale="kk-KZ",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(f"{tab.url}: {error}"))
    # Chromium reports what the Content-Security-Policy blocked on the console.
    tab.on(
        "console",
        lambda message: (
            errors.append(f"{tab.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield tab
    context.close()
    assert not errors, "JavaScript errors or blocked content on the page:\n" + "\n".join(errors)


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        impact, rule = violation["impact"], violation["id"]
        lines.append(f"[{impact}] {rule}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def axe_check(page: Page, *, context: str | list | dict | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the page; fail on any serious or critical violation.

    Returns the milder violations so a test may look at them too.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    violations: list[dict[str, Any]] = results.response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        pytest.fail(
            f"axe-core: {len(blocking)} serious or critical accessibility violations on "
            f"{page.url}:\n{format_violations(blocking)}",
            pytrace=False,
        )
    return [v for v in violations if v not in blocking]


@pytest.fixture(name="axe_check")
def axe_check_fixture() -> Callable[..., list[dict[str, Any]]]:
    """``axe_check(page)`` fails the test on serious or critical accessibility violations."""
    return axe_check


@pytest.fixture
def browser_network(network: Network) -> Network:
    """The shared small network (two regions, a user for each role), committed for the live
    server. Every user's password is ``PASSWORD``; e.g. ``coordinator_pavlodar``."""
    return network


@pytest.fixture
def sign_in(page: Page) -> Callable[..., Page]:
    """``sign_in("coordinator_pavlodar", language="kk")`` fills the login form and submits it."""

    def do(username: str, password: str = PASSWORD, *, language: str = "kk") -> Page:
        from django.utils import translation

        with translation.override(language):
            url = reverse("access:login")
        page.goto(url)
        form = page.locator("form").filter(has=page.locator("input[name=password]"))
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(password)
        form.locator("[type=submit]").click()
        page.wait_for_load_state()
        return page

    return do


# --- Screens: a phone and a desk, for the tests of layouts -----------------------------------

SCREENS = {"phone": (390, 844), "desktop": (1366, 768)}


def open_tab(
    browser: Browser,
    live_server: Any,
    screen: str,
    language: str,
    *,
    clipboard: bool = False,
    geolocation: dict[str, float] | None = None,
    permissions: list[str] | None = None,
) -> Page:
    """A tab the size of ``screen`` in ``language``; its ``errors`` collect JavaScript errors
    and Content-Security-Policy refusals, for the test to assert empty. ``geolocation``
    (``{"latitude": …, "longitude": …}``) is the position the browser tells, and
    ``permissions`` what the visitor has allowed (``["geolocation"]``)."""
    width, height = SCREENS[screen]
    context = browser.new_context(
        base_url=live_server.url,
        locale=f"{language}-KZ",
        viewport={"width": width, "height": height},
        is_mobile=screen == "phone",
        has_touch=screen == "phone",
        geolocation=geolocation,  # type: ignore[arg-type]
        permissions=permissions,
    )
    if clipboard:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    tab.errors = errors  # type: ignore[attr-defined]
    return tab


def visit(tab: Page, url: str, name: str) -> None:
    """Open ``url`` (200 expected), save a screenshot when ``BIRLIK_SCREENSHOTS`` names a
    folder, and fail when the page is wider than the screen."""
    response = tab.goto(url)
    assert response is not None and response.status == 200, url
    folder = os.environ.get("BIRLIK_SCREENSHOTS")
    if folder:
        tab.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
    wider = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wider <= 0, f"{url} is {wider}px wider than the viewport"
