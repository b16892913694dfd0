"""An import in progress: the uploaded file, the columns chosen, each row's check and commit.

A job goes UPLOADED (columns to choose) → CHECKING (a background job reads and checks every
row) → READY (reviewed page by page; nothing written) → COMMITTING (written in short batches)
→ DONE; or FAILED / CANCELLED. The rows' results are kept in ``ImportRow`` so the review never
checks the whole file again, and a commit interrupted by a worker restart resumes where it
stopped (each batch marks its rows ``committed`` in the transaction that writes them).
The uploaded file itself is kept only while the job lives (private, mode 600) and deleted with
it: the rejected rows are given back from it, with the file's own columns.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def _token() -> str:
    return secrets.token_urlsafe(24)


class ImportJob(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("columns to choose")
        CHECKING = "checking", _("being checked")
        READY = "ready", _("checked, waiting for confirmation")
        COMMITTING = "committing", _("being imported")
        DONE = "done", pgettext_lazy("import", "imported")
        FAILED = "failed", pgettext_lazy("import", "failed")
        CANCELLED = "cancelled", _("cancelled")

    class Mode(models.TextChoices):
        PARTIAL = "partial", _("import the valid rows, give back the rejected ones")
        ALL = "all", _("all or nothing")

    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    user = models.ForeignKey("access.User", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20)
    filename = models.CharField(max_length=200, blank=True)
    file_path = models.CharField(max_length=300, blank=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.PARTIAL)
    language = models.CharField(max_length=8, default="kk")
    header_line = models.PositiveIntegerField(default=0)
    header = models.JSONField(default=list)  # the header texts as in the file
    mapping = models.JSONField(default=dict)  # {"column index": "field key"}
    defaults = models.JSONField(default=dict)  # values for fields the file lacks
    skipped = models.JSONField(default=list)  # [(line, note)] rows that are not data
    message = models.TextField(blank=True)  # why it failed, in the user's language
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)  # checked, then committed
    created = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    committed = models.PositiveIntegerField(default=0)
    max_lock_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    heartbeat = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"])]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    @property
    def running(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.COMMITTING}

    @property
    def percent(self) -> int:
        if self.status == self.Status.COMMITTING:
            todo = self.created + self.changed
            return min(100, round(100 * self.committed / todo)) if todo else 100
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))


class ImportRow(models.Model):
    """One data row of the file: what the check found and whether it has been written."""

    class Status(models.TextChoices):
        CREATE = "create", _("to add")
        CHANGE = "change", _("to change")
        UNCHANGED = "unchanged", _("already recorded")
        REJECT = "reject", _("rejected")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    label = models.CharField(max_length=400, blank=True)
    errors = models.JSONField(default=list)
    notes = models.JSONField(default=list)
    data = models.JSONField(default=dict)  # the row as read (IINs replaced by their keys)
    committed = models.BooleanField(default=False)

    class Meta:
        ordering = ["line"]
        constraints = [
            models.UniqueConstraint(fields=["job", "line"], name="import_row_line_unique")
        ]
        indexes = [models.Index(fields=["job", "status", "line"])]

    def __str__(self) -> str:
        return f"{self.line}: {self.status}"


class ImportMapping(models.Model):
    """The columns a body's staff chose last time, by header text: offered on the next upload."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20)
    columns = models.JSONField(default=dict)  # {"header key": "field key" or ""}
    defaults = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        "access.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="import_mapping_body_kind_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind}"
