"""Photos of events are public once the event is held; documents and other files never are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from birlik.events.models import Event, EventAttachment

from .events_data import PNG, attach, make_event, make_past_event, report
from .helpers import main, text

pytestmark = pytest.mark.django_db


def photo_url(attachment) -> str:
    return reverse("portal:event_photo", kwargs={"pk": attachment.pk})


def test_a_photo_of_a_reported_event_is_served_and_shown_with_the_outcomes(client, network):
    event = report(network, make_past_event(network), count=40, outcomes="Жастар бірге ән айтты.")
    photo = attach(
        event,
        kind=EventAttachment.Kind.PHOTO,
        name="concert.png",
        content=PNG,
        content_type="image/png",
    )

    response = client.get(photo_url(photo))
    page = client.get(f"/kk/events/{event.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert photo_url(photo) in main(page)
    assert "Жастар бірге ән айтты." in text(page)
    assert "40" in text(page)


def test_a_document_is_never_served_even_of_a_reported_event(client, network):
    event = report(network, make_past_event(network))
    document = attach(
        event,
        kind=EventAttachment.Kind.DOCUMENT,
        name="list.png",
        content=PNG,
        content_type="image/png",
    )

    assert client.get(photo_url(document)).status_code == 404
    assert photo_url(document) not in main(client.get(f"/en/events/{event.pk}/"))


def test_photos_of_events_not_yet_held_are_not_served(client, network):
    event = make_event(network)
    photo = attach(
        event,
        kind=EventAttachment.Kind.PHOTO,
        name="poster.png",
        content=PNG,
        content_type="image/png",
    )

    assert client.get(photo_url(photo)).status_code == 404
    assert photo_url(photo) not in main(client.get(f"/en/events/{event.pk}/"))
    Event.objects.filter(pk=event.pk).update(status=Event.Status.HELD)
    assert client.get(photo_url(photo)).status_code == 200


def test_a_photo_stored_with_a_non_image_type_is_not_served(client, network):
    event = report(network, make_past_event(network))
    page = attach(
        event,
        kind=EventAttachment.Kind.PHOTO,
        name="page.html",
        content=b"<script></script>",
        content_type="text/html",
    )

    assert client.get(photo_url(page)).status_code == 404


def test_an_unknown_photo_answers_404(client, network):
    assert client.get("/en/events/photos/99999/").status_code == 404
