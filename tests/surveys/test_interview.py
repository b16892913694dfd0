"""The offline interview: its page, the questionnaire as JSON, the sync of one interview and the
service worker — who may open each, and what they answer."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from birlik.surveys import interview_views
from birlik.surveys.models import Mode, Response, Survey
from tests.conftest import Network
from tests.factories import UserFactory

from .factories import make_survey, make_version


def interview_specs() -> list[Any]:
    return [
        ("D_SEX", "single", {"options": ["female", "male"], "required": True, "role": "sex"}),
        ("Q1", "single", {"options": ["yes", "no"], "required": True}),
        (
            "Q2",
            "multiple",
            {"options": ["a", "b", "c"], "required": True, "show_if": {"q": "Q1", "v": "yes"}},
        ),
        (
            "T1",
            "scale",
            {"scale_min": 0, "scale_max": 10, "options": ["88", "99"], "required": True},
        ),
        ("AGE", "number", {"number_min": 18, "number_max": 120}),
        ("NOTE", "text", {}),
        ("X1", "matrix", {"scale_min": 1, "scale_max": 5, "rows": ["r1", "r2"]}),
    ]


@pytest.fixture
def survey(network: Network) -> Survey:
    version = make_version(network.pavlodar, interview_specs())
    return make_survey(version, network.pavlodar)


def page_url(survey: Survey) -> str:
    return reverse("surveys:interview", args=[survey.pk])


def form_url(survey: Survey) -> str:
    return reverse("surveys:interview_form", kwargs={"pk": survey.pk, "version": survey.version_id})


def sync_url(survey: Survey) -> str:
    return reverse("surveys:interview_sync", args=[survey.pk])


def payload(survey: Survey, **answers: Any) -> dict[str, Any]:
    return {
        "client_uuid": str(uuid.uuid4()),
        "version": survey.version_id,
        "language": "ru",
        "answers": answers or {"D_SEX": "female", "Q1": "no", "T1": 7},
        "duration": 312,
    }


def post_json(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


# --- Who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", 200),
        ("analyst", 200),
        ("coordinator_pavlodar", 200),
        ("staff_pavlodar_house", 200),  # inside the network of the body conducting it
        ("coordinator_almaty", 404),
        ("auditor", 404),
        ("nobody", 404),
    ],
)
def test_who_opens_the_interview_page_and_its_form(network, survey, login, username, expected):
    client = login(network.users[username])
    assert client.get(page_url(survey)).status_code == expected
    assert client.get(form_url(survey)).status_code == expected


def test_an_assigned_interviewer_without_a_grant_opens_it(network, survey, login):
    interviewer = UserFactory(username="interviewer")
    client = login(interviewer)
    assert client.get(page_url(survey)).status_code == 404
    assert client.get(reverse("surveys:interview_sw")).status_code == 403
    survey.interviewers.add(interviewer)
    assert client.get(page_url(survey)).status_code == 200
    assert client.get(reverse("surveys:interview_sw")).status_code == 200
    response = post_json(client, sync_url(survey), payload(survey))
    assert response.status_code == 201
    assert Response.objects.get().entered_by == interviewer


def test_anonymous_visitors_are_sent_to_sign_in(survey, client):
    login_url = reverse("access:login")
    for url in (page_url(survey), form_url(survey), reverse("surveys:interview_sw")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login_url)
    response = post_json(client, sync_url(survey), payload(survey))
    assert response.status_code == 302 and response["Location"].startswith(login_url)
    assert not Response.objects.exists()


def test_the_sync_takes_only_post(network, survey, login):
    client = login(network.users["coordinator_pavlodar"])
    assert client.get(sync_url(survey)).status_code == 405
    assert client.post(page_url(survey)).status_code == 405


def test_the_sync_needs_the_csrf_token(network, survey):
    client = Client(enforce_csrf_checks=True)
    client.force_login(network.users["coordinator_pavlodar"])
    response = post_json(client, sync_url(survey), payload(survey))
    assert response.status_code == 403
    page = client.get(page_url(survey)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = client.post(
        sync_url(survey),
        json.dumps(payload(survey)),
        content_type="application/json",
        headers={"X-CSRFToken": token.group(1)},
    )
    assert response.status_code == 201


# --- The page ------------------------------------------------------------------------------------


def test_the_page_carries_what_its_scripts_need(
    network, survey, login, django_assert_max_num_queries
):
    client = login(network.users["staff_pavlodar_house"])
    with django_assert_max_num_queries(12):
        response = client.get(page_url(survey))
    html = response.content.decode()
    assert f'data-form-url="{form_url(survey)}"' in html
    assert f'data-sync-url="{sync_url(survey)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for script in ("logic.js", "queue.js", "interview.js"):
        assert f"birlik/surveys/{script}" in html
    # No inline script: CSP is script-src 'self'.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "style=" not in html
    texts = json.loads(
        re.search(r'data-texts="([^"]*)"', html).group(1).replace("&quot;", '"')  # type: ignore[union-attr]
    )
    with translation.override("kk"):
        assert texts["waiting"] == translation.gettext("Interviews waiting to be sent: %(count)s")


def test_a_survey_not_in_fieldwork_says_so(network, survey, login):
    survey.status = Survey.Status.CLOSED
    survey.save()
    client = login(network.users["coordinator_pavlodar"])
    html = client.get(page_url(survey)).content.decode()
    with translation.override("kk"):
        assert translation.gettext("This survey is not collecting answers now.") in html
    assert "data-interview-form" not in html


def test_a_survey_without_interviews_says_so(network, survey, login):
    survey.modes = [Mode.WEB]
    survey.save()
    client = login(network.users["coordinator_pavlodar"])
    html = client.get(page_url(survey)).content.decode()
    with translation.override("kk"):
        assert translation.gettext("This survey is not collected by interviewers.") in html


# --- The questionnaire as JSON ------------------------------------------------------------------


def test_the_form_holds_questions_texts_logic_and_roles(
    network, survey, login, django_assert_max_num_queries
):
    client = login(network.users["coordinator_pavlodar"])
    with django_assert_max_num_queries(8):
        response = client.get(form_url(survey))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "private" in response["Cache-Control"]
    data = response.json()
    assert data["version"] == survey.version_id
    assert data["survey"] == survey.pk
    questions = {q["code"]: q for q in data["questions"]}
    assert list(questions) == ["D_SEX", "Q1", "Q2", "T1", "AGE", "NOTE", "X1"]
    assert questions["D_SEX"]["role"] == "sex"
    assert questions["Q1"]["text"] == {
        "kk": "Question Q1 (kk)",
        "ru": "Question Q1 (ru)",
        "en": "Question Q1",
    }
    assert questions["Q2"]["show_if"] == {"q": "Q1", "v": "yes"}
    assert questions["Q2"]["required"] is True
    assert [o["code"] for o in questions["Q2"]["options"]] == ["a", "b", "c"]
    assert questions["T1"]["options"][0] == {
        "code": "88",
        "label": {"kk": "88 (kk)", "ru": "88 (ru)", "en": "88"},
    }
    assert (questions["T1"]["scale_min"], questions["T1"]["scale_max"]) == (0, 10)
    assert (questions["AGE"]["number_min"], questions["AGE"]["number_max"]) == (18, 120)
    assert [r["code"] for r in questions["X1"]["rows"]] == ["r1", "r2"]
    assert questions["X1"]["options"] == []
    assert data["consent"]["en"] == "I agree to answer anonymously"


def test_another_version_of_the_form_is_not_found(network, survey, login):
    client = login(network.users["coordinator_pavlodar"])
    url = reverse(
        "surveys:interview_form", kwargs={"pk": survey.pk, "version": survey.version_id + 1}
    )
    assert client.get(url).status_code == 404


def test_a_missing_translation_falls_back(network, survey):
    question = survey.version.questions.get(code="Q1")
    question.text_ru = ""
    question.save()
    data = interview_views.form_data(survey, survey.version)
    texts = next(q["text"] for q in data["questions"] if q["code"] == "Q1")
    assert texts["ru"] == texts["kk"] == "Question Q1 (kk)"


# --- The sync ------------------------------------------------------------------------------------


def test_an_interview_sent_twice_is_one_row(network, survey, login):
    client = login(network.users["staff_pavlodar_house"])
    body = payload(survey)
    first = post_json(client, sync_url(survey), body)
    assert first.status_code == 201 and first.json()["status"] == "created"
    again = post_json(client, sync_url(survey), body)
    assert again.status_code == 200 and again.json()["status"] == "already"
    response = Response.objects.get()
    assert response.mode == Mode.INTERVIEWER
    assert response.language == "ru"
    assert response.duration_seconds == 312
    assert response.sex == "female"
    assert response.entered_by == network.users["staff_pavlodar_house"]
    assert response.client_uuid == body["client_uuid"]


def test_the_same_uuid_with_other_answers_is_a_conflict(network, survey, login):
    client = login(network.users["staff_pavlodar_house"])
    body = payload(survey)
    post_json(client, sync_url(survey), body)
    other = dict(body, answers={"D_SEX": "male", "Q1": "no", "T1": 2})
    response = post_json(client, sync_url(survey), other)
    assert response.status_code == 409
    assert response.json()["status"] == "conflict"
    kept = Response.objects.get()
    assert kept.sex == "female" and kept.answers["T1"] == 7


def test_invalid_answers_are_refused_with_messages(network, survey, login):
    client = login(network.users["staff_pavlodar_house"])
    body = payload(survey, D_SEX="female", Q1="yes", T1=11)
    response = post_json(client, sync_url(survey), body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"Q2", "T1"}  # Q2 shown by Q1 = yes and required; T1 off the scale
    with translation.override("kk"):
        assert errors["Q2"] == translation.gettext("This question needs an answer.")
    assert not Response.objects.exists()


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b'"text"', b"null"])
def test_a_broken_body_is_a_400_not_a_500(network, survey, login, body):
    client = login(network.users["staff_pavlodar_house"])
    response = client.post(sync_url(survey), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"


def test_a_closed_survey_refuses_interviews(network, survey, login):
    survey.status = Survey.Status.CLOSED
    survey.save()
    client = login(network.users["staff_pavlodar_house"])
    response = post_json(client, sync_url(survey), payload(survey))
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_another_regions_coordinator_cannot_sync(network, survey, login):
    client = login(network.users["coordinator_almaty"])
    assert post_json(client, sync_url(survey), payload(survey)).status_code == 404
    assert not Response.objects.exists()


# --- The service worker --------------------------------------------------------------------------


def test_the_worker_is_served_from_the_static_file(network, login):
    client = login(network.users["staff_pavlodar_house"])
    url = reverse("surveys:interview_sw")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == url.rsplit("/", 1)[0] + "/"
    assert response.content == interview_views.WORKER.read_bytes()
    # Every interview address lives under the worker's scope.
    scope = response["Service-Worker-Allowed"]
    assert reverse("surveys:interview", args=[1]).startswith(scope)
    assert reverse("surveys:interview_sync", args=[1]).startswith(scope)
    assert reverse("surveys:interview_form", kwargs={"pk": 1, "version": 2}).startswith(scope)


def test_the_worker_is_not_for_those_who_never_interview(network, login):
    client = login(network.users["auditor"])
    assert client.get(reverse("surveys:interview_sw")).status_code == 403
