"""The demo's people's diplomacy: added once, consistent with the register's rules."""

from __future__ import annotations

import datetime
import time
from collections import Counter

from django.db.models import Count
from freezegun import freeze_time

from birlik.access.models import Grant
from birlik.core import kpi, sequences
from birlik.demo.diplomacy import LOGIN, LOGINS, demo_diplomacy_seed
from birlik.demo.services import DEMO_LOGINS
from birlik.diplomacy.models import (
    Ambassador,
    AmbassadorActivity,
    InternationalRequest,
    Visit,
)
from birlik.diplomacy.services import NUMBER_SCOPE

from ..factories import MembershipFactory, PersonFactory
from .factories import corps_of, make_centre

Status = InternationalRequest.Status


def test_the_demo_adds_requests_visits_and_ambassadors_once(network):
    with freeze_time("2026-12-07 06:00:00"):
        centre = make_centre(network.root)
        corps = corps_of(centre)
        for index in range(12):
            person = PersonFactory(registered_by=corps, last_name=f"Елші{index}")
            MembershipFactory(
                person=person, organisation=corps, start_date=datetime.date(2022, 1, 1)
            )
        started = time.monotonic()
        added = demo_diplomacy_seed(scale=0.05, seed=7)
        assert time.monotonic() - started < 10
        assert demo_diplomacy_seed(scale=0.05, seed=7) == {}

        requests = InternationalRequest.objects.all()
        assert 60 <= added["diplomacy_requests"] == requests.count() <= 80
        by_year = Counter(requests.values_list("received_on__year", flat=True))
        assert 18 <= by_year[2025] <= 22 and min(by_year) == 2022
        assert len(set(requests.values_list("country", flat=True))) >= 6
        statuses = Counter(requests.values_list("status", flat=True))
        assert statuses[Status.CLOSED] > requests.count() / 2  # most are answered
        assert requests.exclude(organisation=centre).exists()  # a few regional registers
        # Numbers run without gaps per register and year; the sequences continue from them.
        for (body, year), count in Counter(
            requests.values_list("organisation", "received_on__year")
        ).items():
            numbers = sorted(
                requests.filter(organisation=body, received_on__year=year).values_list(
                    "number", flat=True
                )
            )
            assert [int(number.rsplit("-", 1)[1]) for number in numbers] == list(
                range(1, count + 1)
            )
            assert sequences.last_numbers(sequences.scope(NUMBER_SCOPE, body))[year] == count
        for item in requests.filter(status=Status.CLOSED):
            assert item.outcome_kind and item.closed_on and item.closed_on >= item.received_on
        arranged = requests.filter(status=Status.VISIT_ARRANGED) | requests.filter(
            outcome_kind="visit"
        )
        assert all(item.visits.exists() for item in arranged)

        visits = Visit.objects.all()
        assert 12 <= visits.count() <= 25
        assert {"incoming", "outgoing"} <= set(visits.values_list("direction", flat=True))

        ambassadors = Ambassador.objects.annotate(n=Count("countries"))
        assert ambassadors.count() == 12 and all(a.n >= 1 for a in ambassadors)
        per_year = Counter(AmbassadorActivity.objects.values_list("date__year", flat=True))
        assert per_year[2025] == 10
        for activity in AmbassadorActivity.objects.select_related("ambassador"):
            assert activity.ambassador.active_on(activity.date)

        grant = Grant.objects.get(user__username=LOGIN)
        assert grant.organisation == centre and grant.role == "body_staff"
        assert set(LOGINS) <= set(DEMO_LOGINS)
        figures = kpi.compute("diplomacy.requests", kpi.Period.year(2025))
        assert sum(row["value"] for row in figures) == by_year[2025]
