"""Check-in at the door: by the ticket code a scanner types in, or from the list; on a phone
with the camera and a fixed banner; open from EVENT_CHECK_IN_OPENS_MINUTES before the start."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

from birlik.events import services
from birlik.events.models import Registration
from birlik.events.services import ticket_url

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"events:{name}", args=args)


# Starts in an hour: check-in (open two hours before the start) is open.
SOON = datetime.timedelta(hours=1)


@pytest.fixture
def event(plan):
    return plan(capacity=1, publish=True, starts_in=SOON)


MESSAGE = re.compile(r'<p class="(?:check-in-banner-text|message message-\w+)"[^>]*>([^<]*)</p>')


def messages_of(response) -> list[str]:
    """What the page says on top: the check-in page's banner, another page's messages."""
    return [html.unescape(text) for text in MESSAGE.findall(response.content.decode())]


def test_check_in_by_ticket_code_counts_the_person(as_user, event, sign_up):
    registration = sign_up(event, 1)
    client = as_user("staff_pavlodar_house")
    page = client.get(url("check_in", event.pk)).content.decode()
    assert "autofocus" in page and 'name="code"' in page
    response = client.post(
        url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("check_in", event.pk)
    assert f"{registration.full_name} is checked in." in messages_of(response)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    event.refresh_from_db()
    assert (event.attended_count, event.participants_total) == (1, 1)


def test_a_scanned_ticket_address_is_understood(as_user, event, sign_up):
    registration = sign_up(event, 1)
    response = as_user("staff_pavlodar_house").post(
        url("check_in", event.pk), {"code": ticket_url(registration)}, follow=True
    )
    assert f"{registration.full_name} is checked in." in messages_of(response)


def test_a_second_check_in_is_refused_with_the_time_of_the_first(as_user, plan, sign_up):
    with freeze_time("2026-03-10 08:00"):
        event = plan(capacity=1, publish=True, starts_in=SOON)
        registration = sign_up(event, 1)
    client = as_user("staff_pavlodar_house")
    with freeze_time("2026-03-10 09:05"):
        first = client.post(
            url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
        )
    assert messages_of(first) == [f"{registration.full_name} is checked in."]
    response = client.post(
        url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
    )
    assert messages_of(response) == ["This ticket was already checked in at 14:05."]
    event.refresh_from_db()
    assert event.attended_count == 1


def test_a_waiting_list_ticket_and_an_unknown_code_are_refused(as_user, event, sign_up):
    sign_up(event, 1)
    waiting = sign_up(event, 2)
    assert waiting.status == Registration.Status.WAITLISTED
    client = as_user("staff_pavlodar_house")
    response = client.post(url("check_in", event.pk), {"code": waiting.ticket_code}, follow=True)
    assert messages_of(response) == ["This ticket is not confirmed: on the waiting list."]
    response = client.post(url("check_in", event.pk), {"code": "NoSuchTicket123"}, follow=True)
    assert messages_of(response) == ["No ticket of this event has this code."]
    response = client.post(url("check_in", event.pk), {"code": "<script>"})
    assert response.status_code == 200
    assert "No ticket of this event has this code." in response.content.decode()
    event.refresh_from_db()
    assert event.attended_count == 0


def test_a_ticket_of_another_event_is_unknown_here(as_user, event, plan, sign_up):
    other = plan(publish=True)
    registration = sign_up(other, 1)
    response = as_user("staff_pavlodar_house").post(
        url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
    )
    assert messages_of(response) == ["No ticket of this event has this code."]


def test_check_in_from_the_list_returns_to_the_event_page(as_user, plan, sign_up):
    event = plan(publish=True, starts_in=SOON)
    first, second = sign_up(event, 1), sign_up(event, 2)
    client = as_user("staff_pavlodar_house")
    detail = client.get(url("detail", event.pk)).content.decode()
    assert detail.count('name="registration"') == 2  # a check-in button per person
    assert url("registration_cancel", event.pk, first.pk) in detail
    check_in_page = client.get(url("check_in", event.pk))
    assert {r.pk for r in check_in_page.context["waiting"].object_list} == {first.pk, second.pk}

    response = client.post(
        url("check_in", event.pk),
        {"registration": first.pk, "next": url("detail", event.pk)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("detail", event.pk)
    assert f"{first.full_name} is checked in." in messages_of(response)
    rows = {r.pk: r.checked_in_at for r in response.context["registrations"].object_list}
    assert rows[first.pk] is not None and rows[second.pk] is None
    waiting = client.get(url("check_in", event.pk)).context["waiting"].object_list
    assert [r.pk for r in waiting] == [second.pk]
    # The same button pressed twice says so instead of counting twice.
    again = client.post(url("check_in", event.pk), {"registration": first.pk}, follow=True)
    assert messages_of(again)[0].startswith("This ticket was already checked in at ")


def test_next_must_stay_on_the_site(as_user, event, sign_up):
    registration = sign_up(event, 1)
    response = as_user("staff_pavlodar_house").post(
        url("check_in", event.pk),
        {"registration": registration.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == url("check_in", event.pk)


def test_analysts_cannot_check_people_in(as_user, event, sign_up):
    registration = sign_up(event, 1)
    client = as_user("analyst")
    assert client.get(url("check_in", event.pk)).status_code == 403
    response = client.post(url("check_in", event.pk), {"code": registration.ticket_code})
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_cancelled_event_offers_no_check_in(as_user, event, sign_up, network):
    registration = sign_up(event, 1)
    services.event_cancel(actor=network.users["admin"], event=event)
    client = as_user("staff_pavlodar_house")
    response = client.post(
        url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
    )
    assert messages_of(response) == ["A cancelled event has no attendance."]
    page = client.get(url("detail", event.pk))
    assert page.context["can_check_in"] is False
    assert page.context["can_register"] is False
    assert url("check_in", event.pk) not in page.content.decode()


# --- On a phone: the camera, the banner, the window ------------------------------------------


def test_the_result_is_shown_in_the_fixed_banner_in_words_for_screen_readers(
    as_user, event, sign_up
):
    registration = sign_up(event, 1)
    client = as_user("staff_pavlodar_house")
    done = client.post(
        url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
    ).content.decode()
    assert re.search(
        r'<div class="check-in-banner check-in-banner-success" data-check-in-banner>\s*'
        r'<div class="check-in-banner-messages">\s*'
        rf'<p class="check-in-banner-text" role="status" aria-live="polite">'
        rf"{registration.full_name} is checked in.</p>",
        done,
    )
    assert 'class="messages"' not in done  # not a second time at the top of the page
    again = client.post(
        url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
    ).content.decode()
    assert re.search(
        r'check-in-banner-error[^>]*>\s*<div class="check-in-banner-messages">\s*'
        r'<p class="check-in-banner-text" role="alert">This ticket was already checked in at ',
        again,
    )
    # The banner is shown once: the next visit has none.
    assert "data-check-in-banner" not in client.get(url("check_in", event.pk)).content.decode()


def test_the_page_offers_the_camera_from_static_files_only(as_user, event):
    page = as_user("staff_pavlodar_house").get(url("check_in", event.pk)).content.decode()
    assert "data-check-in-scan hidden" in page  # shown by the script, which the camera needs
    assert 'data-decoder="/static/birlik/vendor/jsQR.js"' in page
    assert '<script src="/static/birlik/check-in.js" defer></script>' in page
    assert '<link rel="stylesheet" href="/static/birlik/check-in.css">' in page
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page) == []  # nothing inline (CSP)
    # Every text the script shows comes from the page, translated.
    for name in (
        "label-start", "label-stop", "text-starting", "text-scanning", "text-found",
        "text-stopped", "text-denied", "text-unsupported", "text-no-camera", "text-failed",
    ):  # fmt: skip
        assert re.search(rf'data-{name}="[^"]+"', page), name
    assert "data-autostart" not in page
    assert "autofocus" in page  # a hand scanner types into the field at once


def test_a_scan_brings_the_camera_back_on_the_next_page(as_user, event, sign_up):
    registration = sign_up(event, 1)
    client = as_user("staff_pavlodar_house")
    response = client.post(
        url("check_in", event.pk), {"code": ticket_url(registration), "scan": "1"}
    )
    assert response["Location"] == url("check_in", event.pk) + "?scan=1"
    page = client.get(response["Location"]).content.decode()
    assert f"{registration.full_name} is checked in." in page
    assert 'data-autostart="1"' in page
    # No focus on the field: the phone's keyboard would cover the camera's picture.
    assert "autofocus" not in page
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_the_static_decoder_is_vendored_with_its_version_and_licence():
    from django.contrib.staticfiles import finders

    decoder = finders.find("birlik/vendor/jsQR.js")
    assert decoder is not None and finders.find("birlik/check-in.js") is not None
    with open(decoder, encoding="utf-8") as handle:
        header = handle.read(400)
    assert "jsQR 1.4.0" in header and "Apache License 2.0" in header
    assert finders.find("birlik/vendor/LICENSE-jsQR.txt") is not None


@pytest.fixture
def evening(plan, sign_up):
    """16:00 Almaty time on 12 December 2025 (check-in opens at 14:00), one ticket."""
    with freeze_time("2025-12-01 10:00"):
        event = plan(publish=True, starts_in=datetime.timedelta(days=11, hours=1))
        return event, sign_up(event, 1)


def test_before_the_window_the_page_says_when_check_in_opens(as_user, evening):
    event, registration = evening
    client = as_user("staff_pavlodar_house")
    with freeze_time("2025-12-12 08:59"):  # 13:59 in Almaty
        page = client.get(url("check_in", event.pk)).content.decode()
        refused = client.post(
            url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
        )
    assert "Check-in opens at 14:00 on 12.12.2025." in page
    assert "data-check-in-scan" not in page and 'name="code"' not in page
    assert 'name="registration"' not in page  # the list, without its check-in buttons
    assert registration.full_name in page
    assert messages_of(refused) == ["Check-in opens at 14:00 on 12.12.2025."]
    assert 'role="alert">Check-in opens at 14:00' in refused.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is None

    with freeze_time("2025-12-12 09:00"):  # 14:00: open
        page = client.get(url("check_in", event.pk)).content.decode()
        done = client.post(
            url("check_in", event.pk), {"registration": registration.pk}, follow=True
        )
    assert "Check-in opens at" not in page and "data-check-in-scan" in page
    assert messages_of(done) == [f"{registration.full_name} is checked in."]
