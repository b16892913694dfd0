"""Youth projects: a programme run by a body, its application form and selection criteria,
cohorts (intakes) with a jury and mentors, applications, scores, sessions and attendance.

A graduate is not stored here as an activist: graduation adds an ACTIVIST term in the registry
(``registry.Membership``), and the activists' figures count those terms.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
# The kinds of body that run youth projects.
RUNNING_KINDS = ("youth_movement", "youth_branch", "student_assembly", "house_of_friendship")


class YouthProject(models.Model):
    """A youth project: one programme of the Assembly as a body runs it, with its form."""

    programme = models.ForeignKey(
        "events.Programme",
        on_delete=models.PROTECT,
        related_name="youth_projects",
        verbose_name=_("programme"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="youth_projects",
        verbose_name=_("running body"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    min_age = models.PositiveSmallIntegerField(
        _("youngest age"), default=14, validators=[MinValueValidator(6), MaxValueValidator(99)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("oldest age"), default=35, validators=[MinValueValidator(6), MaxValueValidator(99)]
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("youth project")
        verbose_name_plural = _("youth projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__lte=models.F("max_age")), name="youth_project_age_range"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question of a project's application form."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        CHOICE = "choice", _("choice from a list")
        YES_NO = "yes_no", _("yes or no")

    project = models.ForeignKey(
        YouthProject, on_delete=models.CASCADE, related_name="questions", verbose_name=_("project")
    )
    kind = models.CharField(_("kind of answer"), max_length=12, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=300)
    # One option a line, in each language; an answer keeps the option's number, so that the
    # same choice reads in any language.
    options = models.TextField(_("options"), blank=True)
    required = models.BooleanField(_("answer required"), default=True)
    position = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["project", "position", "id"]
        verbose_name = _("question of the application form")
        verbose_name_plural = _("questions of the application form")

    def __str__(self) -> str:
        return self.label

    def option_list(self) -> list[str]:
        """The options in the active language (falling back to Kazakh line by line)."""
        shown = [line.strip() for line in (self.options or "").splitlines() if line.strip()]
        kazakh = [
            line.strip()
            for line in (getattr(self, "options_kk", "") or "").splitlines()
            if line.strip()
        ]
        if len(shown) < len(kazakh):
            shown += kazakh[len(shown) :]
        return shown


class Criterion(models.Model):
    """A selection criterion: the jury gives each application 0..max_score on it."""

    project = models.ForeignKey(
        YouthProject, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["project", "position", "id"]
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="youth_criterion_weight"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="youth_criterion_max"),
        ]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """An intake of a project: its application window, places, dates, jury and mentors."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("cohort", "planned")
        OPEN = "open", pgettext_lazy("cohort", "applications open")
        SELECTION = "selection", pgettext_lazy("cohort", "selection")
        RUNNING = "running", pgettext_lazy("cohort", "running")
        GRADUATED = "graduated", pgettext_lazy("cohort", "graduated")

    project = models.ForeignKey(
        YouthProject, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=200)
    applications_open_on = models.DateField(_("applications open on"))
    applications_close_on = models.DateField(_("applications close on"))
    places = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    waiting_places = models.PositiveIntegerField(_("places on the waiting list"), default=0)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    graduation_threshold = models.PositiveSmallIntegerField(
        _("attendance needed to graduate, %"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    jury = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="youth_juries", verbose_name=_("jury")
    )
    mentors = models.ManyToManyField(
        "registry.Person", blank=True, related_name="youth_mentoring", verbose_name=_("mentors")
    )
    selected_at = models.DateTimeField(_("selection made at"), null=True, blank=True)
    selection_note = models.TextField(_("reason for changes to the ranking"), blank=True)
    graduated_at = models.DateTimeField(_("graduation confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        indexes = [models.Index(fields=["status", "applications_close_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_open_on__lte=models.F("applications_close_on")),
                name="youth_cohort_window",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="youth_cohort_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation(self) -> models.Model:
        """The running body (the scope of the cohort's records)."""
        return self.project.organisation

    def window_open_on(self, day: datetime.date) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.applications_open_on <= day <= self.applications_close_on
        )


class Application(models.Model):
    """One verified account's application to a cohort, with its answers and contact."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("application", "submitted")
        SELECTED = "selected", pgettext_lazy("application", "selected")
        WAITING = "waiting", pgettext_lazy("application", "on the waiting list")
        NOT_SELECTED = "not_selected", pgettext_lazy("application", "not selected")
        WITHDRAWN = "withdrawn", pgettext_lazy("application", "withdrawn")
        GRADUATED = "graduated", pgettext_lazy("application", "graduated")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="applications", verbose_name=_("cohort")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="youth_applications",
        verbose_name=_("account"),
    )
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    region = models.ForeignKey(
        "geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="kk")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    consent_given_on = models.DateField(_("consent given on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    decision_note = models.CharField(_("reason"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    graduated_on = models.DateField(_("graduated on"), null=True, blank=True)
    # The registry's person, found or registered at graduation.
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="youth_applications",
        verbose_name=_("person"),
    )

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("application to a youth project")
        verbose_name_plural = _("applications to youth projects")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "applicant"], name="youth_one_application_per_cohort"
            )
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def age_on(self, day: datetime.date) -> int:
        birthday_passed = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if birthday_passed else 1)


class JurorSubmission(models.Model):
    """A juror's scores for a cohort, handed in: from then on they are final and count."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("cohort")
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("juror"),
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("submitted scores of a juror")
        verbose_name_plural = _("submitted scores of jurors")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "juror"], name="youth_one_submission")
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}:{self.juror_id}"


class Score(models.Model):
    """A juror's score of one application on one criterion."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scores", verbose_name=_("application")
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("juror"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "juror", "criterion"], name="youth_one_score"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.criterion_id}={self.score}"


class Session(models.Model):
    """A session of a running cohort."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort")
    )
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=300)

    class Meta:
        ordering = ["cohort", "date", "id"]
        verbose_name = pgettext_lazy("youth", "session")
        verbose_name_plural = pgettext_lazy("youth", "sessions")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.topic}"


class Attendance(models.Model):
    class Mark(models.TextChoices):
        PRESENT = "present", pgettext_lazy("attendance", "present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("participant"),
    )
    mark = models.CharField(_("attendance"), max_length=8, choices=Mark.choices)

    class Meta:
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        constraints = [
            models.UniqueConstraint(fields=["session", "application"], name="youth_one_mark")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.application_id}={self.mark}"
