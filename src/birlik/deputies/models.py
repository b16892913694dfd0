"""Initiatives of the deputy group «Бір ел – бір мүдде» and of Assembly members in maslikhats:
the question raised, the chamber of Parliament or the maslikhat it went to, its stages (each a
dated row), the law or decision it led to, and the proposals and appeals it came from.

The level (Parliament or maslikhat) follows from the addressed state body; the current stage and
its date are kept on the initiative for lists and filters, the dated rows (``InitiativeStage``)
for the history and for figures "as at" a past day.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The kinds of body that raise initiatives: the deputy group, and the assemblies whose members
# sit in maslikhats.
RAISING_KINDS = ("deputy_group", "regional_assembly", "city_assembly", "district_assembly")


class Level(models.TextChoices):
    PARLIAMENT = "parliament", pgettext_lazy("initiative level", "Parliament")
    MASLIKHAT = "maslikhat", pgettext_lazy("initiative level", "maslikhat")


class Stage(models.TextChoices):
    DRAFTED = "drafted", pgettext_lazy("initiative stage", "drafted")
    SUBMITTED = "submitted", pgettext_lazy("initiative stage", "submitted")
    CONSIDERATION = "consideration", pgettext_lazy("initiative stage", "under consideration")
    ADOPTED = "adopted", pgettext_lazy("initiative stage", "adopted")
    REJECTED = "rejected", pgettext_lazy("initiative stage", "rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("initiative stage", "withdrawn")


# The stages each stage may move to; the last three end the initiative.
NEXT_STAGES: dict[str, tuple[str, ...]] = {
    Stage.DRAFTED: (Stage.SUBMITTED, Stage.WITHDRAWN),
    Stage.SUBMITTED: (Stage.CONSIDERATION, Stage.WITHDRAWN),
    Stage.CONSIDERATION: (Stage.ADOPTED, Stage.REJECTED, Stage.WITHDRAWN),
    Stage.ADOPTED: (),
    Stage.REJECTED: (),
    Stage.WITHDRAWN: (),
}
FINAL_STAGES = frozenset({Stage.ADOPTED, Stage.REJECTED, Stage.WITHDRAWN})


class ActKind(models.TextChoices):
    LAW = "law", pgettext_lazy("kind of act", "law")
    AMENDMENT = "amendment", pgettext_lazy("kind of act", "amendment to a law")
    MASLIKHAT_DECISION = "maslikhat_decision", pgettext_lazy("kind of act", "maslikhat decision")
    OTHER = "other", pgettext_lazy("kind of act", "other act")


# Which acts each level may lead to ("other" fits both).
ACT_KINDS_BY_LEVEL: dict[str, tuple[str, ...]] = {
    Level.PARLIAMENT: (ActKind.LAW, ActKind.AMENDMENT, ActKind.OTHER),
    Level.MASLIKHAT: (ActKind.MASLIKHAT_DECISION, ActKind.OTHER),
}


class Initiative(models.Model):
    """A question raised by the deputy group or an assembly's members, addressed to a chamber
    of Parliament or a maslikhat and followed to its result."""

    number = models.CharField(pgettext_lazy("initiative", "number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(pgettext_lazy("initiative", "year of the number"))
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="deputy_initiatives",
        verbose_name=_("raising body"),
    )
    state_body = models.ForeignKey(
        "appeals.StateBody",
        on_delete=models.PROTECT,
        related_name="deputy_initiatives",
        verbose_name=pgettext_lazy("initiative", "addressed to"),
    )
    level = models.CharField(
        pgettext_lazy("initiative", "level"), max_length=12, choices=Level.choices
    )
    title = models.CharField(pgettext_lazy("initiative", "question raised"), max_length=300)
    question = models.TextField(pgettext_lazy("initiative", "the question and its grounds"))
    authors = models.ManyToManyField(
        "registry.Person",
        blank=True,
        related_name="deputy_initiatives",
        verbose_name=pgettext_lazy("initiative", "authors"),
    )
    stage = models.CharField(
        pgettext_lazy("initiative", "stage"),
        max_length=14,
        choices=Stage.choices,
        default=Stage.DRAFTED,
    )
    stage_on = models.DateField(pgettext_lazy("initiative", "stage reached on"))
    drafted_on = models.DateField(pgettext_lazy("initiative", "drafted on"))
    submitted_on = models.DateField(
        pgettext_lazy("initiative", "submitted on"), null=True, blank=True
    )
    act_kind = models.CharField(
        pgettext_lazy("initiative", "kind of act"),
        max_length=20,
        choices=ActKind.choices,
        blank=True,
    )
    act_title = models.CharField(
        pgettext_lazy("initiative", "title of the act"), max_length=500, blank=True
    )
    act_number = models.CharField(
        pgettext_lazy("initiative", "number of the act"), max_length=60, blank=True
    )
    act_date = models.DateField(
        pgettext_lazy("initiative", "date of the act"), null=True, blank=True
    )
    act_url = models.URLField(
        pgettext_lazy("initiative", "link to the act"), max_length=500, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-drafted_on", "-id"]
        verbose_name = _("deputy initiative")
        verbose_name_plural = _("deputy initiatives")
        indexes = [
            models.Index(fields=["submitted_on"]),
            models.Index(fields=["stage", "submitted_on"]),
            models.Index(fields=["year", "stage"]),
            models.Index(fields=["organisation", "stage"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(act_kind="") | Q(stage=Stage.ADOPTED), name="deputies_act_if_adopted"
            ),
            models.CheckConstraint(
                condition=Q(submitted_on__isnull=True)
                | Q(submitted_on__gte=models.F("drafted_on")),
                name="deputies_submitted_after_drafted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_final(self) -> bool:
        return self.stage in FINAL_STAGES

    @property
    def next_stages(self) -> tuple[str, ...]:
        return NEXT_STAGES.get(self.stage, ())


class InitiativeStage(models.Model):
    """One dated stage of an initiative: who recorded it and why (the note is internal)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="stages", verbose_name=_("initiative")
    )
    stage = models.CharField(
        pgettext_lazy("initiative", "stage"), max_length=14, choices=Stage.choices
    )
    on = models.DateField(pgettext_lazy("initiative", "stage reached on"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(pgettext_lazy("initiative", "note"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("stage of an initiative")
        verbose_name_plural = _("stages of initiatives")
        indexes = [
            models.Index(fields=["initiative", "on"]),
            models.Index(fields=["stage", "on"]),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.stage} {self.on}"


class InitiativeLink(models.Model):
    """Where an initiative came from: a body's proposal to a state body, or a citizen's appeal
    (the appeal's applicant and text stay with the appeal)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="links", verbose_name=_("initiative")
    )
    proposal = models.ForeignKey(
        "appeals.Proposal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deputy_initiative_links",
        verbose_name=_("proposal to a state body"),
    )
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deputy_initiative_links",
        verbose_name=_("appeal"),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["linked_at", "id"]
        verbose_name = _("source of an initiative")
        verbose_name_plural = _("sources of initiatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False, appeal__isnull=True)
                | Q(proposal__isnull=True, appeal__isnull=False),
                name="deputies_link_one_source",
            ),
            models.UniqueConstraint(
                fields=["initiative", "proposal"],
                condition=Q(proposal__isnull=False),
                name="deputies_link_proposal_once",
            ),
            models.UniqueConstraint(
                fields=["initiative", "appeal"],
                condition=Q(appeal__isnull=False),
                name="deputies_link_appeal_once",
            ),
        ]

    def __str__(self) -> str:
        source = f"proposal {self.proposal_id}" if self.proposal_id else f"appeal {self.appeal_id}"
        return f"{self.initiative_id} ← {source}"
