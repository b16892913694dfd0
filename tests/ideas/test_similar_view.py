"""The similar-ideas endpoint behind the submit form (ideas_portal:similar)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from birlik.ideas import similarity
from birlik.ideas.models import Idea

from .factories import make_idea, support

pytestmark = pytest.mark.django_db

KK = (
    "Аудандар арасында жастар футбол турнирі",
    "Ауыл жастарының бос уақыты ұйымдастырылмаған.",
    "Жазда аудандардың жастар командалары арасында футбол турнирін өткізу.",
)
EN_TITLE = "Football tournament for youth between districts"


def url(**params):
    with translation.override("en"):
        return reverse("ideas_portal:similar")


def indexed(organisation, title=KK[0], **extra):
    idea = make_idea(organisation, title=title, problem=KK[1], solution=KK[2], **extra)
    similarity.index_idea(idea)
    return idea


@pytest.fixture
def football(network):
    idea = indexed(network.pavlodar)
    support(idea)
    support(idea)
    return idea


def test_typing_an_english_title_suggests_the_kazakh_idea_with_its_supports(client, football):
    response = client.get(url(), {"title": EN_TITLE, "text": ""})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["heading"] == "Similar ideas — support one instead of repeating it"
    [found] = body["ideas"]
    assert found["number"] == football.number
    assert found["title"] == football.title
    assert found["url"] == f"/en/ideas/{football.pk}/"
    assert found["supports"] == 2
    assert found["supports_label"] == "2 supports"
    assert 0 < found["score"] <= 1


def test_the_answer_speaks_the_language_of_the_address(client, football):
    response = client.get("/ru/ideas/similar/", {"title": EN_TITLE})
    assert response.status_code == 200
    assert response.json()["ideas"][0]["url"] == f"/ru/ideas/{football.pk}/"


def test_unrelated_typing_suggests_nothing(client, football):
    response = client.get(url(), {"title": "Курсы казахского языка в библиотеке", "text": ""})
    assert response.status_code == 200
    assert response.json()["ideas"] == []


def test_ideas_not_published_are_never_suggested(client, network):
    for status in (Idea.Status.PENDING, Idea.Status.REJECTED, Idea.Status.WITHDRAWN):
        indexed(network.pavlodar, status=status)
    merged = indexed(network.pavlodar)
    Idea.objects.filter(pk=merged.pk).update(status=Idea.Status.MERGED)
    response = client.get(url(), {"title": EN_TITLE, "text": KK[2]})
    assert response.status_code == 200
    assert response.json()["ideas"] == []


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"title": ""},
        {"title": "Фу"},
        {"title": "   ", "text": "\x00\x00"},
        {"title": "%FF%FE", "text": "\ufffd" * 10},
        {"title": EN_TITLE * 5000, "text": "футбол " * 50_000},
        {"unknown": "1", "title": ["a", "b"]},
        {"title": EN_TITLE, "limit": "10"},
    ],
    ids=["none", "empty", "short", "blank", "odd-bytes", "huge", "unknown-params", "limit-max"],
)
def test_any_text_answers_a_list_and_never_an_error(client, football, params):
    response = client.get(url(), params)
    assert response.status_code == 200
    assert isinstance(response.json()["ideas"], list)


@pytest.mark.parametrize("limit", ["0", "11", "-1", "abc", "1.5", "9" * 30])
def test_a_wrong_limit_is_refused_with_a_json_message(client, football, limit):
    with translation.override("en"):
        response = client.get(url(), {"title": EN_TITLE, "limit": limit})
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "ideas": [],
        "error": "The number of similar ideas asked for must be from 1 to 10.",
    }


def test_a_post_is_not_allowed(client, football):
    assert client.post(url(), {"title": EN_TITLE}).status_code == 405


def test_a_client_over_the_rate_is_told_to_wait(client, football, settings):
    settings.RATE_IDEAS_SIMILAR = "3/min"
    for _ in range(3):
        assert client.get(url(), {"title": EN_TITLE}).status_code == 200
    with translation.override("en"):
        refused = client.get(url(), {"title": EN_TITLE})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "no-store" in refused["Cache-Control"]
    assert refused.json()["ideas"] == []
    assert "Try again in 1 minute" in refused.json()["error"]
    # Another connection is counted on its own.
    assert client.get(url(), {"title": EN_TITLE}, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_the_endpoint_reads_the_same_number_of_queries_for_3_and_30_ideas(
    client, network, django_assert_max_num_queries
):
    for _ in range(3):
        indexed(network.pavlodar)
    with django_assert_max_num_queries(6):  # rate counter, term counts, total, top, terms, ideas
        few = client.get(url(), {"title": EN_TITLE, "limit": "10"}).json()["ideas"]
    for _ in range(27):
        indexed(network.almaty)
    with django_assert_max_num_queries(6):
        many = client.get(url(), {"title": EN_TITLE, "limit": "10"}).json()["ideas"]
    assert len(few) == 3
    assert len(many) == 10
