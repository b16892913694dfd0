"""The one private-file response: no-store, nosniff, sandbox, attachment with RFC 5987 name."""

from __future__ import annotations

import io

from birlik.core.private_files import private_download, private_file_response


def test_a_stored_file_is_served_with_the_private_headers(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4 test")
    response = private_file_response(
        path, filename="жолданым-1.pdf", content_type="application/pdf"
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=utf-8''%D0%B6%D0%BE%D0%BB" in disposition
    response.file_to_stream.close()


def test_an_image_may_be_shown_inline_and_a_handle_is_streamed():
    response = private_file_response(
        io.BytesIO(b"\x89PNG"), filename="photo.png", content_type="image/png", inline=True
    )
    assert response["Content-Disposition"] == 'inline; filename="photo.png"'
    assert response["Cache-Control"] == "private, no-store"


def test_an_export_made_in_memory_gets_the_same_headers():
    response = private_download(b"xlsx", filename='plan "2026".xlsx')
    assert response.content == b"xlsx"
    assert response["Content-Disposition"] == 'attachment; filename="plan \\"2026\\".xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
