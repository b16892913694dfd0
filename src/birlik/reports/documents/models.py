"""Generated documents: annual report runs (PDF, XLSX, DOCX) and open data releases.

The files live under the data directory (never under MEDIA_URL): report files are served by a
view that checks the policy, open data files by a public view that streams them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LANGUAGES = (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English"))


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX (Excel)"
    DOCX = "docx", "DOCX (Word)"


CONTENT_TYPES: dict[str, str] = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class ReportRun(models.Model):
    """One request for the annual report of a year, in one language, national or one region."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("report run", "queued")
        RUNNING = "running", pgettext_lazy("report run", "being generated")
        DONE = "done", pgettext_lazy("report run", "ready")
        FAILED = "failed", pgettext_lazy("report run", "failed")

    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    region = models.ForeignKey(
        "geo.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty for the national report."),
    )
    formats = models.JSONField(_("formats"), default=list)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    # {format: {"name": file name under the run's directory, "size": bytes, "sha256": hex}}
    files = models.JSONField(_("files"), default=dict, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("annual report run")
        verbose_name_plural = _("annual report runs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_run_progress_0_100"
            )
        ]

    def __str__(self) -> str:
        scope = self.region.iso if self.region_id and self.region else "KZ"
        return f"{self.year} {scope} {self.language}"

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    def file_of(self, fmt: str) -> dict[str, Any] | None:
        item = self.files.get(fmt) if isinstance(self.files, dict) else None
        return item if isinstance(item, dict) else None


class OpenDataRelease(models.Model):
    """One generation of the open data: its directory under the data dir and what it holds.

    The newest release is the one published; files of a release never change after it is
    recorded (a new generation writes a new directory and a new row).
    """

    generated_at = models.DateTimeField(_("generated at"), default=timezone.now, db_index=True)
    directory = models.CharField(max_length=100, unique=True)
    # [{"name", "dataset", "format", "size", "sha256", "rows"}]
    files = models.JSONField(_("files"), default=list)
    years = models.JSONField(_("years"), default=list)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-generated_at", "-pk"]
        get_latest_by = "generated_at"
        verbose_name = _("open data release")
        verbose_name_plural = _("open data releases")

    def __str__(self) -> str:
        return f"{self.directory} ({self.generated_at:%Y-%m-%d %H:%M})"

    def file(self, name: str) -> dict[str, Any] | None:
        for item in self.files:
            if isinstance(item, dict) and item.get("name") == name:
                return item
        return None
