"""The Platform of creative solutions: calls for ideas with phases, ideas in kk/ru/en, supports
(one per verified account), moderated comments, official answers on a working-day clock once an
idea reaches its call's threshold, and the follow-up of accepted ideas to a result.

Rules that span rows (numbering, the answer clock, merging, the support count) live in
``services.py``; shared reads (overdue answers, answered on time, similar ideas) in ``queries.py``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.text import search_key

LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]


class Category(models.Model):
    """A theme of ideas (digital, culture, sport, language, youth…): data, not code."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("sort order"), default=1000)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = pgettext_lazy("ideas", "category")
        verbose_name_plural = pgettext_lazy("ideas", "categories")

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    """A call for ideas by a body (national: the secretariat; regional: a regional assembly).

    Its phase follows its dates: collecting ideas until ``collect_until``, gathering support
    until ``support_until``, review until ``review_until``, then results."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("call", "draft")
        OPEN = "open", pgettext_lazy("call", "published")
        CANCELLED = "cancelled", pgettext_lazy("call", "cancelled")

    class Phase(models.TextChoices):
        UPCOMING = "upcoming", pgettext_lazy("call phase", "not started")
        COLLECTING = "collecting", pgettext_lazy("call phase", "collecting ideas")
        SUPPORT = "support", pgettext_lazy("call phase", "gathering support")
        REVIEW = "review", pgettext_lazy("call phase", "review")
        RESULTS = "results", pgettext_lazy("call phase", "results")

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="idea_calls",
        verbose_name=_("body"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="calls",
        verbose_name=pgettext_lazy("ideas", "categories"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opens_on = models.DateField(_("opens on"))
    collect_until = models.DateField(_("ideas accepted until"))
    support_until = models.DateField(_("support gathered until"))
    review_until = models.DateField(_("review until"))
    threshold = models.PositiveIntegerField(
        _("supports needed for an official answer"), default=100
    )
    answer_working_days = models.PositiveSmallIntegerField(
        _("working days for the official answer"), default=15
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("call for ideas")
        verbose_name_plural = _("calls for ideas")
        constraints = [
            models.CheckConstraint(
                condition=Q(collect_until__gte=models.F("opens_on"))
                & Q(support_until__gte=models.F("collect_until"))
                & Q(review_until__gte=models.F("support_until")),
                name="idea_call_phases_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def phase_on(self, day: datetime.date) -> str:
        if day < self.opens_on:
            return self.Phase.UPCOMING
        if day <= self.collect_until:
            return self.Phase.COLLECTING
        if day <= self.support_until:
            return self.Phase.SUPPORT
        if day <= self.review_until:
            return self.Phase.REVIEW
        return self.Phase.RESULTS

    @property
    def phase(self) -> str:
        return self.phase_on(timezone.localdate())


class Idea(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("idea", "awaiting moderation")
        PUBLISHED = "published", pgettext_lazy("idea", "published")
        REJECTED = "rejected", pgettext_lazy("idea", "not published")
        MERGED = "merged", pgettext_lazy("idea", "merged into another")
        WITHDRAWN = "withdrawn", pgettext_lazy("idea", "withdrawn")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("idea decision", "accepted")
        PARTLY = "partly", pgettext_lazy("idea decision", "partly accepted")
        REJECTED = "rejected", pgettext_lazy("idea decision", "rejected")

    class Progress(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("implementation", "planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("implementation", "under way")
        DONE = "done", pgettext_lazy("implementation", "implemented")
        STOPPED = "stopped", pgettext_lazy("implementation", "stopped")

    # Gapless yearly number, e.g. "ИД-2026-00042" (core.sequences, scope "ideas").
    number = models.CharField(
        pgettext_lazy("registration number", "number"), max_length=20, unique=True, editable=False
    )
    call = models.ForeignKey(
        Call,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("call for ideas"),
        help_text=_("Empty: the open platform."),
    )
    # The body that moderates and answers: the call's body, or for the open platform the
    # assembly of the idea's region (the secretariat when no region is given).
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="ideas",
        verbose_name=_("body"),
    )
    region = models.ForeignKey(
        "geo.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="ideas",
        verbose_name=pgettext_lazy("ideas", "category"),
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="kk")
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("the problem"))
    solution = models.TextField(_("the proposed solution"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ideas",
        verbose_name=_("author"),
    )
    # The name shown publicly (first name and the initial of the last name), fixed at submission.
    author_display = models.CharField(_("author"), max_length=120)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderation_note = models.CharField(_("reason"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_ideas",
        verbose_name=_("merged into"),
    )
    # Kept by services only (support, withdraw, merge): read by lists without a COUNT.
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The answer clock: started the day support reached the call's threshold.
    threshold_reached_on = models.DateField(_("threshold reached on"), null=True, blank=True)
    answer_due = models.DateField(_("official answer due"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_body = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answering body"),
    )
    answer_text = models.TextField(_("official answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    # Follow-up of an accepted idea.
    progress = models.CharField(
        _("implementation"), max_length=12, choices=Progress.choices, blank=True
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("event"),
    )
    project = models.ForeignKey(
        "charity.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("project"),
    )
    result = models.TextField(_("result"), blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    # The number and the title folded for the public search (``core.text.search_key``): any
    # case, Kazakh letters typed as Russian ones, Latin spellings.
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [
            models.Index(fields=["status", "-support_count", "-id"], name="idea_popular"),
            models.Index(fields=["status", "-created_at", "-id"], name="idea_recent"),
            models.Index(fields=["call", "status", "-support_count"], name="idea_call"),
            models.Index(fields=["region", "status", "-created_at"], name="idea_region"),
            models.Index(
                fields=["answer_due"],
                condition=Q(answered_on__isnull=True, answer_due__isnull=False),
                name="idea_answer_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Bulk inserts (the demo) call ``refresh_search_text`` themselves; a save of some
        # fields (the counters, the status) leaves the key alone unless the title is among them.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "number"} & set(update_fields):
            self.refresh_search_text()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        self.search_text = search_key(self.number, self.title)


class IdeaImage(models.Model):
    """A picture of an idea (checked by content and size in ``core.uploads``)."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="images", verbose_name=_("idea")
    )
    image = models.ImageField(_("image"), upload_to="ideas/%Y/%m/")
    alt = models.CharField(_("description of the image"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["idea", "position", "id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.alt or str(self.image.name or "")


class Support(models.Model):
    """One support per verified account and idea; kept (and moved) when ideas are merged."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="supports", verbose_name=_("idea")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="idea_supports",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The idea the support was given to, when a merge moved it here.
    moved_from = models.ForeignKey(
        Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["idea", "created_at"]
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="idea_support_once")]
        indexes = [
            models.Index(fields=["user", "idea"]),
            # Supports and supporters of a period (the indicators) without reading 2M rows.
            models.Index(fields=["created_at", "user"], name="idea_support_when"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("comment", "awaiting moderation")
        PUBLISHED = "published", pgettext_lazy("comment", "published")
        HIDDEN = "hidden", pgettext_lazy("comment", "hidden")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="comments", verbose_name=_("idea")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="idea_comments",
        verbose_name=_("author"),
    )
    author_display = models.CharField(_("author"), max_length=120)
    text = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["idea", "created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.text[:60]


class Milestone(models.Model):
    """A step of an accepted idea's implementation, shown on its public page."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("idea")
    )
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("planned for"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["idea", "position", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class IdeaTerm(models.Model):
    """The similarity index: the normalised terms of an idea's title and text (transliterated,
    stemmed, mapped to the glossary's kk/ru/en concepts), so that an idea typed in one language
    finds its like in another with an indexed look-up, on SQLite and PostgreSQL alike."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=40)
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["term", "idea"], name="idea_term")]
        constraints = [models.UniqueConstraint(fields=["idea", "term"], name="idea_term_once")]

    def __str__(self) -> str:
        return self.term
