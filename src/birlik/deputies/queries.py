"""Reads of initiatives shared by the staff pages, the public page, the figures and (later) the
proposal's page: which initiatives the public sees, an initiative's stage as at a past day, the
people and state bodies a form may offer, and the proposals and appeals an initiative came from
as the reader may see them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.urls import reverse

from birlik.access import policies
from birlik.appeals.models import Appeal, Proposal, StateBody
from birlik.core import collation
from birlik.core.search import contains_q, words_q
from birlik.core.workdays import legal_today
from birlik.geo.models import Region
from birlik.registry.models import Membership, Organisation, Person
from birlik.registry.queries import active_on

from .models import RAISING_KINDS, Initiative, InitiativeLink, InitiativeStage, Level, Stage

LANGS = ("kk", "ru", "en")
FOUND_SHOWN = 10  # candidates shown for a search of proposals or appeals to link


# --- Which initiatives ---------------------------------------------------------------------------


def public_initiatives() -> QuerySet[Initiative]:
    """Initiatives the public may read: those submitted at some point (a draft, or one withdrawn
    before it was submitted, is never shown)."""
    return Initiative.objects.filter(submitted_on__isnull=False)


def stage_as_at(on: datetime.date) -> Subquery:
    """The stage an initiative had reached on ``on`` (its latest stage row dated that day or
    before; rows of one day in the order they were recorded)."""
    return Subquery(
        InitiativeStage.objects.filter(initiative=OuterRef("pk"), on__lte=on)
        .order_by("-on", "-id")
        .values("stage")[:1]
    )


def submitted_between(
    start: datetime.date, end: datetime.date, region: Region | None = None
) -> QuerySet[Initiative]:
    """Initiatives submitted from ``start`` to ``end`` (both included), by the raising body's
    region when one is given."""
    qs = Initiative.objects.filter(submitted_on__gte=start, submitted_on__lte=end)
    return qs.filter(organisation__region=region) if region is not None else qs


def counts_by_level_and_stage(
    start: datetime.date, end: datetime.date, region: Region | None = None
) -> list[dict[str, Any]]:
    """Initiatives submitted in the period, by level and by the stage reached on ``end``."""
    rows = (
        submitted_between(start, end, region)
        .annotate(stage_then=stage_as_at(end))
        .values("level", "stage_then")
        .annotate(value=Count("id"))
        .order_by("level", "stage_then")
    )
    return [
        {"initiative_level": r["level"], "initiative_stage": r["stage_then"], "value": r["value"]}
        for r in rows
    ]


def adopted_by_level(
    start: datetime.date, end: datetime.date, region: Region | None = None
) -> list[dict[str, Any]]:
    """Initiatives adopted from ``start`` to ``end``, by level (the date of the stage row)."""
    qs = InitiativeStage.objects.filter(stage=Stage.ADOPTED, on__gte=start, on__lte=end)
    if region is not None:
        qs = qs.filter(initiative__organisation__region=region)
    rows = (
        qs.values("initiative__level")
        .annotate(value=Count("initiative", distinct=True))
        .order_by("initiative__level")
    )
    return [{"initiative_level": r["initiative__level"], "value": r["value"]} for r in rows]


def search_q(text: str) -> Q:
    """Initiatives whose number or question raised (in any language) contains ``text``."""
    return words_q(("number", *(f"title_{lang}" for lang in LANGS)), text, max_words=8)


def initiatives_for_proposal(proposal: Proposal, user: Any) -> QuerySet[Initiative]:
    """The initiatives that came from ``proposal`` and that ``user`` may read: those in their
    workspace scope (``in_scope``: link to the staff page) and those the public sees (link to
    the public page). For the proposal's page."""
    from .policies import initiative_scope

    scope = initiative_scope(user)
    linked = InitiativeLink.objects.filter(proposal=proposal).values("initiative_id")
    return (
        Initiative.objects.filter(pk__in=linked)
        .filter(scope | Q(submitted_on__isnull=False))
        .annotate(in_scope=ExpressionWrapper(scope, output_field=BooleanField()))
        .select_related("organisation", "state_body")
        .order_by("-drafted_on", "-id")
    )


# --- What a form may offer -----------------------------------------------------------------------


def raising_bodies(user: Any) -> QuerySet[Organisation]:
    """Active bodies that raise initiatives (the deputy group, assemblies) in the user's staff
    subtrees."""
    from .policies import raising_bodies_q

    return Organisation.objects.filter(
        raising_bodies_q(user),
        kind__code__in=RAISING_KINDS,
        status=Organisation.Status.ACTIVE,
    ).order_by("path")


def author_candidates(
    body: Organisation, user: Any, *, keep: tuple[int, ...] = ()
) -> QuerySet[Person]:
    """People with a current term in the raising body (its deputies), among the people the user
    may pick (``policies.scoped``); ``keep``: authors already named, whose term may have ended."""
    members = Membership.objects.filter(active_on(legal_today()), organisation=body).values(
        "person_id"
    )
    people = Person.objects.filter(Q(pk__in=members) | Q(pk__in=keep))
    return collation.ordered(policies.scoped(people, user), "last_name", "first_name")


def addressable_state_bodies(body: Organisation) -> QuerySet[StateBody]:
    """The chambers of Parliament, and the maslikhats: the one of the body's region, or every
    maslikhat for a body of the whole country."""
    maslikhats = Q(kind=StateBody.Kind.MASLIKHAT)
    if body.region_id is not None:
        maslikhats &= Q(region_id=body.region_id)
    return StateBody.objects.filter(
        Q(kind=StateBody.Kind.PARLIAMENT) | maslikhats, is_active=True
    ).order_by("kind", "code")


def level_of(state_body: StateBody) -> str | None:
    """The level an initiative to ``state_body`` is at; None for a body that takes none."""
    return {
        StateBody.Kind.PARLIAMENT: Level.PARLIAMENT,
        StateBody.Kind.MASLIKHAT: Level.MASLIKHAT,
    }.get(state_body.kind)  # type: ignore[call-overload]


# --- Where it came from --------------------------------------------------------------------------


def linkable_proposals(user: Any) -> QuerySet[Proposal]:
    """Proposals the user may read (the appeals policy's scope), once approved (a draft may
    never be sent)."""
    return policies.scoped(Proposal.objects.exclude(status=Proposal.Status.DRAFT), user)


def linkable_appeals(user: Any) -> QuerySet[Appeal]:
    """Appeals whose register the user may read (the appeals policy's scope and right)."""
    if not policies.can(user, "appeals.view_register"):
        return Appeal.objects.none()
    return policies.scoped(Appeal.objects.all(), user)


@dataclass(frozen=True)
class Found:
    """Candidates to link, found by the staff's search on the initiative's page."""

    text: str
    proposals: list[Proposal] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)


def find_sources(user: Any, text: str, *, exclude: Initiative | None = None) -> Found:
    """Proposals whose title or outgoing number contains ``text``, and the appeal whose
    registration number it is, among those the user may read (not those already linked)."""
    text = " ".join(text.split())[:100]
    if not text:
        return Found(text="")
    proposals = linkable_proposals(user).filter(
        contains_q(("title",), text) | Q(number__iexact=text)
    )
    appeals = linkable_appeals(user).filter(number__iexact=text)
    if exclude is not None:
        proposals = proposals.exclude(deputy_initiative_links__initiative=exclude)
        appeals = appeals.exclude(deputy_initiative_links__initiative=exclude)
    return Found(
        text=text,
        proposals=list(
            proposals.select_related("organisation", "state_body")
            .defer("text", "answer_text")
            .order_by("-created_at", "-id")[:FOUND_SHOWN]
        ),
        # The register only: neither the applicant nor the text is read.
        appeals=list(
            appeals.select_related("organisation")
            .defer(
                "text",
                "answer_text",
                "applicant_name",
                "applicant_address",
                "applicant_phone",
                "applicant_email",
                "organisation__search_text",
                "organisation__description",
            )
            .order_by("-received_at", "-id")[:FOUND_SHOWN]
        ),
    )


@dataclass(frozen=True)
class ShownProposal:
    link_id: int
    title: str
    number: str
    body: str
    state_body: str
    status: str
    url: str


@dataclass(frozen=True)
class ShownAppeal:
    link_id: int
    appeal: Appeal
    number: str
    url: str
    # Shown only to the staff named on the appeal (who read its text): the page audits it.
    subject: str = ""


@dataclass(frozen=True)
class Sources:
    """An initiative's proposals and appeals as one reader may see them: those the reader may
    read, and how many others there are (never what they say, nor who wrote them)."""

    proposals: list[ShownProposal]
    other_proposals: int
    appeals: list[ShownAppeal]
    other_appeals: int

    @property
    def count(self) -> int:
        return len(self.proposals) + self.other_proposals + len(self.appeals) + self.other_appeals


def sources(initiative: Initiative, user: Any) -> Sources:
    """The proposals and appeals ``initiative`` came from, as ``user`` may see them: a proposal
    they may read with its title; an appeal whose register they may read by its registration
    number (and its subject when they are named on it); the others only counted."""
    links = list(
        initiative.links.select_related(
            "proposal", "proposal__organisation", "proposal__state_body"
        )
        .defer("proposal__text", "proposal__answer_text")
        .order_by("linked_at", "id")
    )
    proposal_ids = [link.proposal_id for link in links if link.proposal_id]
    appeal_ids = [link.appeal_id for link in links if link.appeal_id]
    readable_proposals = set(
        linkable_proposals(user).filter(pk__in=proposal_ids).values_list("pk", flat=True)
    )
    appeals = {
        appeal.pk: appeal
        for appeal in linkable_appeals(user)
        .filter(pk__in=appeal_ids)
        .select_related("organisation")
        .only("pk", "number", "subject", "organisation__path")
    }
    shown_proposals: list[ShownProposal] = []
    shown_appeals: list[ShownAppeal] = []
    for link in links:
        proposal = link.proposal
        if proposal is not None and proposal.pk in readable_proposals:
            shown_proposals.append(
                ShownProposal(
                    link_id=link.pk,
                    title=proposal.title,
                    number=proposal.number,
                    body=proposal.organisation.name,
                    state_body=proposal.state_body.name,
                    status=str(proposal.get_status_display()),
                    url=reverse("appeals:proposal", kwargs={"pk": proposal.pk}),
                )
            )
        appeal = appeals.get(link.appeal_id) if link.appeal_id else None
        if appeal is not None and policies.can(user, "appeals.view_register", appeal):
            named = policies.can(user, "appeals.view_content", appeal)
            shown_appeals.append(
                ShownAppeal(
                    link_id=link.pk,
                    appeal=appeal,
                    number=appeal.number,
                    url=reverse("appeals:detail", kwargs={"pk": appeal.pk}),
                    subject=appeal.subject if named else "",
                )
            )
    return Sources(
        proposals=shown_proposals,
        other_proposals=len(proposal_ids) - len(shown_proposals),
        appeals=shown_appeals,
        other_appeals=len(appeal_ids) - len(shown_appeals),
    )


def source_counts(initiative: Initiative) -> tuple[int, int]:
    """How many proposals and appeals an initiative came from (for the public page)."""
    counts = initiative.links.aggregate(proposals=Count("proposal"), appeals=Count("appeal"))
    return int(counts["proposals"] or 0), int(counts["appeals"] or 0)
