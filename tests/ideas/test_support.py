"""Supporting ideas: one support per verified person, the phases of a call, the threshold that
starts the answer clock once (on Kazakhstan's working days) and a withdrawal that keeps it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from birlik.ideas import services
from birlik.ideas.models import Call, Idea, Support
from birlik.notify.models import Notice

from ..factories import GrantFactory, UserFactory
from .factories import make_call, make_idea, support, verified_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    """The services' messages are read in English here (Kazakh is the default)."""
    with translation.override("en"):
        yield


def test_a_verified_person_supports_an_idea_once(network):
    idea = make_idea(network.pavlodar)
    user = verified_user()
    services.idea_support(user=user, idea=idea)
    with translation.override("en"), pytest.raises(services.IdeaError) as error:
        services.idea_support(user=user, idea=idea)
    assert "already support" in str(error.value.message)
    assert Support.objects.filter(idea=idea, user=user).count() == 1
    idea.refresh_from_db()
    assert idea.support_count == 1


def test_supporting_twice_on_the_page_shows_a_message_and_keeps_one_row(network, client):
    idea = make_idea(network.pavlodar)
    user = verified_user()
    client.force_login(user)
    with translation.override("en"):
        url = reverse("ideas_portal:support", kwargs={"pk": idea.pk})
        client.post(url)
        response = client.post(url, follow=True)
    page = response.content.decode()
    assert "You already support this idea" in page
    assert "1 support" in page
    assert Support.objects.filter(idea=idea).count() == 1


def test_an_unverified_account_cannot_support(network, client):
    idea = make_idea(network.pavlodar)
    unverified = UserFactory()
    with pytest.raises(PermissionDenied):
        services.idea_support(user=unverified, idea=idea)
    client.force_login(unverified)
    with translation.override("en"):
        response = client.post(reverse("ideas_portal:support", kwargs={"pk": idea.pk}), follow=True)
    assert "Verify your phone number or e-mail address first" in response.content.decode()
    assert not Support.objects.exists()


def test_the_anonymous_are_sent_to_sign_in(network, client):
    idea = make_idea(network.pavlodar)
    response = client.post(reverse("ideas_portal:support", kwargs={"pk": idea.pk}))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not Support.objects.exists()


@pytest.mark.parametrize(
    "status", [Idea.Status.PENDING, Idea.Status.REJECTED, Idea.Status.WITHDRAWN]
)
def test_only_published_ideas_take_support(network, status):
    idea = make_idea(network.pavlodar, status=status)
    with translation.override("en"), pytest.raises(services.IdeaError) as error:
        services.idea_support(user=verified_user(), idea=idea)
    assert "Only published ideas" in str(error.value.message)


def test_a_merged_idea_points_to_the_idea_kept(network):
    kept = make_idea(network.pavlodar)
    merged = make_idea(network.pavlodar, status=Idea.Status.MERGED, merged_into=kept)
    with translation.override("en"), pytest.raises(services.IdeaError) as error:
        services.idea_support(user=verified_user(), idea=merged)
    assert kept.number in str(error.value.message)


def test_a_calls_ideas_take_support_during_collecting_and_support_phases_only(network):
    with freeze_time("2026-04-01 10:00"):
        call = make_call(network.pavlodar)  # collecting until 1 May, support until 31 May
        idea = make_idea(network.pavlodar, call=call)
        services.idea_support(user=verified_user(), idea=idea)
    with freeze_time("2026-05-20 10:00"):
        services.idea_support(user=verified_user(), idea=idea)
    with (
        freeze_time("2026-06-05 10:00"),
        translation.override("en"),
        pytest.raises(services.IdeaError) as error,
    ):
        services.idea_support(user=verified_user(), idea=idea)
    assert "was gathered until 31.05.2026" in str(error.value.message)
    idea.refresh_from_db()
    assert idea.support_count == 2


def test_a_cancelled_call_takes_no_support(network):
    call = make_call(network.pavlodar, status=Call.Status.CANCELLED)
    idea = make_idea(network.pavlodar, call=call)
    with pytest.raises(services.IdeaError):
        services.idea_support(user=verified_user(), idea=idea)


def test_the_support_reaching_the_threshold_starts_the_clock_in_working_days(network):
    # Friday 20 March 2026; Nauryz is 21–25 March: three working days end on 30 March.
    GrantFactory(
        user=UserFactory(email="coordinator@example.kz"),
        role="regional_coordinator",
        organisation=network.pavlodar,
    )
    with freeze_time("2026-03-20 10:00"):
        call = make_call(network.pavlodar, threshold=2, answer_working_days=3)
        idea = make_idea(network.pavlodar, call=call)
        services.idea_support(user=verified_user(), idea=idea)
        idea.refresh_from_db()
        assert idea.answer_due is None
        services.idea_support(user=verified_user(), idea=idea)
    idea.refresh_from_db()
    assert idea.threshold_reached_on == datetime.date(2026, 3, 20)
    assert idea.answer_due == datetime.date(2026, 3, 30)
    notice = Notice.objects.get(recipient="coordinator@example.kz")
    assert idea.number in notice.body
    assert "30.03.2026" in notice.body


def test_the_clock_starts_once_and_a_withdrawn_support_keeps_it(network):
    with freeze_time("2026-03-20 10:00"):
        call = make_call(network.pavlodar, threshold=2, answer_working_days=3)
        idea = make_idea(network.pavlodar, call=call)
        first, second = verified_user(), verified_user()
        services.idea_support(user=first, idea=idea)
        services.idea_support(user=second, idea=idea)
    with freeze_time("2026-04-02 10:00"):
        services.idea_unsupport(user=second, idea=idea)
        idea.refresh_from_db()
        assert idea.support_count == 1
        assert idea.answer_due == datetime.date(2026, 3, 30)
        services.idea_support(user=second, idea=idea)
    idea.refresh_from_db()
    assert idea.support_count == 2
    assert idea.threshold_reached_on == datetime.date(2026, 3, 20)
    assert idea.answer_due == datetime.date(2026, 3, 30)


def test_the_open_platform_uses_the_settings(network, settings):
    settings.IDEAS_OPEN_THRESHOLD = 1
    settings.IDEAS_ANSWER_WORKING_DAYS = 5
    with freeze_time("2026-03-19 10:00"):  # Thursday; then Nauryz
        idea = make_idea(network.pavlodar)
        services.idea_support(user=verified_user(), idea=idea)
    idea.refresh_from_db()
    # 20, 26, 27, 30, 31 March are the five working days after the 19th.
    assert idea.answer_due == datetime.date(2026, 3, 31)


def test_one_may_support_ones_own_idea(network):
    author = verified_user()
    idea = make_idea(network.pavlodar, author=author)
    services.idea_support(user=author, idea=idea)
    assert idea.supports.count() == 1


def test_withdrawing_a_support_one_never_gave_is_refused(network):
    idea = make_idea(network.pavlodar)
    support(idea)
    with pytest.raises(services.IdeaError):
        services.idea_unsupport(user=verified_user(), idea=idea)
    idea.refresh_from_db()
    assert idea.support_count == 1
