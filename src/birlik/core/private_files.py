"""The one response for a private file (an appeal's attachment, a case document, a report…).

Files are served only through views that checked the policy first, never by a public URL; this
function gives every such answer the same headers:

* ``Cache-Control: private, no-store`` — no proxy or browser cache keeps a copy;
* ``X-Content-Type-Options: nosniff`` — the browser takes the type we checked, not a guess;
* ``Content-Security-Policy: default-src 'none'; img-src 'self'; sandbox`` — whatever the file
  holds runs nothing in the platform's origin;
* ``Content-Disposition: attachment`` (or ``inline`` for an image shown in a page) with the
  name in ASCII and, when it has other letters, as RFC 5987 ``filename*=UTF-8''…``.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

__all__ = ["private_download", "private_file_response", "private_page"]

SANDBOX = "default-src 'none'; img-src 'self'; sandbox"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _guard(response: HttpResponse | FileResponse, *, filename: str, inline: bool) -> None:
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX


def private_file_response(
    path_or_file: str | Path | IO[bytes],
    *,
    filename: str,
    content_type: str,
    inline: bool = False,
) -> FileResponse:
    """Stream a stored file (a path or an open binary handle) to the one who may read it."""
    handle: Any = (
        Path(path_or_file).open("rb")  # noqa: SIM115 - FileResponse closes it
        if isinstance(path_or_file, (str, Path))
        else path_or_file
    )
    response = FileResponse(handle, content_type=content_type)
    _guard(response, filename=filename, inline=inline)
    return response


def private_download(data: bytes, *, filename: str, content_type: str = XLSX_TYPE) -> HttpResponse:
    """The same answer for a file made in memory (an export)."""
    response = HttpResponse(data, content_type=content_type)
    _guard(response, filename=filename, inline=False)
    return response


def private_page(response: HttpResponse, *, has_form: bool = False) -> HttpResponse:
    """A page reached by a private link (a ticket, an appeal's receipt or status): kept from
    caches and search engines, and its address from other sites. A page holding a form says
    "same-origin" instead of "no-referrer": under "no-referrer" Chromium posts the form with
    "Origin: null", which the CSRF check refuses."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin" if has_form else "no-referrer"
    return response
