from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from freezegun import freeze_time

from birlik.access.models import Role, User
from birlik.registry.models import Organisation

from ..factories import GrantFactory, UserFactory
from .factories import NOW, corps_of, make_centre


@dataclass
class Diplomacy:
    network: Any
    centre: Organisation  # the People's Diplomacy Centre, under the secretariat
    corps: Organisation  # its Corps of Friendship Ambassadors
    staff: User  # body staff of the Centre (with an e-mail: told of portal requests)


@pytest.fixture(autouse=True)
def _rate(settings):
    """The public form's limit (the setting the lead adds to settings.py)."""
    settings.RATE_DIPLOMACY_REQUESTS = "5/h"


@pytest.fixture
def frozen():
    with freeze_time(NOW) as frozen_time:
        yield frozen_time


@pytest.fixture
def diplomacy(network, frozen) -> Diplomacy:
    centre = make_centre(network.root)
    staff = UserFactory(username="diplomacy_staff", email="centre@example.kz", language="en")
    GrantFactory(user=staff, role=Role.BODY_STAFF, organisation=centre)
    return Diplomacy(network=network, centre=centre, corps=corps_of(centre), staff=staff)
