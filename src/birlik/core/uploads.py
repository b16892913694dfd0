"""The one guard on uploaded files: their size, stopped early, and their type, read from the
content (never the name or the browser's word).

Size. A limit is a number of bytes or the name of a setting holding it (read at each call, so
tests and deployments can change it): ``IMPORT_LIMIT`` (registry imports, attendance sheets),
``ATTACHMENT_LIMIT`` (photos and documents of events, appeals, mediation, charity).

* ``guard_upload_size(request, limit, max_files=1)`` installs an upload handler before the body
  is read. It refuses at once a request whose ``CONTENT_LENGTH`` could not hold acceptable files,
  counts the bytes of each file as they arrive and stops reading one past the limit (or a file
  past ``max_files``), before anything is stored. The view then finds the refusal with
  ``refusal_message(request, limit, …)`` and shows it on the form.
  The guard has to be installed before the CSRF check reads the form: either use
  ``@upload_limit(limit)`` (CSRF exempt outside, the check done inside, just after the guard) or
  call ``guard_upload_size`` in a ``csrf_exempt`` view that hands on to a ``csrf_protect`` one.
* ``check_size(size, limit)`` is the late check (a file that came another way: tests, the API).

Type. ``check_file(upload, kinds=PHOTOS_AND_PDF, max_bytes=ATTACHMENT_LIMIT)`` reads the file
and returns a ``CheckedFile`` (its bytes, the content type found by its magic bytes, the
extension to store it under), or raises ``UploadError`` with a translated message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from birlik.core.errors import DomainError

__all__ = [
    "ATTACHMENT_LIMIT",
    "EXTENSIONS",
    "IMAGE_TYPES",
    "IMPORT_LIMIT",
    "JPEG",
    "PDF",
    "PDF_JPEG_PNG",
    "PHOTOS_AND_PDF",
    "PNG",
    "TOO_LARGE",
    "TOO_MANY",
    "WEBP",
    "CheckedFile",
    "Limit",
    "SizeLimitHandler",
    "UploadError",
    "check_file",
    "check_size",
    "guard_upload_size",
    "limit_bytes",
    "limit_megabytes",
    "refusal",
    "refusal_message",
    "sniff",
    "too_large_message",
    "upload_limit",
]

View = TypeVar("View", bound=Callable[..., Any])
Limit = int | str  # bytes, or the name of a setting that holds them

IMPORT_LIMIT = "IMPORT_MAX_BYTES"
ATTACHMENT_LIMIT = "EVENT_ATTACHMENT_MAX_BYTES"
MB = 1024 * 1024

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
PDF = "application/pdf"
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})
PHOTOS_AND_PDF = IMAGE_TYPES | {PDF}
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", PDF: "pdf"}

TOO_LARGE = "too_large"
TOO_MANY = "too_many"


class UploadError(DomainError):
    """A file that cannot be kept; ``message`` says why (``field`` is ``"file"``)."""


# --- Size ----------------------------------------------------------------------------------


def limit_bytes(limit: Limit) -> int:
    """The limit in bytes (a setting's name is read now)."""
    return int(getattr(settings, limit)) if isinstance(limit, str) else int(limit)


def limit_megabytes(limit: Limit) -> int:
    """The limit in whole megabytes, for messages and help texts (at least 1)."""
    return max(limit_bytes(limit) // MB, 1)


def too_large_message(limit: Limit, *, split: bool = False) -> str:
    """The "larger than N MB" message with what to do: choose a smaller file, or (a
    spreadsheet) split it."""
    if split:
        return _("The file is larger than %(size)s MB. Split it into smaller files.") % {
            "size": limit_megabytes(limit)
        }
    return _("The file is larger than %(size)s MB. Choose a smaller file.") % {
        "size": limit_megabytes(limit)
    }


def check_size(size: int | None, limit: Limit, *, split: bool = False) -> None:
    """Refuse a file of ``size`` bytes past the limit (``None``: size unknown, read later)."""
    if size is not None and size > limit_bytes(limit):
        raise UploadError(too_large_message(limit, split=split), field="file")


class SizeLimitHandler(FileUploadHandler):
    """Stops an upload past the limit before it is stored (``guard_upload_size`` installs it).

    ``request.upload_refused`` becomes ``TOO_LARGE`` or ``TOO_MANY``; the files read so far are
    dropped, the rest of the body is read and thrown away, and the form fields that came before
    the file are kept (so the form can be shown again with the message)."""

    def __init__(self, request: Any = None, *, limit: Limit, max_files: int = 1) -> None:
        super().__init__(request)
        self.limit = limit
        self.max_files = max_files
        self.declared = 0
        self.files = 0
        self.received = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,  # noqa: N803 - Django's name
        content_length: int,
        boundary: Any,
        encoding: Any = None,
    ) -> None:
        self.declared = content_length or 0
        self.files = 0
        self.received = 0

    def _refuse(self, reason: str) -> None:
        if self.request is not None:
            cast(Any, self.request).upload_refused = reason
        raise StopUpload(connection_reset=False)

    def _declared_too_large(self, max_bytes: int) -> bool:
        """The request says it is longer than the files plus every form field may be."""
        fields = getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None)
        return fields is not None and self.declared > self.max_files * max_bytes + fields

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.files += 1
        self.received = 0
        if self.files > self.max_files:
            self._refuse(TOO_MANY)
        if self._declared_too_large(limit_bytes(self.limit)):
            self._refuse(TOO_LARGE)
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > limit_bytes(self.limit):
            self._refuse(TOO_LARGE)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) keeps the file


def guard_upload_size(request: Any, limit: Limit, *, max_files: int = 1) -> None:
    """Install the early size guard; call it before anything reads ``request.POST/FILES``."""
    request.upload_handlers.insert(0, SizeLimitHandler(request, limit=limit, max_files=max_files))


def refusal(request: Any) -> str | None:
    """``TOO_LARGE`` or ``TOO_MANY`` when the guard stopped the upload (reads the body)."""
    if request.method != "POST":
        return None
    request.FILES  # noqa: B018 - reading the body runs the guard
    return getattr(request, "upload_refused", None)


def refusal_message(
    request: Any, limit: Limit, *, max_files: int = 1, split: bool = False
) -> str | None:
    """The message for an upload the guard stopped, if it did."""
    reason = refusal(request)
    if reason == TOO_MANY:
        return ngettext(
            "Attach at most %(count)s file.", "Attach at most %(count)s files.", max_files
        ) % {"count": max_files}
    if reason == TOO_LARGE:
        return too_large_message(limit, split=split)
    return None


def upload_limit(limit: Limit, *, max_files: int = 1) -> Callable[[View], View]:
    """Decorate a view that takes files: the size guard goes in before the body is read, then
    the CSRF check runs. Put it outermost (above the login and method decorators)."""

    def decorate(view: View) -> View:
        protected = csrf_protect(view)

        @functools.wraps(view)
        def guarded(request: Any, *args: Any, **kwargs: Any) -> Any:
            guard_upload_size(request, limit, max_files=max_files)
            return protected(request, *args, **kwargs)

        return cast(View, csrf_exempt(guarded))

    return decorate


# --- Type ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    extension: str

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES


def sniff(head: bytes) -> str | None:
    """The content type announced by the file's first bytes, if it is one we know."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


PDF_JPEG_PNG = frozenset({PDF, JPEG, PNG})


def _wrong_type_message(kinds: Collection[str]) -> str:
    allowed = frozenset(kinds)
    if allowed == PHOTOS_AND_PDF:
        return _("Only photos (JPEG, PNG, WebP) and PDF documents can be attached.")
    if allowed == PDF_JPEG_PNG:
        return _("Upload a PDF, JPEG or PNG file.")
    return _("This type of file cannot be attached.")


def check_file(
    upload: Any, *, kinds: Collection[str] = PHOTOS_AND_PDF, max_bytes: Limit = ATTACHMENT_LIMIT
) -> CheckedFile:
    """Read an upload and accept it only if it is within the limit and its content is one of
    ``kinds`` (content types, see ``sniff``)."""
    if upload is None:
        raise UploadError(_("Choose a file."), field="file")
    check_size(getattr(upload, "size", None), max_bytes)
    limit = limit_bytes(max_bytes)
    upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise UploadError(_("The file is empty."), field="file")
    check_size(len(data), max_bytes)
    content_type = sniff(data[:16])
    if content_type is None or content_type not in kinds:
        raise UploadError(_wrong_type_message(kinds), field="file")
    return CheckedFile(data=data, content_type=content_type, extension=EXTENSIONS[content_type])
