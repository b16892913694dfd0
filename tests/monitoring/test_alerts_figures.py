"""Alert figures: counts by region and topic, the median minutes to acknowledge (overall and by
region), the share acted on; declared as staff-only indicators the public never sees."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from birlik.core import kpi
from birlik.monitoring import queries
from birlik.monitoring.models import Alert, AlertStep

from ..factories import region
from .alerts_fixtures import make_rule

NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)
_keys = iter(range(1, 1000))


def alert(
    iso: str = "KZ-55",
    *,
    topic: str = "conflict",
    raised: datetime.datetime = NOW - datetime.timedelta(days=3),
    ack_after: int | None = None,
    state: str = Alert.State.RAISED,
    acted: bool = False,
    rule=None,
) -> Alert:
    """An alert as the steps leave it: ``ack_after`` minutes to acknowledge, ``acted`` with an
    action recorded."""
    row = Alert.objects.create(
        rule=rule or make_rule(),
        title="Alert",
        topic=topic,
        region=region(iso),
        raised_at=raised,
        ack_due_at=raised + datetime.timedelta(hours=2),
        acknowledged_at=raised + datetime.timedelta(minutes=ack_after) if ack_after else None,
        acted_at=raised + datetime.timedelta(hours=3) if acted else None,
        state=state,
        key=f"test:{next(_keys)}",
    )
    if acted:
        AlertStep.objects.create(alert=row, step="act", action="meeting", at=row.acted_at)
    return row


def test_the_median_time_to_acknowledge_is_the_middle_of_the_acknowledged(db):
    rule = make_rule()
    for minutes, iso in ((10, "KZ-55"), (40, "KZ-55"), (90, "KZ-55"), (20, "KZ-75")):
        alert(iso, ack_after=minutes, state=Alert.State.ACKNOWLEDGED, rule=rule)
    alert("KZ-75", rule=rule)  # never acknowledged: not counted
    alerts = Alert.objects.all()

    assert queries.ack_minutes_median(alerts) == 30.0  # (20 + 40) / 2
    assert queries.ack_minutes_median_by_region(alerts) == {"KZ-55": 40.0, "KZ-75": 20.0}
    assert queries.ack_minutes_median(alerts.filter(region__iso="KZ-75")) == 20.0
    assert queries.ack_minutes_median(alerts.none()) is None


def test_an_even_region_takes_the_mean_of_its_two_middle_alerts(db):
    rule = make_rule()
    for minutes in (5, 15, 25, 125):
        alert(ack_after=minutes, state=Alert.State.ACKNOWLEDGED, rule=rule)

    assert queries.ack_minutes_median_by_region(Alert.objects.all()) == {"KZ-55": 20.0}


def test_the_share_acted_on_counts_alerts_closed_or_older_than_a_day(db):
    rule = make_rule()
    alert(state=Alert.State.CLOSED, acted=True, ack_after=5, rule=rule)  # acted
    alert(state=Alert.State.CLOSED, ack_after=5, rule=rule)  # closed without action
    alert(state=Alert.State.RAISED, rule=rule)  # three days old, nothing done
    alert(state=Alert.State.ACTED, acted=True, ack_after=5, rule=rule)  # acted, still open
    young = NOW - datetime.timedelta(hours=5)
    alert(raised=young, rule=rule)  # not yet a day old: left out
    alert(raised=young, state=Alert.State.CLOSED, acted=True, rule=rule)  # closed: counted

    acted = queries.alerts_acted_on(qs=Alert.objects.all(), now=NOW)

    assert acted == {"considered": 5, "acted": 3, "share": 60.0}


def test_the_figures_count_by_region_and_topic(db):
    rule = make_rule()
    alert("KZ-55", topic="conflict", rule=rule)
    alert("KZ-55", topic="conflict", rule=rule)
    alert("KZ-55", topic="hate", rule=rule)
    alert("KZ-75", topic="", rule=rule)

    figures = queries.alert_figures(qs=Alert.objects.all(), now=NOW)

    assert figures["total"] == 4
    assert figures["by_region_topic"] == [
        {"region": "KZ-55", "topic": "conflict", "count": 2},
        {"region": "KZ-55", "topic": "hate", "count": 1},
        {"region": "KZ-75", "topic": "", "count": 1},
    ]


@freeze_time(NOW)
def test_the_indicators_compute_the_same_figures_for_the_period(db):
    rule = make_rule()
    alert("KZ-55", ack_after=30, state=Alert.State.CLOSED, acted=True, rule=rule)
    alert("KZ-55", ack_after=50, state=Alert.State.CLOSED, rule=rule)
    alert("KZ-75", topic="", rule=rule)
    alert("KZ-75", raised=NOW - datetime.timedelta(days=400), rule=rule)  # last year
    period = kpi.Period.year(2026)

    raised = kpi.compute("monitoring.alerts_raised", period)
    minutes = kpi.compute("monitoring.alert_ack_minutes", period)
    share = kpi.compute("monitoring.alerts_acted_on", period)
    pavlodar = kpi.compute("monitoring.alerts_raised", period, region("KZ-55"))

    assert raised == [
        {"region": "KZ-55", "alert_topic": "conflict", "value": 2},
        {"region": "KZ-75", "alert_topic": "none", "value": 1},
    ]
    assert minutes == [{"region": "KZ-55", "value": 40.0}]
    assert share == [{"value": round(100 / 3, 1)}]
    assert pavlodar == [{"region": "KZ-55", "alert_topic": "conflict", "value": 2}]


def test_alert_indicators_are_staff_only_and_absent_from_the_public_figures(db, client):
    keys = {
        "monitoring.alerts_raised",
        "monitoring.alert_ack_minutes",
        "monitoring.alerts_acted_on",
    }
    declared = {item.key: item for item in kpi.indicators() if item.key in keys}

    with translation.override("en"):
        names = [str(item.name) for item in declared.values()]
        every = client.get(reverse("reports_portal:all")).content.decode()
        catalogue = client.get(reverse("reports_portal:catalogue")).content.decode()

    assert set(declared) == keys
    assert not any(item.public for item in declared.values())
    assert not [name for name in names if name in every or name in catalogue]
