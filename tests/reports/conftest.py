from __future__ import annotations

import datetime

import pytest

from ..factories import district_of
from .factories import held_event


@pytest.fixture
def activity(network):
    """Known events of 2025: Pavlodar 3 events (40 + 25 in one district, 100), Almaty 1 (7)."""
    district = district_of("KZ-55")
    held_event(network.pavlodar_elders, 40, district=district)
    held_event(network.pavlodar_elders, 25, district=district)
    held_event(
        network.pavlodar_house, 100, when=datetime.datetime(2025, 7, 1, 6, tzinfo=datetime.UTC)
    )
    held_event(network.almaty_house, 7)
    return network
