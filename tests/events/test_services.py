"""Event writes: places, waiting list, check-in, paper sheets, reports, notices."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone
from freezegun import freeze_time

from birlik.access.models import AuditEntry
from birlik.events import services
from birlik.events.models import Audience, Event, Registration
from birlik.notify.models import Notice

from ..factories import kind, region
from .factories import EventFactory


def register(event, n, **extra):
    return services.registration_create(
        event=event,
        full_name=f"Айгүл Сейітова {n}",
        phone=f"+7 701 000 00 {n:02d}",
        consent=True,
        **extra,
    )


@pytest.fixture
def event(network):
    return EventFactory(organiser=network.pavlodar_house, capacity=2)


def test_registrations_beyond_capacity_go_to_the_waiting_list(event):
    first, second, third = (register(event, n) for n in range(3))
    assert [r.status for r in (first, second, third)] == ["confirmed", "confirmed", "waitlisted"]
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (2, 1)


def test_cancellation_promotes_the_first_on_the_waiting_list_and_tells_them(event):
    first = register(event, 1)
    register(event, 2)
    waiting_a, waiting_b = register(event, 3), register(event, 4)
    services.registration_cancel(registration=first)
    waiting_a.refresh_from_db()
    waiting_b.refresh_from_db()
    assert waiting_a.status == "confirmed"
    assert waiting_b.status == "waitlisted"
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (2, 1)
    assert Notice.objects.filter(idempotency_key=f"registration:{waiting_a.pk}:promoted:sms")


def test_raising_capacity_promotes_waiting_people(network, event):
    for n in range(4):
        register(event, n)
    services.event_update(actor=network.users["admin"], event=event, data={"capacity": 3})
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (3, 1)


def test_capacity_cannot_drop_below_places_taken(network, event):
    register(event, 1)
    register(event, 2)
    with pytest.raises(services.EventError) as error:
        services.event_update(actor=network.users["admin"], event=event, data={"capacity": 1})
    assert error.value.field == "capacity"


def test_the_database_refuses_overbooking(event):
    with pytest.raises(IntegrityError):
        Event.objects.filter(pk=event.pk).update(confirmed_count=3)


def test_same_person_registers_once_whatever_the_phone_spelling(event):
    services.registration_create(event=event, full_name="Ерлан", phone="87012345678", consent=True)
    with pytest.raises(services.RegistrationError):
        services.registration_create(
            event=event, full_name="Ерлан Н.", phone="+7 (701) 234-56-78", consent=True
        )
    assert event.registrations.count() == 1


def test_registration_needs_consent_a_contact_and_an_open_event(network, event):
    with pytest.raises(services.RegistrationError) as error:
        services.registration_create(event=event, full_name="Ерлан", phone="", consent=True)
    assert error.value.field == "phone"
    with pytest.raises(services.RegistrationError) as error:
        services.registration_create(
            event=event, full_name="Ерлан", phone="87012345678", consent=False
        )
    assert error.value.field == "consent"
    with pytest.raises(services.RegistrationError):
        services.registration_create(event=event, full_name="Ерлан", phone="123", consent=True)
    closed = EventFactory(organiser=network.pavlodar_house, status=Event.Status.PLANNED)
    with pytest.raises(services.RegistrationError):
        register(closed, 1)
    assert not Registration.objects.exists()


def test_confirmation_notice_is_queued_in_the_language_of_registration(event, settings):
    registration = register(event, 1, language="ru", email="a@example.kz")
    sms = Notice.objects.get(idempotency_key=f"registration:{registration.pk}:confirmed:sms")
    mail = Notice.objects.get(idempotency_key=f"registration:{registration.pk}:confirmed:email")
    assert sms.recipient == "+77010000001"
    assert mail.recipient == "a@example.kz"
    assert sms.language == "ru"
    assert f"/ru/events/tickets/{registration.ticket_code}/" in sms.body or (
        registration.ticket_code in sms.body
    )


def test_check_in_counts_once_and_updates_the_rollup(network, event):
    event.starts_at = timezone.now() + datetime.timedelta(hours=1)  # check-in is open
    event.save()
    registration = register(event, 1)
    staff = network.users["staff_pavlodar_house"]
    services.registration_check_in(actor=staff, event=event, code=registration.ticket_code)
    with pytest.raises(services.RegistrationError):
        services.registration_check_in(actor=staff, event=event, code=registration.ticket_code)
    with pytest.raises(services.RegistrationError):
        services.registration_check_in(actor=staff, event=event, code="nonsense")
    event.refresh_from_db()
    assert (event.attended_count, event.participants_total) == (1, 1)


def test_staff_of_another_region_cannot_check_in(network, event):
    registration = register(event, 1)
    with pytest.raises(PermissionDenied):
        services.registration_check_in(
            actor=network.users["coordinator_almaty"], event=event, code=registration.ticket_code
        )


# 16:00 in Almaty (UTC+5) on 12 December 2025; check-in opens two hours before, at 14:00.
STARTS_AT = datetime.datetime(2025, 12, 12, 11, 0, tzinfo=datetime.UTC)


@pytest.fixture
def evening(network):
    """An event at 16:00 Almaty time with one confirmed ticket, registered days before."""
    with freeze_time("2025-12-01 10:00"):
        event = EventFactory(
            organiser=network.pavlodar_house,
            starts_at=STARTS_AT,
            ends_at=STARTS_AT + datetime.timedelta(hours=2),
        )
        return event, register(event, 1)


def check_in_at(network, evening, moment: str):
    event, registration = evening
    with freeze_time(moment):
        return services.registration_check_in(
            actor=network.users["staff_pavlodar_house"], event=event, code=registration.ticket_code
        )


def test_check_in_a_minute_before_the_window_is_refused_saying_when_it_opens(network, evening):
    with pytest.raises(services.RegistrationError) as refused:
        check_in_at(network, evening, "2025-12-12 08:59")  # 13:59 in Almaty
    assert str(refused.value.message) == "Check-in opens at 14:00 on 12.12.2025."
    assert refused.value.field == "code"
    event, registration = evening
    registration.refresh_from_db()
    event.refresh_from_db()
    assert registration.checked_in_at is None
    assert event.attended_count == 0


@pytest.mark.parametrize(
    "moment",
    [
        "2025-12-12 09:00",  # 14:00 in Almaty: the window opens
        "2025-12-12 11:30",  # during the event
        "2025-12-13 05:00",  # the next morning: people who came are still marked
    ],
)
def test_check_in_is_accepted_from_the_opening_of_the_window(network, evening, moment):
    registration = check_in_at(network, evening, moment)
    assert registration.checked_in_at == datetime.datetime.fromisoformat(moment).replace(
        tzinfo=datetime.UTC
    )
    event = evening[0]
    event.refresh_from_db()
    assert event.attended_count == 1


def test_the_check_in_window_is_a_setting(network, evening, settings):
    settings.EVENT_CHECK_IN_OPENS_MINUTES = 30
    with pytest.raises(services.RegistrationError) as refused:
        check_in_at(network, evening, "2025-12-12 10:29")
    assert str(refused.value.message) == "Check-in opens at 15:30 on 12.12.2025."
    assert check_in_at(network, evening, "2025-12-12 10:30").checked_in_at is not None


def test_a_closed_window_is_said_before_a_wrong_code(network, evening):
    event, _registration = evening
    with freeze_time("2025-12-12 07:00"), pytest.raises(services.RegistrationError) as refused:
        services.registration_check_in(
            actor=network.users["staff_pavlodar_house"], event=event, code="NoSuchTicket123"
        )
    assert str(refused.value.message) == "Check-in opens at 14:00 on 12.12.2025."


def test_paper_sheet_does_not_count_online_participants_twice(network, event):
    online = register(event, 1)
    staff = network.users["staff_pavlodar_house"]
    with freeze_time(event.starts_at + datetime.timedelta(hours=1)):
        summary = services.attendance_sheet_apply(
            actor=staff,
            event=event,
            rows=[
                services.SheetRow(line=2, full_name=online.full_name, phone="8 701 000 00 01"),
                services.SheetRow(line=3, full_name="Бауыржан Ахметов", phone="+77019998877"),
                services.SheetRow(line=4, full_name="Бауыржан Ахметов", phone="87019998877"),
                services.SheetRow(line=5, full_name="Мария Ким"),
            ],
        )
    assert (summary.checked_in, summary.already_counted, summary.added) == (1, 1, 2)
    event.refresh_from_db()
    assert event.attended_count == 3
    assert event.participants_total == 3


@freeze_time("2026-03-10 12:00:00")
def test_report_adds_people_counted_on_paper_and_flags_late_reports(network):
    talk = EventFactory(
        organiser=network.pavlodar_house,
        kind=Event.Kind.PREVENTION_TALK,
        registration_required=False,
        status=Event.Status.PLANNED,
        starts_at=timezone.now() - datetime.timedelta(days=6, hours=3),
        ends_at=timezone.now() - datetime.timedelta(days=6),
    )
    youth = Audience.objects.get(code="schools")
    talk.audiences.add(youth)
    report = services.event_report_submit(
        actor=network.users["staff_pavlodar_house"],
        event=talk,
        held=True,
        reported_count=64,
        breakdown={"schools": 64},
        outcomes="Talk on the Green certificate",
    )
    talk.refresh_from_db()
    assert talk.status == "reported"
    assert talk.participants_total == 64
    assert report.is_late  # more than EVENT_REPORT_DAYS (5) after the end
    assert AuditEntry.objects.filter(object_type="events.EventReport").count() == 1


@freeze_time("2026-03-10 12:00:00")
def test_report_in_time_is_not_late_and_not_held_counts_nobody(network):
    meeting = EventFactory(
        organiser=network.pavlodar_house,
        starts_at=timezone.now() - datetime.timedelta(days=4, hours=3),
        ends_at=timezone.now() - datetime.timedelta(days=4, hours=1),
    )
    report = services.event_report_submit(
        actor=network.users["staff_pavlodar_house"], event=meeting, held=False, reported_count=30
    )
    meeting.refresh_from_db()
    assert not report.is_late
    assert meeting.participants_total == 0


def test_breakdown_cannot_exceed_the_participants(network):
    past = EventFactory(
        organiser=network.pavlodar_house,
        starts_at=timezone.now() - datetime.timedelta(days=1, hours=2),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    with pytest.raises(services.EventError) as error:
        services.event_report_submit(
            actor=network.users["staff_pavlodar_house"],
            event=past,
            held=True,
            reported_count=10,
            breakdown={"youth": 11},
        )
    assert error.value.field == "breakdown"


def test_district_staff_cannot_edit_a_regional_event(network):
    from ..factories import GrantFactory, OrganisationFactory, UserFactory, district_of

    district_council = OrganisationFactory(
        parent=network.pavlodar,
        kind=kind("elders_council"),
        region=region("KZ-55"),
        district=district_of("KZ-55"),
    )
    district_staff = UserFactory(username="district_staff")
    GrantFactory(user=district_staff, role="body_staff", organisation=district_council)
    regional = EventFactory(organiser=network.pavlodar)
    with pytest.raises(PermissionDenied):
        services.event_update(actor=district_staff, event=regional, data={"capacity": 50})
    own = services.event_create(
        actor=district_staff,
        organiser=district_council,
        data={
            "title_kk": "Ақсақалдар жиыны",
            "kind": Event.Kind.MEETING,
            "address_kk": "Ауыл клубы",
            "starts_at": timezone.now() + datetime.timedelta(days=3),
            "ends_at": timezone.now() + datetime.timedelta(days=3, hours=2),
            "languages": ["kk"],
        },
    )
    assert own.region_id == district_council.region_id
    assert AuditEntry.objects.filter(object_type="events.Event", action="create").exists()


def test_cancelling_an_event_tells_everyone_registered(network, event):
    registrations = [register(event, n) for n in range(3)]
    services.event_cancel(actor=network.users["coordinator_pavlodar"], event=event, reason="storm")
    for registration in registrations:
        assert Notice.objects.filter(
            idempotency_key=f"registration:{registration.pk}:cancelled:sms"
        ).exists()


def test_event_needs_a_place_and_a_sane_time(network):
    base = {
        "title_kk": "X",
        "kind": Event.Kind.MEETING,
        "starts_at": timezone.now() + datetime.timedelta(days=3),
        "ends_at": timezone.now() + datetime.timedelta(days=2),
        "languages": ["kk"],
        "address_kk": "Somewhere",
    }
    with pytest.raises(services.EventError) as error:
        services.event_create(
            actor=network.users["admin"], organiser=network.pavlodar_house, data=base
        )
    assert error.value.field == "ends_at"
    online = {**base, "ends_at": base["starts_at"], "format": Event.Format.ONLINE, "address_kk": ""}
    with pytest.raises(services.EventError) as error:
        services.event_create(
            actor=network.users["admin"], organiser=network.pavlodar_house, data=online
        )
    assert error.value.field == "online_url"
    with pytest.raises(services.EventError):
        services.event_create(
            actor=network.users["admin"],
            organiser=network.pavlodar_house,
            data={**base, "ends_at": base["starts_at"], "languages": ["de"]},
        )
