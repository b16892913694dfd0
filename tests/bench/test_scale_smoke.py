"""``bench/scale.py build`` at a tiny factor: the demo base, then its rows cloned in bulk.

The build's own steps run in process on the test database (SQLite or PostgreSQL, whichever the run
uses), inside the test's transaction: the demo at scale 0.002 as the base, then the clones for
factor 0.004 (the registry and the newer apps twice, events and appeals up to the national year's
share, registrations also within their events up to theirs). Counts must scale, every link must lead
to a row, the body tree must stay whole, and a cloned body's public page must show it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test import override_settings

from birlik.demo.services import demo_seed
from birlik.events.models import Event, Registration
from birlik.registry.models import Membership, Organisation, Person

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import scale_build  # noqa: E402 - the benchmark's module, found through bench/ on the path

BASE = 0.002
FACTOR = 0.004


def _clone(plan: scale_build.Plan) -> dict[str, int]:
    if connection.vendor == "postgresql":
        written = scale_build.clone_postgres(plan)
    else:
        written = scale_build.clone_sqlite(plan)
    scale_build.after_clone(plan)
    return written


def _broken_links() -> list[str]:
    """Every foreign key of the cloned tables whose value names no row."""
    broken = []
    with connection.cursor() as cursor:
        for model in scale_build._models():
            for field in model._meta.local_concrete_fields:
                if not field.is_relation:
                    continue
                parent, key, column = field.related_model._meta, "", field.column
                key = parent.pk.column
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{model._meta.db_table}" c '  # noqa: S608
                    f'LEFT JOIN "{parent.db_table}" p ON p."{key}" = c."{column}" '
                    f'WHERE c."{column}" IS NOT NULL AND p."{key}" IS NULL'
                )
                if cursor.fetchone()[0]:
                    broken.append(f"{model._meta.db_table}.{field.column}")
    return broken


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_tiny_build_scales_the_counts_and_keeps_every_link(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    assert demo_seed(scale=BASE, seed=2025) is True
    people, bodies = Person.objects.count(), Organisation.objects.count()
    below_regions = Organisation.objects.filter(depth__gte=scale_build.CLONE_DEPTH).count()
    events, registrations = Event.objects.count(), Registration.objects.count()
    memberships = Membership.objects.count()
    last_body = Organisation.objects.order_by("-pk").values_list("pk", flat=True).first()

    plan = scale_build.make_plan(FACTOR, BASE)
    written = _clone(plan)

    assert plan.multipliers["registry"] == 2
    rounds = plan.multipliers["events"]
    assert rounds == max(1, round(FACTOR * 150_000 / events))
    assert Person.objects.count() == 2 * people
    assert Membership.objects.count() == 2 * memberships
    assert Organisation.objects.count() == bodies + below_regions
    assert Event.objects.count() == rounds * events
    # Registrations reach their own national share (2M a year): copies within each event too.
    denser = plan.denser["events_registration"]
    assert denser == max(1, round(FACTOR * 2_000_000 / (rounds * registrations)))
    assert denser > 1  # the demo's events are smaller than the country's: the step is tested
    assert Registration.objects.count() == rounds * denser * registrations
    assert written["events_registration"] == (rounds * denser - 1) * registrations
    # Every event's counters still count its registrations, within its places.
    counted = Event.objects.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
        waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
    )
    wrong = [
        (e.pk, e.confirmed_count, e.confirmed, e.waitlist_count, e.waiting, e.capacity)
        for e in counted
        if e.confirmed_count != e.confirmed
        or e.waitlist_count != e.waiting
        or (e.capacity is not None and e.confirmed_count > e.capacity)
    ]
    assert wrong == []
    assert _broken_links() == []
    assert Organisation.find_problems() == ([], [], [], [], [])
    # Each region's assembly holds its bodies twice over, so its coordinator sees the country grow.
    pavlodar = Organisation.objects.get(
        depth=2, region__iso="KZ-55", kind__code="regional_assembly"
    )
    assert pavlodar.get_children().count() == pavlodar.numchild
    clone = Organisation.objects.filter(pk__gt=last_body, status="active").order_by("pk").first()
    assert clone is not None
    response = client.get(f"/en/bodies/{clone.pk}/")
    assert response.status_code == 200
    assert clone.name_en in response.content.decode()
