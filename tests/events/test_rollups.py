"""The events' rollups (``EventFigure``, ``EventAudienceFigure``, ``ParticipantMonth``,
``ParticipantYear``): every events indicator read from them equals the count of the records,
on random data and after the services' writes (check-in, cancellation, report, a moved event)."""

from __future__ import annotations

import datetime
import random

import pytest
from freezegun import freeze_time

from birlik.core import kpi
from birlik.events import kpis as event_kpis
from birlik.events import services
from birlik.events.models import (
    COUNTRY,
    Audience,
    Event,
    EventFiguresBuilt,
    EventReport,
    ParticipantMonth,
    ParticipantYearCount,
    Programme,
    Registration,
)

from ..factories import district_of, region
from .factories import EventFactory

ALMATY = datetime.timezone(datetime.timedelta(hours=5))
PERIODS = [
    kpi.Period.year(2025),
    kpi.Period(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)),  # a quarter
    kpi.Period(datetime.date(2025, 6, 1), datetime.date(2025, 6, 30)),  # a month
    kpi.Period(datetime.date(2025, 1, 1), datetime.date(2025, 5, 31)),  # the year to May
    kpi.Period(datetime.date(2025, 3, 15), datetime.date(2025, 8, 10)),  # cut months
    kpi.Period(datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)),  # two years
]


def _events_figures(regions):
    """Every events indicator for every period and region, as plain data."""
    keys = [item.key for item in kpi.indicators() if item.key.startswith("events.")]
    return {
        (key, period, getattr(where, "iso", None)): sorted(
            map(repr, kpi.compute(key, period, where))
        )
        for key in keys
        for period in PERIODS
        for where in regions
    }


def _unique_by_hand(period, where=None):
    """The different people checked in at events held in the period, counted in Python."""
    people = set()
    for registration in Registration.objects.select_related("event", "event__report"):
        event = registration.event
        report = getattr(event, "report", None)
        held = event.status == "held" or (event.status == "reported" and report and report.held)
        day = event.starts_at.astimezone(ALMATY).date()
        if (
            held
            and registration.checked_in_at is not None
            and registration.status != "cancelled"
            and period.start <= day <= period.end
            and (where is None or event.region_id == where.pk)
        ):
            people.add(registration.participant_key)
    return len(people)


@pytest.fixture
def random_activity(network):
    """About sixty events over 2024-2025 in two regions (some on the evening a month ends, in
    Almaty time), with programmes, audiences, districts, kinds and statuses drawn at random,
    and people (a pool of 40, so that many come more than once) checked in or not."""
    rng = random.Random(19)  # noqa: S311 - test data
    bodies = [network.pavlodar_house, network.pavlodar_elders, network.almaty_house]
    programmes = [None, *Programme.objects.order_by("code")[:3]]
    audiences = list(Audience.objects.order_by("code")[:3])
    kinds = [Event.Kind.MEETING, Event.Kind.FESTIVAL, Event.Kind.CONCERT, Event.Kind.TRAINING]
    for n in range(60):
        body = rng.choice(bodies)
        month = rng.randint(1, 12)
        day = rng.choice([1, 10, 28])
        starts = datetime.datetime(rng.choice([2024, 2025]), month, day, 10, tzinfo=ALMATY)
        if n % 7 == 0:  # 23:30 in Almaty on the month's last day: still that month
            following = (starts.replace(day=28) + datetime.timedelta(days=5)).replace(day=1)
            starts = following - datetime.timedelta(minutes=30)
        status = rng.choice(["held", "reported", "reported", "cancelled", "open"])
        event = EventFactory(
            organiser=body,
            region=body.region,
            district=district_of(body.region.iso) if rng.random() < 0.4 else None,
            programme=rng.choice(programmes),
            kind=rng.choice(kinds),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            status=status,
            participants_total=0,
        )
        event.audiences.set(rng.sample(audiences, rng.randint(0, 2)))
        reported = rng.randint(0, 30)
        if status == "reported":
            EventReport.objects.create(
                event=event, held=rng.random() < 0.8, reported_count=reported
            )
        for person in rng.sample(range(40), rng.randint(0, 8)):
            Registration.objects.create(
                event=event,
                full_name=f"Person {person}",
                phone=f"+7701000{person:04d}",
                participant_key=services.participant_key(phone=f"+7701000{person:04d}"),
                status=rng.choice(["confirmed", "confirmed", "cancelled"]),
                source="online",
                consent_given_at=starts,
                checked_in_at=starts if rng.random() < 0.7 else None,
            )
        services._recount(event)
    return network


@pytest.mark.django_db(transaction=False)
def test_every_events_indicator_from_the_rollups_equals_the_count_of_the_records(
    random_activity,
):
    regions = [None, region("KZ-55"), region("KZ-75")]
    from_records = _events_figures(regions)
    services.event_figures_rebuild()
    assert EventFiguresBuilt.objects.exists()
    assert _events_figures(regions) == from_records
    for period in PERIODS:
        for where in regions:
            assert event_kpis.unique_participants(period, where) == _unique_by_hand(period, where)


@pytest.mark.django_db
def test_unique_participants_follow_check_ins_cancellations_reports_and_moves(
    network, plan, sign_up, django_capture_on_commit_callbacks
):
    services.event_figures_rebuild()
    year = kpi.Period.year(2025)
    five_days = datetime.timedelta(days=5)
    with freeze_time("2025-03-01 09:00:00+05:00"):
        spring = plan(organiser=network.pavlodar_house, starts_in=five_days, publish=True)
        other = plan(organiser=network.almaty_house, starts_in=five_days, publish=True)
        people = [sign_up(spring, n) for n in range(3)]
        again = sign_up(other, 0)  # the same phone as people[0]: the same person
    actor = network.users["admin"]

    def unique(period=year, where=None):
        assert event_kpis.unique_participants(period, where) == _unique_by_hand(period, where)
        return event_kpis.unique_participants(period, where)

    with freeze_time("2025-03-06 09:00:00+05:00"), django_capture_on_commit_callbacks(execute=True):
        for registration in people:
            services.registration_check_in(actor=actor, event=spring, code=registration.ticket_code)
        services.registration_check_in(actor=actor, event=other, code=again.ticket_code)
    # Checked in, but not counted until the events are held.
    assert unique() == 0
    with freeze_time("2025-03-08 09:00:00+05:00"), django_capture_on_commit_callbacks(execute=True):
        services.event_report_submit(actor=actor, event=spring, held=True, reported_count=4)
        services.event_report_submit(actor=actor, event=other, held=True)
    # Four people checked in, one of them at both events.
    assert unique() == 3
    assert unique(where=spring.region) == 3
    assert unique(where=other.region) == 1
    march = kpi.Period(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
    assert unique(march) == 3
    # The report of the first event says it did not take place: its people no longer count.
    with freeze_time("2025-03-09 09:00:00+05:00"), django_capture_on_commit_callbacks(execute=True):
        services.event_report_submit(actor=actor, event=spring, held=False)
    assert unique() == 1
    assert not ParticipantMonth.objects.filter(scope=spring.region_id).exists()
    # The year's people are counted by the month they were first seen: a sum of a few rows.
    assert list(
        ParticipantYearCount.objects.filter(scope=COUNTRY, year=2025).values_list(
            "first_month", "people"
        )
    ) == [(3, 1)]
    assert all(part.differences() == 0 for part in services.event_rollup_parts())


@pytest.mark.django_db
def test_a_check_in_undone_in_the_records_leaves_the_rollup_at_its_recount(
    random_activity, django_capture_on_commit_callbacks
):
    services.event_figures_rebuild()
    year = kpi.Period.year(2025)
    registration = (
        Registration.objects.filter(
            checked_in_at__isnull=False,
            event__status="held",
            event__starts_at__year=2025,
        )
        .exclude(status="cancelled")
        .select_related("event")
        .first()
    )
    before = event_kpis.unique_participants(year)
    assert before == _unique_by_hand(year)
    Registration.objects.filter(pk=registration.pk).update(status="cancelled")
    event = registration.event
    with django_capture_on_commit_callbacks(execute=True):
        services._recount(Event.objects.get(pk=event.pk))
    assert event_kpis.unique_participants(year) == _unique_by_hand(year)
    Registration.objects.filter(pk=registration.pk).update(status="confirmed", checked_in_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services._recount(Event.objects.get(pk=event.pk))
    assert event_kpis.unique_participants(year) == _unique_by_hand(year)
    assert all(part.differences() == 0 for part in services.event_rollup_parts())
