"""The tension index: its formula on hand-made numbers, the median baseline, an idempotent
rebuild, appeal signals that keep no text, mediation counted only for interethnic cases."""

from __future__ import annotations

import datetime
import json

import pytest
from django.forms.models import model_to_dict
from freezegun import freeze_time

from birlik.core import kpi
from birlik.core.errors import DomainError
from birlik.mediation.models import DisputeKind
from birlik.mediation.queries import interethnic_cases_by_region_week
from birlik.monitoring import classifier, language
from birlik.monitoring.models import AppealSignal, TensionWeek
from birlik.monitoring.services import appeal_signals_update, tension_index, tension_rebuild
from birlik.monitoring.tasks import tension_rebuild_job

from ..appeals.helpers import register
from ..factories import region
from .conftest import make_source
from .media_fixtures import INTERETHNIC, at, case, make_story, mediation_centre, signal, story_item

pytestmark = pytest.mark.django_db

# Wednesday 15 October 2025 in Almaty: the week so far starts on 13 October, the latest complete
# week (W) on 6 October, and W's baseline is the 12 weeks from 14 July to 29 September.
TODAY = datetime.date(2025, 10, 15)
NOW = "2025-10-15 05:00:00"  # UTC: 10:00 in Almaty
W = datetime.date(2025, 10, 6)
CURRENT = datetime.date(2025, 10, 13)


def week(n: int) -> datetime.date:
    """The Monday ``n`` weeks before W."""
    return W - datetime.timedelta(weeks=n)


def row(iso: str, monday: datetime.date) -> TensionWeek:
    return TensionWeek.objects.get(region=region(iso), week=monday)


def _pavlodar_week(network) -> None:
    """In W, for Pavlodar: one story carried by three sources (highest risk 0.8), two appeals
    read as a risk and one not, one interethnic case and one family case."""
    story = make_story(regions=("KZ-55",))
    first, second, third = make_source(), make_source(), make_source()
    story_item(story, when=at(W), risk=0.8, source=first)
    story_item(story, when=at(W + datetime.timedelta(days=2)), risk=0.5, source=second)
    story_item(story, when=at(W + datetime.timedelta(days=6), hour=20), risk=0.6, source=third)
    story_item(story, when=at(W + datetime.timedelta(days=3)), risk=0.1, source=first)
    # 02:00 on Monday in Almaty is still Sunday in UTC: the week is counted in local time.
    story_item(story, when=at(CURRENT, hour=2), risk=1.0, source=make_source())
    for risk in (0.9, 0.5, 0.3):
        signal("KZ-55", W + datetime.timedelta(days=1), risk)
    # The usual level of appeals: one a week in 7 of the 12 weeks before, so the median is 1.
    for n in range(1, 8):
        signal("KZ-55", week(n), 0.7)
    centre = mediation_centre("KZ-55", network.pavlodar_house)
    case(centre, W + datetime.timedelta(days=4), INTERETHNIC)
    case(centre, W + datetime.timedelta(days=4), DisputeKind.FAMILY)


@freeze_time(NOW)
def test_the_index_follows_its_formula_on_hand_made_numbers(network):
    _pavlodar_week(network)

    tension_rebuild(today=TODAY)

    pavlodar = row("KZ-55", W)
    # M = 0.8 × log2(1 + 3 sources) = 1.6; A = 2 against a median of 1; D = 1 against 0.
    assert pavlodar.media == pytest.approx(1.6)
    assert (pavlodar.appeals, pavlodar.mediation) == (2, 1)
    assert pavlodar.components["media"] == {"count": 1.6, "baseline": 0.0, "normalised": 1.6}
    assert pavlodar.components["appeals"] == {"count": 2.0, "baseline": 1.0, "normalised": 1.0}
    assert pavlodar.components["mediation"] == {"count": 1.0, "baseline": 0.0, "normalised": 1.0}
    assert pavlodar.components["weights"] == {"media": 0.5, "appeals": 0.3, "mediation": 0.2}
    assert pavlodar.components["complete"] is True
    # round(50 × (0.5 × 1.6 + 0.3 × 2/2 + 0.2 × 1/1)) = round(50 × 1.3)
    assert pavlodar.index == 65
    assert row("KZ-75", W).index == 0
    current = row("KZ-55", CURRENT)
    assert current.components["complete"] is False
    assert current.media == pytest.approx(1.0)  # the item of the next week, one source


@freeze_time(NOW)
def test_the_weights_come_from_the_settings(network, settings):
    _pavlodar_week(network)
    settings.MONITORING_TENSION_WEIGHTS = (1, 0, 0)

    tension_rebuild(today=TODAY)

    assert row("KZ-55", W).index == 80  # round(50 × 1.6)
    assert row("KZ-55", W).components["weights"] == {"media": 1.0, "appeals": 0.0, "mediation": 0.0}


def test_the_index_stops_at_100_and_rounds_halves_up():
    assert tension_index((3.0, 3.0, 3.0), (0.5, 0.3, 0.2)) == 100
    assert tension_index((0.01, 0.0, 0.0), (1.0, 0.0, 0.0)) == 1  # 50 × 0.01 = 0.5
    assert tension_index((0.0, 0.0, 0.0), (0.5, 0.3, 0.2)) == 0


@freeze_time(NOW)
def test_the_baseline_is_the_median_of_the_twelve_weeks_before(network):
    # Appeals in the 12 weeks before W: 0 0 0 0 1 1 2 2 3 5 9 9 → median (1 + 2) / 2 = 1.5.
    # Weeks further back do not count.
    for n, count in enumerate([9, 9, 5, 3, 2, 2, 1, 1, 0, 0, 0, 0], start=1):
        for _ in range(count):
            signal("KZ-55", week(n), 0.8)
    for _ in range(40):
        signal("KZ-55", week(13), 0.8)
    for _ in range(5):
        signal("KZ-55", W, 0.8)

    tension_rebuild(today=TODAY)

    pavlodar = row("KZ-55", W)
    assert pavlodar.components["appeals"] == {"count": 5.0, "baseline": 1.5, "normalised": 2.0}
    assert pavlodar.index == 30  # round(50 × 0.3 × 5 / 2.5)


@freeze_time(NOW)
def test_a_second_rebuild_changes_nothing_and_a_third_replaces_the_rows(network):
    _pavlodar_week(network)
    older = TensionWeek.objects.create(region=region("KZ-55"), week=week(30), index=42)

    first = tension_rebuild(today=TODAY)
    before = list(TensionWeek.objects.order_by("region_id", "week").values())
    second = tension_rebuild(today=TODAY)
    after = list(TensionWeek.objects.order_by("region_id", "week").values())

    assert first == second == 20 * 13  # 20 regions × (12 complete weeks + the week so far)
    assert [{**r, "id": 0} for r in before] == [{**r, "id": 0} for r in after]
    signal("KZ-55", W, 0.9)
    tension_rebuild(today=TODAY)
    assert TensionWeek.objects.filter(week__gte=week(11)).count() == 20 * 13
    assert row("KZ-55", W).appeals == 3
    assert TensionWeek.objects.get(pk=older.pk).index == 42  # weeks outside are left alone


def test_a_rebuild_needs_at_least_one_week(db):
    with pytest.raises(DomainError):
        tension_rebuild(today=TODAY, weeks=0)


@freeze_time(NOW)
def test_the_daily_job_rebuilds_today(network):
    _pavlodar_week(network)
    assert tension_rebuild_job.call() == 20 * 13
    assert row("KZ-55", W).index == 65


def test_mediation_counts_only_interethnic_cases_by_region_and_week(network):
    pavlodar = mediation_centre("KZ-55", network.pavlodar_house)
    almaty = mediation_centre("KZ-75", network.almaty_house)
    case(pavlodar, W, INTERETHNIC)
    case(pavlodar, W + datetime.timedelta(days=6), INTERETHNIC)
    case(pavlodar, W + datetime.timedelta(days=1), DisputeKind.FAMILY)
    case(pavlodar, W + datetime.timedelta(days=1), DisputeKind.NEIGHBOURHOOD)
    case(almaty, week(1), INTERETHNIC)
    case(almaty, week(20), INTERETHNIC)  # before the range

    counts = interethnic_cases_by_region_week(start=week(3), end=W + datetime.timedelta(days=6))

    assert counts == {
        (region("KZ-55").pk, W): 2,
        (region("KZ-75").pk, week(1)): 1,
    }


class FakeScorer:
    """Scores every text the same way and remembers what it was given."""

    model_version_id = None

    def __init__(self, topics: dict[str, float]) -> None:
        self.topics = topics
        self.seen: list[tuple[str, str]] = []

    def score(self, texts: list[str], languages: list[str]) -> list[dict[str, float]]:
        self.seen.extend(zip(texts, languages, strict=True))
        return [dict(self.topics) for _ in texts]


@pytest.fixture
def scorer(monkeypatch):
    fake = FakeScorer({"conflict": 0.7, "hate": 0.2, "unity": 0.95})
    monkeypatch.setattr(classifier, "current_scorer", lambda: fake)
    monkeypatch.setattr(language, "detect", lambda text, declared="": (declared or "ru", 0.9))
    return fake


SECRET_TEXT = "Соседи-уйгуры угрожают нашей семье, помогите разобраться в конфликте."


@freeze_time(NOW)
def test_appeal_signals_keep_the_topics_and_never_the_text(network, scorer):
    appeal = register(
        network.pavlodar,
        text=SECRET_TEXT,
        subject="Угрозы соседей",
        language="ru",
        received_at=at(TODAY, 9),
    )

    assert appeal_signals_update() == 1

    stored = AppealSignal.objects.get()
    assert stored.appeal_id == appeal.pk
    assert stored.region == region("KZ-55")  # the body's region: the appeal named none
    assert stored.received_on == TODAY
    assert stored.risk == 0.7  # unity is positive coverage: never a risk
    assert stored.topics == {"conflict": 0.7, "hate": 0.2, "unity": 0.95}
    assert scorer.seen == [(f"Угрозы соседей\n{SECRET_TEXT}", "ru")]
    kept = json.dumps(model_to_dict(stored), default=str, ensure_ascii=False)
    for word in ("уйгуры", "угрожают", "Угрозы", appeal.applicant_name):
        assert word not in kept


@freeze_time(NOW)
def test_recent_appeals_are_read_again_and_older_ones_only_once(network, scorer):
    old = register(
        network.pavlodar, text=SECRET_TEXT, received_at=at(TODAY - datetime.timedelta(days=40))
    )
    recent = register(
        network.almaty, text=SECRET_TEXT, received_at=at(TODAY - datetime.timedelta(days=3))
    )
    assert appeal_signals_update() == 2  # the old one had never been read

    scorer.topics = {"conflict": 0.1}
    assert appeal_signals_update() == 1

    assert AppealSignal.objects.get(appeal_id=old.pk).risk == 0.7
    assert AppealSignal.objects.get(appeal_id=recent.pk).risk == 0.1
    assert AppealSignal.objects.get(appeal_id=recent.pk).region == region("KZ-75")


@freeze_time(NOW)
def test_the_index_counts_appeals_read_as_a_risk(network, scorer):
    register(network.pavlodar, text=SECRET_TEXT, received_at=at(W + datetime.timedelta(days=2)))
    appeal_signals_update(since=W)

    tension_rebuild(today=TODAY)

    assert row("KZ-55", W).appeals == 1
    assert row("KZ-55", W).index == 15  # round(50 × 0.3 × 1 / (0 + 1))


@freeze_time(NOW)
def test_the_indicator_gives_the_latest_complete_week_to_staff_only(network):
    _pavlodar_week(network)
    tension_rebuild(today=TODAY)

    rows = kpi.compute("monitoring.tension_index", kpi.Period.year(2025))
    indicator = kpi.REGISTRY.indicators["monitoring.tension_index"]

    assert {"region": "KZ-55", "value": 65} in rows
    assert len(rows) == 20
    assert indicator.public is False
    only = kpi.compute("monitoring.tension_index", kpi.Period.year(2025), region("KZ-75"))
    assert only == [{"region": "KZ-75", "value": 0}]
