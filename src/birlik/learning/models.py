"""Training by the APK Academy and the APK departments at universities: courses (modules,
teachers, prerequisites), cohorts with sessions and attendance, enrolments of registry people
sent by their bodies, numbered certificates that anyone can check by their code, and the rules
that say who must be trained and how often (training needs).

A certificate keeps what it states as issued (the holder's name, the hours, the date): a later
change of the course or of the person's record does not rewrite an issued document.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.registry.models import Membership

# The kinds of body that run courses.
PROVIDER_KINDS = ("apk_academy", "university_department")
MAX_CAPACITY = 300
MAX_MODULE_HOURS = 500
MAX_VALIDITY_MONTHS = 120
# Verification codes: Crockford's base32 (no I, L, O, U), 16 characters = 80 random bits,
# printed in groups of four; typed codes are read leniently (see ``normalise_code``).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A code as typed or scanned (any case, with spaces or dashes, O for 0, I or L for 1) in
    its stored form; "" when it cannot be a code."""
    code = "".join(ch for ch in str(text or "").upper() if ch.isalnum()).translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return ""
    return code


def grouped_code(code: str) -> str:
    """``ABCD-EFGH-JKMN-PQRS``: the code as printed."""
    return "-".join(code[index : index + 4] for index in range(0, len(code), 4))


class Course(models.Model):
    """A course or programme of a provider (the Academy or a university department)."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", pgettext_lazy("course format", "in person")
        ONLINE = "online", pgettext_lazy("course format", "online")
        MIXED = "mixed", _("mixed (in person and online)")

    provider = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="learning_courses",
        verbose_name=pgettext_lazy("training", "provider"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(
        pgettext_lazy("training", "format"),
        max_length=10,
        choices=Format.choices,
        default=Format.IN_PERSON,
    )
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="leads_to",
        verbose_name=_("prerequisites"),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = pgettext_lazy("training", "course")
        verbose_name_plural = _("courses")
        indexes = [models.Index(fields=["provider", "is_active"])]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    """A module of a course with its hours; the course's hours are the sum of its modules'."""

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="modules",
        verbose_name=pgettext_lazy("training", "course"),
    )
    title = models.CharField(_("title"), max_length=200)
    hours = models.PositiveSmallIntegerField(
        pgettext_lazy("training", "hours"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MODULE_HOURS)],
    )
    position = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=1), name="learning_module_hours")
        ]

    def __str__(self) -> str:
        return self.title


class Teacher(models.Model):
    """A teacher of a course: a name as it is shown, and the registry's person when known."""

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="teachers",
        verbose_name=pgettext_lazy("training", "course"),
    )
    name = models.CharField(_("name"), max_length=200)
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_teaching",
        verbose_name=_("person in the registry"),
    )
    position = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """One run of a course: its dates, place (or online), places and status."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("training cohort", "planned")
        ENROLLING = "enrolling", pgettext_lazy("training cohort", "enrolment open")
        RUNNING = "running", pgettext_lazy("training cohort", "running")
        FINISHED = "finished", pgettext_lazy("training cohort", "finished")
        CANCELLED = "cancelled", pgettext_lazy("training cohort", "cancelled")

    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=pgettext_lazy("training", "course"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(pgettext_lazy("training", "place"), max_length=300, blank=True)
    online = models.BooleanField(pgettext_lazy("training", "online"), default=False)
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.CharField(_("reason for the cancellation"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = pgettext_lazy("training", "cohort")
        verbose_name_plural = pgettext_lazy("training", "cohorts")
        indexes = [models.Index(fields=["status", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="learning_cohort_dates"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="learning_cohort_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y})"


class Session(models.Model):
    """A session of a cohort: its day, topic and, when it teaches one, the course's module."""

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=pgettext_lazy("training", "cohort"),
    )
    date = models.DateField(pgettext_lazy("training", "date"))
    topic = models.CharField(_("topic"), max_length=300)
    module = models.ForeignKey(
        Module,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("module"),
    )

    class Meta:
        ordering = ["cohort", "date", "id"]
        verbose_name = pgettext_lazy("training", "session")
        verbose_name_plural = pgettext_lazy("training", "sessions")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.topic}"


class Enrolment(models.Model):
    """A registry person on a cohort, sent by a body where they hold a term (that body gives
    the trainee's region and kind of body in the figures)."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", pgettext_lazy("enrolment", "enrolled")
        COMPLETED = "completed", pgettext_lazy("enrolment", "completed")
        NOT_COMPLETED = "not_completed", pgettext_lazy("enrolment", "not completed")
        WITHDRAWN = "withdrawn", pgettext_lazy("enrolment", "withdrawn")

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=pgettext_lazy("training", "cohort"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="learning_enrolments",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="learning_enrolments",
        verbose_name=_("sending body"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.ENROLLED
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    nominated_at = models.DateTimeField(_("nominated at"), default=timezone.now)
    score = models.PositiveSmallIntegerField(
        pgettext_lazy("assessment", "score"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    passed = models.BooleanField(_("passed the assessment"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        pgettext_lazy("enrolment", "withdrawn at"), null=True, blank=True
    )
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    class Meta:
        ordering = ["nominated_at", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "person"], name="learning_one_enrolment_per_cohort"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="learning_completed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="learning_score_range"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "completed_on"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.cohort}"


class Attendance(models.Model):
    class Mark(models.TextChoices):
        PRESENT = "present", pgettext_lazy("attendance", "present")
        ABSENT = "absent", pgettext_lazy("attendance", "absent")
        EXCUSED = "excused", pgettext_lazy("attendance", "excused")

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=pgettext_lazy("training", "session"),
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("trainee")
    )
    mark = models.CharField(
        pgettext_lazy("training", "attendance"), max_length=8, choices=Mark.choices
    )

    class Meta:
        verbose_name = pgettext_lazy("training", "attendance mark")
        verbose_name_plural = pgettext_lazy("training", "attendance marks")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="learning_one_mark")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.enrolment_id}={self.mark}"


class Certificate(models.Model):
    """The certificate of a completed enrolment: numbered without gaps per year, checked by
    anyone with its code. A revoked certificate keeps its number and says so when checked."""

    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("enrolment"),
    )
    # The holder and the course, kept here too: training needs ask "who holds a certificate
    # of which course since when" of this table alone.
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="learning_certificates",
        verbose_name=_("holder"),
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=pgettext_lazy("training", "course"),
    )
    number = models.CharField(
        pgettext_lazy("registration number", "number"), max_length=30, unique=True
    )
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(
        _("verification code"), max_length=CODE_LENGTH, unique=True, default=new_code
    )
    holder_name = models.CharField(_("holder's name as printed"), max_length=300)
    hours = models.PositiveIntegerField(pgettext_lazy("training", "hours"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(
        pgettext_lazy("certificate", "revoked at"), null=True, blank=True
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [
            models.Index(fields=["person", "course", "issued_on"]),
            models.Index(fields=["issued_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="learning_revocation_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def printed_code(self) -> str:
        return grouped_code(self.code)


class TrainingRule(models.Model):
    """Who must be trained: the people holding a term (of a role, or any) in a kind of body,
    trained in one of the courses within the last ``validity_months``."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.ForeignKey(
        "registry.OrganisationKind",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kind of body"),
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Membership.Role.choices,
        blank=True,
        help_text=_("Leave empty for every role in this kind of body."),
    )
    courses = models.ManyToManyField(
        Course, related_name="training_rules", verbose_name=_("courses that satisfy it")
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for, months"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VALIDITY_MONTHS)],
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["kind", "role", "id"]
        verbose_name = _("training rule")
        verbose_name_plural = _("training rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(validity_months__gte=1), name="learning_rule_validity"
            )
        ]

    def __str__(self) -> str:
        return self.name
