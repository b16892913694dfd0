"""Moderation of ideas: publish (indexed, author told) or reject with a reason (author told)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from birlik.ideas import services
from birlik.ideas.models import Idea, IdeaTerm
from birlik.notify.models import Notice

from .factories import make_idea, verified_user

pytestmark = pytest.mark.django_db


def test_publishing_an_idea_indexes_it_and_tells_the_author(network):
    author = verified_user(email="aigerim@example.kz", language="ru")
    idea = make_idea(network.pavlodar, author=author, status=Idea.Status.PENDING)
    services.idea_publish(actor=network.users["coordinator_pavlodar"], idea=idea)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.PUBLISHED and idea.published_at is not None
    assert IdeaTerm.objects.filter(idea=idea).exists()
    notices = Notice.objects.filter(idempotency_key__startswith=f"idea:{idea.pk}:published")
    assert {n.channel for n in notices} == {"email", "sms"}
    assert all(n.language == "ru" and idea.number in n.body for n in notices)


def test_rejecting_needs_a_reason_that_the_author_reads(network, login):
    author = verified_user(language="en")
    idea = make_idea(network.pavlodar, author=author, status=Idea.Status.PENDING)
    actor = network.users["coordinator_pavlodar"]
    with pytest.raises(services.IdeaError):
        services.idea_reject(actor=actor, idea=idea, reason="  ")
    services.idea_reject(actor=actor, idea=idea, reason="Duplicate of ИД-2026-00001")
    idea.refresh_from_db()
    assert idea.status == Idea.Status.REJECTED
    assert idea.moderation_note == "Duplicate of ИД-2026-00001"
    notice = Notice.objects.get(idempotency_key=f"idea:{idea.pk}:rejected:sms")
    assert "Duplicate of ИД-2026-00001" in notice.body


def test_a_published_idea_is_not_moderated_again(network):
    idea = make_idea(network.pavlodar)
    with pytest.raises(services.IdeaError):
        services.idea_publish(actor=network.users["admin"], idea=idea)


def test_staff_of_another_region_cannot_moderate(network):
    idea = make_idea(network.pavlodar, status=Idea.Status.PENDING)
    with pytest.raises(PermissionDenied):
        services.idea_publish(actor=network.users["coordinator_almaty"], idea=idea)


def test_the_queue_lists_pending_ideas_in_scope_and_publishes_from_it(network, login):
    mine = make_idea(network.pavlodar, status=Idea.Status.PENDING, title="Тіл клубы")
    make_idea(network.almaty, status=Idea.Status.PENDING, title="Басқа өңір идеясы")
    client = login(network.users["coordinator_pavlodar"])
    text = client.get(reverse("ideas:moderation")).content.decode()
    assert "Тіл клубы" in text and "Басқа өңір идеясы" not in text
    response = client.post(reverse("ideas:idea_publish", kwargs={"pk": mine.pk}))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Idea.Status.PUBLISHED


def test_an_empty_reason_re_renders_the_queue_with_the_error(network, login):
    idea = make_idea(network.pavlodar, status=Idea.Status.PENDING)
    client = login(network.users["coordinator_pavlodar"])
    with translation.override("en"):
        response = client.post(reverse("ideas:idea_reject", kwargs={"pk": idea.pk}), {"reason": ""})
    assert response.status_code == 400
    idea.refresh_from_db()
    assert idea.status == Idea.Status.PENDING


def test_staff_of_another_region_get_404_on_the_actions(network, login):
    idea = make_idea(network.pavlodar, status=Idea.Status.PENDING)
    client = login(network.users["coordinator_almaty"])
    assert client.post(reverse("ideas:idea_publish", kwargs={"pk": idea.pk})).status_code == 404
    assert client.get(reverse("ideas:idea", kwargs={"pk": idea.pk})).status_code == 404
    idea.refresh_from_db()
    assert idea.status == Idea.Status.PENDING


def test_the_moderation_queue_costs_the_same_queries_for_3_and_30_rows(
    network, login, django_assert_max_num_queries
):
    client = login(network.users["coordinator_pavlodar"])
    for _ in range(3):
        make_idea(network.pavlodar, status=Idea.Status.PENDING)
    with django_assert_max_num_queries(12):
        client.get(reverse("ideas:moderation"))
    for _ in range(27):
        make_idea(network.pavlodar, status=Idea.Status.PENDING)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("ideas:moderation")).status_code == 200
