"""Check-in at the door: by the ticket code a scanner types in, or from the list."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from birlik.events import services
from birlik.events.models import Registration
from birlik.events.services import ticket_url

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"events:{name}", args=args)


@pytest.fixture
def event(plan):
    return plan(capacity=1, publish=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_check_in_by_ticket_code_counts_the_person(as_user, event, sign_up):
    registration = sign_up(event, 1)
    client = as_user("staff_pavlodar_house")
    page = client.get(url("check_in", event.pk)).content.decode()
    assert "autofocus" in page and 'name="code"' in page
    response = client.post(
        url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("check_in", event.pk)
    assert f"{registration.full_name} is checked in." in messages_of(response)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    event.refresh_from_db()
    assert (event.attended_count, event.participants_total) == (1, 1)


def test_a_scanned_ticket_address_is_understood(as_user, event, sign_up):
    registration = sign_up(event, 1)
    response = as_user("staff_pavlodar_house").post(
        url("check_in", event.pk), {"code": ticket_url(registration)}, follow=True
    )
    assert f"{registration.full_name} is checked in." in messages_of(response)


def test_a_second_check_in_is_refused_with_the_time_of_the_first(as_user, event, sign_up):
    registration = sign_up(event, 1)
    client = as_user("staff_pavlodar_house")
    with freeze_time(timezone.now().replace(hour=9, minute=5)):
        first = client.post(
            url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
        )
    assert messages_of(first) == [f"{registration.full_name} is checked in."]
    response = client.post(
        url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
    )
    assert messages_of(response) == ["This ticket was already checked in at 14:05."]
    event.refresh_from_db()
    assert event.attended_count == 1


def test_a_waiting_list_ticket_and_an_unknown_code_are_refused(as_user, event, sign_up):
    sign_up(event, 1)
    waiting = sign_up(event, 2)
    assert waiting.status == Registration.Status.WAITLISTED
    client = as_user("staff_pavlodar_house")
    response = client.post(url("check_in", event.pk), {"code": waiting.ticket_code}, follow=True)
    assert messages_of(response) == ["This ticket is not confirmed: on the waiting list."]
    response = client.post(url("check_in", event.pk), {"code": "NoSuchTicket123"}, follow=True)
    assert messages_of(response) == ["No ticket of this event has this code."]
    response = client.post(url("check_in", event.pk), {"code": "<script>"})
    assert response.status_code == 200
    assert "No ticket of this event has this code." in response.content.decode()
    event.refresh_from_db()
    assert event.attended_count == 0


def test_a_ticket_of_another_event_is_unknown_here(as_user, event, plan, sign_up):
    other = plan(publish=True)
    registration = sign_up(other, 1)
    response = as_user("staff_pavlodar_house").post(
        url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
    )
    assert messages_of(response) == ["No ticket of this event has this code."]


def test_check_in_from_the_list_returns_to_the_event_page(as_user, plan, sign_up):
    event = plan(publish=True)
    first, second = sign_up(event, 1), sign_up(event, 2)
    client = as_user("staff_pavlodar_house")
    detail = client.get(url("detail", event.pk)).content.decode()
    assert detail.count('name="registration"') == 2  # a check-in button per person
    assert url("registration_cancel", event.pk, first.pk) in detail
    check_in_page = client.get(url("check_in", event.pk))
    assert {r.pk for r in check_in_page.context["waiting"].object_list} == {first.pk, second.pk}

    response = client.post(
        url("check_in", event.pk),
        {"registration": first.pk, "next": url("detail", event.pk)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("detail", event.pk)
    assert f"{first.full_name} is checked in." in messages_of(response)
    rows = {r.pk: r.checked_in_at for r in response.context["registrations"].object_list}
    assert rows[first.pk] is not None and rows[second.pk] is None
    waiting = client.get(url("check_in", event.pk)).context["waiting"].object_list
    assert [r.pk for r in waiting] == [second.pk]
    # The same button pressed twice says so instead of counting twice.
    again = client.post(url("check_in", event.pk), {"registration": first.pk}, follow=True)
    assert messages_of(again)[0].startswith("This ticket was already checked in at ")


def test_next_must_stay_on_the_site(as_user, event, sign_up):
    registration = sign_up(event, 1)
    response = as_user("staff_pavlodar_house").post(
        url("check_in", event.pk),
        {"registration": registration.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == url("check_in", event.pk)


def test_analysts_cannot_check_people_in(as_user, event, sign_up):
    registration = sign_up(event, 1)
    client = as_user("analyst")
    assert client.get(url("check_in", event.pk)).status_code == 403
    response = client.post(url("check_in", event.pk), {"code": registration.ticket_code})
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_cancelled_event_offers_no_check_in(as_user, event, sign_up, network):
    registration = sign_up(event, 1)
    services.event_cancel(actor=network.users["admin"], event=event)
    client = as_user("staff_pavlodar_house")
    response = client.post(
        url("check_in", event.pk), {"code": registration.ticket_code}, follow=True
    )
    assert messages_of(response) == ["A cancelled event has no attendance."]
    page = client.get(url("detail", event.pk))
    assert page.context["can_check_in"] is False
    assert page.context["can_register"] is False
    assert url("check_in", event.pk) not in page.content.decode()
