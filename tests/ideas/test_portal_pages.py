"""The public pages: the list (search, filters, order, constant queries), an idea's page (its
supports and threshold, the answer clock, constant queries), pending ideas hidden from others,
"my ideas" and the images."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from birlik.geo.models import Region
from birlik.ideas.models import Idea, IdeaImage
from birlik.ideas.queries import supported_by

from .factories import make_call, make_idea, support, verified_user
from .test_submit import PNG, submit

pytestmark = pytest.mark.django_db


def en(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def test_the_list_shows_published_ideas_only(network, client):
    shown = make_idea(network.pavlodar, title="Жастар футбол турнирі")
    hidden = make_idea(network.pavlodar, title="Күтудегі идея", status=Idea.Status.PENDING)
    page = client.get(en("ideas_portal:list")).content.decode()
    assert shown.title in page
    assert hidden.title not in page


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_and_30_ideas(
    network, client, django_assert_max_num_queries, rows
):
    user = verified_user()
    for n in range(rows):
        idea = make_idea(network.pavlodar, call=make_call(network.pavlodar) if n % 2 else None)
        if n % 3 == 0:
            support(idea, user)
    client.force_login(user)
    # 9: the session, the account, its grants (the menu's "Workspace" link), the filters'
    # choices, the page's count and rows, the supports of this account.
    with django_assert_max_num_queries(9):
        response = client.get(en("ideas_portal:list"), {"sort": "supported"})
    assert response.status_code == 200


def test_the_list_searches_filters_and_sorts(network, client):
    football = make_idea(network.pavlodar, title="Футбол турнирі")
    music = make_idea(network.almaty, title="Домбыра кеші", region=Region.objects.get(iso="KZ-75"))
    support(music)
    page = client.get(en("ideas_portal:list"), {"q": "ФУТБОЛ"}).content.decode()
    assert football.title in page and music.title not in page
    page = client.get(en("ideas_portal:list"), {"region": music.region_id}).content.decode()
    assert music.title in page and football.title not in page
    page = client.get(en("ideas_portal:list"), {"sort": "supported"}).content.decode()
    assert page.index(music.title) < page.index(football.title)


def test_filters_not_understood_are_said_and_left_out(network, client):
    make_idea(network.pavlodar, title="Футбол турнирі")
    with translation.override("en"):
        response = client.get(en("ideas_portal:list"), {"region": "nope", "sort": "x"})
    assert response.status_code == 400
    assert "Футбол турнирі" in response.content.decode()


def test_the_list_filters_by_the_state_of_the_answer(network, client):
    waiting = make_idea(network.pavlodar, answer_due=datetime.date(2026, 5, 1))
    answered = make_idea(
        network.pavlodar,
        answer_due=datetime.date(2026, 5, 1),
        answered_on=datetime.date(2026, 4, 1),
    )
    page = client.get(en("ideas_portal:list"), {"answer": "waiting"}).content.decode()
    assert waiting.title in page and answered.title not in page


def test_the_idea_page_shows_supports_threshold_and_answer_clock(network, client):
    call = make_call(network.pavlodar, threshold=10)
    idea = make_idea(network.pavlodar, call=call)
    support(idea)
    with translation.override("en"):
        page = client.get(en("ideas_portal:idea", pk=idea.pk)).content.decode()
    assert "1 of 10 supports needed for an official answer" in page
    assert idea.author_display in page
    assert idea.author.full_name not in page
    Idea.objects.filter(pk=idea.pk).update(
        threshold_reached_on=datetime.date(2026, 3, 20), answer_due=datetime.date(2026, 3, 30)
    )
    with translation.override("en"):
        page = client.get(en("ideas_portal:idea", pk=idea.pk)).content.decode()
    assert "Official answer due by 30 March 2026" in page


def test_the_idea_page_offers_support_to_the_verified_and_withdrawal_to_supporters(network, client):
    idea = make_idea(network.pavlodar)
    user = verified_user()
    client.force_login(user)
    with translation.override("en"):
        page = client.get(en("ideas_portal:idea", pk=idea.pk)).content.decode()
        assert "Support this idea" in page
        client.post(en("ideas_portal:support", pk=idea.pk))
        page = client.get(en("ideas_portal:idea", pk=idea.pk)).content.decode()
        assert "Withdraw my support" in page
        client.post(en("ideas_portal:unsupport", pk=idea.pk))
    assert supported_by(user, [idea]) == set()


@pytest.mark.parametrize("supports", [1, 25])
def test_the_idea_page_costs_constant_queries(
    network, client, django_assert_max_num_queries, supports
):
    idea = make_idea(network.pavlodar, call=make_call(network.pavlodar))
    for _ in range(supports):
        support(idea)
    client.force_login(verified_user())
    with django_assert_max_num_queries(20):
        response = client.get(en("ideas_portal:idea", pk=idea.pk))
    assert response.status_code == 200


def test_a_pending_idea_is_seen_by_its_author_and_the_staff_in_scope_only(network, client):
    author = verified_user()
    idea = make_idea(network.pavlodar, author=author, status=Idea.Status.PENDING)
    url = en("ideas_portal:idea", pk=idea.pk)
    assert client.get(url).status_code == 404
    client.force_login(verified_user())
    assert client.get(url).status_code == 404
    client.force_login(network.users["coordinator_almaty"])
    assert client.get(url).status_code == 404
    client.force_login(network.users["coordinator_pavlodar"])
    assert client.get(url).status_code == 200
    client.force_login(author)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_my_ideas_lists_the_authors_ideas_pending_ones_too(network, client):
    author = verified_user()
    pending = make_idea(network.pavlodar, author=author, status=Idea.Status.PENDING)
    other = make_idea(network.pavlodar)
    assert client.get(en("ideas_portal:mine")).status_code == 302
    client.force_login(author)
    page = client.get(en("ideas_portal:mine")).content.decode()
    assert pending.title in page
    assert other.title not in page


def test_images_are_served_as_their_idea_is(network, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    author = verified_user()
    idea = submit(author, images=[SimpleUploadedFile("a.png", PNG, "image/png")])
    picture = IdeaImage.objects.get(idea=idea)
    url = en("ideas_portal:image", pk=picture.pk)
    assert client.get(url).status_code == 404  # pending: not public
    client.force_login(author)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert client.get(en("ideas_portal:image", pk=picture.pk + 1000)).status_code == 404


def test_unknown_ideas_are_not_found(network, client):
    assert client.get(en("ideas_portal:idea", pk=999999)).status_code == 404
