"""Sign-in sheets as staff keep them: a title above the list, Kazakh or Russian headers, "№" and
signature columns, totals and signatures below; the scan of the signed sheet kept as evidence
with the sheet, or nothing kept at all."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from birlik.events.models import EventAttachment, Registration
from birlik.events.sheets import read_sheet

from ..factories import png_bytes

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


KAZAKH_SHEET = [
    ["«Достық кеші» іс-шарасына қатысушылар тізімі"],
    ["Павлодар, 2026 жылғы 20 қараша"],
    [],
    ["№", "Т.А.Ә.", "Телефон", "Эл. почта", "Қолы"],
    [1, "Сейітова Айгүл", "8 701 000 00 01", None, "✓"],
    [2, "Ким Борис", 87010000002, None, None],
    [3, "Құрманова Дана", None, "dana@example.kz", "✓"],
    [4, None, None, None, None],
    ["Барлығы: 3 адам"],
    ["Жауапты: ____________ Ахметов Е."],
]

RUSSIAN_SHEET = [
    ["Список участников круглого стола"],
    ["№ п/п", "Фамилия", "Имя", "Отчество", "Тел.", "Подпись"],
    [1, "Иванов", "Сергей", "Петрович", "+7 (702) 123-45-67", ""],
    [2, "Ли", "Анна", None, None, ""],
    ["Итого", None, None, None, None, "2"],
    ["Подпись ответственного", "__________", None, None, None, None],
]


def test_a_kazakh_sheet_with_a_title_above_and_totals_below_gives_its_people():
    rows = read_sheet(xlsx(KAZAKH_SHEET))
    assert [(r.line, r.full_name, r.phone, r.email) for r in rows] == [
        (5, "Сейітова Айгүл", "+77010000001", ""),
        (6, "Ким Борис", "+77010000002", ""),
        (7, "Құрманова Дана", "", "dana@example.kz"),
    ]


def test_a_russian_sheet_with_last_and_first_names_in_columns_gives_full_names():
    rows = read_sheet(xlsx(RUSSIAN_SHEET))
    assert [(r.full_name, r.phone) for r in rows] == [
        ("Иванов Сергей Петрович", "+77021234567"),
        ("Ли Анна", ""),
    ]


def test_a_csv_of_names_alone_is_read():
    rows = read_sheet("ФИО\nАйгүл Сейітова\nБорис Ким\n".encode())
    assert [r.full_name for r in rows] == ["Айгүл Сейітова", "Борис Ким"]


# --- The sheet page with the scan of the signed sheet ------------------------------------------


def url(name: str, *args) -> str:
    return reverse(f"events:{name}", args=args)


@pytest.fixture
def running_event(plan):
    return plan(starts_in=-datetime.timedelta(hours=1), hours=3, publish=True)


def sheet_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("тізім.xlsx", xlsx(KAZAKH_SHEET))


def test_the_sheet_and_its_scan_are_recorded_together(as_user, running_event):
    client = as_user("staff_pavlodar_house")
    scan = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    response = client.post(url("sheet", running_event.pk), {"file": sheet_file(), "scan": scan})
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.added == 3
    assert "The scan of the signed sheet is kept with the event's documents." in (
        response.content.decode()
    )
    attachment = EventAttachment.objects.get(event=running_event)
    assert attachment.kind == EventAttachment.Kind.DOCUMENT
    assert attachment.content_type == "application/pdf"
    day = timezone.localdate(running_event.starts_at).strftime("%d.%m.%Y")
    assert attachment.caption == f"Signed sign-in sheet, {day}"
    assert Registration.objects.filter(event=running_event).count() == 3


def test_a_photo_of_the_sheet_is_kept_too(as_user, running_event):
    scan = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    as_user("staff_pavlodar_house").post(
        url("sheet", running_event.pk), {"file": sheet_file(), "scan": scan}
    )
    assert EventAttachment.objects.get(event=running_event).content_type == "image/png"


def test_a_program_renamed_pdf_is_refused_and_nothing_is_stored(as_user, running_event):
    fake = SimpleUploadedFile(
        "scan.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, content_type="application/pdf"
    )
    response = as_user("staff_pavlodar_house").post(
        url("sheet", running_event.pk), {"file": sheet_file(), "scan": fake}
    )
    assert response.status_code == 200
    assert response.context["summary"] is None
    assert "Upload a PDF, JPEG or PNG file." in response.content.decode()
    assert not Registration.objects.filter(event=running_event).exists()
    assert not EventAttachment.objects.exists()


def test_a_bad_sheet_keeps_no_scan_either(as_user, running_event):
    scan = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    bad = SimpleUploadedFile("sheet.csv", "ФИО;Телефон\nАсқар;12\n".encode())
    response = as_user("staff_pavlodar_house").post(
        url("sheet", running_event.pk), {"file": bad, "scan": scan}
    )
    assert "Nothing was recorded." in response.content.decode()
    assert not EventAttachment.objects.exists()
    assert not Registration.objects.filter(event=running_event).exists()


@override_settings(EVENT_ATTACHMENT_MAX_BYTES=100)
def test_an_oversize_scan_is_stopped_before_it_is_stored(as_user, running_event):
    scan = SimpleUploadedFile("scan.pdf", PDF + b"0" * 500, content_type="application/pdf")
    response = as_user("staff_pavlodar_house").post(
        url("sheet", running_event.pk), {"file": sheet_file(), "scan": scan}
    )
    assert response.wsgi_request.upload_refused == "too_large"
    assert "The file is larger than 1 MB. Choose a smaller file." in response.content.decode()
    assert not EventAttachment.objects.exists()
    assert not Registration.objects.filter(event=running_event).exists()
