"""Collecting answers: the one check every way in calls, storing once per client_uuid, panel
tokens used once, the interview phone's sync and excluding a response."""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import translation

from birlik.access.models import AuditEntry
from birlik.core.errors import DomainError
from birlik.geo.models import Region
from birlik.registry.models import EthnicGroup
from birlik.surveys import services
from birlik.surveys.models import Mode, PanelInvitation, Response, Survey

from .factories import demographic_specs, make_survey, make_version, trust_version

pytestmark = pytest.mark.django_db


def kinds_version(organisation):
    """One question of every kind, with a skip rule: Q2 only when Q1 is "1"."""
    return make_version(
        organisation,
        [
            ("Q1", "single", {"options": ["1", "2"], "required": True}),
            (
                "Q2",
                "text",
                {"required": True, "show_if": {"q": "Q1", "op": "eq", "v": "1"}},
            ),
            ("Q3", "multiple", {"options": ["a", "b", "c"]}),
            ("Q4", "scale", {"scale_min": 0, "scale_max": 10, "options": ["88", "99"]}),
            ("Q5", "number", {"number_min": 0, "number_max": 120}),
            (
                "Q6",
                "matrix",
                {"scale_min": 1, "scale_max": 5, "rows": ["r1", "r2"], "options": ["88"]},
            ),
        ],
    )


def check(version, raw: dict[str, Any]) -> services.Checked:
    return services.response_check(version, raw)


def errors_of(version, raw: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(services.ResponseInvalid) as caught:
        services.response_check(version, raw)
    return caught.value.errors


# --- response_check ---------------------------------------------------------------------------


def test_a_visible_required_question_needs_an_answer_a_hidden_one_does_not(network):
    version = kinds_version(network.root)
    with translation.override("en"):
        assert errors_of(version, {"Q1": "1"}) == {"Q2": "This question needs an answer."}
    assert check(version, {"Q1": "2"}).answers == {"Q1": "2"}


def test_answers_to_hidden_questions_and_unknown_codes_are_dropped(network):
    version = kinds_version(network.root)
    checked = check(version, {"Q1": "2", "Q2": "hidden text", "ZZ": "what"})
    assert checked.answers == {"Q1": "2"}


def test_every_kind_is_parsed_from_form_strings(network):
    version = kinds_version(network.root)
    checked = check(
        version,
        {
            "Q1": "1",
            "Q2": "  kind words ",
            "Q3": "a; c",
            "Q4": "7",
            "Q5": "7,5",
            "Q6__r1": "3",
            "Q6__r2": "88",
        },
    )
    assert checked.answers == {
        "Q1": "1",
        "Q2": "kind words",
        "Q3": ["a", "c"],
        "Q4": 7,
        "Q5": 7.5,
        "Q6": {"r1": 3, "r2": "88"},
    }


def test_every_kind_is_parsed_from_json(network):
    version = kinds_version(network.root)
    checked = check(
        version,
        {
            "Q1": 1,
            "Q2": "yes",
            "Q3": ["b", "a", "b"],
            "Q4": "99",
            "Q5": 30,
            "Q6": {"r1": 5, "r2": 1, "r9": 2},
        },
    )
    assert checked.answers == {
        "Q1": "1",
        "Q2": "yes",
        "Q3": ["b", "a"],
        "Q4": "99",
        "Q5": 30,
        "Q6": {"r1": 5, "r2": 1},
    }
    assert check(version, {"Q1": "2", "Q3": "a, b"}).answers["Q3"] == ["a", "b"]


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ({"Q1": "3"}, "Q1", "Choose one of the options offered."),
        ({"Q1": ["1", "2"]}, "Q1", "Choose one of the options offered."),
        ({"Q3": "a;z"}, "Q3", "Choose among the options offered."),
        ({"Q4": "11"}, "Q4", "Choose a point from 0 to 10."),
        ({"Q4": "7.5"}, "Q4", "Choose a point from 0 to 10."),
        ({"Q4": "77"}, "Q4", "Choose a point from 0 to 10."),
        ({"Q5": "many"}, "Q5", "Enter a number."),
        ({"Q5": True}, "Q5", "Enter a number."),
        ({"Q5": "121"}, "Q5", "Enter a number from 0 to 120."),
        ({"Q5": "-1"}, "Q5", "Enter a number from 0 to 120."),
        ({"Q6__r1": "6"}, "Q6", "Choose a point from 1 to 5."),
        ({"Q6": {"r1": "99"}}, "Q6", "Choose a point from 1 to 5."),
    ],
)
def test_each_kind_has_its_message(network, raw, code, message):
    version = kinds_version(network.root)
    with translation.override("en"):
        assert errors_of(version, {"Q1": "2", **raw}) == {code: message}


def test_long_text_is_refused_and_messages_are_translated(network):
    version = kinds_version(network.root)
    with translation.override("en"):
        errors = errors_of(version, {"Q1": "1", "Q2": "x" * 2001})
    assert errors == {"Q2": "Keep the answer under 2000 characters (it has 2001)."}
    assert check(version, {"Q1": "1", "Q2": "x" * 2000}).answers["Q2"] == "x" * 2000
    with translation.override("kk"):
        kk = errors_of(version, {})
    with translation.override("kk"):
        assert kk["Q1"] == translation.gettext("This question needs an answer.")


def test_a_required_matrix_needs_every_row(network):
    version = make_version(
        network.root,
        [("M", "matrix", {"scale_min": 1, "scale_max": 5, "rows": ["a", "b"], "required": True})],
    )
    with translation.override("en"):
        assert errors_of(version, {"M__a": "2"}) == {"M": "Answer every row."}
        assert errors_of(version, {}) == {"M": "This question needs an answer."}
    assert check(version, {"M__a": "2", "M__b": 4}).answers == {"M": {"a": 2, "b": 4}}


def test_demographic_questions_fill_the_columns(network):
    version = trust_version(network.root)
    group = EthnicGroup.objects.order_by("position").first()
    checked = check(
        version,
        {
            "D_REGION": "KZ-55",
            "D_SETTLEMENT": "rural",
            "D_SEX": "female",
            "D_AGE": "30-44",
            "D_ETHNIC": group.code,
            "D_LANG": "kk",
            **dict.fromkeys(("T1", "T2", "T3", "T4", "T5"), "5"),
        },
    )
    assert checked.demographics == {
        "region": Region.objects.get(iso="KZ-55"),
        "settlement_type": "rural",
        "sex": "female",
        "age_group": "30-44",
        "ethnic_group": group,
        "home_language": "kk",
    }
    assert checked.answers["D_REGION"] == "KZ-55"


def test_an_unknown_region_or_ethnic_group_is_an_error_on_its_question(network):
    specs = [
        ("D_REGION", "single", {"options": ["KZ-55", "KZ-00"], "role": "region"}),
        ("D_ETHNIC", "single", {"options": ["nobody-knows"], "role": "ethnic_group"}),
    ]
    version = make_version(network.root, specs)
    with translation.override("en"):
        errors = errors_of(version, {"D_REGION": "KZ-00", "D_ETHNIC": "nobody-knows"})
    assert errors == {
        "D_REGION": "This region is not known.",
        "D_ETHNIC": "This ethnic group is not known.",
    }


def test_garbage_is_refused_whole(network):
    version = kinds_version(network.root)
    with pytest.raises(services.ResponseInvalid) as caught:
        services.response_check(version, ["not", "a", "mapping"])  # type: ignore[arg-type]
    assert "" in caught.value.errors


# --- response_store ---------------------------------------------------------------------------


def demographic_survey(network, **fields) -> Survey:
    return make_survey(make_version(network.root, demographic_specs()), **fields)


ANSWERS = {"D_REGION": "KZ-55", "D_SEX": "male", "D_AGE": "60+"}


def test_store_creates_once_then_already_then_conflict(network):
    survey = demographic_survey(network)
    checked = check(survey.version, ANSWERS)
    first, status = services.response_store(
        survey, checked, mode=Mode.PAPER, language="ru", client_uuid="paper:1:7"
    )
    assert status == "created"
    assert first.region.iso == "KZ-55" and first.sex == "male" and first.language == "ru"
    again, status = services.response_store(
        survey,
        check(survey.version, dict(ANSWERS)),
        mode=Mode.PAPER,
        language="ru",
        client_uuid="paper:1:7",
    )
    assert (again.pk, status) == (first.pk, "already")
    other = check(survey.version, {**ANSWERS, "D_SEX": "female"})
    kept, status = services.response_store(
        survey, other, mode=Mode.PAPER, language="ru", client_uuid="paper:1:7"
    )
    assert status == "conflict" and kept.pk == first.pk
    first.refresh_from_db()
    assert first.sex == "male"
    assert [entry["hash"] for entry in first.conflict] == [
        services.response_content_hash(survey.version, other)
    ]
    assert Response.objects.count() == 1


def test_store_refuses_out_of_fieldwork_and_modes_not_allowed(network):
    survey = demographic_survey(network, modes=["web"])
    checked = check(survey.version, ANSWERS)
    with translation.override("en"), pytest.raises(DomainError, match="does not collect"):
        services.response_store(survey, checked, mode=Mode.PAPER, language="kk", client_uuid="x-1")
    survey.status = Survey.Status.CLOSED
    with translation.override("en"), pytest.raises(DomainError, match="not collecting"):
        services.response_store(survey, checked, mode=Mode.WEB, language="kk", client_uuid="x-2")
    assert not Response.objects.exists()


def test_duration_is_capped_at_a_day(network):
    survey = demographic_survey(network)
    response, _status = services.response_store(
        survey,
        check(survey.version, ANSWERS),
        mode=Mode.WEB,
        language="kk",
        client_uuid="d-1",
        duration_seconds=10**7,
    )
    assert response.duration_seconds == 24 * 3600


# --- response_submit: web and panel -------------------------------------------------------------


def invite(survey: Survey, token: str) -> PanelInvitation:
    return PanelInvitation.objects.create(
        survey=survey, token_digest=services._c_invitation_digest(token)
    )


def test_web_submit_makes_its_own_uuid(network):
    survey = demographic_survey(network)
    one = services.response_submit(survey, ANSWERS, language="kk", device_digest="d" * 64)
    two = services.response_submit(survey, ANSWERS, language="kk")
    assert one.client_uuid != two.client_uuid
    assert one.mode == Mode.WEB and one.device_digest == "d" * 64


def test_a_token_is_used_once(network):
    survey = demographic_survey(network)
    invitation = invite(survey, "secret-token")
    response = services.response_submit(survey, ANSWERS, language="en", token="secret-token")
    assert response.mode == Mode.PANEL
    invitation.refresh_from_db()
    assert invitation.used_on is not None
    with translation.override("en"), pytest.raises(services.InvitationRefused) as caught:
        services.response_submit(survey, ANSWERS, language="en", token="secret-token")
    assert str(caught.value.message) == "This invitation is not valid or has already been used."
    with translation.override("en"), pytest.raises(services.InvitationRefused):
        services.response_submit(survey, ANSWERS, language="en", token="never-made")
    assert Response.objects.count() == 1


def test_invalid_answers_leave_the_token_unused(network):
    survey = demographic_survey(network)
    invitation = invite(survey, "tok")
    with pytest.raises(services.ResponseInvalid):
        services.response_submit(survey, {}, language="kk", token="tok")
    invitation.refresh_from_db()
    assert invitation.used_on is None
    assert services.invitation_usable(survey, "tok")


@contextlib.contextmanager
def file_database() -> Iterator[None]:
    """Threads on their own connections, as requests of different server processes. On SQLite
    pytest-django's test database is a shared in-memory cache whose table locks fail at once:
    copy it to a file in WAL mode (as the embedded default runs) for the threads to share."""
    settings_dict = connections.settings["default"]
    original = settings_dict["NAME"]
    folder = None
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        folder = tempfile.TemporaryDirectory(prefix="birlik-surveys-race-")
        path = str(Path(folder.name) / "db.sqlite3")
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        settings_dict["NAME"] = path
    try:
        yield
    finally:
        settings_dict["NAME"] = original
        if folder is not None:
            folder.cleanup()


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Each call in its own thread and connection, started at the same moment; the results
    (or the exception raised), in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def work(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - handed back to the test, which asserts
            results[index] = error
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_with_one_token_make_one_row(network):
    survey = demographic_survey(network)
    invite(survey, "race")

    def submit() -> str:
        services.response_submit(
            Survey.objects.get(pk=survey.pk), ANSWERS, language="kk", token="race"
        )
        return "stored"

    def count() -> int:
        return Response.objects.filter(survey_id=survey.pk).count()

    with file_database():
        outcomes = run_together([submit, submit, submit])
        stored = run_together([count])[0]
    refused = [o for o in outcomes if isinstance(o, services.InvitationRefused)]
    assert outcomes.count("stored") == 1 and len(refused) == 2, outcomes
    assert stored == 1


# --- response_sync ------------------------------------------------------------------------------


def payload(survey: Survey, **extra) -> dict[str, Any]:
    return {
        "client_uuid": "0b5c1a2e-1111-4222-8333-444455556666",
        "version": survey.version_id,
        "language": "ru",
        "answers": dict(ANSWERS),
        "duration": 312,
        **extra,
    }


def test_sync_same_uuid_twice_is_one_row(network):
    survey = demographic_survey(network)
    interviewer = network.users["staff_pavlodar_house"]
    assert services.response_sync(survey, payload(survey), user=interviewer)[0] == 201
    status, body = services.response_sync(survey, payload(survey), user=interviewer)
    assert (status, body["status"]) == (200, "already")
    response = Response.objects.get()
    assert response.mode == Mode.INTERVIEWER
    assert response.entered_by == interviewer
    assert response.duration_seconds == 312


def test_sync_same_uuid_other_content_is_a_conflict_and_keeps_the_first(network):
    survey = demographic_survey(network)
    user = network.users["staff_pavlodar_house"]
    services.response_sync(survey, payload(survey), user=user)
    changed = payload(survey, answers={**ANSWERS, "D_AGE": "18-29"})
    status, body = services.response_sync(survey, changed, user=user)
    assert (status, body["status"]) == (409, "conflict")
    response = Response.objects.get()
    assert response.age_group == "60+"
    assert len(response.conflict) == 1


@pytest.mark.parametrize(
    "broken",
    [
        {"answers": {"D_SEX": "male"}},
        {"answers": "nonsense"},
        {"client_uuid": ""},
        {"version": 0},
    ],
)
def test_sync_answers_400_with_errors(network, broken):
    survey = demographic_survey(network)
    status, body = services.response_sync(
        survey, payload(survey, **broken), user=network.users["staff_pavlodar_house"]
    )
    assert status == 400 and body["errors"]
    assert not Response.objects.exists()


def test_sync_to_a_closed_survey_is_refused(network):
    survey = demographic_survey(network, status=Survey.Status.CLOSED)
    status, body = services.response_sync(survey, payload(survey), user=network.users["admin"])
    assert status == 400 and "" in body["errors"]


# --- paper numbers, exclusion -----------------------------------------------------------------


def test_paper_client_uuid():
    class Stub:
        pk = 12

    assert services.paper_client_uuid(Stub(), "0042") == "paper:12:0042"
    assert services.paper_number(" 00 42 ") == "0042"


def test_exclude_needs_a_reason_and_is_audited(network):
    survey = demographic_survey(network)
    response = services.response_submit(survey, ANSWERS, language="kk")
    analyst = network.users["analyst"]
    with pytest.raises(DomainError):
        services.response_exclude(response, user=analyst, reason="  ")
    services.response_exclude(response, user=analyst, reason="Answered in 20 seconds")
    response.refresh_from_db()
    assert response.excluded and response.excluded_reason == "Answered in 20 seconds"
    services.response_include(response, user=analyst)
    response.refresh_from_db()
    assert not response.excluded and response.excluded_reason == ""
    assert AuditEntry.objects.filter(object_type="surveys.Response").count() == 2
