"""The demo's activity: events at the network's real scale, counters that match their rows."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from birlik.core import kpi
from birlik.demo.events import build_event_plan, planned_event_counts
from birlik.demo.services import demo_seed
from birlik.events.models import Event, EventReport, Registration
from birlik.events.services import participant_key

SCALE = 0.05
LAST_YEAR = timezone.localdate().year - 1


def _total(key: str, year: int = LAST_YEAR) -> int:
    return sum(row["value"] for row in kpi.compute(key, kpi.Period.year(year)))


def test_counters_match_the_registration_rows(seeded):
    events = Event.objects.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
        waitlisted=Count("registrations", filter=Q(registrations__status="waitlisted")),
        attended=Count(
            "registrations",
            filter=Q(registrations__checked_in_at__isnull=False)
            & ~Q(registrations__status="cancelled"),
        ),
    )
    assert Registration.objects.count() > 1000
    mismatched = events.exclude(
        confirmed_count=F("confirmed"),
        waitlist_count=F("waitlisted"),
        attended_count=F("attended"),
    )
    assert list(mismatched.values_list("pk", "confirmed_count", "confirmed")[:5]) == []


def test_participants_are_attended_plus_reported_and_not_held_events_count_nobody(seeded):
    held = Event.objects.filter(Q(status="held") | Q(status="reported", report__held=True))
    assert held.count() > 500
    assert not held.exclude(participants_total=F("attended_count") + F("reported_count")).exists()
    assert not held.filter(participants_total=0).exists()
    reported = Event.objects.filter(status="reported", report__held=True)
    assert not reported.exclude(reported_count=F("report__reported_count")).exists()
    not_held = Event.objects.filter(report__held=False)
    assert not_held.exists()
    assert not not_held.exclude(participants_total=0).exists()
    assert not Event.objects.filter(status="reported", report__isnull=True).exists()
    assert not Event.objects.filter(status="cancelled", participants_total__gt=0).exists()


def test_no_event_is_overbooked_and_the_waiting_list_only_exists_when_full(seeded):
    with_places = Event.objects.filter(capacity__isnull=False)
    assert with_places.exists()
    assert not with_places.filter(confirmed_count__gt=F("capacity")).exists()
    assert not with_places.filter(waitlist_count__gt=0, confirmed_count__lt=F("capacity")).exists()
    assert with_places.filter(waitlist_count__gt=0).exists()
    # Events without online registration carry no registration rows and no places.
    no_registration = Event.objects.filter(registration_required=False)
    assert not no_registration.filter(registrations__isnull=False).exists()
    assert not no_registration.filter(capacity__isnull=False).exists()


def test_one_person_holds_at_most_one_place_per_event_and_keys_match_the_service(seeded):
    duplicates = (
        Registration.objects.exclude(status="cancelled")
        .values("event", "participant_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()
    sample = Registration.objects.order_by("pk").first()
    assert sample.participant_key == participant_key(phone=sample.phone, email=sample.email)
    assert Registration.objects.filter(status="cancelled", cancelled_at__isnull=True).count() == 0
    assert not Registration.objects.filter(~Q(status="confirmed"), checked_in_at__isnull=False)


def test_last_years_figures_are_what_the_plan_promised(seeded):
    planned = planned_event_counts(SCALE)
    assert _total("events.events") == planned["events"]
    assert _total("events.participants") == planned["participants"]
    elders = kpi.compute("events.events", kpi.Period.year(LAST_YEAR))
    by_kind = {row["kind"]: row["value"] for row in elders}
    assert by_kind["elders_council"] == planned["elders_events"]
    assert by_kind["mothers_council"] == planned["mothers_events"]
    assert _total("events.participants_unique") > 0


def test_events_are_placed_in_their_organisers_territory_at_daytime(seeded):
    events = Event.objects.select_related("organiser", "venue", "district")
    assert not events.filter(organiser__status="closed").exists()
    assert (
        not events.filter(organiser__region__isnull=False)
        .exclude(region=F("organiser__region"))
        .exists()
    )
    assert not events.filter(district__isnull=False).exclude(region=F("district__region")).exists()
    venues = events.filter(venue__isnull=False)
    assert venues.exists()
    assert not venues.exclude(venue__kind__code="house_of_friendship").exists()
    assert not venues.exclude(region=F("venue__region")).exists()
    in_person = events.exclude(format="online")
    assert not in_person.filter(venue__isnull=True, address_kk="").exists()
    assert not events.exclude(format="in_person").filter(online_url="").exists()
    for event in events.order_by("?")[:200]:
        local = timezone.localtime(event.starts_at)
        assert 9 <= local.hour <= 18, event
        assert event.ends_at > event.starts_at
        assert event.title_kk and event.title_ru and event.title_en
        assert event.language_codes


def test_titles_read_naturally_with_the_place(seeded):
    talk = Event.objects.filter(programme__code="green_certificate", kind="prevention_talk")
    sample = talk.filter(title_ru__contains="школе №").first()
    assert sample is not None
    assert sample.title_kk.startswith("«Жасыл сертификат»: № ")
    assert sample.title_en.startswith("Green Certificate: prevention talk at School No. ")
    assert " — " in sample.title_ru  # followed by the district or city


def test_this_year_has_reports_late_and_missing_upcoming_open_events_and_cancellations(seeded):
    now = timezone.now()
    this_year = Event.objects.filter(starts_at__year=timezone.localdate().year)
    upcoming = Event.objects.filter(starts_at__gt=now)
    assert upcoming.filter(status="open", confirmed_count__gt=0).exists()
    assert upcoming.filter(status="planned").exists()
    assert not upcoming.filter(status__in=["held", "reported"]).exists()
    assert Event.objects.filter(status="cancelled").exists()
    if timezone.localdate() >= datetime.date(timezone.localdate().year, 3, 1):
        assert this_year.filter(status="reported", starts_at__lt=now).exists()
        assert EventReport.objects.filter(is_late=True).exists()
        assert this_year.filter(status="planned", ends_at__lt=now).exists()  # not reported yet
    assert EventReport.objects.exclude(breakdown={}).exists()
    for report in EventReport.objects.exclude(breakdown={}).select_related("event")[:50]:
        assert sum(report.breakdown.values()) <= report.event.participants_total


def test_seeding_again_adds_no_events(seeded):
    before = (Event.objects.count(), Registration.objects.count(), EventReport.objects.count())
    assert demo_seed(scale=SCALE) is False
    after = (Event.objects.count(), Registration.objects.count(), EventReport.objects.count())
    assert after == before


def test_the_plan_is_deterministic_for_a_seed_and_a_date():
    day = datetime.date(2026, 6, 15)
    first = build_event_plan(scale=SCALE, seed=3, today=day)
    again = build_event_plan(scale=SCALE, seed=3, today=day)
    other = build_event_plan(scale=SCALE, seed=4, today=day)

    def signature(plan):
        return [(e.stream, e.template, e.starts_at, e.status, e.participants) for e in plan.events]

    assert signature(first) == signature(again)
    assert signature(first) != signature(other)
    assert first.year == 2025
    assert max(e.starts_at for e in first.events).date() <= day + datetime.timedelta(days=61)


def test_full_scale_plan_meets_the_networks_yearly_figures():
    counts = planned_event_counts(1.0)
    assert counts["events"] >= 10_000
    assert counts["participants"] >= 1_000_000
    assert counts["elders_events"] >= 3_000
    assert 140_000 <= counts["elders_participants"] <= 170_000
    assert counts["mothers_events"] >= 4_300
    assert 275_000 <= counts["mothers_participants"] <= 320_000
    assert 140 <= counts["journalists_events"] <= 180
    assert 9_000 <= counts["journalists_participants"] <= 13_000
    assert 65 <= counts["programme_creative_festivals_events"] <= 90
    for programme in ("myn_bala", "zhenis_birlikte", "uide_soile", "green_certificate"):
        assert counts[f"programme_{programme}_events"] > 50, programme
    # Online registration stays a minority: a few per cent of events, ~100k rows a year.
    assert 0.03 < counts["registration_events"] / counts["planned"] < 0.10
    assert 50_000 < counts["registrations"] < 120_000


def test_whole_demo_keeps_registration_rows_modest():
    plan = build_event_plan(scale=1.0, today=datetime.date(2026, 11, 25))
    rows = sum(event.registrations for event in plan.events)
    assert 100_000 <= rows <= 200_000
    reported = sum(event.participants for event in plan.events if event.counted)
    registered = sum(event.checked_in for event in plan.events if event.counted)
    assert registered < reported * 0.2  # most participation is a reported count
