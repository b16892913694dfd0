"""The request page offers exactly the actions the services accept, the next step first.

For each state of a request and each person named on it (caseworker, centre head), the forms on
the page are compared with what a POST does: every action shown is accepted, every action not
shown is refused with the service's own message and changes nothing. A colleague not named on
the request sees the register only and may do nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from birlik.charity import services
from birlik.charity.models import HelpRequest, Kind
from tests.record_actions import assert_actions_do_what_the_page_shows, shown_actions

from .factories import bring_to_helping, give, make_request, pdf_upload

ACTIONS = services.REQUEST_ACTIONS


@pytest.fixture(autouse=True)
def _english_pages(_kazakh_by_default):
    from django.utils import translation

    translation.activate("en")
    yield


def _url(help_request: HelpRequest, action: str) -> str:
    return reverse("charity:action", args=[help_request.pk, action])


def _valid_data(charity: Any, action: str) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    return {
        "start": {},
        "visit": {"visit_on": today, "note": "Отбасы үйде тұрады"},
        "document": {"purpose": "verification", "file": pdf_upload()},
        "verify": {"public_need": "Мектепке дайындық"},
        "attach": {"project": charity.project.pk},
        "distribute": {"kind": "money", "amount": "1000", "signed": "on"},
        "deliver": {},
        "close": {},
        "story": {
            "text_kk": "Отбасы мектепке дайындыққа көмек алды, рахмет айтты.",
            "consent_given_on": today,
        },
        "assign": {"worker": charity.colleague.pk},
        "reject": {"reason": "Шарттарға сәйкес келмейді"},
        "withdraw": {"reason": "Көмек енді қажет емес"},
    }[action]


def _visit(charity: Any) -> HelpRequest:
    return services.request_record_visit(
        actor=charity.worker,
        help_request=charity.request,
        visit_on=timezone.localdate(),
        note="Отбасы үйде тұрады",
    )


def _handed_out(charity: Any) -> HelpRequest:
    help_request = bring_to_helping(charity)
    give(charity, 100_000)
    services.distribution_record(
        actor=charity.worker, help_request=help_request, kind=Kind.MONEY, amount=5000, signed=True
    )
    return help_request


def _delivered(charity: Any) -> HelpRequest:
    help_request = _handed_out(charity)
    return services.request_deliver(actor=charity.worker, help_request=help_request)


STATES: dict[str, Callable[[Any], HelpRequest]] = {
    "received": lambda c: c.request,
    "verifying": lambda c: services.request_start_verification(
        actor=c.worker, help_request=c.request
    ),
    "visited": _visit,
    "verified": lambda c: services.request_verify(
        actor=c.worker, help_request=_visit(c), public_need="Мектепке дайындық"
    ),
    "helping": lambda c: (give(c, 100_000), bring_to_helping(c))[1],
    "handed_out": _handed_out,
    "delivered": _delivered,
    "closed": lambda c: services.request_close(actor=c.worker, help_request=_delivered(c)),
    "rejected": lambda c: services.request_reject(
        actor=c.worker, help_request=c.request, reason="Шарттарға сәйкес келмейді"
    ),
}

# (state, user): the next step, then the other actions offered.
EXPECTED = [
    ("received", "worker", "start", {"visit", "document", "reject", "withdraw"}),
    ("received", "head", "start", {"visit", "document", "assign", "reject", "withdraw"}),
    ("verifying", "worker", "visit", {"document", "reject", "withdraw"}),
    ("visited", "worker", "verify", {"visit", "document", "reject", "withdraw"}),
    ("verified", "worker", "attach", {"reject", "withdraw"}),
    ("helping", "worker", "distribute", {"attach", "withdraw"}),
    ("handed_out", "worker", "deliver", {"distribute"}),
    ("delivered", "head", "close", {"story", "assign"}),
    ("closed", "worker", None, {"story"}),
    ("rejected", "worker", None, set()),
    ("rejected", "head", None, {"assign"}),
]


def _shown(html: str, help_request: HelpRequest) -> tuple[str | None, set[str]]:
    return shown_actions(html, {name: _url(help_request, name) for name in ACTIONS})


def _facts(help_request: HelpRequest) -> tuple[Any, ...]:
    fresh = HelpRequest.objects.get(pk=help_request.pk)
    return (
        fresh.status,
        fresh.project_id,
        fresh.visit_on,
        fresh.documents.count(),
        fresh.distributions.count(),
        fresh.workers.count(),
        hasattr(fresh, "story"),
    )


@pytest.mark.parametrize(("state", "who", "next_step", "others"), EXPECTED)
def test_the_page_shows_what_the_services_accept(client, charity, state, who, next_step, others):
    help_request = STATES[state](charity)
    client.force_login(getattr(charity, who))
    page = client.get(reverse("charity:request", args=[help_request.pk]))
    assert page.status_code == 200
    step, shown = _shown(page.text, help_request)
    assert step == next_step
    assert shown == others | ({next_step} if next_step else set())

    posts = {
        action: (_url(help_request, action), _valid_data(charity, action))
        for action in ACTIONS
        # only the head names caseworkers: anyone else gets a 404 (below)
        if who == "head" or action != "assign"
    }
    assert_actions_do_what_the_page_shows(client, posts, shown, lambda: _facts(help_request))


def test_a_hidden_action_is_refused_with_the_services_message(client, charity):
    client.force_login(charity.worker)
    response = client.post(_url(charity.request, "deliver"), follow=True)
    assert response.status_code == 200
    assert "This cannot be done while the request is “received”." in response.text
    # Verifying without a visit or a document: not offered, and refused with the reason.
    response = client.post(
        _url(charity.request, "verify"), {"public_need": "Мектепке дайындық"}, follow=True
    )
    assert "Attach a document or record a home visit before verifying." in response.text
    charity.request.refresh_from_db()
    assert charity.request.status == HelpRequest.Status.RECEIVED


def test_a_colleague_not_named_sees_the_register_but_no_action(client, charity):
    client.force_login(charity.colleague)
    page = client.get(reverse("charity:request", args=[charity.request.pk]))
    assert page.status_code == 200
    assert "/do/" not in page.text
    for action in ACTIONS:
        response = client.post(_url(charity.request, action), _valid_data(charity, action))
        assert response.status_code == 404, action
    assert _facts(charity.request)[0] == HelpRequest.Status.RECEIVED


@pytest.mark.parametrize(
    ("urgency", "days_later", "text", "tone"),
    [
        ("normal", 0, "11 days left", "due-ok"),
        ("urgent", 0, "due today", "due-soon"),
        ("urgent", 3, "3 days overdue", "due-late"),
    ],
)
def test_the_verification_term_is_a_days_left_badge(
    client, charity, urgency, days_later, text, tone
):
    # Received on Monday 2 February 2026 (no holiday in February): 3 working days (urgent)
    # end on Thursday 5 February, 10 (normal) on Monday 16 February.
    with freeze_time("2026-02-02 05:00:00"):  # 10:00 in Almaty
        help_request = make_request(charity.centre, charity.worker, urgency=urgency)
    today = datetime.date(2026, 2, 5) + datetime.timedelta(days=days_later)
    due = datetime.date(2026, 2, 16 if urgency == "normal" else 5)
    with freeze_time(f"{today} 05:00:00"):
        client.force_login(charity.worker)
        html = client.get(reverse("charity:request", args=[help_request.pk])).text
    badge = f'<span class="badge due {tone}"><time datetime="{due:%Y-%m-%d}">{text}</time></span>'
    assert badge in html
    services.request_reject(actor=charity.worker, help_request=help_request, reason="Дубликат")
    client.force_login(charity.worker)
    assert "badge due" not in client.get(reverse("charity:request", args=[help_request.pk])).text
