"""Rules raise alerts once, route them to the region's assembly and House of Friendship, and
tell their staff and the region's coordinators through the outbox, each in their language."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from freezegun import freeze_time

from birlik.access.models import AuditEntry
from birlik.monitoring import services
from birlik.monitoring.models import Alert, AlertRule, Item, ItemPlace, Topic
from birlik.notify.models import Notice
from birlik.registry.models import EthnicGroup

from ..factories import region
from .alerts_fixtures import hour_counts, make_rule, make_story, risky_item, world_fixture  # noqa: F401 - fixture
from .conftest import make_item

NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


def evaluate(**kwargs):
    return services.alerts_evaluate(now=timezone.now(), **kwargs)


def notice_keys() -> set[str]:
    return set(Notice.objects.values_list("idempotency_key", flat=True))


@freeze_time(NOW)
def test_a_risk_rule_fires_once_on_an_item_and_not_again(world):
    rule = make_rule(topic="conflict", threshold=0.7)
    item = risky_item(conflict=0.85)
    risky_item(conflict=0.4)  # below the threshold

    first = evaluate(item_ids=[item.pk])
    second = evaluate(item_ids=[item.pk])
    third = evaluate()  # the minute job reads the same item again

    assert [alert.item_id for alert in first] == [item.pk]
    assert second == [] and third == []
    alert = Alert.objects.get()
    assert (alert.rule_id, alert.region.iso, alert.topic) == (rule.pk, "KZ-55", "conflict")
    assert alert.ack_due_at == NOW + datetime.timedelta(hours=2)
    assert alert.state == Alert.State.RAISED


@freeze_time(NOW)
def test_items_of_one_story_raise_one_alert_per_rule(world):
    make_rule(topic="conflict")
    make_rule(topic="", threshold=0.8)  # any topic
    story = make_story()
    items = [risky_item(story=story, conflict=0.9) for _ in range(3)]

    raised = evaluate(item_ids=[item.pk for item in items])

    assert len(raised) == 2
    assert {alert.story_id for alert in raised} == {story.pk}
    assert {alert.item_id for alert in raised} == {items[0].pk}  # the first published


@freeze_time(NOW)
def test_routing_goes_to_the_pavlodar_assembly_and_house_only(world):
    make_rule()
    item = risky_item(regions=("KZ-55",))

    (alert,) = evaluate(item_ids=[item.pk])

    assert set(alert.routed_to.values_list("pk", flat=True)) == world.pavlodar_bodies
    assert world.network.almaty.pk not in set(alert.routed_to.values_list("pk", flat=True))


@freeze_time(NOW)
def test_an_item_naming_two_regions_goes_to_the_one_named_most(world):
    make_rule()
    item = risky_item(regions=("KZ-75",))
    ItemPlace.objects.create(item=item, region=region("KZ-55"), count=3)

    (alert,) = evaluate(item_ids=[item.pk])

    assert alert.region.iso == "KZ-55"


@freeze_time(NOW)
def test_a_closed_house_of_friendship_is_not_routed_to(world):
    house = world.network.pavlodar_house
    house.status = "closed"
    house.closed_on = NOW.date()
    house.save(update_fields=["status", "closed_on"])
    make_rule()

    (alert,) = evaluate(item_ids=[risky_item().pk])

    assert set(alert.routed_to.values_list("pk", flat=True)) == {world.network.pavlodar.pk}


@freeze_time(NOW)
def test_an_item_whose_source_alone_gives_the_region_raises_no_alert(world):
    make_rule()
    item = risky_item(regions=())
    ItemPlace.objects.create(item=item, region=region("KZ-55"), via=ItemPlace.Via.SOURCE)

    assert evaluate(item_ids=[item.pk]) == []


@freeze_time(NOW)
def test_a_disabled_rule_and_an_unprocessed_item_raise_nothing(world):
    make_rule(enabled=False)
    make_rule()
    waiting = risky_item(state=Item.State.NEW, processed_at=None)

    assert evaluate(item_ids=[waiting.pk]) == []


@freeze_time(NOW)
def test_a_rule_with_a_region_watches_only_that_region(world):
    make_rule(region=region("KZ-75"))
    pavlodar = risky_item(regions=("KZ-55",))
    almaty = risky_item(regions=("KZ-75",))

    raised = evaluate(item_ids=[pavlodar.pk, almaty.pk])

    assert [(alert.item_id, alert.region.iso) for alert in raised] == [(almaty.pk, "KZ-75")]
    assert set(raised[0].routed_to.values_list("pk", flat=True)) == {
        world.network.almaty.pk,
        world.network.almaty_house.pk,
    }


@freeze_time(NOW)
def test_a_mention_rule_fires_once_on_the_group_named_whatever_the_score(world):
    uyghurs = EthnicGroup.objects.get(code="uyghur")
    make_rule(kind=AlertRule.Kind.MENTION, topic="", ethnic_group=uyghurs)
    calm = risky_item(conflict=0.05, groups=("uyghur",))
    other = risky_item(conflict=0.95, groups=("korean",))

    first = evaluate(item_ids=[calm.pk, other.pk])
    second = evaluate(item_ids=[calm.pk, other.pk])

    assert [alert.item_id for alert in first] == [calm.pk]
    assert second == []


@freeze_time(NOW)
def test_a_mention_rule_for_a_district_needs_the_district_named(world):
    pavlodar = region("KZ-55")
    district = pavlodar.districts.order_by("kato").first()
    make_rule(kind=AlertRule.Kind.MENTION, topic="", region=pavlodar, district=district)
    elsewhere = risky_item(regions=("KZ-55",))
    named = risky_item(regions=())
    ItemPlace.objects.create(item=named, region=pavlodar, district=district)

    (alert,) = evaluate(item_ids=[elsewhere.pk, named.pk])

    assert (alert.item_id, alert.district_id) == (named.pk, district.pk)


def _growing_story(*, per_hour_before: int, last_hour: int) -> tuple:
    story = make_story(opened_at=NOW - datetime.timedelta(days=2))
    before = NOW.replace(minute=0) - datetime.timedelta(hours=1)
    hour_counts(
        story, {before - datetime.timedelta(hours=h): per_hour_before for h in range(1, 25)}
    )
    items = [
        risky_item(
            story=story,
            conflict=0.6,
            published_at=NOW - datetime.timedelta(minutes=5 * (n + 1)),
        )
        for n in range(last_hour)
    ]
    return story, items


@freeze_time(NOW)
def test_a_growth_rule_fires_once_on_a_story_growing_fast(world):
    make_rule(kind=AlertRule.Kind.GROWTH, topic="", threshold=0.5, growth_factor=3, min_per_hour=5)
    story, items = _growing_story(per_hour_before=1, last_hour=6)
    steady, _ = _growing_story(per_hour_before=4, last_hour=6)  # 6 < 3 × 4

    first = evaluate(item_ids=[items[0].pk])
    second = evaluate()

    assert [alert.story_id for alert in first] == [story.pk]
    assert second == []
    assert first[0].item.story_id == story.pk
    assert steady.pk not in {alert.story_id for alert in Alert.objects.all()}


@freeze_time(NOW)
def test_a_growth_rule_needs_the_minimum_items_an_hour_and_a_risky_item(world):
    make_rule(kind=AlertRule.Kind.GROWTH, topic="", threshold=0.7, growth_factor=3, min_per_hour=5)
    _growing_story(per_hour_before=0, last_hour=4)  # too few
    _growing_story(per_hour_before=0, last_hour=8)  # items at 0.6, under the threshold

    assert evaluate() == []


@freeze_time(NOW)
def test_a_new_story_has_a_baseline_of_one_item_an_hour(world):
    make_rule(kind=AlertRule.Kind.GROWTH, topic="", threshold=0, growth_factor=3, min_per_hour=2)
    story = make_story(opened_at=NOW - datetime.timedelta(minutes=40))
    for minutes in (5, 10):
        risky_item(story=story, published_at=NOW - datetime.timedelta(minutes=minutes))
    quiet = make_story(title="Quiet", opened_at=NOW - datetime.timedelta(minutes=40))
    for minutes in (5, 10, 15):
        risky_item(story=quiet, published_at=NOW - datetime.timedelta(minutes=minutes))

    raised = evaluate()

    assert [alert.story_id for alert in raised] == [quiet.pk]  # 3 ≥ 3 × 1, but 2 < 3


def test_the_minute_job_catches_up_the_items_processed_since_its_last_run(world):
    make_rule()
    with freeze_time(NOW):
        first = risky_item(processed_at=timezone.now())
        assert [a.item_id for a in evaluate()] == [first.pk]
    with freeze_time(NOW + datetime.timedelta(hours=30)):
        # Missed runs for longer than the first run's look-back: the watermark remembers.
        later = risky_item(processed_at=NOW + datetime.timedelta(hours=3))
        assert [a.item_id for a in evaluate()] == [later.pk]
        assert evaluate() == []


@freeze_time(NOW)
def test_the_first_run_looks_back_a_day(world):
    make_rule()
    risky_item(processed_at=NOW - datetime.timedelta(hours=30))
    recent = risky_item(processed_at=NOW - datetime.timedelta(hours=20))

    assert [alert.item_id for alert in evaluate()] == [recent.pk]


@freeze_time(NOW)
def test_staff_of_the_routed_bodies_and_the_region_coordinator_are_told_in_their_language(world):
    make_rule()
    (alert,) = evaluate(item_ids=[risky_item(title="Драка на рынке").pk])
    users = world.users

    told = {n.idempotency_key: n for n in Notice.objects.all()}

    expected = {
        f"alert:{alert.pk}:{users[name].pk}:email"
        for name in ("coordinator_pavlodar", "staff_pavlodar_house")
    }
    assert set(told) == expected
    house = told[f"alert:{alert.pk}:{users['staff_pavlodar_house'].pk}:email"]
    coordinator = told[f"alert:{alert.pk}:{users['coordinator_pavlodar'].pk}:email"]
    assert (house.recipient, house.language) == ("staff_pavlodar_house@birlik.test", "ru")
    assert coordinator.language == "kk"
    for notice in (house, coordinator):
        with translation.override(notice.language):
            assert str(Topic.CONFLICT.label) in notice.body
            assert region("KZ-55").name in notice.body
            assert f"/{notice.language}/workspace/monitoring/alerts/{alert.pk}/" in notice.body
        assert "Драка на рынке" in notice.body
        assert "0.9" not in notice.body and "0,9" not in notice.body  # no score


@freeze_time(NOW)
def test_an_alert_raised_again_queues_no_second_notice(world):
    rule = make_rule()
    item = risky_item()
    services.alert_raise(
        rule=rule, story=None, item=item, region=region("KZ-55"), district=None, now=NOW
    )
    keys = notice_keys()

    again = services.alert_raise(
        rule=rule, story=None, item=item, region=region("KZ-55"), district=None, now=NOW
    )

    assert again is None
    assert notice_keys() == keys and len(keys) == 2


@freeze_time(NOW)
def test_raising_is_audited_under_the_region_assembly(world):
    make_rule()
    (alert,) = evaluate(item_ids=[risky_item().pk])

    entry = AuditEntry.objects.get(object_type="monitoring.Alert", object_id=str(alert.pk))

    assert entry.action == AuditEntry.Action.CREATE
    assert entry.organisation_path == world.network.pavlodar.path
    assert entry.actor is None


@freeze_time(NOW)
def test_the_time_to_acknowledge_is_a_setting(world, settings):
    settings.MONITORING_ACK_HOURS = 4
    make_rule()

    (alert,) = evaluate(item_ids=[risky_item().pk])

    assert alert.ack_due_at == NOW + datetime.timedelta(hours=4)


@pytest.mark.parametrize("stored_text", ["", "Мәтін"])
@freeze_time(NOW)
def test_an_item_in_no_story_is_keyed_by_itself(world, stored_text):
    rule = make_rule()
    item = make_item(regions=("KZ-55",), risk=0.9, topics={"conflict": 0.9}, text=stored_text)

    (alert,) = evaluate(item_ids=[item.pk])

    assert alert.key == f"rule:{rule.pk}:item:{item.pk}"
