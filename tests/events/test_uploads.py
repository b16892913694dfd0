"""Event photos and documents: the type is read from the content, the size is capped, and
files are served only to people who may see the event."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from birlik.access.models import AuditEntry
from birlik.events.models import EventAttachment

from ..factories import png_bytes

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"events:{name}", args=args)


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
TEXT = b"<html><script>alert('hi')</script></html>"


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def held_event(plan):
    return plan(starts_in=-datetime.timedelta(days=1), registration_required=False)


# The checks themselves (types by content, sizes) are tested in tests/core/test_uploads.py.


def test_staff_attach_a_png_photo_and_a_pdf_document(as_user, held_event):
    client = as_user("staff_pavlodar_house")
    response = client.post(
        url("attachment_add", held_event.pk),
        {"kind": "photo", "caption": "Concert", "file": upload("../../evil name.png", png_bytes())},
    )
    assert response.status_code == 302
    response = client.post(
        url("attachment_add", held_event.pk),
        {"kind": "document", "caption": "", "file": upload("minutes.pdf", PDF, "application/pdf")},
        follow=True,
    )
    assert "The file has been attached." in response.content.decode()
    photo, document = EventAttachment.objects.order_by("pk")
    assert (photo.content_type, photo.size, photo.caption) == (
        "image/png",
        len(png_bytes()),
        "Concert",
    )
    assert photo.file.name.endswith(".png") and "evil" not in photo.file.name
    assert document.content_type == "application/pdf"
    assert AuditEntry.objects.filter(object_type="events.EventAttachment").count() == 2
    # Pages link the files through the checking view, never the media address.
    page = client.get(url("report", held_event.pk)).content.decode()
    assert url("attachment", held_event.pk, photo.pk) in page
    assert "/media/" not in page


@pytest.mark.parametrize(
    ("kind", "name", "data", "message"),
    [
        ("photo", "virus.png", EXE, "Only photos (JPEG, PNG, WebP) and PDF documents"),
        ("document", "notes.pdf", TEXT, "Only photos (JPEG, PNG, WebP) and PDF documents"),
        ("photo", "minutes.pdf", PDF, "A photo must be a JPEG, PNG or WebP image."),
    ],
)
def test_a_refused_file_leaves_nothing_behind(
    as_user, held_event, settings, kind, name, data, message
):
    response = as_user("staff_pavlodar_house").post(
        url("attachment_add", held_event.pk), {"kind": kind, "file": upload(name, data)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EventAttachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_an_oversize_upload_is_stopped_with_a_message(as_user, held_event, settings):
    settings.EVENT_ATTACHMENT_MAX_BYTES = 64 * 1024
    big = png_bytes() + b"\x00" * (200 * 1024)
    response = as_user("staff_pavlodar_house").post(
        url("attachment_add", held_event.pk), {"kind": "photo", "file": upload("big.png", big)}
    )
    assert response.status_code == 200
    assert response.wsgi_request.upload_refused == "too_large"
    assert "The file is larger than 1 MB. Choose a smaller file." in response.content.decode()
    assert not EventAttachment.objects.exists()


def test_analysts_cannot_attach_files(as_user, held_event):
    response = as_user("analyst").post(
        url("attachment_add", held_event.pk),
        {"kind": "photo", "file": upload("a.png", png_bytes())},
    )
    assert response.status_code == 403
    assert not EventAttachment.objects.exists()


@pytest.fixture
def attached(as_user, held_event):
    client = as_user("staff_pavlodar_house")
    client.post(
        url("attachment_add", held_event.pk),
        {"kind": "photo", "file": upload("a.png", png_bytes())},
    )
    client.post(
        url("attachment_add", held_event.pk),
        {"kind": "document", "file": upload("m.pdf", PDF, "application/pdf")},
    )
    client.logout()
    photo, document = EventAttachment.objects.order_by("pk")
    return held_event, photo, document


def test_the_attachment_view_serves_files_to_people_who_see_the_event(as_user, attached):
    event, photo, document = attached
    client = as_user("analyst")
    response = client.get(url("attachment", event.pk, photo.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()
    assert "sandbox" in response["Content-Security-Policy"]
    response = client.get(url("attachment", event.pk, document.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_attachment_view_hides_files_from_everyone_else(client, as_user, attached, network):
    event, photo, _document = attached
    path = url("attachment", event.pk, photo.pk)
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and reverse("access:login") in anonymous["Location"]
    assert as_user("coordinator_almaty").get(path).status_code == 404
    assert as_user("nobody").get(path).status_code == 403
    # An attachment of one event cannot be read through another event's address.
    assert as_user("admin").get(url("attachment", event.pk + 999, photo.pk)).status_code == 404


def test_an_upload_with_csrf_checks_on_needs_the_pages_token(network, held_event):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(network.users["staff_pavlodar_house"])
    path = url("attachment_add", held_event.pk)
    refused = client.post(path, {"kind": "photo", "file": upload("a.png", png_bytes())})
    assert refused.status_code == 403
    client.get(url("report", held_event.pk))
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        path,
        {"csrfmiddlewaretoken": token, "kind": "photo", "file": upload("a.png", png_bytes())},
    )
    assert accepted.status_code == 302
    assert EventAttachment.objects.count() == 1
