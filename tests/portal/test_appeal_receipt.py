"""The applicant's side of an appeal after sending it: the receipt (copy, print, PDF with a QR
code of the status link), finding the appeal again by its number and the contact given, the
status page with the subject and the files, and the rating of the answer."""

from __future__ import annotations

import re
import zlib

import pytest
import segno
from django.template.loader import render_to_string
from django.utils import translation

from birlik.access.models import AuditEntry
from birlik.appeals.models import Appeal, AppealRating
from birlik.appeals.services import (
    appeal_approve_answer,
    appeal_assign,
    appeal_draft_answer,
    appeal_take_on,
    status_url,
)
from birlik.notify.models import Notice

from ..factories import png_bytes
from .test_appeals_portal import PDF, appeal_form, upload, url

SAME_ANSWER = "If this number and this phone or e-mail belong to one appeal"


@pytest.fixture(autouse=True)
def _database_counters(settings, tmp_path):
    # Rate counters in the database table (the Redis store has tests of its own), uploads in
    # a directory of this test.
    settings.REDIS_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"


def sent_appeal(client, language: str = "en", **overrides) -> Appeal:
    response = client.post(url("appeal_new", language), appeal_form(**overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Appeal.objects.latest("pk")


def answered(appeal: Appeal, network) -> Appeal:
    coordinator = network.users["coordinator_pavlodar"]
    appeal_take_on(actor=coordinator, appeal=appeal)
    appeal_assign(actor=coordinator, appeal=appeal, executor=coordinator)
    appeal_draft_answer(actor=coordinator, appeal=appeal, text="Жол жөндеу мамырда басталады.")
    appeal_approve_answer(actor=coordinator, appeal=appeal)
    appeal.refresh_from_db()
    return appeal


# --- The receipt -----------------------------------------------------------------------------


def test_the_receipt_lists_the_files_by_name_and_offers_copy_print_and_pdf(client, network):
    appeal = sent_appeal(
        client,
        attachments=[
            upload("road photo.png", png_bytes(), "image/png"),
            upload("letter to akimat.pdf", PDF, "application/pdf"),
        ],
    )
    page = client.get(url("appeal_receipt", "en", token=appeal.token)).content.decode()
    assert "road photo.png" in page
    assert "letter to akimat.pdf" in page
    assert "Жол жөндеу" in page  # the subject
    # The link wraps on a phone; the copy and print buttons appear with JavaScript only, the
    # PDF is a plain link.
    assert re.search(r'class="private-link"><a class="url" id="status-link"', page)
    assert re.search(r"<button[^>]*data-copy=\"status-link\"[^>]*hidden", page)
    assert re.search(r"<button[^>]*data-print[^>]*hidden", page)
    assert url("appeal_receipt_pdf", "en", token=appeal.token) in page
    assert "/static/birlik/copy.js" in page


def pdf_streams(data: bytes) -> list[bytes]:
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return streams


def drawn_qr(data: bytes) -> list[list[int]]:
    """The QR code drawn in the PDF (filled rectangles), read back as a matrix of modules."""
    rects = [
        tuple(float(value) for value in match.groups())
        for stream in pdf_streams(data)
        for match in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) (-[\d.]+) re f", stream)
    ]
    assert rects, "no QR code drawn"
    module = min(width for _x, _y, width, _h in rects)
    left = min(x for x, _y, _w, _h in rects)
    top = max(y for _x, y, _w, _h in rects)
    size = round((max(x + width for x, _y, width, _h in rects) - left) / module)
    matrix = [[0] * size for _ in range(size)]
    for x, y, width, _height in rects:
        row, start = round((top - y) / module), round((x - left) / module)
        for column in range(start, start + round(width / module)):
            matrix[row][column] = 1
    return matrix


def test_the_pdf_receipt_has_the_number_the_term_and_a_qr_code_of_the_status_link(client, network):
    appeal = sent_appeal(client, "ru", attachments=[upload("скан.pdf", PDF, "application/pdf")])
    response = client.get(url("appeal_receipt_pdf", "ru", token=appeal.token))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    data = response.content
    assert data.startswith(b"%PDF-")
    assert f"/Subject ({appeal.number})".encode() in data
    assert b"/Lang (ru)" in data  # in the applicant's language
    link = status_url(appeal)
    assert f"/URI ({link})".encode() in data  # the link itself, clickable
    expected = [list(row) for row in segno.make(link, error="m", micro=False).matrix]
    assert drawn_qr(data) == expected


def test_the_pdf_receipt_is_only_for_the_holder_of_the_private_link(client, network):
    appeal = sent_appeal(client)
    assert client.get(url("appeal_receipt_pdf", token="no-such-token")).status_code == 404
    assert client.post(url("appeal_receipt_pdf", token=appeal.token)).status_code == 405


# --- Find my appeal --------------------------------------------------------------------------


def find(client, number: str, contact: str, **extra):
    return client.post(url("appeal_find", "en"), {"number": number, "contact": contact}, **extra)


def answer_page(client, response) -> str:
    assert response.status_code == 302
    assert response["Location"] == url("appeal_find", "en") + "?asked=1"
    return client.get(response["Location"]).content.decode()


def test_a_wrong_pair_gets_the_same_answer_and_nothing_is_sent(client, network):
    appeal = sent_appeal(client)
    notices = Notice.objects.count()
    wrong_contact = answer_page(client, find(client, appeal.number, "+7 702 000 00 00"))
    no_such_number = answer_page(client, find(client, "2026-999999", "askar@example.kz"))
    assert SAME_ANSWER in wrong_contact
    assert wrong_contact == no_such_number
    assert appeal.token not in wrong_contact
    assert Notice.objects.count() == notices
    # The attempt on an existing number is in the audit log, without the contact typed.
    entry = AuditEntry.objects.filter(object_id=str(appeal.pk), changes__has_key="status_link")
    assert entry.count() == 1
    assert "+7 702" not in str(entry.get().changes)


@pytest.mark.parametrize(
    ("typed", "channel", "recipient"),
    [
        ("8 (701) 123-45-67", "sms", "+7 701 123 45 67"),
        ("ASKAR@example.kz", "email", "askar@example.kz"),
    ],
)
def test_the_right_pair_sends_the_link_to_that_contact_only(
    client, network, typed, channel, recipient
):
    appeal = sent_appeal(client, "ru")
    before = set(Notice.objects.values_list("pk", flat=True))
    page = answer_page(client, find(client, f" № {appeal.number} ", typed))
    assert SAME_ANSWER in page
    assert appeal.token not in page  # never shown on the page
    new = Notice.objects.exclude(pk__in=before)
    assert new.count() == 1
    notice = new.get()
    assert (notice.channel, notice.recipient) == (channel, recipient)
    assert status_url(appeal) in notice.body
    assert "/ru/" in status_url(appeal)  # in the appeal's language
    assert AuditEntry.objects.filter(
        object_id=str(appeal.pk), changes__status_link=[None, channel]
    ).exists()


def test_a_malformed_number_or_contact_is_answered_on_the_field(client, network):
    response = find(client, "12", "not a contact")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Write the number as on your receipt" in text
    assert "Write the phone with its code" in text


def test_finding_is_limited_per_client(client, network, settings):
    settings.RATE_APPEAL_FIND = "2/h"
    appeal = sent_appeal(client)
    for _ in range(2):
        assert find(client, "2026-999999", "+7 702 000 00 00").status_code == 302
    notices = Notice.objects.count()
    refused = find(client, appeal.number, "askar@example.kz")
    assert refused.status_code == 429
    assert "Too many attempts from your connection" in refused.content.decode()
    assert Notice.objects.count() == notices  # the right pair, refused: nothing sent


def test_finding_is_limited_per_number_whoever_asks(client, network, settings):
    settings.RATE_APPEAL_FIND_NUMBER = "2/h"
    appeal = sent_appeal(client)
    for n in range(2):
        guess = find(client, appeal.number, f"+7 702 000 00 0{n}", REMOTE_ADDR=f"198.51.100.{n}")
        assert guess.status_code == 302
    notices = Notice.objects.count()
    refused = find(client, appeal.number, "askar@example.kz", REMOTE_ADDR="198.51.100.9")
    assert refused.status_code == 429
    assert Notice.objects.count() == notices
    # Another number is not held by this one's count.
    assert (
        find(client, "2026-999999", "a@example.kz", REMOTE_ADDR="198.51.100.9").status_code == 302
    )


# --- The status page and the rating -----------------------------------------------------------


def test_the_status_page_shows_the_subject_and_the_files_names(client, network):
    appeal = sent_appeal(client, attachments=[upload("photo.png", png_bytes(), "image/png")])
    page = client.get(url("appeal_status", "en", token=appeal.token)).content.decode()
    assert "Жол жөндеу" in page
    assert "photo.png" in page
    assert "Rate the answer" not in page  # nothing to rate before the answer


def rate(client, appeal: Appeal, **data):
    return client.post(url("appeal_rating", "en", token=appeal.token), data)


def test_an_answer_is_rated_once_and_the_staff_see_the_rating(client, network):
    appeal = sent_appeal(client)
    early = rate(client, appeal, score="5")
    assert early.status_code == 302
    assert not AppealRating.objects.exists()  # no answer yet
    assert "once it has been sent to you" in client.get(early["Location"]).content.decode()

    answered(appeal, network)
    page = client.get(url("appeal_status", "en", token=appeal.token)).content.decode()
    assert "Rate the answer" in page

    bad = rate(client, appeal, score="7")
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()
    assert not AppealRating.objects.exists()

    done = rate(client, appeal, score="4", comment="  Жауап түсінікті.  ")
    assert done.status_code == 302
    rating = AppealRating.objects.get(appeal=appeal)
    assert (rating.score, rating.comment) == (4, "Жауап түсінікті.")
    page = client.get(done["Location"]).content.decode()
    assert "You rated the answer 4 out of 5." in page
    assert "Rate the answer" not in page

    again = rate(client, appeal, score="1")
    assert again.status_code == 302
    assert "a rating is given once" in client.get(again["Location"]).content.decode()
    assert AppealRating.objects.get(appeal=appeal).score == 4

    with translation.override("en"):
        staff = render_to_string(
            "appeals/_rating.html", {"appeal": Appeal.objects.get(pk=appeal.pk)}
        )
        named = render_to_string(
            "appeals/_rating.html",
            {"appeal": Appeal.objects.get(pk=appeal.pk), "sees_content": True},
        )
    assert "4 out of 5" in staff
    assert "Жауап түсінікті." not in staff  # the comment: to the handlers only
    assert "Жауап түсінікті." in named


def test_the_staff_line_says_not_rated_yet_once_answered(client, network):
    appeal = answered(sent_appeal(client), network)
    with translation.override("en"):
        line = render_to_string("appeals/_rating.html", {"appeal": appeal})
    assert "not rated yet" in line
