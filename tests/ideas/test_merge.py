"""Merging a duplicate into the idea kept: supports move, a person who supported both counts
once, the merged idea's page says where it went, only staff covering both ideas merge."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from birlik.access.models import AuditEntry
from birlik.ideas import services
from birlik.ideas.models import Idea, Support

from .factories import make_idea, support, verified_user

pytestmark = pytest.mark.django_db


def test_merge_keeps_every_supporter_once(network):
    kept, duplicate = make_idea(network.pavlodar), make_idea(network.pavlodar)
    both, only_kept, only_duplicate = verified_user(), verified_user(), verified_user()
    for user in (both, only_kept):
        support(kept, user)
    for user in (both, only_duplicate):
        support(duplicate, user)
    services.idea_merge(actor=network.users["coordinator_pavlodar"], duplicate=duplicate, into=kept)
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert kept.support_count == 3
    assert set(kept.supports.values_list("user_id", flat=True)) == {
        both.pk,
        only_kept.pk,
        only_duplicate.pk,
    }
    assert Support.objects.get(idea=kept, user=only_duplicate).moved_from == duplicate
    assert Support.objects.get(idea=kept, user=both).moved_from is None
    assert duplicate.status == Idea.Status.MERGED
    assert duplicate.merged_into == kept
    assert duplicate.support_count == Support.objects.filter(idea=duplicate).count()
    assert AuditEntry.objects.filter(object_id=str(duplicate.pk), note="merge").exists()


def test_merge_may_start_the_clock_of_the_idea_kept(network, settings):
    settings.IDEAS_OPEN_THRESHOLD = 3
    kept, duplicate = make_idea(network.pavlodar), make_idea(network.pavlodar)
    support(kept)
    support(duplicate)
    support(duplicate)
    services.idea_merge(actor=network.users["admin"], duplicate=duplicate, into=kept)
    kept.refresh_from_db()
    assert kept.support_count == 3
    assert kept.answer_due is not None


def test_ideas_merged_earlier_follow_to_the_idea_kept(network):
    kept, middle, first = (make_idea(network.pavlodar) for _ in range(3))
    coordinator = network.users["coordinator_pavlodar"]
    services.idea_merge(actor=coordinator, duplicate=first, into=middle)
    services.idea_merge(actor=coordinator, duplicate=middle, into=kept)
    first.refresh_from_db()
    assert first.merged_into == kept


def test_only_staff_covering_both_ideas_merge(network):
    pavlodar, almaty = make_idea(network.pavlodar), make_idea(network.almaty)
    with pytest.raises(PermissionDenied):
        services.idea_merge(
            actor=network.users["coordinator_pavlodar"], duplicate=pavlodar, into=almaty
        )
    other = make_idea(network.pavlodar)
    with pytest.raises(PermissionDenied):
        services.idea_merge(actor=network.users["analyst"], duplicate=pavlodar, into=other)
    pavlodar.refresh_from_db()
    assert pavlodar.status == Idea.Status.PUBLISHED


def test_an_idea_is_not_merged_into_itself_nor_into_an_unpublished_one(network):
    idea = make_idea(network.pavlodar)
    pending = make_idea(network.pavlodar, status=Idea.Status.PENDING)
    admin = network.users["admin"]
    with pytest.raises(services.IdeaError):
        services.idea_merge(actor=admin, duplicate=idea, into=idea)
    with pytest.raises(services.IdeaError):
        services.idea_merge(actor=admin, duplicate=idea, into=pending)


def test_the_merged_ideas_page_links_to_the_idea_kept(network, client):
    kept, duplicate = make_idea(network.pavlodar), make_idea(network.pavlodar)
    services.idea_merge(actor=network.users["admin"], duplicate=duplicate, into=kept)
    with translation.override("en"):
        page = client.get(reverse("ideas_portal:idea", kwargs={"pk": duplicate.pk}))
        kept_url = reverse("ideas_portal:idea", kwargs={"pk": kept.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert "was merged with a similar one" in text
    assert f'href="{kept_url}"' in text


def test_the_merge_page_merges_by_number(network, login):
    kept, duplicate = make_idea(network.pavlodar), make_idea(network.pavlodar)
    support(duplicate)
    client = login(network.users["coordinator_pavlodar"])
    with translation.override("en"):
        url = reverse("ideas:merge", kwargs={"pk": duplicate.pk})
        assert client.get(url).status_code == 200
        response = client.post(url, {"into": "ИД-0000-NOPE"})
        assert response.status_code == 400
        assert "No idea with this number" in response.content.decode()
        response = client.post(url, {"into": kept.number})
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.support_count == 1


def test_the_merge_page_is_not_found_out_of_scope(network, login):
    idea = make_idea(network.almaty)
    client = login(network.users["coordinator_pavlodar"])
    assert client.get(reverse("ideas:merge", kwargs={"pk": idea.pk})).status_code == 404
