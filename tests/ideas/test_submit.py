"""Submitting ideas: who may, where an idea goes (a call collecting ideas, or the open platform
and the assembly of its region), its number and author's name, images checked by content, the
rate limit per account, and withdrawing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from birlik.geo.models import Region
from birlik.ideas import services
from birlik.ideas.models import Idea, IdeaImage

from ..factories import UserFactory
from .factories import category, make_call, make_idea, verified_user

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63"
    "f8ffff3f0005fe02fea7d6a44a0000000049454e44ae426082"
)
TEXT = {
    "title": "Аудандар арасындағы жастар футбол турнирі",
    "problem": "Аудан жастарының бос уақыты ұйымдастырылмаған, спорт алаңдары бос тұр.",
    "solution": "Облыстық ассамблея жастар командалары арасында жыл сайын турнир өткізсін.",
}


@pytest.fixture(autouse=True)
def english_messages():
    """The services' messages are read in English here (Kazakh is the default)."""
    with translation.override("en"):
        yield


def submit(author, **extra):
    fields = {
        "author": author,
        "call": None,
        "category": category(),
        "region": None,
        "language": "kk",
        **TEXT,
    }
    fields.update(extra)
    return services.idea_submit(**fields)


def test_an_idea_waits_for_moderation_with_its_number_and_the_authors_short_name(network):
    author = verified_user(full_name="Айгерім Сапарова")
    idea = submit(author, region=Region.objects.get(iso="KZ-55"))
    assert idea.status == Idea.Status.PENDING
    assert idea.number == f"ИД-{timezone.localdate().year}-00001"
    assert idea.author_display == "Айгерім С."
    assert idea.organisation == network.pavlodar
    assert submit(author).number.endswith("-00002")


def test_the_open_platform_goes_to_the_secretariat_without_a_region(network):
    assert submit(verified_user()).organisation == network.root


def test_a_calls_idea_goes_to_the_calls_body(network):
    call = make_call(network.almaty)
    idea = submit(verified_user(), call=call, region=Region.objects.get(iso="KZ-55"))
    assert idea.organisation == network.almaty


def test_a_call_out_of_its_collecting_phase_takes_no_idea(network):
    today = timezone.localdate()
    call = make_call(
        network.pavlodar,
        opens_on=today - datetime.timedelta(days=20),
        collect_until=today - datetime.timedelta(days=1),
    )
    with translation.override("en"), pytest.raises(services.IdeaError) as error:
        submit(verified_user(), call=call)
    assert error.value.field == "call"
    assert "does not accept ideas now" in str(error.value.message)
    assert not Idea.objects.exists()


def test_an_unverified_account_cannot_submit(network):
    with pytest.raises(PermissionDenied):
        submit(UserFactory())


def test_images_are_checked_by_their_content(network):
    author = verified_user()
    idea = submit(author, images=[SimpleUploadedFile("a.png", PNG, "image/png")])
    assert IdeaImage.objects.filter(idea=idea).count() == 1
    assert IdeaImage.objects.get(idea=idea).image.name.endswith(".png")
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", "image/jpeg")
    with translation.override("en"), pytest.raises(services.IdeaError) as error:
        submit(author, images=[fake])
    assert error.value.field == "images"
    assert "photo.jpg" in str(error.value.message)
    assert Idea.objects.count() == 1


def test_at_most_three_images(network):
    files = [SimpleUploadedFile(f"{n}.png", PNG, "image/png") for n in range(4)]
    with pytest.raises(services.IdeaError):
        submit(verified_user(), images=files)
    assert not Idea.objects.exists()


def test_the_form_explains_what_the_anonymous_and_the_unverified_must_do(network, client):
    with translation.override("en"):
        url = reverse("ideas_portal:submit")
        page = client.get(url).content.decode()
        assert "sign in or create an account" in page
        assert f"?next={url}".replace("/", "%2F") in page
        client.force_login(UserFactory())
        page = client.get(url).content.decode()
    assert "verify your phone number or e-mail address first" in page
    assert 'name="title"' not in page


def test_the_anonymous_post_is_sent_to_sign_in(network, client):
    response = client.post(reverse("ideas_portal:submit"), TEXT)
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_the_form_submits_an_idea_and_shows_it_to_its_author(network, client):
    author = verified_user()
    client.force_login(author)
    with translation.override("en"):
        url = reverse("ideas_portal:submit")
        page = client.get(url).content.decode()
        assert 'id="similar-ideas"' in page
        assert "data-similar-url" in page
        response = client.post(
            url,
            {
                **TEXT,
                "category": category().pk,
                "region": Region.objects.get(iso="KZ-55").pk,
                "language": "kk",
                "images": [SimpleUploadedFile("a.png", PNG, "image/png")],
            },
            follow=True,
        )
    idea = Idea.objects.get()
    assert idea.author == author
    assert idea.images.count() == 1
    page = response.content.decode()
    assert idea.number in page
    assert "waiting for moderation" in page


def test_bad_input_on_the_form_keeps_nothing(network, client):
    client.force_login(verified_user())
    with translation.override("en"):
        response = client.post(
            reverse("ideas_portal:submit"),
            {**TEXT, "title": "", "category": "999999", "language": "xx"},
        )
    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_the_rate_limit_counts_submitted_ideas_per_account(network, client, settings):
    settings.RATE_IDEAS = "2/d"
    author = verified_user()
    client.force_login(author)
    data = {**TEXT, "category": category().pk, "language": "kk"}
    with translation.override("en"):
        url = reverse("ideas_portal:submit")
        assert client.post(url, {**data, "title": ""}).status_code == 400  # not counted
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302
        response = client.post(url, data)
    assert response.status_code == 429
    assert "Come back tomorrow" in response.content.decode()
    assert Idea.objects.count() == 2


def test_the_author_withdraws_an_idea_until_it_reaches_the_threshold(network, settings):
    settings.IDEAS_OPEN_THRESHOLD = 1
    author = verified_user()
    idea = make_idea(network.pavlodar, author=author)
    with pytest.raises(services.IdeaError):
        services.idea_withdraw(author=verified_user(), idea=idea)
    services.idea_withdraw(author=author, idea=idea)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.WITHDRAWN
    other = make_idea(network.pavlodar, author=author)
    services.idea_support(user=verified_user(), idea=other)
    with pytest.raises(services.IdeaError):
        services.idea_withdraw(author=author, idea=other)
    other.refresh_from_db()
    assert other.status == Idea.Status.PUBLISHED
