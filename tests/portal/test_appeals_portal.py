"""A citizen writes an appeal on the portal without an account, gets the receipt and follows
the appeal by the private link; bad input is answered on the fields; the rate limit holds."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from birlik.appeals.models import Appeal
from birlik.appeals.services import (
    appeal_approve_answer,
    appeal_assign,
    appeal_draft_answer,
    appeal_extend,
    appeal_note,
    appeal_take_on,
)
from birlik.geo.models import Region

from ..factories import png_bytes

TEXT = "Біздің ауылда жол жөндеуді сұраймыз, көктемде өту мүмкін емес."


def url(name: str, language: str = "kk", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"portal:{name}", kwargs=kwargs or None)


def appeal_form(**overrides) -> dict:
    data = {
        "addressee": "assembly",
        "region": Region.objects.get(iso="KZ-55").pk,
        "kind": "request",
        "subject": "Жол жөндеу",
        "text": TEXT,
        "applicant_name": "Асқар Сейітов",
        "applicant_address": "Павлодар, Достық көшесі, 1",
        "applicant_phone": "+7 701 123 45 67",
        "applicant_email": "askar@example.kz",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_citizen_writes_in_kazakh_without_an_account_and_follows_the_appeal(client, network):
    page = client.get(url("appeal_new"))
    assert page.status_code == 200
    response = client.post(url("appeal_new"), appeal_form())
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert response["Location"] == url("appeal_receipt", token=appeal.token)
    assert appeal.language == "kk"
    assert appeal.organisation == network.pavlodar  # routed to the assembly of the region
    assert appeal.applicant_user is None

    receipt = client.get(response["Location"])
    text = receipt.content.decode()
    assert appeal.number in text
    assert appeal.due_date.strftime("%d.%m.%Y") in text
    status_path = url("appeal_status", token=appeal.token)
    assert status_path in text
    assert receipt["Cache-Control"].startswith("private")

    status = client.get(status_path)
    assert status.status_code == 200
    assert appeal.number in status.content.decode()
    assert "no-store" in status["Cache-Control"]
    assert "private" in status["Cache-Control"]
    assert 'name="robots" content="noindex' in status.content.decode()


def test_the_status_page_shows_public_steps_and_the_answer_never_the_notes(client, network):
    client.post(url("appeal_new", "en"), appeal_form())
    appeal = Appeal.objects.get()
    coordinator = network.users["coordinator_pavlodar"]
    appeal_take_on(actor=coordinator, appeal=appeal)
    appeal_note(actor=coordinator, appeal=appeal, text="Ішкі ескертпе: құпия")
    appeal_assign(actor=coordinator, appeal=appeal, executor=coordinator)
    page = client.get(url("appeal_status", "en", token=appeal.token)).content.decode()
    assert "Being considered" in page
    assert "Ішкі ескертпе" not in page
    assert "Answer due" in page

    appeal_draft_answer(actor=coordinator, appeal=appeal, text="Жол жөндеу мамырда басталады.")
    page = client.get(url("appeal_status", "en", token=appeal.token)).content.decode()
    assert "Жол жөндеу мамырда" not in page  # a draft is not an answer
    appeal_approve_answer(actor=coordinator, appeal=appeal)
    page = client.get(url("appeal_status", "en", token=appeal.token)).content.decode()
    assert "Answered" in page
    assert "Жол жөндеу мамырда басталады." in page


def test_the_status_page_shows_an_extension_with_its_new_date_and_reason(client, network):
    with freeze_time("2026-02-02 11:00:00+05:00"):
        client.post(url("appeal_new", "en"), appeal_form())
    appeal = Appeal.objects.get()
    coordinator = network.users["coordinator_pavlodar"]
    appeal_take_on(actor=coordinator, appeal=appeal)
    page = client.get(url("appeal_status", "en", token=appeal.token)).content.decode()
    assert "The term is extended" not in page
    with freeze_time("2026-02-10 11:00:00+05:00"):
        appeal_extend(
            actor=coordinator,
            appeal=appeal,
            until=datetime.date(2026, 3, 20),
            reason="Әкімдіктің жауабы күтілуде.",
        )
    page = client.get(url("appeal_status", "en", token=appeal.token)).content.decode()
    assert "The term is extended" in page
    assert "The answer is now due by 20.03.2026." in page
    assert "The extension was decided on 10.02.2026." in page
    assert "Әкімдіктің жауабы күтілуде." in page
    assert "Term extended" in page  # and in the history


def test_an_anonymous_appeal_is_registered_with_a_note_that_it_is_not_considered(client, network):
    response = client.post(
        url("appeal_new", "en"),
        appeal_form(
            applicant_name="",
            applicant_address="",
            applicant_phone="",
            applicant_email="",
            consent=None,
        ),
    )
    appeal = Appeal.objects.get()
    assert appeal.status == Appeal.Status.NOT_CONSIDERED
    receipt = client.get(response["Location"]).content.decode()
    assert "registered but not considered" in receipt


def test_a_citizen_finds_the_body_by_name_and_writes_to_it(client, network):
    find = client.post(
        url("appeal_new", "en"),
        appeal_form(addressee="body", body_query="Almaty", find="1", text=""),
    )
    assert find.status_code == 200
    page = find.content.decode()
    assert "House of Friendship of Almaty City" in page
    assert "Write the text" not in page  # a search judges nothing yet
    assert not Appeal.objects.exists()

    several = client.post(
        url("appeal_new", "en"), appeal_form(addressee="body", body_query="Almaty")
    )
    assert several.status_code == 400
    assert "Several bodies match the name: choose one." in several.content.decode()

    response = client.post(
        url("appeal_new", "en"),
        appeal_form(addressee="body", body_query="Almaty", body=network.almaty_house.pk),
    )
    assert response.status_code == 302
    assert Appeal.objects.get().organisation == network.almaty_house


def test_a_body_page_link_preselects_the_body(client, network):
    page = client.get(url("appeal_new", "en") + f"?body={network.pavlodar_elders.pk}")
    text = page.content.decode()
    assert re.search(rf'value="{network.pavlodar_elders.pk}"[^>]*checked', text)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": "Қысқа"}, "at least 10 characters"),
        ({"kind": "poem"}, "Select a valid choice"),
        ({"consent": None}, "needs your consent"),
        ({"applicant_email": "not-an-address"}, "Enter a valid email address"),
        ({"addressee": "body", "body_query": "Жоқ орган"}, "Type the name of the body"),
    ],
)
def test_bad_input_is_answered_on_the_field_and_nothing_is_stored(
    client, network, overrides, message
):
    response = client.post(url("appeal_new", "en"), appeal_form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Appeal.objects.exists()


def test_an_address_may_send_ten_appeals_an_hour_and_is_then_asked_to_wait(client, network):
    for _ in range(10):
        assert client.post(url("appeal_new", "en"), appeal_form()).status_code == 302
    response = client.post(url("appeal_new", "en"), appeal_form())
    assert response.status_code == 429
    assert "Too many appeals were sent from your connection" in response.content.decode()
    assert Appeal.objects.count() == 10


def test_an_unknown_link_is_not_found(client, network):
    assert client.get(url("appeal_status", token="no-such-token")).status_code == 404
    assert client.get(url("appeal_receipt", token="no-such-token")).status_code == 404


def test_the_menu_links_to_the_appeal_form(client, network):
    page = client.get(url("home", "en")).content.decode()
    assert f'href="{url("appeal_new", "en")}"' in page


# --- Attachments ---------------------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def upload(name: str, data: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def test_a_photo_and_a_pdf_are_attached_and_only_a_handler_downloads_them(
    client, network, login, media, settings
):
    from birlik.access.models import AuditEntry
    from birlik.appeals.models import AppealAttachment

    form = appeal_form(
        attachments=[
            upload("road.png", png_bytes(), "image/png"),
            upload("letter.pdf", PDF, "application/pdf"),
        ]
    )
    response = client.post(url("appeal_new", "en"), form)
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    files = list(AppealAttachment.objects.filter(appeal=appeal).order_by("pk"))
    assert [(f.content_type, f.size) for f in files] == [
        ("image/png", len(png_bytes())),
        ("application/pdf", len(PDF)),
    ]
    # Stored under random names, nothing of the applicant's file names.
    assert all("road" not in f.file.name and "letter" not in f.file.name for f in files)
    assert len(stored_files(media)) == 2

    def download(user: str, attachment: AppealAttachment):
        with translation.override("en"):
            path = reverse("appeals:attachment", args=[appeal.pk, attachment.pk])
        return login(network.users[user]).get(path)

    coordinator = network.users["coordinator_pavlodar"]
    assert download("coordinator_pavlodar", files[0]).status_code == 403  # not named on it
    assert download("coordinator_almaty", files[0]).status_code == 404  # out of scope
    assert download("staff_pavlodar_house", files[0]).status_code == 404  # the house only
    appeal_take_on(actor=coordinator, appeal=appeal)
    reads_before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    image = download("coordinator_pavlodar", files[0])
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == png_bytes()
    document = download("coordinator_pavlodar", files[1])
    assert document.status_code == 200
    assert b"".join(document.streaming_content) == PDF
    assert "attachment" in document["Content-Disposition"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == reads_before + 2

    with translation.override("en"):
        detail = login(coordinator).get(reverse("appeals:detail", args=[appeal.pk]))
    page = detail.content.decode()
    assert reverse("appeals:attachment", args=[appeal.pk, files[1].pk]) in page
    assert settings.MEDIA_URL not in page


def test_a_renamed_text_file_is_refused_and_nothing_is_stored(client, network, media):
    form = appeal_form(
        attachments=[
            upload("road.png", png_bytes(), "image/png"),
            upload("scan.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        ]
    )
    response = client.post(url("appeal_new", "en"), form)
    assert response.status_code == 400
    assert "Only photos (JPEG, PNG, WebP) and PDF documents can be attached." in (
        response.content.decode()
    )
    assert "scan.pdf" in response.content.decode()
    assert not Appeal.objects.exists()
    assert stored_files(media) == []


def test_an_oversize_file_is_refused_and_nothing_is_stored(client, network, media, settings):
    settings.EVENT_ATTACHMENT_MAX_BYTES = 64 * 1024
    big = png_bytes() + b"\x00" * (200 * 1024)
    response = client.post(
        url("appeal_new", "en"), appeal_form(attachments=[upload("big.png", big, "image/png")])
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "The file is larger than 1 MB. Choose a smaller file." in text
    assert "Асқар Сейітов" in text  # the fields before the files are kept
    assert not Appeal.objects.exists()
    assert stored_files(media) == []


def test_more_than_three_files_are_refused(client, network, media):
    files = [upload(f"p{i}.png", png_bytes(), "image/png") for i in range(4)]
    response = client.post(url("appeal_new", "en"), appeal_form(attachments=files))
    assert response.status_code == 400
    assert "Attach at most 3 files." in response.content.decode()
    assert not Appeal.objects.exists()
    assert stored_files(media) == []
