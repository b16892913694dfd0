"""Demo opening hours: every house of friendship and a share of the other bodies get one of a
few usual weeks, some with a note; written once with ``bulk_create``."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from birlik.registry.models import OpeningHours, Organisation

BATCH_SIZE = 2000
WEEKDAYS = (0, 1, 2, 3, 4)


def _t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


@dataclass(frozen=True)
class Pattern:
    intervals: tuple[tuple[int, str, str], ...]
    note: tuple[str, str, str] = ("", "", "")  # kk, ru, en


def _days(days: tuple[int, ...], *times: tuple[str, str]) -> tuple[tuple[int, str, str], ...]:
    return tuple((day, opens, closes) for day in days for opens, closes in times)


OFFICE = Pattern(_days(WEEKDAYS, ("09:00", "13:00"), ("14:00", "18:00")))
HOUSE = Pattern(_days(WEEKDAYS, ("09:00", "18:00")) + _days((5,), ("10:00", "16:00")))
HOUSE_BREAK = Pattern(
    _days(WEEKDAYS, ("09:00", "13:00"), ("14:00", "18:30")) + _days((5,), ("10:00", "14:00")),
    (
        "Мәдени іс-шаралар кезінде үй кешке дейін ашық.",
        "Во время культурных мероприятий дом открыт до вечера.",
        "During cultural events the house stays open into the evening.",
    ),
)
CENTRE = Pattern(_days((1, 2, 3, 4, 5), ("10:00", "19:00")))
RECEPTION = Pattern(
    _days((1, 3), ("15:00", "18:00")),
    (
        "Басқа күндері алдын ала келісім бойынша қабылдайды.",
        "В другие дни прием по предварительной договоренности.",
        "On other days by appointment.",
    ),
)

# Kind → (share of its bodies given hours, the patterns they are drawn from).
PLAN: dict[str, tuple[float, tuple[Pattern, ...]]] = {
    "house_of_friendship": (1.0, (HOUSE, HOUSE_BREAK)),
    "secretariat": (1.0, (OFFICE,)),
    "regional_assembly": (1.0, (OFFICE,)),
    "city_assembly": (1.0, (OFFICE,)),
    "district_assembly": (0.6, (OFFICE,)),
    "public_accord_institution": (0.8, (OFFICE,)),
    "charity_centre": (0.7, (CENTRE, OFFICE)),
    "mediation_centre": (0.7, (OFFICE, CENTRE)),
    "peoples_diplomacy_centre": (0.7, (OFFICE,)),
    "elders_council": (0.25, (RECEPTION,)),
    "mothers_council": (0.2, (RECEPTION,)),
    "ethnocultural_association": (0.3, (RECEPTION, CENTRE)),
}


def demo_hours_seed(*, seed: int) -> dict[str, int]:
    """Adds demo opening hours once; returns {"opening_hours": bodies given a week}, or {}."""
    if OpeningHours.objects.exists():
        return {}
    rng = random.Random(seed * 13 + 5)
    bodies = (
        Organisation.objects.filter(status=Organisation.Status.ACTIVE, kind__code__in=PLAN)
        .order_by("pk")
        .values_list("pk", "kind__code")
    )
    rows: list[OpeningHours] = []
    noted: dict[Pattern, list[int]] = {}
    given = 0
    for pk, kind in bodies:
        share, patterns = PLAN[kind]
        if rng.random() >= share:
            continue
        pattern = patterns[rng.randrange(len(patterns))]
        given += 1
        rows.extend(
            OpeningHours(organisation_id=pk, weekday=day, opens=_t(opens), closes=_t(closes))
            for day, opens, closes in pattern.intervals
        )
        if any(pattern.note):
            noted.setdefault(pattern, []).append(pk)
    for start in range(0, len(rows), BATCH_SIZE):
        OpeningHours.objects.bulk_create(rows[start : start + BATCH_SIZE])
    for pattern, ids in noted.items():
        kk, ru, en = pattern.note
        for start in range(0, len(ids), BATCH_SIZE):
            Organisation.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).update(
                opening_hours_note_kk=kk, opening_hours_note_ru=ru, opening_hours_note_en=en
            )
    return {"opening_hours": given} if given else {}
