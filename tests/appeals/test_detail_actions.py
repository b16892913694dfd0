"""An appeal's page offers exactly the actions its services accept: for every state and every
role, each action shown succeeds when posted and each action hidden is refused with a message
(403 or 400, never 500); the next step comes first, the drafter is not offered the approval,
the term is a coloured badge, people are named by full name and the language by its name."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from birlik.access.models import Role, User
from birlik.appeals import services
from birlik.appeals.models import Appeal, AppealHandler, AppealStep, StateBody
from birlik.core.workdays import add_working_days
from tests import record_actions

from ..factories import GrantFactory, UserFactory
from .helpers import register

# Received on Monday 2 February 2026: due Monday 23 February, extendable to 2 April 2026.
RECEIVED = "2026-02-02 11:00:00+05:00"
WITHIN_TERM = "2026-02-10 11:00:00+05:00"
AFTER_TERM = "2026-03-02 11:00:00+05:00"
ACTIONS = ("take_on", "assign", "draft", "approve", "extend", "redirect", "note", "close")
ANSWER = "Жол жөндеу жұмыстары мамыр айында басталады."
HANDLING = {"assign", "draft", "extend", "redirect", "note", "close"}


@dataclass
class People:
    registrar: User  # registered the paper appeal
    executor: User  # assigned; drafts the answer
    approver: User  # a colleague who took the appeal on
    outsider: User  # staff of the same body, not named on the appeal
    auditor: User

    def by_role(self) -> dict[str, User]:
        return {
            "registrar": self.registrar,
            "executor": self.executor,
            "approver": self.approver,
            "outsider": self.outsider,
            "auditor": self.auditor,
        }


@pytest.fixture
def people(network) -> People:
    def colleague(username: str, full_name: str) -> User:
        user = UserFactory(username=username, full_name=full_name)
        GrantFactory(user=user, role=Role.BODY_STAFF, organisation=network.pavlodar_house)
        return user

    return People(
        registrar=network.users["staff_pavlodar_house"],
        executor=colleague("g.alieva", "Гүлнар Әлиева"),
        approver=colleague("d.serikuly", "Дәурен Серікұлы"),
        outsider=colleague("a.ospanova", "Айгүл Оспанова"),
        auditor=network.users["auditor"],
    )


def akimat(network) -> StateBody:
    body = StateBody.objects.filter(region=network.pavlodar.region, kind="akimat").first()
    assert body is not None, "the catalogue of state bodies has no akimat of Pavlodar region"
    return body


# --- The states, each made through the services -------------------------------------------


def _registered(network, p: People, **overrides) -> Appeal:
    with freeze_time(RECEIVED):
        appeal = register(network.pavlodar_house, actor=p.registrar, **overrides)
    services.appeal_take_on(actor=p.approver, appeal=appeal)
    return appeal


def _in_progress(network, p: People) -> Appeal:
    appeal = _registered(network, p)
    return services.appeal_assign(actor=p.registrar, appeal=appeal, executor=p.executor)


def _drafted(network, p: People) -> Appeal:
    appeal = _in_progress(network, p)
    return services.appeal_draft_answer(actor=p.executor, appeal=appeal, text=ANSWER)


def _extended(network, p: People, until: datetime.date) -> Appeal:
    appeal = _in_progress(network, p)
    return services.appeal_extend(actor=p.executor, appeal=appeal, until=until, reason="Сараптама")


STATES: dict[str, tuple[Callable[..., Appeal], str]] = {
    "registered": (_registered, WITHIN_TERM),
    "in_progress": (_in_progress, WITHIN_TERM),
    "drafted": (_drafted, WITHIN_TERM),
    "extended": (lambda n, p: _extended(n, p, datetime.date(2026, 3, 2)), WITHIN_TERM),
    "extended_to_the_cap": (lambda n, p: _extended(n, p, datetime.date(2026, 4, 2)), WITHIN_TERM),
    "overdue": (_in_progress, AFTER_TERM),
    "answered": (
        lambda n, p: services.appeal_approve_answer(actor=p.approver, appeal=_drafted(n, p)),
        WITHIN_TERM,
    ),
    "redirected": (
        lambda n, p: services.appeal_redirect(
            actor=p.registrar, appeal=_registered(n, p), state_body=akimat(n), reason="Құзырет"
        ),
        WITHIN_TERM,
    ),
    "closed": (
        lambda n, p: services.appeal_close(
            actor=p.registrar, appeal=_registered(n, p), reason="Өтініш иесі бас тартты."
        ),
        WITHIN_TERM,
    ),
    "not_considered": (
        lambda n, p: _registered(n, p, applicant_name="", applicant_phone="", consent=False),
        WITHIN_TERM,
    ),
}

# What each role is offered, state by state, and the next step (None: nothing is due).
NAMED = ("registrar", "executor", "approver")
NOT_NAMED = ({"take_on"}, "take_on")
NOTHING: tuple[set[str], str | None] = (set(), None)
EXPECTED: dict[str, dict[str, tuple[set[str], str | None]]] = {
    "registered": {
        "registrar": (HANDLING, "assign"),
        "executor": NOT_NAMED,
        "approver": (HANDLING, "assign"),
    },
    "in_progress": dict.fromkeys(NAMED, (HANDLING, "draft")),
    "drafted": {
        "registrar": (HANDLING | {"approve"}, "approve"),
        "executor": (HANDLING, "draft"),  # the drafter: no approval
        "approver": (HANDLING | {"approve"}, "approve"),
    },
    "extended": dict.fromkeys(NAMED, (HANDLING, "draft")),
    "extended_to_the_cap": dict.fromkeys(NAMED, (HANDLING - {"extend"}, "draft")),
    "overdue": dict.fromkeys(NAMED, (HANDLING - {"extend"}, "draft")),
    "answered": dict.fromkeys(NAMED, ({"note", "close"}, "close")),
    "redirected": {
        "registrar": ({"note", "close"}, "close"),
        "executor": NOT_NAMED,
        "approver": ({"note", "close"}, "close"),
    },
    "closed": {
        "registrar": ({"note"}, None),
        "executor": NOT_NAMED,
        "approver": ({"note"}, None),
    },
    "not_considered": {
        "registrar": ({"note", "close"}, "close"),
        "executor": NOT_NAMED,
        "approver": ({"note", "close"}, "close"),
    },
}
for expected in EXPECTED.values():
    expected.setdefault("outsider", NOT_NAMED)
    expected.setdefault("auditor", NOTHING)  # sees the register, may not act


# --- Reading the page --------------------------------------------------------------------------


def url(name: str, appeal: Appeal) -> str:
    return reverse(f"appeals:{name}", kwargs={"pk": appeal.pk})


def shown_actions(page: str, appeal: Appeal) -> tuple[set[str], str | None]:
    """The actions whose forms the page has, and the one in the next-step card."""
    following, shown = record_actions.shown_actions(
        page, {name: url(name, appeal) for name in ACTIONS}
    )
    if 'class="card next-step"' in page:
        assert following is not None, "the next-step card has no form"
    return shown, following


def folded(page: str, appeal: Appeal) -> set[str]:
    """The actions inside a closed <details>: open only when asked."""
    by_url = {url(name, appeal): name for name in ACTIONS}
    blocks = re.findall(r"<details class=\"action\"[^>]*>(.*?)</details>", page, re.S)
    return {
        by_url[address]
        for block in blocks
        for address in re.findall(r'action="([^"]+)"', block)
        if address in by_url
    }


def post_data(name: str, appeal: Appeal, network, p: People) -> dict[str, object]:
    data: dict[str, dict[str, object]] = {
        "take_on": {},
        "assign": {"executor": p.executor.pk},
        "draft": {"text": ANSWER},
        "approve": {},
        "extend": {
            "until": add_working_days(appeal.effective_due, 1).isoformat(),
            "reason": "Сараптама қажет",
        },
        "redirect": {"state_body": akimat(network).pk, "reason": "Әкімдіктің құзыреті"},
        "note": {"text": "Ауыл әкімдігімен сөйлестім."},
        "close": {"reason": "Өтініш иесі бас тартты."},
    }
    return data[name]


class Undo(Exception):
    """Rolls one tried action back, so the next one starts from the same state."""


def snapshot(appeal: Appeal) -> tuple[object, ...]:
    row = Appeal.objects.get(pk=appeal.pk)
    return (
        row.status,
        row.executor_id,
        row.answer_text,
        row.effective_due,
        AppealStep.objects.filter(appeal=appeal).count(),
        AppealHandler.objects.filter(appeal=appeal).count(),
    )


def try_action(client: Client, name: str, appeal: Appeal, data: dict[str, object]):
    """POST one action inside a savepoint rolled back afterwards; returns (response, changed)."""
    before = snapshot(appeal)
    outcome: dict[str, Any] = {}
    try:
        with transaction.atomic():
            outcome["response"] = client.post(url(name, appeal), data)
            outcome["changed"] = snapshot(appeal) != before
            raise Undo
    except Undo:
        pass
    return outcome["response"], outcome["changed"]


# --- The tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("state", list(STATES))
def test_the_page_offers_exactly_the_actions_the_services_accept(state, network, people, client):
    build, now = STATES[state]
    with freeze_time(WITHIN_TERM):
        appeal = build(network, people)
    with freeze_time(now):
        for role, user in people.by_role().items():
            client.force_login(user)
            response = client.get(url("detail", appeal))
            assert response.status_code == 200
            page = response.content.decode()
            shown, following = shown_actions(page, appeal)
            assert (shown, following) == EXPECTED[state][role], role
            # Only the next step is open; every other action is folded.
            assert folded(page, appeal) == shown - {following}, role

            for name in ACTIONS:
                response, changed = try_action(
                    client, name, appeal, post_data(name, appeal, network, people)
                )
                where = f"{state}: {role} posting {name}"
                if name in shown:
                    assert response.status_code == 302, where
                    assert response["Location"] == url("detail", appeal), where
                    assert changed, where
                    continue
                assert not changed, where
                if name == "take_on" and response.status_code == 302:
                    # Staff already named on the appeal: taking it on again changes nothing.
                    assert AppealHandler.objects.filter(appeal=appeal, user=user).exists(), where
                    continue
                assert response.status_code in {400, 403}, where
                if response.status_code == 400:
                    text = response.content.decode()
                    assert 'class="errorlist"' in text or "message-error" in text, where


def test_the_drafter_is_not_offered_the_approval_and_a_colleague_is(network, people, client):
    with freeze_time(WITHIN_TERM):
        appeal = _drafted(network, people)
        client.force_login(people.executor)
        page = client.get(url("detail", appeal)).content.decode()
        assert "Approve and send" not in page
        assert "You drafted the answer: another member of staff approves and sends it." in page
        response = client.post(url("approve", appeal))
        assert response.status_code == 400
        assert "Another member of staff must approve the answer you drafted." in (
            response.content.decode()
        )

        client.force_login(people.approver)
        page = client.get(url("detail", appeal)).content.decode()
        next_step = page.split('class="card next-step"', 1)[1].split("</section>", 1)[0]
        assert "Approve and send" in next_step
        assert 'class="primary"' in next_step
        assert "You drafted the answer" not in page


def test_a_coordinator_who_drafted_may_still_approve(network, people, client):
    coordinator = network.users["coordinator_pavlodar"]
    with freeze_time(WITHIN_TERM):
        appeal = _in_progress(network, people)
        services.appeal_take_on(actor=coordinator, appeal=appeal)
        services.appeal_draft_answer(actor=coordinator, appeal=appeal, text=ANSWER)
        client.force_login(coordinator)
        shown, following = shown_actions(client.get(url("detail", appeal)).content.decode(), appeal)
        assert following == "approve"
        assert client.post(url("approve", appeal)).status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ANSWERED


def test_an_action_refused_meanwhile_shows_the_services_message(network, people, client):
    """Another handler closed the appeal while this page was open: the draft is refused and
    the page says why, though it no longer offers the form."""
    with freeze_time(WITHIN_TERM):
        appeal = _in_progress(network, people)
        services.appeal_close(actor=people.registrar, appeal=appeal, reason="Қайталанған өтініш")
        client.force_login(people.executor)
        response = client.post(url("draft", appeal), {"text": ANSWER})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This appeal is no longer open." in page
    assert f'action="{url("draft", appeal)}"' not in page


@pytest.mark.parametrize(
    ("now", "tone", "text"),
    [
        ("2026-02-10 11:00:00+05:00", "ok", "9 working days left"),
        ("2026-02-19 11:00:00+05:00", "soon", "2 working days left"),
        ("2026-02-23 11:00:00+05:00", "soon", "last day today"),
        ("2026-02-25 11:00:00+05:00", "late", "2 working days late"),
    ],
)
def test_the_days_left_are_a_coloured_badge(now, tone, text, network, people, client):
    with freeze_time(WITHIN_TERM):
        appeal = _in_progress(network, people)
    client.force_login(people.executor)
    with freeze_time(now):
        page = client.get(url("detail", appeal)).content.decode()
    badge = re.search(r'<span class="badge due due-(\w+)">(.*?)</span>', page, re.S)
    assert badge is not None
    assert badge.group(1) == tone
    assert re.sub(r"<[^>]+>", "", badge.group(2)).strip() == text


def test_an_answered_appeal_has_no_days_left_badge(network, people, client):
    with freeze_time(WITHIN_TERM):
        appeal = services.appeal_approve_answer(
            actor=people.approver, appeal=_drafted(network, people)
        )
        client.force_login(people.registrar)
        page = client.get(url("detail", appeal)).content.decode()
    assert "badge due" not in page


def test_people_are_named_by_full_name_and_the_language_by_its_name(network, people, client):
    nameless = UserFactory(username="n.nameless", full_name="", email="nameless@example.kz")
    GrantFactory(user=nameless, role=Role.BODY_STAFF, organisation=network.pavlodar_house)
    with freeze_time(WITHIN_TERM):
        appeal = _registered(network, people, language="ru")
        services.appeal_assign(actor=people.registrar, appeal=appeal, executor=people.executor)
        services.appeal_take_on(actor=nameless, appeal=appeal)
        client.force_login(people.approver)
        page = client.get(url("detail", appeal)).content.decode()
    facts = page.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    assert "<dd>Russian</dd>" in facts
    assert "<dd>ru</dd>" not in facts
    assert "Гүлнар Әлиева" in facts  # the executor
    assert f"Executor assigned ({people.registrar.full_name}): Гүлнар Әлиева" in page
    for user in (people.registrar, people.executor, people.approver, nameless):
        assert user.username not in page
    assert "nameless@example.kz" in page  # an account without a name: its e-mail


def test_the_page_of_a_handler_costs_a_bounded_number_of_queries(
    network, people, client, django_assert_max_num_queries
):
    with freeze_time(WITHIN_TERM):
        appeal = _drafted(network, people)
        for number in range(5):
            services.appeal_note(actor=people.executor, appeal=appeal, text=f"Note {number}")
        client.force_login(people.approver)
        with django_assert_max_num_queries(30) as few:
            assert client.get(url("detail", appeal)).status_code == 200
        for number in range(5, 15):
            services.appeal_note(actor=people.executor, appeal=appeal, text=f"Note {number}")
        # Ten more steps in the history cost no query more: the page reads them at once.
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(url("detail", appeal)).content.decode()
        assert "Note 14" in page
