"""Check-in at the door on a 390×844 phone, in Kazakh and Russian.

After a check-in by typed code the banner with the person's name is in the viewport, stays there
when the page scrolls, covers neither the scan button nor the field, and closes; axe finds
nothing serious; nothing is wider than the screen; the page's own script runs without errors.
The camera is Chromium's fake capture device playing a picture of a ticket's QR code (holding
the ticket's address, as a phone's camera app would read it): the page reads it, checks the
person in, comes back with the camera on and does not send the same ticket again.
``BIRLIK_SCREENSHOTS=<dir>`` saves ``checkin-phone-kk.png`` (and ``-ru``) with the banner.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import segno
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect, sync_playwright

from birlik.events import services
from birlik.events.models import Event, Registration
from tests.browser.conftest import ASYNC_UNSAFE, CHROMIUM_ARGS, SCREENS, open_tab, visit
from tests.conftest import PASSWORD, Network
from tests.portal.events_data import make_event

# The ticket the fake camera shows: its code is given to one registration in the test.
CAMERA_CODE = "CameraTicket-0123456789"
CAMERA_TEXT = f"http://localhost/kk/events/tickets/{CAMERA_CODE}/"
WIDTH, HEIGHT = 640, 480


def qr_video(path: Path, text: str) -> Path:
    """A short Y4M video (what Chromium's fake camera plays) of a QR code on white paper."""
    matrix = [list(row) for row in segno.make(text, error="m", micro=False).matrix]
    size = len(matrix)
    scale = min(WIDTH, HEIGHT) * 3 // 4 // (size + 8)
    left, top = (WIDTH - size * scale) // 2, (HEIGHT - size * scale) // 2
    luma = bytearray(b"\xeb" * (WIDTH * HEIGHT))
    for y in range(size * scale):
        row = matrix[y // scale]
        start = (top + y) * WIDTH + left
        for x in range(size * scale):
            if row[x // scale]:
                luma[start + x] = 0x10
    chroma = b"\x80" * (WIDTH * HEIGHT // 4)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * 10)
    return path


@pytest.fixture(scope="module")
def browser(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """This module's Chromium: as tests/browser/conftest.py's, with a fake camera (permission
    granted) that shows the QR code of ``CAMERA_TEXT``."""
    video = qr_video(tmp_path_factory.mktemp("camera") / "ticket.y4m", CAMERA_TEXT)
    camera = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=chromium_path, headless=True, args=[*CHROMIUM_ARGS, *camera]
            )
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


def running_event(network: Network, people: int) -> tuple[Event, list[Registration]]:
    """An event starting in an hour (check-in is open) with ``people`` confirmed tickets."""
    event = make_event(
        network, starts_at=timezone.now() + datetime.timedelta(hours=1), capacity=100
    )
    registrations = [
        services.registration_create(
            event=event,
            full_name=f"Айгүл Сейітова {n}",
            phone=f"+7 701 000 00 {n:02d}",
            consent=True,
        )
        for n in range(1, people + 1)
    ]
    return event, registrations


def signed_in_phone(browser: Browser, live_server: Any, language: str) -> Page:
    tab = open_tab(browser, live_server, "phone", language)
    with translation.override(language):
        tab.goto(reverse("access:login"))
    form = tab.locator("form").filter(has=tab.locator("input[name=password]"))
    form.locator("input[name=username]").fill("staff_pavlodar_house")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    tab.wait_for_load_state()
    return tab


def in_viewport(tab: Page, selector: str) -> dict[str, float]:
    box = tab.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    width, height = SCREENS["phone"]
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, box
    return box


def below(tab: Page, selector: str) -> float:
    """How far the top of ``selector`` is from the top of the viewport."""
    box = tab.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_banner_says_who_is_checked_in_in_view_on_a_phone(
    browser: Browser, live_server: Any, browser_network: Network, axe_check: Any, language: str
):
    event, registrations = running_event(browser_network, 12)
    person = registrations[0]
    with translation.override(language):
        address = reverse("events:check_in", args=[event.pk])
        scan_label = gettext("Scan with camera")
        checked = gettext("%(name)s is checked in.") % {"name": person.full_name}
    tab = signed_in_phone(browser, live_server, language)
    try:
        visit(tab, address, f"checkin-phone-{language}")
        scan = tab.locator("[data-scan-toggle]")
        expect(scan).to_be_visible()  # shown by the page's script
        expect(scan).to_have_text(scan_label)
        tab.locator("input[name=code]").fill(person.ticket_code)
        tab.locator("[data-check-in-form] button[type=submit]").click()
        tab.wait_for_load_state()

        banner = tab.locator("[data-check-in-banner]")
        expect(banner.locator("[role=status]")).to_have_text(checked)
        top = in_viewport(tab, "[data-check-in-banner]")
        assert top["y"] == 0
        # The focused field is scrolled below the banner, not under it.
        assert below(tab, "input[name=code]") >= top["height"]
        # The page keeps the banner's height free at its top: the scan button is below it.
        tab.evaluate("window.scrollTo(0, 0)")
        assert below(tab, "[data-scan-toggle]") >= top["height"]
        folder = os.environ.get("BIRLIK_SCREENSHOTS")
        if folder:
            tab.screenshot(path=str(Path(folder) / f"checkin-phone-{language}.png"))
        assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        axe_check(tab)

        # Scrolled to the list at the bottom: the banner is still on the screen.
        tab.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        assert tab.evaluate("window.scrollY") > 0
        in_viewport(tab, "[data-check-in-banner]")
        # Closed, it gives its place back.
        tab.locator("[data-check-in-banner-close]").click()
        expect(banner).to_have_count(0)
        assert tab.evaluate("getComputedStyle(document.body).paddingTop") == "0px"
        assert tab.errors == []  # type: ignore[attr-defined]
    finally:
        tab.context.close()
    person.refresh_from_db()
    assert person.checked_in_at is not None


def test_the_camera_reads_the_ticket_and_checks_the_person_in(
    browser: Browser, live_server: Any, browser_network: Network
):
    event, registrations = running_event(browser_network, 2)
    person = registrations[1]
    Registration.objects.filter(pk=person.pk).update(ticket_code=CAMERA_CODE)
    with translation.override("kk"):
        address = reverse("events:check_in", args=[event.pk])
        checked = gettext("%(name)s is checked in.") % {"name": person.full_name}
        scanning = gettext("Point the camera at the QR code of the ticket.")
    tab = signed_in_phone(browser, live_server, "kk")
    try:
        visit(tab, address, "checkin-camera-kk")
        with tab.expect_navigation(url=f"**{address}?scan=1"):
            tab.locator("[data-scan-toggle]").click()
        expect(tab.locator("[data-check-in-banner] [role=status]")).to_have_text(checked)
        # Back with the camera on, the same ticket in front of it: not sent a second time.
        expect(tab.locator("[data-scan-status]")).to_have_text(scanning)
        expect(tab.locator("video#check-in-camera")).to_be_visible()
        tab.wait_for_timeout(1500)
        expect(tab.locator("[data-check-in-banner] [role=status]")).to_have_text(checked)
        assert tab.locator("[data-check-in-banner] [role=alert]").count() == 0
        # Stopped, the camera stays off on the next page.
        tab.locator("[data-scan-toggle]").click()
        expect(tab.locator("video#check-in-camera")).to_be_hidden()
        assert "scan=1" not in tab.url
        assert tab.errors == []  # type: ignore[attr-defined]
    finally:
        tab.context.close()
    person.refresh_from_db()
    assert person.checked_in_at is not None
    assert registrations[0].checked_in_at is None
