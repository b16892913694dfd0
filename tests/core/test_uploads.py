"""The upload guard (``birlik.core.uploads``): sizes stopped before a file is stored, types read
from the content (never the name or the browser's word), translated messages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import translation

from birlik.core import uploads

from ..factories import png_bytes

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
TEXT = b"<html><script>alert('hi')</script></html>"


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English here; ``test_messages_are_translated`` checks kk/ru."""
    with translation.override("en"):
        yield


# --- Types by content ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type", "extension"),
    [
        (png_bytes(), "image/png", "png"),
        (PDF, "application/pdf", "pdf"),
        (JPEG, "image/jpeg", "jpg"),
        (WEBP, "image/webp", "webp"),
    ],
)
def test_allowed_types_are_recognised_by_their_content(data, content_type, extension):
    checked = uploads.check_file(upload("whatever.bin", data, "application/octet-stream"))
    assert (checked.content_type, checked.extension, checked.data) == (
        content_type,
        extension,
        data,
    )
    assert checked.is_image is content_type.startswith("image/")


@pytest.mark.parametrize(
    ("name", "data"),
    [("photo.png", EXE), ("report.pdf", TEXT), ("photo.jpg", b"GIF89a\x01\x00\x01\x00")],
)
def test_anything_else_is_refused_whatever_its_name(name, data):
    with pytest.raises(uploads.UploadError) as caught:
        uploads.check_file(upload(name, data))
    assert caught.value.message == (
        "Only photos (JPEG, PNG, WebP) and PDF documents can be attached."
    )
    assert caught.value.field == "file"


def test_kinds_narrow_what_is_kept_and_the_message_says_what_is():
    scans = {"kinds": uploads.PDF_JPEG_PNG}
    assert uploads.check_file(upload("a.pdf", PDF), **scans).content_type == "application/pdf"
    with pytest.raises(uploads.UploadError, match=r"^Upload a PDF, JPEG or PNG file\.$"):
        uploads.check_file(upload("a.webp", WEBP), **scans)
    with pytest.raises(uploads.UploadError, match=r"^This type of file cannot be attached\.$"):
        uploads.check_file(upload("a.png", png_bytes()), kinds={uploads.PDF})


def test_an_empty_missing_or_oversize_file_is_refused(settings):
    settings.EVENT_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(uploads.UploadError, match=r"^Choose a file\.$"):
        uploads.check_file(None)
    with pytest.raises(uploads.UploadError, match=r"^The file is empty\.$"):
        uploads.check_file(upload("empty.png", b""))
    big = png_bytes() + b"\x00" * 2000
    with pytest.raises(uploads.UploadError, match="larger than 1 MB. Choose a smaller file."):
        uploads.check_file(upload("big.png", big))
    # A file whose size is not announced is still measured while it is read.
    unsized = upload("big.png", big)
    unsized.size = None
    with pytest.raises(uploads.UploadError, match="larger than"):
        uploads.check_file(unsized)
    # The limit may be given in bytes too.
    assert uploads.check_file(upload("big.png", big), max_bytes=4096).content_type == "image/png"


def test_messages_are_translated(settings):
    settings.EVENT_ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024
    with translation.override("kk"):
        assert uploads.too_large_message(uploads.ATTACHMENT_LIMIT) == (
            "Файл көлемі рұқсат етілген шектен үлкен (8 МБ). Кішірек файлды таңдаңыз."
        )
    with translation.override("ru"):
        assert "8" in uploads.too_large_message(uploads.ATTACHMENT_LIMIT)
        assert "smaller" not in uploads.too_large_message(uploads.ATTACHMENT_LIMIT)
        with pytest.raises(uploads.UploadError) as caught:
            uploads.check_file(upload("x.exe", EXE))
        assert "JPEG" in caught.value.message and "Only photos" not in caught.value.message


def test_limits_are_read_from_settings_at_each_call(settings):
    settings.IMPORT_MAX_BYTES = 3 * 1024 * 1024
    assert uploads.limit_bytes(uploads.IMPORT_LIMIT) == 3 * 1024 * 1024
    assert uploads.limit_megabytes(uploads.IMPORT_LIMIT) == 3
    assert uploads.limit_megabytes(200) == 1  # never "0 MB"
    assert uploads.too_large_message(uploads.IMPORT_LIMIT, split=True) == (
        "The file is larger than 3 MB. Split it into smaller files."
    )
    uploads.check_size(3 * 1024 * 1024, uploads.IMPORT_LIMIT)
    uploads.check_size(None, uploads.IMPORT_LIMIT)
    with pytest.raises(uploads.UploadError, match="larger than 3 MB"):
        uploads.check_size(3 * 1024 * 1024 + 1, uploads.IMPORT_LIMIT)


# --- The early size guard ------------------------------------------------------------------


def post(data: dict, **extra):
    """A multipart POST whose body is parsed only when the view reads it."""
    body = encode_multipart(BOUNDARY, data)
    return RequestFactory().generic("POST", "/", body, content_type=MULTIPART_CONTENT, **extra)


def files(*contents: bytes) -> dict:
    return {"name": "Асқар", "file": [upload(f"f{i}.png", c) for i, c in enumerate(contents)]}


def test_a_file_within_the_limit_goes_through():
    request = post(files(png_bytes()))
    uploads.guard_upload_size(request, 4096)
    assert uploads.refusal_message(request, 4096) is None
    assert request.FILES["file"].read() == png_bytes()
    assert request.POST["name"] == "Асқар"


def test_a_file_past_the_limit_is_stopped_before_it_is_stored():
    request = post(files(png_bytes() + b"\x00" * 10_000))
    uploads.guard_upload_size(request, 4096)
    assert uploads.refusal(request) == uploads.TOO_LARGE
    assert "file" not in request.FILES
    assert request.POST["name"] == "Асқар"  # the fields before the file are kept
    assert uploads.refusal_message(request, 4096) == (
        "The file is larger than 1 MB. Choose a smaller file."
    )


def test_the_limit_holds_for_each_file_and_the_number_of_files_is_capped():
    small = png_bytes()
    request = post(files(small, small, small))
    uploads.guard_upload_size(request, 4096, max_files=3)
    assert uploads.refusal(request) is None
    assert len(request.FILES.getlist("file")) == 3

    request = post(files(small, small, small, small))
    uploads.guard_upload_size(request, 4096, max_files=3)
    assert uploads.refusal_message(request, 4096, max_files=3) == "Attach at most 3 files."

    request = post(files(small, small + b"\x00" * 5000))
    uploads.guard_upload_size(request, 4096, max_files=3)
    assert uploads.refusal(request) == uploads.TOO_LARGE


def test_a_request_announcing_more_than_it_may_hold_is_refused_at_the_first_file(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    request = post(files(png_bytes()))
    request.META["CONTENT_LENGTH"] = str(50 * 1024 * 1024)  # what the client says
    guard = uploads.SizeLimitHandler(request, limit=4096)
    request.upload_handlers.insert(0, guard)
    assert uploads.refusal(request) == uploads.TOO_LARGE
    assert guard.received == 0  # not one byte of the file was taken


def test_the_guard_leaves_other_requests_alone():
    request = RequestFactory().get("/")
    uploads.guard_upload_size(request, 10)
    assert uploads.refusal_message(request, 10) is None


@pytest.mark.django_db
def test_the_decorator_guards_before_the_csrf_check_and_still_checks_csrf():
    seen = {}

    @uploads.upload_limit(4096)
    def view(request):
        seen["message"] = uploads.refusal_message(request, 4096)
        return HttpResponse("ok")

    assert view.csrf_exempt is True  # the middleware leaves the check to the decorator

    token_request = RequestFactory().get("/")
    token = get_token(token_request)
    cookie = token_request.META["CSRF_COOKIE"]

    def signed(data: dict):
        # The token comes first, as {% csrf_token %} does at the top of a form: a stopped
        # upload loses the fields after the file.
        request = post({"csrfmiddlewaretoken": token, **data})
        request.COOKIES["csrftoken"] = cookie
        return request

    assert view(signed(files(png_bytes() + b"\x00" * 10_000))).status_code == 200
    assert seen["message"] == uploads.too_large_message(4096)
    assert view(signed(files(png_bytes()))).status_code == 200
    assert seen["message"] is None
    refused = post(files(png_bytes()))  # no token
    assert view(refused).status_code == 403
