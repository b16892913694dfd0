"""The workspace pages of ideas: home counters, the list with filters, scope and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from birlik.ideas.models import Comment, Idea

from .factories import make_call, make_comment, make_idea

pytestmark = pytest.mark.django_db


def test_the_home_counts_what_awaits_in_scope(network, login):
    make_idea(network.pavlodar, status=Idea.Status.PENDING)
    make_idea(network.pavlodar, answer_due=datetime.date(2020, 1, 10))
    make_idea(network.pavlodar, answer_due=datetime.date(2099, 1, 10))
    make_comment(make_idea(network.pavlodar), status=Comment.Status.PENDING)
    make_idea(network.almaty, status=Idea.Status.PENDING)
    client = login(network.users["coordinator_pavlodar"])
    response = client.get(reverse("ideas:home"))
    counts = response.context["counts"]
    assert counts == {"pending": 1, "answers_due": 2, "overdue": 1, "comments": 1}


def test_the_list_filters_by_state_and_call(network, login):
    call = make_call(network.pavlodar)
    make_idea(network.pavlodar, call=call, title="Қолөнер фестивалі")
    make_idea(network.pavlodar, title="Тіл клубы", status=Idea.Status.PENDING)
    client = login(network.users["coordinator_pavlodar"])
    text = client.get(reverse("ideas:home"), {"call": call.pk}).content.decode()
    assert "Қолөнер фестивалі" in text and "Тіл клубы" not in text
    text = client.get(reverse("ideas:home"), {"state": "pending"}).content.decode()
    assert "Тіл клубы" in text and "Қолөнер фестивалі" not in text


def test_a_filter_not_understood_is_named_and_the_others_apply(network, login):
    make_idea(network.pavlodar, title="Тіл клубы", status=Idea.Status.PENDING)
    client = login(network.users["coordinator_pavlodar"])
    with translation.override("en"):
        response = client.get(reverse("ideas:home"), {"state": "pending", "call": "x"})
    assert response.status_code == 200
    assert "Тіл клубы" in response.content.decode()
    assert "not understood" in response.content.decode()


def test_staff_of_another_region_get_404_on_ideas_and_calls(network, login):
    idea = make_idea(network.pavlodar)
    call = make_call(network.pavlodar)
    client = login(network.users["coordinator_almaty"])
    assert client.get(reverse("ideas:idea", kwargs={"pk": idea.pk})).status_code == 404
    assert client.get(reverse("ideas:call", kwargs={"pk": call.pk})).status_code == 404
    assert client.get(reverse("ideas:call_edit", kwargs={"pk": call.pk})).status_code == 404
    assert idea.title not in client.get(reverse("ideas:home")).content.decode()


def test_an_analyst_reads_but_does_not_moderate(network, login):
    client = login(network.users["analyst"])
    assert client.get(reverse("ideas:home")).status_code == 200
    assert client.get(reverse("ideas:moderation")).status_code == 403
    idea = make_idea(network.pavlodar, status=Idea.Status.PENDING)
    assert client.post(reverse("ideas:idea_publish", kwargs={"pk": idea.pk})).status_code == 403


@pytest.mark.parametrize("name", ["ideas:home", "ideas:calls"])
def test_list_pages_cost_the_same_queries_for_3_and_30_rows(
    network, login, django_assert_max_num_queries, name
):
    client = login(network.users["coordinator_pavlodar"])
    for _ in range(3):
        make_idea(network.pavlodar, call=make_call(network.pavlodar))
    with django_assert_max_num_queries(14):
        client.get(reverse(name))
    for _ in range(27):
        make_idea(network.pavlodar, call=make_call(network.pavlodar))
    with django_assert_max_num_queries(14):
        assert client.get(reverse(name)).status_code == 200


def test_the_staff_idea_page_costs_the_same_queries_with_many_comments(
    network, login, django_assert_max_num_queries
):
    idea = make_idea(network.pavlodar, decision=Idea.Decision.ACCEPTED)
    client = login(network.users["coordinator_pavlodar"])
    for _ in range(3):
        make_comment(idea)
    with django_assert_max_num_queries(25):
        client.get(reverse("ideas:idea", kwargs={"pk": idea.pk}))
    for _ in range(27):
        make_comment(idea)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("ideas:idea", kwargs={"pk": idea.pk})).status_code == 200
