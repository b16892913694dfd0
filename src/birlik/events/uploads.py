"""Checks on event photos and documents: the type is read from the content, never the name.

Only JPEG, PNG, WebP and PDF are kept, at most ``settings.EVENT_ATTACHMENT_MAX_BYTES``. A file
is stored under a random name with the extension of the type found in it, so a renamed
program or page can neither be kept nor served back as something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import StopUpload
from django.utils.translation import gettext as _

from birlik.core.errors import DomainError
from birlik.workspace.importing import SizeLimitUploadHandler

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
PDF = "application/pdf"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", PDF: "pdf"}


class AttachmentError(DomainError):
    pass


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    extension: str

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES


def max_bytes() -> int:
    return int(settings.EVENT_ATTACHMENT_MAX_BYTES)


def too_large_message() -> str:
    return _("The file is larger than %(size)s MB. Choose a smaller file.") % {
        "size": max(max_bytes() // (1024 * 1024), 1)
    }


def sniff(head: bytes) -> str | None:
    """The content type announced by the file's first bytes, if it is one we keep."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def check(uploaded_file: Any) -> CheckedFile:
    """Read an upload and accept it only if its content is an allowed type and size."""
    if uploaded_file is None:
        raise AttachmentError(_("Choose a file."), field="file")
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes():
        raise AttachmentError(too_large_message(), field="file")
    uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes() + 1)
    if not data:
        raise AttachmentError(_("The file is empty."), field="file")
    if len(data) > max_bytes():
        raise AttachmentError(too_large_message(), field="file")
    content_type = sniff(data[:16])
    if content_type is None:
        raise AttachmentError(
            _("Only photos (JPEG, PNG, WebP) and PDF documents can be attached."), field="file"
        )
    return CheckedFile(data=data, content_type=content_type, extension=EXTENSIONS[content_type])


class AttachmentSizeLimit(SizeLimitUploadHandler):
    """The import's early stop, at the attachment limit: an upload that passes it is dropped
    before it reaches disk, and the view shows ``too_large_message``."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > max_bytes():
            request: Any = self.request
            if request is not None:
                request.attachment_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data


class EachAttachmentSizeLimit(AttachmentSizeLimit):
    """The same early stop for forms that take several files: the limit holds for each file,
    and past ``max_files`` files the upload stops too (``request.attachment_too_many``)."""

    def __init__(self, request: Any = None, *, max_files: int = 1) -> None:
        super().__init__(request)
        self.max_files = max_files
        self.files = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.files += 1
        self.received = 0
        if self.files > self.max_files:
            request: Any = self.request
            if request is not None:
                request.attachment_too_many = True
            raise StopUpload(connection_reset=False)
        super().new_file(*args, **kwargs)
