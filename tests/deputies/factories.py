"""Initiatives for the tests, written through the services (numbers, stage rows, audit rows)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from birlik.appeals.models import StateBody
from birlik.deputies import services
from birlik.deputies.models import Initiative, Stage

QUESTION = "Этномәдени бірлестіктердің мәртебесін заңда нақтылау ұсынылады."


def state_body(code: str) -> StateBody:
    return StateBody.objects.get(code=code)


def make_initiative(
    *,
    actor: Any,
    organisation: Any,
    to: str = "parliament-mazhilis",
    title: str = "Этномәдени бірлестіктердің мәртебесі",
    authors: Iterable[Any] = (),
    drafted_on: datetime.date | None = None,
    stages: Sequence[tuple[str, datetime.date]] = (),
) -> Initiative:
    """An initiative drafted (on ``drafted_on``) and moved through ``stages`` ((stage, day)…)."""
    item = services.initiative_create(
        actor=actor,
        organisation=organisation,
        state_body=state_body(to),
        titles={"kk": title, "en": title + " (en)"},
        questions={"kk": QUESTION},
        authors=authors,
        drafted_on=drafted_on,
    )
    for stage, on in stages:
        item = services.initiative_move(
            actor=actor,
            initiative=item,
            stage=stage,
            on=on,
            note="Себебі" if stage == Stage.WITHDRAWN else "",
        )
    return item


def through(*days: datetime.date, end: str = "") -> list[tuple[str, datetime.date]]:
    """The usual path (submitted, under consideration, then ``end``) on the given days."""
    path = [Stage.SUBMITTED, Stage.CONSIDERATION, *([end] if end else [])]
    return list(zip(path, days, strict=False))


def make_appeal(body: Any, *, applicant: str = "Өтінішбаев Арман", subject: str = "") -> Any:
    from birlik.appeals import services as appeals

    return appeals.appeal_register(
        organisation=body,
        kind="proposal",
        text="Ауылда тіл курсын ашуды сұраймын, кешкі топ керек.",
        language="kk",
        applicant_name=applicant,
        applicant_phone="+77011234567",
        consent=True,
        subject=subject,
    )


def make_proposal(body: Any, *, drafter: Any, approver: Any, sent: bool = True) -> Any:
    """A proposal of ``body`` to a ministry, approved by someone other than the drafter and
    (when ``sent``) sent."""
    from birlik.appeals import services as appeals

    proposal = appeals.proposal_draft(
        actor=drafter,
        organisation=body,
        state_body=state_body("ministry-culture_information"),
        title="Тіл курстарын кеңейту",
        text="Ауылдық аудандарда тіл курстарын ашу қажет, себебі сұраныс көп.",
    )
    if sent:
        proposal = appeals.proposal_approve(actor=approver, proposal=proposal)
        proposal = appeals.proposal_send(actor=drafter, proposal=proposal, number="01-15/7")
    return proposal
