"""The paper sign-in sheet page: people registered online are counted once, others added."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from birlik.access.models import AuditEntry
from birlik.core import uploads
from birlik.events.models import Registration

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"events:{name}", args=args)


def csv_file(text: str, name: str = "sheet.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def running_event(plan):
    """Started an hour ago: people could register online before it."""
    return plan(starts_in=-datetime.timedelta(hours=1), hours=3, publish=True)


def state(event) -> tuple:
    event.refresh_from_db()
    return (
        Registration.objects.filter(event=event).count(),
        Registration.objects.filter(event=event, checked_in_at__isnull=False).count(),
        event.attended_count,
        event.participants_total,
    )


def test_a_person_registered_online_and_on_the_sheet_is_counted_once(
    as_user, running_event, sign_up
):
    online = sign_up(running_event, 1, full_name="Айгүл Сейітова", phone="+7 701 000 00 01")
    checked = sign_up(running_event, 2, full_name="Борис Ким", phone="+7 701 000 00 02")
    client = as_user("staff_pavlodar_house")
    client.post(url("check_in", running_event.pk), {"code": checked.ticket_code})
    sheet = (
        "full_name,phone,email\n"
        "Айгүл Сейітова,8 (701) 000-00-01,\n"  # registered online, written differently
        "Борис Ким,87010000002,\n"  # already checked in at the door
        "Дана Серікова,,dana@example.kz\n"  # came without registering
        "Дана Серікова,,dana@example.kz\n"  # wrote her name twice
    )
    response = client.post(url("sheet", running_event.pk), {"file": csv_file(sheet)})
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.checked_in, summary.already_counted, summary.added) == (1, 2, 1)
    page = response.content.decode()
    assert "Checked in from online registrations" in page and "Added from paper" in page
    online.refresh_from_db()
    assert online.checked_in_at is not None
    added = Registration.objects.get(event=running_event, full_name="Дана Серікова")
    assert added.source == Registration.Source.PAPER
    assert state(running_event) == (3, 3, 3, 3)
    assert AuditEntry.objects.filter(
        object_type="events.Event", object_id=str(running_event.pk), action="import"
    ).exists()

    # The same sheet again changes nothing: everyone on it is counted already.
    again = client.post(url("sheet", running_event.pk), {"file": csv_file(sheet)})
    summary = again.context["summary"]
    assert (summary.checked_in, summary.already_counted, summary.added) == (0, 4, 0)
    assert state(running_event) == (3, 3, 3, 3)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("full_name,phone\nАсқар,87010000009\n,87010000010\n", "Line 3: the full name is missing."),
        ("person,phone\nАсқар,87010000009\n", "The column of names was not found."),
        ("MZ\x00\x00 not a sheet", "The file is not an XLSX or CSV spreadsheet."),
    ],
)
def test_a_broken_sheet_changes_nothing(as_user, running_event, sign_up, content, message):
    sign_up(running_event, 1)
    before = state(running_event)
    response = as_user("staff_pavlodar_house").post(
        url("sheet", running_event.pk), {"file": csv_file(content)}
    )
    assert response.status_code == 200
    assert response.context["summary"] is None
    page = response.content.decode()
    assert message in page
    assert "Nothing was recorded." in page
    assert state(running_event) == before


@override_settings(IMPORT_MAX_BYTES=200)
def test_an_oversize_sheet_is_stopped_before_it_is_read(as_user, running_event):
    big = "full_name\n" + "Айгүл Сейітова\n" * 100
    response = as_user("staff_pavlodar_house").post(
        url("sheet", running_event.pk), {"file": csv_file(big)}
    )
    assert response.status_code == 200
    assert response.wsgi_request.upload_refused == "too_large"
    assert uploads.too_large_message(uploads.IMPORT_LIMIT, split=True) in response.content.decode()
    assert not Registration.objects.exists()


def test_a_sheet_before_the_event_starts_is_refused(as_user, plan):
    event = plan()
    response = as_user("staff_pavlodar_house").post(
        url("sheet", event.pk), {"file": csv_file("full_name\nАсқар\n")}
    )
    assert "Attendance can be recorded once the event has started." in response.content.decode()
    assert not Registration.objects.exists()


def test_analysts_and_other_regions_cannot_import_sheets(as_user, running_event):
    assert as_user("analyst").get(url("sheet", running_event.pk)).status_code == 403
    assert as_user("coordinator_almaty").get(url("sheet", running_event.pk)).status_code == 404
