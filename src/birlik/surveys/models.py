"""Surveys and the interethnic trust index; the expert council's studies and recommendations.

A questionnaire is edited only as a draft version; a launched version never changes, and every
response keeps the version it answered. Responses are anonymous by design: no link to a person,
an account, an IIN, an address or a time of day exists in these tables (a test lists the
fields). Weighting runs and their estimates are stored: pages, the API, open data and the
indicators read estimates, never the responses.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.geo.models import District, Region
from birlik.registry.models import EthnicGroup, Organisation, Person

# --- Questionnaires ---------------------------------------------------------------------------


class Questionnaire(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="questionnaires",
        verbose_name=_("body"),
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title


class QuestionnaireVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("questionnaire version", "draft")
        LAUNCHED = "launched", pgettext_lazy("questionnaire version", "launched")
        RETIRED = "retired", pgettext_lazy("questionnaire version", "retired")

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("questionnaire"),
    )
    number = models.PositiveIntegerField(pgettext_lazy("questionnaire", "version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    consent = models.TextField(_("consent text"), blank=True)
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="survey_version_once")
        ]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def launched(self) -> bool:
        return self.status != self.Status.DRAFT


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SCALE = "scale", _("scale")
        NUMBER = "number", pgettext_lazy("question kind", "number")
        TEXT = "text", _("open text")
        MATRIX = "matrix", _("matrix")

    class Role(models.TextChoices):
        """Questions whose answer fills a demographic column of the response."""

        NONE = "", pgettext_lazy("question role", "none")
        REGION = "region", pgettext_lazy("demographic", "region")
        DISTRICT = "district", pgettext_lazy("demographic", "district")
        SETTLEMENT = "settlement_type", _("urban or rural")
        SEX = "sex", pgettext_lazy("demographic", "sex")
        AGE = "age_group", _("age group")
        ETHNIC = "ethnic_group", _("ethnic group")
        LANGUAGE = "home_language", _("language spoken at home")

    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("questionnaire version"),
    )
    code = models.CharField(
        _("code"),
        max_length=30,
        help_text=_("Stable across versions: the column name in answers and exports."),
    )
    kind = models.CharField(_("kind of question"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("question"))
    help = models.TextField(_("hint"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    scale_min = models.IntegerField(_("scale from"), null=True, blank=True)
    scale_max = models.IntegerField(_("scale to"), null=True, blank=True)
    label_min = models.CharField(_("label of the lowest point"), max_length=200, blank=True)
    label_max = models.CharField(_("label of the highest point"), max_length=200, blank=True)
    number_min = models.DecimalField(
        _("smallest number"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    number_max = models.DecimalField(
        _("largest number"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    show_if = models.JSONField(_("shown when"), null=True, blank=True)
    role = models.CharField(
        _("demographic role"), max_length=20, choices=Role.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="survey_question_code_once")
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"


class Option(models.Model):
    """A choice of a question; for a matrix, ``row`` options are its rows and the scale its
    columns. "Don't know" and "refusal" are options with the codes 88 and 99 (missing)."""

    class Kind(models.TextChoices):
        CHOICE = "choice", pgettext_lazy("option kind", "choice")
        ROW = "row", _("matrix row")

    MISSING_CODES = ("88", "99")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.CHOICE)
    code = models.CharField(_("code"), max_length=30)
    label = models.CharField(_("label"), max_length=300)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["question", "kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "kind", "code"], name="survey_option_code_once"
            )
        ]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.label


# --- Margins -----------------------------------------------------------------------------------


class MarginSet(models.Model):
    """Population shares a survey is weighted to, by dimension, with their sources."""

    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("body")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("population margins")
        verbose_name_plural = _("population margins")

    def __str__(self) -> str:
        return self.title


class MarginTarget(models.Model):
    class Dimension(models.TextChoices):
        REGION = "region", pgettext_lazy("demographic", "region")
        SEX_AGE = "sex_age", _("sex and age group")
        ETHNIC = "ethnic_group", _("ethnic group")
        SETTLEMENT = "settlement_type", _("urban or rural")
        LANGUAGE = "home_language", _("language spoken at home")

    margin_set = models.ForeignKey(MarginSet, on_delete=models.CASCADE, related_name="targets")
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    category = models.CharField(pgettext_lazy("survey margin", "category"), max_length=60)
    share = models.DecimalField(_("share"), max_digits=9, decimal_places=6)
    source = models.CharField(pgettext_lazy("statistics", "source"), max_length=300, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)

    class Meta:
        ordering = ["margin_set", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["margin_set", "dimension", "category"], name="survey_margin_once"
            )
        ]
        verbose_name = _("population margin")
        verbose_name_plural = _("population margins")

    def __str__(self) -> str:
        return f"{self.dimension}={self.category}: {self.share}"


# --- Survey waves and responses -----------------------------------------------------------------


class Mode(models.TextChoices):
    WEB = "web", _("public link")
    PANEL = "panel", _("invited panel")
    INTERVIEWER = "interviewer", _("face-to-face interview")
    PAPER = "paper", _("paper questionnaire")
    IMPORT = "import", _("imported spreadsheet")


class SettlementType(models.TextChoices):
    URBAN = "urban", _("urban")
    RURAL = "rural", _("rural")


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class AgeGroup(models.TextChoices):
    A18 = "18-29", "18–29"
    A30 = "30-44", "30–44"
    A45 = "45-59", "45–59"
    A60 = "60+", "60+"


class Survey(models.Model):
    """One wave of a questionnaire in the field, weighted and (perhaps) published."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("survey", "planned")
        FIELDWORK = "fieldwork", _("fieldwork")
        CLOSED = "closed", pgettext_lazy("survey", "closed")
        WEIGHTED = "weighted", _("weighted")
        PUBLISHED = "published", pgettext_lazy("survey", "published")

    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("questionnaire version"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("conducted by"),
    )
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveIntegerField(_("year"))
    wave = models.PositiveIntegerField(_("wave"), default=1)
    starts_on = models.DateField(_("fieldwork from"), null=True, blank=True)
    ends_on = models.DateField(_("fieldwork to"), null=True, blank=True)
    modes = models.JSONField(_("ways of collecting"), default=list)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("regions covered")
    )
    is_trust_index = models.BooleanField(_("measures the interethnic trust index"), default=False)
    public = models.BooleanField(_("results published"), default=False)
    margin_set = models.ForeignKey(
        MarginSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("population margins"),
    )
    trim_cap = models.DecimalField(
        _("largest weight (times the mean)"), max_digits=5, decimal_places=2, default=4
    )
    min_cell = models.PositiveIntegerField(_("fewest respondents to publish a cell"), default=50)
    caution_cell = models.PositiveIntegerField(
        _("fewest respondents to publish without caution"), default=100
    )
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("interviewers")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year", "-wave", "-id"]
        indexes = [models.Index(fields=["is_trust_index", "status", "year"])]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title


class Response(models.Model):
    """One filled questionnaire. Anonymous: nothing here can name who answered."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    client_uuid = models.CharField(max_length=120, unique=True)
    content_hash = models.CharField(max_length=64)
    mode = models.CharField(_("way of collecting"), max_length=12, choices=Mode.choices)
    language = models.CharField(_("language of the questionnaire"), max_length=2)
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate)
    duration_seconds = models.PositiveIntegerField(_("time taken, seconds"), null=True, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("demographic", "region"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("demographic", "district"),
    )
    settlement_type = models.CharField(
        _("urban or rural"), max_length=6, choices=SettlementType.choices, blank=True
    )
    sex = models.CharField(
        pgettext_lazy("demographic", "sex"), max_length=6, choices=Sex.choices, blank=True
    )
    age_group = models.CharField(_("age group"), max_length=6, choices=AgeGroup.choices, blank=True)
    ethnic_group = models.ForeignKey(
        EthnicGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ethnic group"),
    )
    home_language = models.CharField(_("language spoken at home"), max_length=10, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    flags = models.JSONField(_("quality flags"), default=dict, blank=True)
    device_digest = models.CharField(max_length=64, blank=True, editable=False)
    excluded = models.BooleanField(_("excluded from the analysis"), default=False)
    excluded_reason = models.CharField(_("reason for exclusion"), max_length=300, blank=True)
    weight = models.FloatField(pgettext_lazy("survey", "weight"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    import_job_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    conflict = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["survey", "excluded"]),
            models.Index(fields=["survey", "region"]),
            models.Index(fields=["survey", "device_digest"]),
        ]
        verbose_name = pgettext_lazy("survey", "response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class PanelInvitation(models.Model):
    """A one-time invitation. The response does not point back to it: no table links a
    contact to an answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    used_on = models.DateField(_("used on"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("panel invitation")
        verbose_name_plural = _("panel invitations")

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


# --- Weighting and estimates ---------------------------------------------------------------------


class WeightingRun(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="runs")
    margins = models.JSONField(default=dict)
    trim_cap = models.FloatField()
    library = models.CharField(max_length=100, blank=True)
    iterations = models.PositiveIntegerField(default=0)
    n = models.PositiveIntegerField(default=0)
    deff = models.FloatField(null=True, blank=True)
    effective_n = models.FloatField(null=True, blank=True)
    smallest_weight = models.FloatField(null=True, blank=True)
    largest_weight = models.FloatField(null=True, blank=True)
    worst_margin_error = models.FloatField(null=True, blank=True)
    method = models.JSONField(default=dict, blank=True)  # alpha, loadings, item non-response
    warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        verbose_name = _("weighting run")
        verbose_name_plural = _("weighting runs")

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class Estimate(models.Model):
    TRUST_INDEX = "TRUST_INDEX"
    TRUSTING = "TRUSTING"  # share with an index of 60 or more
    # The breakdowns of an estimate, in the order pages show them.
    DIMENSIONS = (
        "all",
        "region",
        "ethnic_group",
        "age_group",
        "sex",
        "settlement_type",
        "home_language",
    )

    run = models.ForeignKey(WeightingRun, on_delete=models.CASCADE, related_name="estimates")
    question = models.CharField(max_length=30)
    statistic = models.CharField(max_length=40)  # "mean" or "share:<option code>"
    dimension = models.CharField(max_length=20)  # "all", "region", "ethnic_group", ...
    category = models.CharField(max_length=60, blank=True)
    n = models.PositiveIntegerField()
    effective_n = models.FloatField()
    value = models.FloatField(null=True, blank=True)
    se = models.FloatField(null=True, blank=True)
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    caution = models.BooleanField(default=False)

    class Meta:
        ordering = ["run", "question", "statistic", "dimension", "category"]
        indexes = [models.Index(fields=["run", "question", "dimension"])]
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")

    def __str__(self) -> str:
        return f"{self.question} {self.statistic} {self.dimension}={self.category}"


# --- The expert council ------------------------------------------------------------------------


class ResearchPlan(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="research_plans",
        verbose_name=_("council or expert group"),
    )
    year = models.PositiveIntegerField(_("year"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="research_plan_once")
        ]
        verbose_name = _("research plan")
        verbose_name_plural = _("research plans")

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class Study(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("study", "draft")
        APPROVED = "approved", pgettext_lazy("study", "approved")
        FIELDWORK = "fieldwork", _("fieldwork")
        ANALYSIS = "analysis", _("analysis")
        DONE = "done", pgettext_lazy("study", "completed")

    plan = models.ForeignKey(
        ResearchPlan,
        on_delete=models.PROTECT,
        related_name="studies",
        verbose_name=_("research plan"),
    )
    title = models.CharField(_("title"), max_length=300)
    method = models.TextField(_("method"), blank=True)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("regions")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    survey = models.ForeignKey(
        Survey,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="studies",
        verbose_name=_("survey"),
    )
    report = models.FileField(pgettext_lazy("study", "report"), upload_to="studies/%Y/", blank=True)
    report_name = models.CharField(max_length=200, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")

    def __str__(self) -> str:
        return self.title


class StudyMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("lead researcher")
        MEMBER = "member", _("team member")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("expert")
    )
    role = models.CharField(_("role"), max_length=6, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["study", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["study", "person"], name="study_member_once")
        ]
        verbose_name = _("member of a study team")
        verbose_name_plural = _("study team")

    def __str__(self) -> str:
        return f"{self.study_id}/{self.person_id}"


class Recommendation(models.Model):
    """A recommendation of the expert council to an Assembly body or a state body, tracked to
    its answer and decision like a proposal."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("recommendation", "draft")
        SENT = "sent", pgettext_lazy("recommendation", "sent")
        ANSWERED = "answered", pgettext_lazy("recommendation", "answered")
        DECIDED = "decided", pgettext_lazy("recommendation", "decided")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("recommendation decision", "accepted")
        PARTLY = "partly", pgettext_lazy("recommendation decision", "partly accepted")
        REJECTED = "rejected", pgettext_lazy("recommendation decision", "rejected")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="recommendations_made",
        verbose_name=_("council or expert group"),
    )
    study = models.ForeignKey(
        Study,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("study"),
    )
    alert = models.ForeignKey(
        "monitoring.Alert",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("early-warning alert"),
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("recommendation"))
    to_body = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed to an Assembly body"),
    )
    to_state_body = models.ForeignKey(
        "appeals.StateBody",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed to a state body"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    response_due = models.DateField(_("answer due"), null=True, blank=True)
    response_text = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    actions_taken = models.TextField(_("what was done"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_body__isnull=True) | models.Q(to_state_body__isnull=True),
                name="recommendation_one_addressee",
            )
        ]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.title


def new_client_uuid() -> str:
    return str(uuid.uuid4())
