"""A citizen without an account registers on an event's page, gets a ticket and may cancel it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from birlik.events.models import Event, Registration

from .events_data import in_days, make_event, make_past_event, register
from .helpers import main, text

pytestmark = pytest.mark.django_db

CITIZEN = {
    "full_name": "Айгүл Серікқызы Нұрланова",
    "phone": "8 701 234 56 78",
    "email": "",
    "consent": "on",
}


def event_url(event, language="en"):
    with translation.override(language):
        return reverse("portal:event", kwargs={"pk": event.pk})


def ticket_url(registration, language="en"):
    with translation.override(language):
        return reverse("portal:ticket", kwargs={"code": registration.ticket_code})


def test_a_citizen_without_an_account_registers_and_is_sent_to_the_ticket_page(client, network):
    event = make_event(network, capacity=10)

    response = client.post(event_url(event), CITIZEN)

    registration = Registration.objects.get(event=event)
    assert response.status_code == 302
    assert response["Location"] == ticket_url(registration)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.user is None
    assert registration.phone == "+77012345678"
    assert registration.language == "en"
    event.refresh_from_db()
    assert event.confirmed_count == 1

    ticket = client.get(response["Location"])
    assert ticket.status_code == 200
    page = main(ticket)
    assert "Your place is confirmed" in text(ticket)
    assert re.search(r'<svg role="img" aria-label="QR code of the ticket: [^"]+"', page)
    assert "<path" in page
    assert registration.ticket_code in page
    assert '<meta name="robots" content="noindex' in ticket.content.decode()
    assert "no-store" in ticket["Cache-Control"]


def test_the_registration_is_kept_in_the_language_the_citizen_used(client, network):
    event = make_event(network)

    client.post(event_url(event, "kk"), CITIZEN)

    assert Registration.objects.get(event=event).language == "kk"


def test_the_event_page_shows_the_registration_form_with_labelled_fields(client, network):
    event = make_event(network, capacity=3)

    response = client.get(event_url(event))

    page = main(response)
    assert response.status_code == 200
    for name in ("full_name", "phone", "email", "consent"):
        assert f'for="id_{name}"' in page
        assert f'id="id_{name}"' in page
    assert "I agree to the processing of my personal data" in page
    assert "3 places left" in text(response)


def test_a_full_event_puts_the_next_citizen_on_the_waiting_list(client, network):
    event = make_event(network, capacity=1)
    register(event, name="Бірінші қатысушы", phone="+7 701 000 00 01")

    before = client.get(event_url(event))
    response = client.post(event_url(event), CITIZEN)

    assert "All places are taken" in text(before)
    assert "Full: waiting list" in text(before)
    registration = Registration.objects.get(event=event, phone="+77012345678")
    assert registration.status == Registration.Status.WAITLISTED
    ticket = client.get(response["Location"])
    assert "You are on the waiting list" in text(ticket)
    assert "Your place in the queue: 1." in text(ticket)
    assert "<svg" not in main(ticket)


def test_cancelling_on_the_ticket_page_gives_the_place_to_the_first_person_waiting(client, network):
    event = make_event(network, capacity=1)
    first = register(event, name="Бірінші қатысушы", phone="+7 701 000 00 01")
    waiting = register(event, name="Екінші қатысушы", phone="+7 701 000 00 02")
    later = register(event, name="Үшінші қатысушы", phone="+7 701 000 00 03")
    with translation.override("en"):
        cancel = reverse("portal:ticket_cancel", kwargs={"code": first.ticket_code})

    ticket = client.get(ticket_url(first))
    confirm = client.post(cancel)
    unchanged = Registration.objects.get(pk=first.pk).status
    done = client.post(cancel, {"confirm": "yes"}, follow=True)

    assert "Cancel my registration" in text(ticket)
    assert confirm.status_code == 200
    assert "Yes, cancel my registration" in text(confirm)
    assert unchanged == Registration.Status.CONFIRMED
    assert "Your registration is cancelled" in text(done)
    assert "This registration is cancelled" in text(done)
    assert Registration.objects.get(pk=first.pk).status == Registration.Status.CANCELLED
    promoted = client.get(ticket_url(waiting))
    assert "Your place is confirmed" in text(promoted)
    assert "<svg" in main(promoted)
    assert "Your place in the queue: 1." in text(client.get(ticket_url(later)))


def test_a_cancelled_ticket_offers_no_second_cancellation(client, network):
    event = make_event(network)
    registration = register(event, name="Бірінші қатысушы", phone="+7 701 000 00 01")
    with translation.override("en"):
        cancel = reverse("portal:ticket_cancel", kwargs={"code": registration.ticket_code})
    client.post(cancel, {"confirm": "yes"})

    again = client.post(cancel, {"confirm": "yes"}, follow=True)

    assert "This registration can no longer be cancelled." in text(again)
    assert 'action="' + cancel not in main(again)


def test_a_second_registration_of_the_same_phone_is_refused_with_a_message(client, network):
    event = make_event(network)
    register(event, name="Айгүл Нұрланова", phone="+7 701 234 56 78")

    response = client.post(event_url(event), CITIZEN)

    assert response.status_code == 400
    assert "You are already registered for this event." in text(response)
    assert 'id="id_phone_error"' in main(response)
    assert Registration.objects.filter(event=event).count() == 1


def test_registration_is_refused_when_the_event_is_not_open(client, network):
    planned = make_event(network, publish=False)
    cancelled = make_event(network, title_en="Cancelled meeting")
    from birlik.events.services import event_cancel

    event_cancel(actor=network.users["admin"], event=cancelled)

    for event, notice in ((planned, "not open yet"), (cancelled, "This event is cancelled.")):
        response = client.post(event_url(event), CITIZEN)
        assert response.status_code == 400
        assert "Registration for this event is closed." in text(response)
        assert notice in text(response)
        assert 'name="full_name"' not in main(response)
    assert not Registration.objects.exists()


def test_registration_is_refused_after_the_event(client, network):
    event = make_past_event(network)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.OPEN)

    response = client.post(event_url(event), CITIZEN)

    assert "Registration for this event is closed." in text(response)
    assert "This event is over." in text(response)
    assert not Registration.objects.exists()


def test_registration_needs_the_consent(client, network):
    event = make_event(network)

    response = client.post(event_url(event), {**CITIZEN, "consent": ""})

    assert response.status_code == 400
    page = main(response)
    assert "Registration needs your consent to the processing of your personal data." in page
    assert 'aria-describedby="id_consent_error"' in page
    assert 'href="#id_consent"' in page
    assert not Registration.objects.exists()


@pytest.mark.parametrize("phone", ["12345", "+7 701 ABC 56 78", "8 701 234 56 78 99 1"])
def test_a_bad_phone_number_is_refused(client, network, phone):
    event = make_event(network)

    response = client.post(event_url(event), {**CITIZEN, "phone": phone})

    assert response.status_code == 400
    assert "Give the phone number with its code, for example +7 701 234 56 78." in text(response)
    assert "id_phone_error" in main(response)
    assert not Registration.objects.exists()


def test_a_phone_or_an_e_mail_is_required(client, network):
    event = make_event(network)

    response = client.post(event_url(event), {**CITIZEN, "phone": "", "email": ""})
    with_email = client.post(
        event_url(event), {**CITIZEN, "phone": "", "email": "aigul@example.kz"}
    )

    assert "Give a phone number or an e-mail address" in text(response)
    assert with_email.status_code == 302
    assert Registration.objects.get().email == "aigul@example.kz"


def test_too_many_registrations_from_one_address_are_refused_for_an_hour(client, network, settings):
    settings.RATE_EVENT_REGISTRATIONS = "2/h"
    event = make_event(network)
    for number in range(2):
        answer = client.post(event_url(event), {**CITIZEN, "phone": f"+7 701 000 00 0{number}"})
        assert answer.status_code == 302

    response = client.post(event_url(event), {**CITIZEN, "phone": "+7 701 000 00 09"})

    assert response.status_code == 429
    assert "Too many registrations were sent from your connection." in text(response)
    assert Registration.objects.count() == 2


def test_an_unknown_ticket_code_answers_404(client, network):
    event = make_event(network)
    register(event, name="Айгүл", phone="+7 701 000 00 01")

    for code in ("unknown-code", "x" * 40):
        response = client.get(reverse("portal:ticket", kwargs={"code": code}))
        assert response.status_code == 404
        cancel = client.post(
            reverse("portal:ticket_cancel", kwargs={"code": code}), {"confirm": "yes"}
        )
        assert cancel.status_code == 404
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


def test_the_ticket_page_shows_nothing_of_other_participants(client, network):
    event = make_event(network, capacity=5)
    mine = register(event, name="Айгүл Нұрланова", phone="+7 701 000 00 01")
    register(event, name="Бөгде Адам", phone="+7 702 999 88 77", email="other@example.kz")

    response = client.get(ticket_url(mine))

    page = main(response)
    assert "Айгүл Нұрланова" in page
    assert "Бөгде" not in page
    assert "other@example.kz" not in page
    assert "702" not in page


def test_the_event_page_of_a_future_event_shows_when_where_and_who(client, network):
    event = make_event(
        network,
        starts_at=in_days(5, hour=18),
        audiences=("youth", "disabilities"),
        co_organisers=(network.pavlodar_elders,),
        programme="myn_bala",
        accessibility=["step_free", "sign_language"],
    )

    response = client.get(event_url(event))

    shown = text(response)
    assert f"{event.starts_at.astimezone().strftime('%d.%m.%Y')}, 18:00" in shown
    assert "12 Dostyk Street, Pavlodar" in shown
    assert "House of Friendship of Pavlodar Region" in shown
    assert "Council of Elders" in shown
    assert "Myn Bala" in shown
    assert "youth" in shown and "people with disabilities" in shown
    assert "Kazakh, Russian" in shown
    assert "Step-free access" in shown and "Sign language interpreter" in shown
    assert reverse("portal:body", kwargs={"pk": network.pavlodar_house.pk}) in main(response)
    assert reverse("portal:event_ical", kwargs={"pk": event.pk}) in main(response)


def test_an_unknown_event_answers_404(client, network):
    assert client.get("/en/events/999999/").status_code == 404


@pytest.mark.parametrize(
    ("language", "label"), [("kk", 'lang="kk"'), ("ru", 'lang="ru"'), ("en", 'lang="en"')]
)
def test_event_and_ticket_pages_render_in_each_language(client, network, language, label):
    event = make_event(network)
    registration = register(event, name="Айгүл", phone="+7 701 000 00 01")

    page = client.get(event_url(event, language))
    ticket = client.get(ticket_url(registration, language))
    cancel = client.get(reverse("portal:ticket_cancel", kwargs={"code": registration.ticket_code}))

    for response in (page, ticket, cancel):
        assert response.status_code == 200
        assert f"<html {label}>" in response.content.decode()
        assert main(response).count("<h1>") == 1
