"""The response to an alert: raised → acknowledged → assessed → action taken (repeatable) →
closed, each step by those who may take it, audited; escalation of alerts left unacknowledged;
alert rules and their starter set."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from freezegun import freeze_time

from birlik.access.models import AuditEntry
from birlik.monitoring import services
from birlik.monitoring.models import Alert, AlertRule, AlertStep
from birlik.notify.models import Notice

from ..factories import region
from .alerts_fixtures import make_rule, raise_alert, world_fixture  # noqa: F401 - fixture

NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


def audit_actions(alert: Alert) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="monitoring.Alert", object_id=str(alert.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


@freeze_time(NOW)
def test_the_house_staff_take_an_alert_through_every_step_each_audited(world):
    alert = raise_alert(world)
    staff = world.users["staff_pavlodar_house"]

    services.alert_acknowledge(actor=staff, alert=alert)
    services.alert_assess(actor=staff, alert=alert, note="A quarrel between two traders.")
    services.alert_act(actor=staff, alert=alert, action="meeting", note="Elders met both sides.")
    services.alert_act(actor=staff, alert=alert, action="statement")
    services.alert_close(actor=staff, alert=alert, note="Calm again.")

    alert.refresh_from_db()
    assert alert.state == Alert.State.CLOSED
    assert alert.acknowledged_at == alert.acted_at == alert.closed_at == NOW
    steps = list(alert.steps.values_list("step", "action", "actor_id"))
    assert steps == [
        ("acknowledge", "", staff.pk),
        ("assess", "", staff.pk),
        ("act", "meeting", staff.pk),
        ("act", "statement", staff.pk),
        ("close", "", staff.pk),
    ]
    assert audit_actions(alert) == ["create", "update", "update", "update", "update", "close"]
    closing = AuditEntry.objects.filter(object_id=str(alert.pk), action="close").get()
    assert (closing.actor, closing.note) == (staff, "Calm again.")
    assert closing.organisation_path == world.network.pavlodar.path


def test_the_first_action_sets_acted_at_and_a_later_one_keeps_it(world):
    with freeze_time(NOW):
        alert = raise_alert(world)
        staff = world.users["coordinator_pavlodar"]
        services.alert_acknowledge(actor=staff, alert=alert)
        services.alert_assess(actor=staff, alert=alert)
        services.alert_act(actor=staff, alert=alert, action="mediation")
    with freeze_time(NOW + datetime.timedelta(hours=5)):
        services.alert_act(actor=staff, alert=alert, action="referral")

    alert.refresh_from_db()
    assert alert.acted_at == NOW


@pytest.mark.parametrize(
    ("done", "step", "message"),
    [
        ([], "assess", "Acknowledge the alert before assessing it."),
        ([], "act", "Record the assessment before the action taken."),
        ([], "close", "An alert is closed once it is assessed."),
        (["acknowledge"], "acknowledge", "This alert is already acknowledged."),
        (["acknowledge"], "close", "An alert is closed once it is assessed."),
        (["acknowledge", "assess"], "assess", "This alert is already assessed."),
        (["acknowledge", "assess", "close"], "act", "This alert is closed."),
        (["acknowledge", "assess", "close"], "acknowledge", "This alert is closed."),
    ],
)
def test_steps_out_of_order_are_refused_and_change_nothing(world, done, step, message):
    alert = raise_alert(world)
    staff = world.users["staff_pavlodar_house"]
    calls = {
        "acknowledge": lambda: services.alert_acknowledge(actor=staff, alert=alert),
        "assess": lambda: services.alert_assess(actor=staff, alert=alert),
        "act": lambda: services.alert_act(actor=staff, alert=alert, action="other"),
        "close": lambda: services.alert_close(actor=staff, alert=alert, note="Done."),
    }
    for name in done:
        calls[name]()
    before = (Alert.objects.get(pk=alert.pk).state, AlertStep.objects.count())

    with translation.override("en"), pytest.raises(services.AlertError) as refused:
        calls[step]()

    assert str(refused.value.message) == message
    assert (Alert.objects.get(pk=alert.pk).state, AlertStep.objects.count()) == before


def test_closing_needs_a_note_and_an_action_needs_a_kind(world):
    alert = raise_alert(world)
    staff = world.users["staff_pavlodar_house"]
    services.alert_acknowledge(actor=staff, alert=alert)
    services.alert_assess(actor=staff, alert=alert)

    with pytest.raises(services.AlertError) as no_note:
        services.alert_close(actor=staff, alert=alert, note="  ")
    with pytest.raises(services.AlertError) as no_action:
        services.alert_act(actor=staff, alert=alert, action="dance")

    assert (no_note.value.field, no_action.value.field) == ("note", "action")
    assert Alert.objects.get(pk=alert.pk).state == Alert.State.ASSESSED


@pytest.mark.parametrize(
    "name",
    ["analyst", "auditor", "coordinator_almaty", "staff_almaty_house", "staff_pavlodar_elders"],
)
def test_only_those_who_answer_for_the_region_may_take_a_step(world, name):
    alert = raise_alert(world)

    with pytest.raises(PermissionDenied):
        services.alert_acknowledge(actor=world.users[name], alert=alert)

    assert Alert.objects.get(pk=alert.pk).state == Alert.State.RAISED
    assert not AlertStep.objects.exists()


@pytest.mark.parametrize("name", ["admin", "coordinator_pavlodar", "staff_pavlodar_house"])
def test_the_region_coordinator_a_national_admin_and_the_routed_staff_may(world, name):
    alert = raise_alert(world)

    services.alert_acknowledge(actor=world.users[name], alert=alert)

    assert Alert.objects.get(pk=alert.pk).state == Alert.State.ACKNOWLEDGED


def test_the_actions_offered_follow_the_state_and_the_user(world):
    alert = raise_alert(world)
    staff = world.users["staff_pavlodar_house"]

    raised = services.alert_actions(staff, alert)
    analyst = services.alert_actions(world.users["analyst"], alert)
    services.alert_acknowledge(actor=staff, alert=alert)
    services.alert_assess(actor=staff, alert=alert)
    alert = Alert.objects.get(pk=alert.pk)
    assessed = services.alert_actions(staff, alert)

    assert (raised.allowed, raised.next_step) == (("acknowledge",), "acknowledge")
    assert analyst.allowed == ()
    assert (assessed.allowed, assessed.next_step) == (("act", "close"), "act")


def test_an_alert_unacknowledged_after_two_hours_is_escalated_once(world):
    with freeze_time(NOW):
        alert = raise_alert(world)
        answered = raise_alert(world)
        services.alert_acknowledge(actor=world.users["staff_pavlodar_house"], alert=answered)
    with freeze_time(NOW + datetime.timedelta(hours=1, minutes=59)):
        assert services.alerts_escalate(now=NOW + datetime.timedelta(hours=1, minutes=59)) == 0
    later = NOW + datetime.timedelta(hours=2, minutes=1)
    with freeze_time(later):
        first = services.alerts_escalate(now=later)
        second = services.alerts_escalate(now=later + datetime.timedelta(minutes=10))

    assert (first, second) == (1, 0)
    alert.refresh_from_db()
    assert alert.escalated_at == later
    assert list(alert.steps.values_list("step", flat=True)) == ["escalate"]
    assert not Alert.objects.get(pk=answered.pk).escalated_at
    admin = world.users["admin"]
    (notice,) = Notice.objects.filter(idempotency_key__contains=":escalate:")
    assert notice.idempotency_key == f"alert:{alert.pk}:escalate:{admin.pk}:email"
    assert (notice.recipient, notice.language) == ("admin@birlik.test", "en")
    assert "was not acknowledged within 2 hours" in notice.body
    assert "update" in audit_actions(alert)


def test_an_escalated_alert_can_still_be_acknowledged(world):
    with freeze_time(NOW):
        alert = raise_alert(world)
    with freeze_time(NOW + datetime.timedelta(hours=3)):
        services.alerts_escalate(now=NOW + datetime.timedelta(hours=3))
        services.alert_acknowledge(actor=world.users["coordinator_pavlodar"], alert=alert)

    alert.refresh_from_db()
    assert alert.state == Alert.State.ACKNOWLEDGED and alert.escalated_at is not None


# --- Rules ------------------------------------------------------------------------------------


def test_a_national_analyst_saves_a_rule_audited(world):
    analyst = world.users["analyst"]

    rule = services.alert_rule_save(
        by=analyst,
        name=" Hate in Pavlodar ",
        kind="risk",
        topic="hate",
        threshold=0.6,
        region=region("KZ-55"),
    )
    services.alert_rule_save(by=analyst, rule=rule, threshold=0.8)

    rule.refresh_from_db()
    assert (rule.name, rule.threshold, rule.created_by) == ("Hate in Pavlodar", 0.8, analyst)
    entries = AuditEntry.objects.filter(object_type="monitoring.AlertRule").order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes == {"threshold": [0.6, 0.8]}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "growth", "growth_factor": 1.0}, "growth_factor"),
        ({"kind": "growth", "growth_factor": 2.0, "min_per_hour": 0}, "min_per_hour"),
        ({"kind": "mention", "topic": ""}, "region"),
        ({"topic": "unity"}, "topic"),
        ({"threshold": 1.5}, "threshold"),
        ({"name": "  "}, "name"),
    ],
)
def test_a_broken_rule_is_refused_with_its_field(world, fields, field):
    values = {"name": "Rule", "kind": "risk", "topic": "conflict", "threshold": 0.7, **fields}

    with pytest.raises(services.AlertError) as refused:
        services.alert_rule_save(by=world.users["admin"], **values)

    assert refused.value.field == field
    assert not AlertRule.objects.exists()


def test_a_district_outside_the_rule_region_is_refused_and_a_district_alone_gives_it(world):
    almaty_district = region("KZ-75").districts.first()
    admin = world.users["admin"]

    with pytest.raises(services.AlertError) as refused:
        services.alert_rule_save(
            by=admin, name="R", kind="mention", region=region("KZ-55"), district=almaty_district
        )
    rule = services.alert_rule_save(by=admin, name="R", kind="mention", district=almaty_district)

    assert refused.value.field == "district"
    assert rule.region == region("KZ-75")


@pytest.mark.parametrize("name", ["coordinator_pavlodar", "staff_pavlodar_house", "auditor"])
def test_only_the_national_level_writes_rules(world, name):
    with pytest.raises(PermissionDenied):
        services.alert_rule_save(by=world.users[name], name="R", kind="risk", topic="hate")


def test_the_starter_rules_are_created_once(world):
    first = services.alert_rules_seed()
    second = services.alert_rules_seed()

    kinds = sorted(AlertRule.objects.values_list("kind", "topic", "threshold"))
    assert (first, second) == (4, 0)
    assert kinds == [
        ("growth", "", 0.5),
        ("risk", "conflict", 0.7),
        ("risk", "hate", 0.7),
        ("risk", "violence", 0.6),
    ]
    growth = AlertRule.objects.get(kind="growth")
    assert (growth.growth_factor, growth.min_per_hour) == (3.0, 5)
    assert AlertRule.objects.get(topic="hate").name == "Өшпенділік тілі: 0,7 және одан жоғары"


def test_the_jobs_evaluate_and_escalate(world):
    from birlik.monitoring import tasks

    with freeze_time(NOW):
        item = raise_alert(world).item  # raised by its own rule
        make_rule()  # a second rule: one more alert on the same item, once
        assert tasks.alerts_evaluate_job.call(item_ids=[item.pk]) == 1
        assert tasks.alerts_evaluate_job.call(item_ids=[item.pk]) == 0
    with freeze_time(NOW + datetime.timedelta(hours=3)):
        assert tasks.alerts_escalate_job.call() == 2
        assert tasks.alerts_escalate_job.call() == 0
