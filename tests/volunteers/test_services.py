"""Sign-ups, the waiting list, check-in and check-out, hours entered by staff."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from freezegun import freeze_time

from birlik.access.models import AuditEntry
from birlik.notify.models import Notice
from birlik.volunteers import services
from birlik.volunteers.models import Call, SignUp
from birlik.volunteers.services import VolunteerError

from .factories import call_of, participant, volunteer

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 5, 9, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=5)))


def test_a_volunteer_signs_up_once_per_call(network):
    call = call_of(network.users["staff_pavlodar_house"], network.pavlodar_house)
    profile = volunteer()
    services.signup_create(user=profile.user, call=call)
    with pytest.raises(VolunteerError), translation.override("en"):
        services.signup_create(user=profile.user, call=call)
    assert SignUp.objects.filter(call=call).count() == 1
    call.refresh_from_db()
    assert call.confirmed_count == 1


def test_an_unverified_account_cannot_sign_up_or_keep_a_profile(network):
    call = call_of(network.users["staff_pavlodar_house"], network.pavlodar_house)
    user = participant("Тексерілмеген Адам", verified=False)
    with pytest.raises(VolunteerError):
        services.signup_create(user=user, call=call)
    with pytest.raises(VolunteerError):
        services.profile_save(
            user=user, full_name="X", region=network.pavlodar.region, consent=True
        )
    assert not SignUp.objects.exists()


def test_a_full_call_waitlists_and_a_freed_place_goes_to_the_first_waiting(network):
    call = call_of(network.users["staff_pavlodar_house"], network.pavlodar_house, places=1)
    first, second, third = volunteer("Бірінші"), volunteer("Екінші"), volunteer("Үшінші")
    taken = services.signup_create(user=first.user, call=call)
    waiting = services.signup_create(user=second.user, call=call)
    last = services.signup_create(user=third.user, call=call)
    assert (taken.status, waiting.status, last.status) == ("confirmed", "waitlisted", "waitlisted")

    services.signup_cancel(user=first.user, signup=taken)

    waiting.refresh_from_db()
    last.refresh_from_db()
    call.refresh_from_db()
    assert waiting.status == SignUp.Status.CONFIRMED
    assert last.status == SignUp.Status.WAITLISTED
    assert (call.confirmed_count, call.waitlist_count) == (1, 1)
    assert Notice.objects.filter(idempotency_key=f"volunteers:promoted:{waiting.pk}").exists()


def test_more_places_promote_the_waiting_list(network):
    staff = network.users["staff_pavlodar_house"]
    call = call_of(staff, network.pavlodar_house, places=1)
    services.signup_create(user=volunteer("Бірінші").user, call=call)
    waiting = services.signup_create(user=volunteer("Екінші").user, call=call)
    data = {
        "title_kk": call.title_kk,
        "places": 2,
        "starts_at": call.starts_at,
        "ends_at": call.ends_at,
        "region": call.region,
        "purpose": "other",
    }
    services.call_save(actor=staff, organisation=network.pavlodar_house, data=data, call=call)
    waiting.refresh_from_db()
    assert waiting.status == SignUp.Status.CONFIRMED


def _held_call(network, **extra):
    with freeze_time(START - datetime.timedelta(days=5)):
        call = call_of(
            network.users["staff_pavlodar_house"],
            network.pavlodar_house,
            starts_in=datetime.timedelta(days=5),
            hours=4,
            **extra,
        )
        signup = services.signup_create(user=volunteer().user, call=call)
    return call, signup


def test_hours_run_from_check_in_to_check_out_within_the_call_window(network):
    call, signup = _held_call(network)
    staff = network.users["staff_pavlodar_house"]
    services.signup_check_in(actor=staff, signup=signup, at=START - datetime.timedelta(minutes=50))
    done = services.signup_check_out(
        actor=staff, signup=signup, at=START + datetime.timedelta(hours=6)
    )
    assert done.minutes == 4 * 60  # capped at the call's four hours


def test_a_check_out_before_the_window_gives_no_negative_hours(network):
    call, signup = _held_call(network)
    staff = network.users["staff_pavlodar_house"]
    services.signup_check_in(actor=staff, signup=signup, at=START - datetime.timedelta(minutes=60))
    done = services.signup_check_out(
        actor=staff, signup=signup, at=START - datetime.timedelta(minutes=30)
    )
    assert done.minutes == 0
    with pytest.raises(VolunteerError):
        services.signup_check_out(actor=staff, signup=signup, at=START)


def test_check_in_is_refused_long_before_the_start_and_once_over(network):
    call, signup = _held_call(network)
    staff = network.users["staff_pavlodar_house"]
    with pytest.raises(VolunteerError):
        services.signup_check_in(actor=staff, signup=signup, at=START - datetime.timedelta(hours=5))
    with pytest.raises(VolunteerError):
        services.signup_check_in(actor=staff, signup=signup, at=START + datetime.timedelta(hours=5))
    signup.refresh_from_db()
    assert signup.checked_in_at is None


def test_hours_entered_afterwards_need_a_reason_stay_in_the_window_and_are_audited(network):
    call, signup = _held_call(network)
    staff = network.users["staff_pavlodar_house"]
    with freeze_time(START + datetime.timedelta(days=1)):
        with pytest.raises(VolunteerError):
            services.signup_hours_set(actor=staff, signup=signup, minutes=120, reason="")
        with pytest.raises(VolunteerError):
            services.signup_hours_set(actor=staff, signup=signup, minutes=5 * 60, reason="Кеш")
        with pytest.raises(VolunteerError):
            services.signup_hours_set(actor=staff, signup=signup, minutes=-5, reason="Кеш")
        services.signup_hours_set(actor=staff, signup=signup, minutes=150, reason="Белгіленбеді")
        services.signup_hours_set(actor=staff, signup=signup, minutes=180, reason="Түзету")
    signup.refresh_from_db()
    assert signup.minutes == 180
    entries = AuditEntry.objects.filter(object_type="volunteers.SignUp", object_id=str(signup.pk))
    assert sorted(entry.changes["minutes"] for entry in entries) == [[0, 150], [150, 180]]
    assert {entry.note for entry in entries} == {"Белгіленбеді", "Түзету"}


def test_staff_of_another_region_cannot_record_hours(network):
    from django.core.exceptions import PermissionDenied

    call, signup = _held_call(network)
    other = network.users["coordinator_almaty"]
    with pytest.raises(PermissionDenied):
        services.signup_check_in(actor=other, signup=signup, at=START)


def test_a_cancelled_call_tells_every_volunteer(network):
    staff = network.users["staff_pavlodar_house"]
    call = call_of(staff, network.pavlodar_house, places=1)
    first = services.signup_create(user=volunteer("Бірінші").user, call=call)
    second = services.signup_create(user=volunteer("Екінші").user, call=call)
    with pytest.raises(VolunteerError):
        services.call_set_status(actor=staff, call=call, status=Call.Status.CANCELLED)
    services.call_set_status(actor=staff, call=call, status=Call.Status.CANCELLED, reason="Жаңбыр")
    keys = set(Notice.objects.values_list("idempotency_key", flat=True))
    assert {f"volunteers:cancelled:{first.pk}", f"volunteers:cancelled:{second.pk}"} <= keys
    with pytest.raises(VolunteerError):
        services.signup_create(user=volunteer("Үшінші").user, call=call)


def test_a_call_for_an_event_of_another_region_is_refused(network):
    from birlik.events.models import Event

    starts = timezone.now() + datetime.timedelta(days=3)
    event = Event.objects.create(
        organiser=network.almaty_house,
        title="Той",
        kind=Event.Kind.FESTIVAL,
        region=network.almaty.region,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
    )
    with pytest.raises(VolunteerError):
        call_of(
            network.users["staff_pavlodar_house"],
            network.pavlodar_house,
            purpose=Call.Purpose.EVENT,
            event=event,
        )
    assert not Call.objects.exists()
