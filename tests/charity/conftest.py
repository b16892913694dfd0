import pytest

from .factories import build


@pytest.fixture
def charity(network):
    return build(network)
