"""Comments: verified accounts only, plain text, pre-moderated, rate-limited, counted."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from birlik.ideas import services
from birlik.ideas.models import Comment, Idea

from ..factories import UserFactory
from .factories import make_comment, make_idea, verified_user

pytestmark = pytest.mark.django_db


def test_a_verified_account_comments_and_the_comment_waits_for_moderation(network):
    idea = make_idea(network.pavlodar)
    comment = services.comment_add(
        author=verified_user(full_name="Айгерім Сапарова"),
        idea=idea,
        text=" Керемет!\r\n\r\n\r\nҚолдаймын ",
    )
    assert comment.status == Comment.Status.PENDING
    assert comment.text == "Керемет!\n\nҚолдаймын"
    assert comment.author_display == "Айгерім С."
    idea.refresh_from_db()
    assert idea.comment_count == 0


def test_an_unverified_account_cannot_comment(network):
    with pytest.raises(PermissionDenied):
        services.comment_add(author=UserFactory(), idea=make_idea(network.pavlodar), text="Иә")


def test_a_pending_idea_takes_no_comment(network):
    idea = make_idea(network.pavlodar, status=Idea.Status.PENDING)
    with pytest.raises(services.IdeaError):
        services.comment_add(author=verified_user(), idea=idea, text="Жақсы идея")


def test_publishing_and_hiding_keep_the_comment_count(network):
    idea = make_idea(network.pavlodar)
    comment = make_comment(idea, status=Comment.Status.PENDING)
    actor = network.users["coordinator_pavlodar"]
    services.comment_moderate(actor=actor, comment=comment, publish=True)
    idea.refresh_from_db()
    assert idea.comment_count == 1
    services.comment_moderate(actor=actor, comment=comment, publish=False)
    idea.refresh_from_db()
    assert idea.comment_count == 0


def test_markup_in_a_comment_is_shown_as_text(network, client):
    idea = make_idea(network.pavlodar)
    make_comment(idea, text="<script>alert(1)</script> <b>қалың</b>")
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = render_to_string("ideas/portal/_comments.html", {"idea": idea, "request": request})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html


def test_the_comment_form_posts_a_pending_comment(network, login):
    idea = make_idea(network.pavlodar)
    client = login(verified_user())
    response = client.post(
        reverse("ideas_portal:comment_add", kwargs={"pk": idea.pk}), {"text": "Қолдаймын!"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_an_anonymous_comment_is_sent_to_sign_in(network, client):
    idea = make_idea(network.pavlodar)
    response = client.post(
        reverse("ideas_portal:comment_add", kwargs={"pk": idea.pk}), {"text": "Қолдаймын!"}
    )
    assert response.status_code == 302 and reverse("access:login") in response["Location"]
    assert not Comment.objects.exists()


@override_settings(RATE_IDEA_COMMENTS="2/d")
def test_comments_beyond_the_daily_limit_are_refused(network, login):
    idea = make_idea(network.pavlodar)
    client = login(verified_user())
    url = reverse("ideas_portal:comment_add", kwargs={"pk": idea.pk})
    for n in range(3):
        client.post(url, {"text": f"Пікір {n}"})
    assert Comment.objects.count() == 2


def test_staff_moderate_comments_from_the_queue(network, login):
    idea = make_idea(network.pavlodar)
    comment = make_comment(idea, status=Comment.Status.PENDING, text="Тексеруде")
    client = login(network.users["coordinator_pavlodar"])
    assert "Тексеруде" in client.get(reverse("ideas:moderation")).content.decode()
    client.post(reverse("ideas:comment_publish", kwargs={"pk": comment.pk}))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    other = login(network.users["coordinator_almaty"])
    assert other.post(reverse("ideas:comment_hide", kwargs={"pk": comment.pk})).status_code == 404
