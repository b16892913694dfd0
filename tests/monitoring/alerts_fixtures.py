"""Fixtures of the alert tests: rules, risky items and stories, and staff with contact details.

The network (tests/conftest.py) has the Pavlodar assembly with its House of Friendship and a
council of elders, and the Almaty city assembly with its House of Friendship. Here each member
of staff gets an e-mail address and a language, and staff of the Almaty house and of the
Pavlodar elders are added: neither may receive a Pavlodar alert.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from birlik.access.models import Role, User
from birlik.monitoring import services
from birlik.monitoring.models import Alert, AlertRule, Item, ItemGroup, Story, StoryHour
from birlik.registry.models import EthnicGroup

from ..conftest import Network
from ..factories import GrantFactory, UserFactory, region
from .conftest import make_item, make_source

_numbers = itertools.count(1)

# Who reads in which language (notices are written in it).
LANGUAGES = {
    "admin": "en",
    "analyst": "en",
    "coordinator_pavlodar": "kk",
    "coordinator_almaty": "ru",
    "staff_pavlodar_house": "ru",
    "staff_almaty_house": "kk",
    "staff_pavlodar_elders": "kk",
}


@dataclass
class AlertWorld:
    network: Network
    users: dict[str, User]
    source: Any

    @property
    def pavlodar_bodies(self) -> set[int]:
        return {self.network.pavlodar.pk, self.network.pavlodar_house.pk}


def _with_contact(user: User, name: str) -> User:
    user.email = f"{name}@birlik.test"
    user.language = LANGUAGES.get(name, "kk")
    user.save(update_fields=["email", "language"])
    return user


@pytest.fixture(name="world")
def world_fixture(network) -> AlertWorld:
    users = dict(network.users)
    for name, body in (
        ("staff_almaty_house", network.almaty_house),
        ("staff_pavlodar_elders", network.pavlodar_elders),
    ):
        users[name] = UserFactory(username=name)
        GrantFactory(user=users[name], role=Role.BODY_STAFF, organisation=body)
    for name, user in users.items():
        if name != "nobody":
            _with_contact(user, name)
    return AlertWorld(network=network, users=users, source=make_source())


def make_rule(**fields: Any) -> AlertRule:
    values: dict[str, Any] = {
        "name": f"Rule {next(_numbers)}",
        "kind": AlertRule.Kind.RISK,
        "topic": "conflict",
        "threshold": 0.7,
    }
    values.update(fields)
    return AlertRule.objects.create(**values)


def risky_item(
    *,
    regions: tuple[str, ...] = ("KZ-55",),
    conflict: float = 0.9,
    story: Story | None = None,
    groups: tuple[str, ...] = (),
    **fields: Any,
) -> Item:
    """A processed item scored on the conflict topic, naming ``regions`` in its text."""
    item = make_item(
        regions=regions,
        topics={"conflict": conflict, "hate": 0.1},
        risk=conflict,
        story=story,
        **fields,
    )
    for code in groups:
        ItemGroup.objects.create(item=item, group=EthnicGroup.objects.get(code=code))
    return item


def make_story(title: str = "Clash at a market", **fields: Any) -> Story:
    return Story.objects.create(title=title, **fields)


def hour_counts(story: Story, counts: dict[datetime.datetime, int]) -> None:
    for hour, items in counts.items():
        StoryHour.objects.create(story=story, hour=hour, items=items)


def raise_alert(world: AlertWorld, **item_fields: Any) -> Alert:
    """A Pavlodar alert raised now by a conflict rule (a fresh rule and item each time)."""
    rule = make_rule()
    item = risky_item(**item_fields)
    alert = services.alert_raise(
        rule=rule,
        story=item.story,
        item=item,
        region=region("KZ-55"),
        district=None,
        now=timezone.now(),
    )
    assert alert is not None
    return alert
