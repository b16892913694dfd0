"""The alert pages for each role: who sees the list and an alert, who may take which step (the
page offers exactly what a POST accepts), the rules and the figures; constant query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from birlik.monitoring import services
from birlik.monitoring.models import Alert, AlertRule, AlertStep
from tests.record_actions import assert_actions_do_what_the_page_shows, shown_actions

from ..factories import GrantFactory, OrganisationFactory, UserFactory, kind, region
from .alerts_fixtures import make_rule, raise_alert, risky_item, world_fixture  # noqa: F401 - fixture

NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)
STEPS = {
    "acknowledge": "monitoring:alert_acknowledge",
    "assess": "monitoring:alert_assess",
    "act": "monitoring:alert_act",
    "close": "monitoring:alert_close",
}


def url(name: str, alert: Alert | None = None, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(name, kwargs={"pk": alert.pk} if alert else None)


def page(client, address: str) -> tuple[int, str]:
    response = client.get(address)
    return response.status_code, response.content.decode()


def almaty_alert() -> Alert:
    alert = services.alert_raise(
        rule=make_rule(),
        story=None,
        item=risky_item(regions=("KZ-75",), title="Almaty quarrel"),
        region=region("KZ-75"),
        district=None,
        now=NOW,
    )
    assert alert is not None
    return alert


@pytest.fixture
def two_alerts(world):
    with freeze_time(NOW):
        pavlodar = raise_alert(world, title="Pavlodar quarrel")
        almaty = almaty_alert()
    return pavlodar, almaty


@pytest.mark.parametrize(
    ("name", "status", "sees"),
    [
        ("admin", 200, {"Pavlodar quarrel", "Almaty quarrel"}),
        ("analyst", 200, {"Pavlodar quarrel", "Almaty quarrel"}),
        ("coordinator_pavlodar", 200, {"Pavlodar quarrel"}),
        ("coordinator_almaty", 200, {"Almaty quarrel"}),
        ("staff_pavlodar_house", 200, {"Pavlodar quarrel"}),
        ("staff_almaty_house", 200, {"Almaty quarrel"}),
        ("staff_pavlodar_elders", 200, set()),
        ("auditor", 403, set()),
        ("nobody", 403, set()),
    ],
)
def test_the_list_shows_each_role_the_alerts_of_its_scope(
    world, two_alerts, login, name, status, sees
):
    code, html = page(login(world.users[name]), url("monitoring:alerts"))

    assert code == status
    assert {title for title in ("Pavlodar quarrel", "Almaty quarrel") if title in html} == sees


def test_the_list_sends_anonymous_visitors_to_sign_in(client, two_alerts):
    response = client.get(url("monitoring:alerts"))

    assert response.status_code == 302
    assert "/account/" in response["Location"]


def test_the_list_filters_by_state_region_topic_and_marks_overdue_in_text(world, login, two_alerts):
    pavlodar, almaty = two_alerts
    services.alert_acknowledge(actor=world.users["coordinator_almaty"], alert=almaty)
    client = login(world.users["admin"])
    base = url("monitoring:alerts")
    pavlodar_pk = region("KZ-55").pk

    with freeze_time(NOW + datetime.timedelta(hours=3)):
        _, everything = page(client, base)
        _, overdue = page(client, base + "?overdue=on")
        _, by_region = page(client, f"{base}?region={pavlodar_pk}")
        _, acknowledged = page(client, base + "?state=acknowledged")
        _, other_topic = page(client, base + "?topic=hate")
        code, bad = page(client, base + "?state=nonsense&topic=conflict")

    assert everything.count("Overdue: not acknowledged in time") == 1
    assert "Pavlodar quarrel" in overdue and "Almaty quarrel" not in overdue
    assert "Pavlodar quarrel" in by_region and "Almaty quarrel" not in by_region
    assert "Almaty quarrel" in acknowledged and "Pavlodar quarrel" not in acknowledged
    assert "No alert matches this search." in other_topic
    assert code == 200 and "Pavlodar quarrel" in bad and "errorlist" in bad


@pytest.mark.parametrize("name", ["admin", "coordinator_pavlodar", "staff_pavlodar_house"])
def test_the_list_costs_the_same_queries_for_two_or_twelve_alerts(
    world, login, django_assert_num_queries, django_assert_max_num_queries, name
):
    client = login(world.users[name])
    for _ in range(2):
        raise_alert(world)
    with django_assert_max_num_queries(12) as few:
        client.get(url("monitoring:alerts"))
    for _ in range(10):
        raise_alert(world)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("monitoring:alerts"))

    assert response.content.decode().count('href="/en/workspace/monitoring/alerts/') >= 12


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("admin", 200),
        ("analyst", 200),
        ("coordinator_pavlodar", 200),
        ("staff_pavlodar_house", 200),
        ("coordinator_almaty", 404),
        ("staff_almaty_house", 404),
        ("staff_pavlodar_elders", 404),
        ("auditor", 404),
        ("nobody", 404),
    ],
)
def test_an_alert_page_is_shown_only_within_scope(world, login, two_alerts, name, status):
    pavlodar, _ = two_alerts

    code, html = page(login(world.users[name]), url("monitoring:alert", pavlodar))

    assert code == status
    if status == 200:
        assert "Pavlodar quarrel" in html
        assert world.network.pavlodar_house.name_en in html


def test_the_analyst_sees_the_items_and_no_step_the_house_sees_the_step_not_the_items(
    world, login, two_alerts
):
    pavlodar, _ = two_alerts
    steps = {name: url(address, pavlodar) for name, address in STEPS.items()}

    _, analyst = page(login(world.users["analyst"]), url("monitoring:alert", pavlodar))
    _, house = page(login(world.users["staff_pavlodar_house"]), url("monitoring:alert", pavlodar))

    assert shown_actions(analyst, steps) == (None, set())
    assert shown_actions(house, steps) == ("acknowledge", {"acknowledge"})
    assert pavlodar.item.url in analyst
    assert pavlodar.item.url not in house
    assert "shown to analysts and to the coordinators of the region" in house


def _stepped(world, alert: Alert, names: list[str]) -> Alert:
    staff = world.users["coordinator_pavlodar"]
    calls = {
        "acknowledge": lambda: services.alert_acknowledge(actor=staff, alert=alert),
        "assess": lambda: services.alert_assess(actor=staff, alert=alert, note="Looked."),
        "act": lambda: services.alert_act(actor=staff, alert=alert, action="meeting"),
        "close": lambda: services.alert_close(actor=staff, alert=alert, note="Ended."),
    }
    for name in names:
        calls[name]()
    return Alert.objects.get(pk=alert.pk)


@pytest.mark.parametrize(
    ("done", "next_step", "offered"),
    [
        ([], "acknowledge", {"acknowledge"}),
        (["acknowledge"], "assess", {"assess"}),
        (["acknowledge", "assess"], "act", {"act", "close"}),
        (["acknowledge", "assess", "act"], "close", {"act", "close"}),
        (["acknowledge", "assess", "close"], None, set()),
    ],
)
def test_the_page_offers_exactly_the_steps_a_post_accepts(
    world, login, two_alerts, done, next_step, offered
):
    alert = _stepped(world, two_alerts[0], done)
    client = login(world.users["staff_pavlodar_house"])
    steps = {name: url(address, alert) for name, address in STEPS.items()}
    valid: dict[str, dict[str, Any]] = {
        "acknowledge": {},
        "assess": {"note": "Two traders quarrelled."},
        "act": {"action": "statement", "note": "Published a statement."},
        "close": {"note": "Calm again."},
    }

    _, html = page(client, url("monitoring:alert", alert))

    assert shown_actions(html, steps) == (next_step, offered)
    assert_actions_do_what_the_page_shows(
        client,
        {name: (steps[name], valid[name]) for name in STEPS},
        offered,
        lambda: (Alert.objects.get(pk=alert.pk).state, AlertStep.objects.count()),
    )


def test_a_step_posted_by_the_house_staff_is_recorded(world, login, two_alerts):
    alert = two_alerts[0]
    client = login(world.users["staff_pavlodar_house"])

    response = client.post(url("monitoring:alert_acknowledge", alert))
    followed = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert Alert.objects.get(pk=alert.pk).state == Alert.State.ACKNOWLEDGED
    assert "The alert is acknowledged." in followed
    assert "Acknowledged" in followed  # the timeline


@pytest.mark.parametrize(("name", "status"), [("analyst", 403), ("coordinator_almaty", 404)])
def test_who_may_not_answer_gets_403_or_404_and_nothing_changes(
    world, login, two_alerts, name, status
):
    alert = two_alerts[0]
    client = login(world.users[name])

    for address in STEPS.values():
        assert client.post(url(address, alert), {"note": "x", "action": "other"}).status_code == (
            status
        )

    assert Alert.objects.get(pk=alert.pk).state == Alert.State.RAISED
    assert not AlertStep.objects.exists()


def test_steps_answer_only_posts(world, login, two_alerts):
    client = login(world.users["staff_pavlodar_house"])

    assert client.get(url("monitoring:alert_acknowledge", two_alerts[0])).status_code == 405


def test_closing_without_a_note_shows_the_form_again_with_the_reason(world, login, two_alerts):
    alert = _stepped(world, two_alerts[0], ["acknowledge", "assess"])
    client = login(world.users["staff_pavlodar_house"])

    response = client.post(url("monitoring:alert_close", alert), {"note": "   "})

    assert response.status_code == 400
    assert "Write how the alert ended before closing it." in response.content.decode()
    assert Alert.objects.get(pk=alert.pk).state == Alert.State.ASSESSED


def test_a_step_the_alert_is_not_ready_for_is_refused_with_the_reason(world, login, two_alerts):
    alert = two_alerts[0]
    client = login(world.users["staff_pavlodar_house"])

    response = client.post(url("monitoring:alert_assess", alert), {"note": "Early."})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Acknowledge the alert before assessing it."
    ]
    assert Alert.objects.get(pk=alert.pk).state == Alert.State.RAISED


def test_a_kazakh_page_shows_the_alert_in_kazakh(world, login, two_alerts):
    client = login(world.users["coordinator_pavlodar"])

    code, html = page(client, url("monitoring:alert", two_alerts[0], lang="kk"))

    assert code == 200
    assert '<html lang="kk"' in html
    with translation.override("kk"):
        assert str(region("KZ-55").name) in html


# --- Rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("admin", 200),
        ("analyst", 200),
        ("coordinator_pavlodar", 403),
        ("staff_pavlodar_house", 403),
        ("auditor", 403),
    ],
)
def test_rules_pages_are_for_the_national_level(world, login, name, status):
    rule = make_rule(name="Conflict over 0.7")
    client = login(world.users[name])

    codes = [
        client.get(url("monitoring:alert_rules")).status_code,
        client.get(url("monitoring:alert_rule_new")).status_code,
        client.get(url("monitoring:alert_rule_edit", rule)).status_code,
    ]

    assert codes == [status] * 3


def test_a_rule_is_added_and_edited_through_its_form(world, login):
    client = login(world.users["analyst"])
    pavlodar = region("KZ-55")
    data = {
        "name": "Uyghurs in Pavlodar",
        "kind": "mention",
        "topic": "",
        "threshold": "0",
        "growth_factor": "3",
        "min_per_hour": "5",
        "region": str(pavlodar.pk),
        "enabled": "on",
    }

    created = client.post(url("monitoring:alert_rule_new"), data)
    rule = AlertRule.objects.get()
    edited = client.post(url("monitoring:alert_rule_edit", rule), {**data, "name": "Pavlodar"})
    listing = client.get(url("monitoring:alert_rules")).content.decode()

    assert (created.status_code, edited.status_code) == (302, 302)
    rule.refresh_from_db()
    assert (rule.name, rule.kind, rule.region, rule.created_by) == (
        "Pavlodar",
        "mention",
        pavlodar,
        world.users["analyst"],
    )
    assert "Pavlodar" in listing


def test_a_kazakh_page_takes_a_threshold_with_a_decimal_comma(world, login):
    client = login(world.users["admin"])
    data = {"name": "Өшпенділік", "kind": "risk", "topic": "hate", "threshold": "0,6"}

    response = client.post(
        url("monitoring:alert_rule_new", lang="kk"),
        {**data, "growth_factor": "3", "min_per_hour": "5", "enabled": "on"},
    )

    assert response.status_code == 302
    assert AlertRule.objects.get().threshold == 0.6


def test_a_growth_rule_without_growth_is_shown_again_with_the_reason(world, login):
    client = login(world.users["admin"])
    data = {"name": "Flat", "kind": "growth", "threshold": "0.5", "growth_factor": "1"}

    response = client.post(url("monitoring:alert_rule_new"), {**data, "min_per_hour": "5"})

    assert response.status_code == 400
    assert "give a factor above 1" in response.content.decode()
    assert not AlertRule.objects.exists()


# --- Figures ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "total"),
    [
        ("admin", 200, 2),
        ("analyst", 200, 2),
        ("coordinator_pavlodar", 200, 1),
        ("staff_almaty_house", 200, 1),
        ("staff_pavlodar_elders", 200, 0),
        ("auditor", 403, None),
    ],
)
def test_figures_count_the_alerts_each_role_sees(world, login, two_alerts, name, status, total):
    with freeze_time(NOW + datetime.timedelta(days=1)):
        code, html = page(login(world.users[name]), url("monitoring:alert_figures"))

    assert code == status
    if total is not None:
        assert f"<dt>Alerts raised</dt><dd>{total}</dd>" in html


def test_a_new_body_of_another_kind_in_the_region_is_not_routed_to(world):
    OrganisationFactory(
        parent=world.network.pavlodar, kind=kind("elders_council"), region=region("KZ-55")
    )
    staff = UserFactory()
    GrantFactory(user=staff, role="body_staff", organisation=world.network.pavlodar_house)

    alert = raise_alert(world)

    assert set(alert.routed_to.values_list("pk", flat=True)) == world.pavlodar_bodies
