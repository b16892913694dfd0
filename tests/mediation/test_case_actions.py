"""The case page offers exactly the actions the services accept, the next step first.

For each state of a case and each person named on it, the forms on the page are compared with
what a POST does: every action shown is accepted, every action not shown is refused with the
service's own message and changes nothing. People not named on the case see nothing at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from birlik.mediation import services
from birlik.mediation.models import MediationCase
from tests.record_actions import assert_actions_do_what_the_page_shows, shown_actions

from .conftest import upload

URLS = {
    "assign": "mediation:assign",
    "party": "mediation:add_party",
    "session": "mediation:session",
    "close": "mediation:close",
    "agreement": "mediation:agreement",
    "upload": "mediation:upload",
    "execution": "mediation:execution",
    "conflict": "mediation:conflict",
}


def _url(case: MediationCase, action: str) -> str:
    return reverse(URLS[action], kwargs={"pk": case.pk})


def _valid_data(med: Any, case: MediationCase, action: str) -> dict[str, Any]:
    parties = [str(pk) for pk in case.parties.values_list("pk", flat=True)]
    today = timezone.localdate().isoformat()
    return {
        "assign": {"mediator": med.other_mediator.pk},
        "party": {"name": "Бекова Айгерім"},
        "session": {
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "place": "Room 4",
            "present": parties,
        },
        "close": {"outcome": "agreement", "closed_on": today},
        "agreement": {"terms": "The parties share the costs of the repair equally."},
        "upload": {"kind": "other", "file": upload()},
        "execution": {"execution": "executed", "note": "Paid in full"},
        "conflict": {"note": "A neighbour of a party"},
    }[action]


def _requested(med: Any) -> MediationCase:
    return services.case_open(
        actor=med.head,
        centre=med.almaty_centre,
        kind="labour",
        source="court",
        parties=[
            services.PartyData(name="Ахметов Бауыржан"),
            services.PartyData(name="ТОО Береке"),
        ],
        consent=True,
    )


def _open(med: Any) -> MediationCase:
    return med.case


def _with_session(med: Any) -> MediationCase:
    services.session_record(
        actor=med.head,
        case=med.case,
        held_at=timezone.now(),
        place="Room 1",
        present=list(med.case.parties.values_list("pk", flat=True)),
    )
    return med.case


def _settled(med: Any) -> MediationCase:
    return services.case_close(actor=med.head, case=med.case, outcome="agreement")


def _no_agreement(med: Any) -> MediationCase:
    return services.case_close(actor=med.head, case=med.case, outcome="no_agreement")


def _refused(med: Any) -> MediationCase:
    return services.case_close(
        actor=med.head, case=med.case, outcome="refused", reason="The parties did not come."
    )


STATES: dict[str, Callable[[Any], MediationCase]] = {
    "requested": _requested,
    "open": _open,
    "open_with_session": _with_session,
    "settled": _settled,
    "no_agreement": _no_agreement,
    "refused": _refused,
}

# (state, user): the next step, then the other actions offered.
EXPECTED = [
    ("requested", "head_almaty", "assign", {"session", "close", "agreement", "upload", "party"}),
    ("open", "head_almaty", "session", {"assign", "close", "agreement", "upload", "party"}),
    ("open", "mediator_a", "session", {"close", "agreement", "upload", "party", "conflict"}),
    (
        "open_with_session",
        "mediator_a",
        "close",
        {"session", "agreement", "upload", "party", "conflict"},
    ),
    ("settled", "mediator_a", "execution", {"agreement", "upload"}),
    ("no_agreement", "head_almaty", None, {"upload"}),
    ("refused", "mediator_a", None, {"upload"}),
]


def _shown(html: str, case: MediationCase) -> tuple[str | None, set[str]]:
    return shown_actions(html, {name: _url(case, name) for name in URLS})


@pytest.mark.parametrize(("state", "username", "next_step", "others"), EXPECTED)
def test_the_page_shows_what_the_services_accept(client, med, state, username, next_step, others):
    case = STATES[state](med)
    client.force_login(med.users[username])
    page = client.get(reverse("mediation:case", args=[case.pk]))
    assert page.status_code == 200
    step, shown = _shown(page.text, case)
    assert step == next_step
    assert shown == others | ({next_step} if next_step else set())

    posts = {action: (_url(case, action), _valid_data(med, case, action)) for action in URLS}
    assert_actions_do_what_the_page_shows(client, posts, shown, lambda: _facts(case))


def _facts(case: MediationCase) -> tuple[Any, ...]:
    fresh = MediationCase.objects.get(pk=case.pk)
    return (
        fresh.status,
        fresh.execution,
        case.assignments.count(),
        case.sessions.count(),
        case.documents.count(),
        case.parties.count(),
    )


def test_a_hidden_action_is_refused_with_the_services_message(client, med):
    case = _refused(med)
    client.force_login(med.users["mediator_a"])
    response = client.post(_url(case, "session"), _valid_data(med, case, "session"), follow=True)
    assert response.status_code == 200
    assert "This case is closed." in response.text
    assert not case.sessions.exists()
    # A bad form for an action not offered is refused the same way, never a server error.
    response = client.post(_url(case, "close"), {"outcome": "nonsense"}, follow=True)
    assert "This case is closed." in response.text
    case.refresh_from_db()
    assert case.outcome == "refused"


@pytest.mark.parametrize("username", ["head_pavlodar", "mediator_b", "staff_almaty_centre"])
def test_people_not_named_on_the_case_see_and_do_nothing(client, med, username):
    client.force_login(med.users[username])
    assert client.get(reverse("mediation:case", args=[med.case.pk])).status_code == 404
    for action in URLS:
        response = client.post(_url(med.case, action), _valid_data(med, med.case, action))
        assert response.status_code == 404, action
    assert not med.case.sessions.exists()


@pytest.mark.parametrize(
    ("days_before", "text", "tone"),
    [
        (12, "12 days left", "due-ok"),
        (2, "2 days left", "due-soon"),
        (0, "due today", "due-soon"),
        (-3, "3 days overdue", "due-late"),
    ],
)
def test_the_follow_up_date_is_a_days_left_badge(client, med, days_before, text, tone):
    due = timezone.localdate() + datetime.timedelta(days=20)
    services.case_close(actor=med.head, case=med.case, outcome="agreement", execution_due=due)
    with freeze_time(f"{due - datetime.timedelta(days=days_before)} 05:00:00"):  # 10:00 Almaty
        client.force_login(med.users["mediator_a"])
        html = client.get(reverse("mediation:case", args=[med.case.pk])).text
    badge = f'<span class="badge due {tone}"><time datetime="{due:%Y-%m-%d}">{text}</time></span>'
    assert badge in html


def test_no_badge_once_the_execution_is_recorded(client, med):
    services.case_close(
        actor=med.head,
        case=med.case,
        outcome="agreement",
        execution_due=timezone.localdate() + datetime.timedelta(days=5),
    )
    services.execution_record(actor=med.head, case=med.case, execution="executed")
    client.force_login(med.head)
    html = client.get(reverse("mediation:case", args=[med.case.pk])).text
    assert "badge due" not in html
    assert "Executed" in html
