"""The workspace side of collecting: paper questionnaires typed in by staff, and the analyst's
responses pages (list, one response, exclusion) with who may open them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from birlik.surveys.models import Mode, Response, Survey

from .factories import make_response, make_survey, make_version

pytestmark = pytest.mark.django_db


def paper_version(organisation):
    return make_version(
        organisation,
        [
            ("Q1", "single", {"options": ["1", "2"], "required": True}),
            (
                "Q2",
                "number",
                {
                    "number_min": 0,
                    "number_max": 100,
                    "required": True,
                    "show_if": {"q": "Q1", "op": "eq", "v": "1"},
                },
            ),
            ("Q3", "multiple", {"options": ["a", "b", "c"]}),
        ],
    )


@pytest.fixture
def survey(network) -> Survey:
    """A survey of the Pavlodar assembly."""
    return make_survey(paper_version(network.pavlodar))


def paper_url(survey: Survey) -> str:
    with translation.override("en"):
        return reverse("surveys:paper", args=[survey.pk])


def test_a_paper_is_entered_then_the_form_is_empty_again(login, network, survey):
    client = login(network.users["staff_pavlodar_house"])
    page = client.get(paper_url(survey))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="sv_paper_number"' in html and 'name="Q1"' in html
    assert 'name="sv_consent"' not in html
    done = client.post(
        paper_url(survey),
        {
            "sv_paper_number": " 0042 ",
            "sv_language": "ru",
            "Q1": "1",
            "Q2": "12,5",
            "Q3": ["a", "c"],
        },
        follow=True,
    )
    assert done.status_code == 200
    assert "Paper questionnaire No. 0042 is entered." in done.content.decode()
    assert 'value="0042"' not in done.content.decode()
    response = Response.objects.get()
    assert response.client_uuid == f"paper:{survey.pk}:0042"
    assert response.mode == Mode.PAPER and response.language == "ru"
    assert response.answers == {"Q1": "1", "Q2": 12.5, "Q3": ["a", "c"]}
    assert response.entered_by == network.users["staff_pavlodar_house"]


def test_the_same_paper_twice_is_one_row(login, network, survey):
    client = login(network.users["coordinator_pavlodar"])
    data = {"sv_paper_number": "7", "sv_language": "kk", "Q1": "2"}
    assert client.post(paper_url(survey), data).status_code == 302
    again = client.post(paper_url(survey), data)
    assert again.status_code == 400
    assert "Paper questionnaire No. 7 is already entered" in again.content.decode()
    other = client.post(paper_url(survey), {**data, "Q1": "1", "Q2": "3"})
    assert other.status_code == 400
    assert Response.objects.count() == 1
    assert Response.objects.get().answers == {"Q1": "2"}


def test_paper_skip_logic_and_errors(login, network, survey):
    client = login(network.users["admin"])
    page = client.post(paper_url(survey), {"sv_paper_number": "", "Q1": "1", "Q2": "500"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "This field is required." in html or "міндетті" in html
    page = client.post(
        paper_url(survey), {"sv_paper_number": "8", "sv_language": "en", "Q1": "1", "Q2": "500"}
    )
    assert "Enter a number from 0 to 100." in page.content.decode()
    page = client.post(
        paper_url(survey),
        {"sv_paper_number": "8", "sv_language": "en", "Q1": "2", "Q2": "500"},
        follow=True,
    )
    assert Response.objects.get().answers == {"Q1": "2"}  # hidden Q2 dropped


def test_paper_needs_the_mode_and_fieldwork(login, network):
    client = login(network.users["admin"])
    web_only = make_survey(paper_version(network.root), modes=[Mode.WEB])
    page = client.get(paper_url(web_only))
    assert page.status_code == 200
    assert "does not take paper questionnaires now" in page.content.decode()
    assert client.post(paper_url(web_only), {"sv_paper_number": "1", "Q1": "1"}).status_code == 400
    closed = make_survey(paper_version(network.root), status=Survey.Status.CLOSED)
    assert "does not take paper" in client.get(paper_url(closed)).content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("admin", 200),
        ("analyst", 200),
        ("coordinator_pavlodar", 200),
        ("staff_pavlodar_house", 200),
        ("coordinator_almaty", 404),
        ("auditor", 404),
        ("nobody", 404),
    ],
)
def test_who_may_enter_paper(login, network, survey, user, expected):
    assert login(network.users[user]).get(paper_url(survey)).status_code == expected


def test_paper_anonymous_and_interviewer(client, network, survey):
    page = client.get(paper_url(survey))
    assert page.status_code == 302 and "/account/" in page["Location"]
    interviewer = network.users["nobody"]
    survey.interviewers.add(interviewer)
    client.force_login(interviewer)
    assert client.get(paper_url(survey)).status_code == 200


def test_staff_inside_the_network_of_a_national_survey_enter_paper(login, network):
    national = make_survey(paper_version(network.root))
    almaty_only = make_survey(paper_version(network.almaty))
    client = login(network.users["staff_pavlodar_house"])
    assert client.get(paper_url(national)).status_code == 200
    assert client.get(paper_url(almaty_only)).status_code == 404


# --- Responses ----------------------------------------------------------------------------------


def responses_url(survey: Survey, query: str = "") -> str:
    with translation.override("en"):
        return reverse("surveys:responses", args=[survey.pk]) + query


def response_url(response: Response, name: str = "surveys:response") -> str:
    with translation.override("en"):
        return reverse(name, args=[response.pk])


def fill(survey: Survey, count: int) -> list[Response]:
    from birlik.geo.models import Region

    region = Region.objects.get(iso="KZ-55")
    return [
        make_response(survey, {"Q1": "2"}, region=region, mode=Mode.PAPER if i % 2 else Mode.WEB)
        for i in range(count)
    ]


def test_the_list_filters_and_keeps_its_queries(
    login, network, survey, django_assert_max_num_queries
):
    rows = fill(survey, 30)
    rows[0].flags = {"speeding": True}
    rows[0].save()
    rows[1].excluded = True
    rows[1].save()
    client = login(network.users["analyst"])
    with django_assert_max_num_queries(12):
        page = client.get(responses_url(survey))
    assert page.status_code == 200
    html = page.content.decode()
    assert "30 responses" in html
    assert "answered too fast" in html
    with django_assert_max_num_queries(12):
        client.get(responses_url(survey, "?page=2"))
    assert "1 response" in client.get(responses_url(survey, "?flag=speeding")).content.decode()
    assert "1 response" in client.get(responses_url(survey, "?excluded=yes")).content.decode()
    assert "15 responses" in client.get(responses_url(survey, "?mode=paper")).content.decode()
    bad = client.get(responses_url(survey, "?mode=carrier-pigeon&page=x"))
    assert bad.status_code == 400
    assert "30 responses" in bad.content.decode()


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("admin", 200),
        ("analyst", 200),
        ("coordinator_pavlodar", 200),
        ("staff_pavlodar_house", 403),
        ("coordinator_almaty", 404),
        ("auditor", 404),
        ("nobody", 404),
    ],
)
def test_who_may_list_responses(login, network, survey, user, expected):
    response = fill(survey, 1)[0]
    client = login(network.users[user])
    assert client.get(responses_url(survey)).status_code == expected
    detail = client.get(response_url(response)).status_code
    assert detail == (404 if expected == 403 else expected)


def test_lists_refuse_anonymous(client, survey):
    response = fill(survey, 1)[0]
    assert client.get(responses_url(survey)).status_code == 302
    assert client.get(response_url(response)).status_code == 302
    assert client.post(response_url(response, "surveys:response_exclude")).status_code == 302


def test_one_response_shows_answers_with_question_texts(login, network, survey):
    response = make_response(survey, {"Q1": "1", "Q2": 12.5, "Q3": ["a", "c"]})
    page = login(network.users["analyst"]).get(response_url(response))
    html = page.content.decode()
    assert "Question Q1" in html and "Question Q1 (kk)" not in html  # the page's language
    assert "<td>a; c</td>" in html
    assert "12.5" in html


def test_exclude_and_include(login, network, survey):
    response = fill(survey, 1)[0]
    client = login(network.users["coordinator_pavlodar"])
    assert client.get(response_url(response, "surveys:response_exclude")).status_code == 405
    refused = client.post(response_url(response, "surveys:response_exclude"), {"reason": ""})
    assert refused.status_code == 400
    response.refresh_from_db()
    assert not response.excluded
    done = client.post(
        response_url(response, "surveys:response_exclude"), {"reason": "Same as No. 3"}
    )
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.excluded and response.excluded_reason == "Same as No. 3"
    assert client.post(response_url(response, "surveys:response_include")).status_code == 302
    response.refresh_from_db()
    assert not response.excluded


def test_exclusion_by_others_is_refused(login, network, survey):
    response = fill(survey, 1)[0]
    assert (
        login(network.users["coordinator_almaty"])
        .post(response_url(response, "surveys:response_exclude"), {"reason": "x"})
        .status_code
        == 404
    )
    response.refresh_from_db()
    assert not response.excluded
