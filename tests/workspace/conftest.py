"""Fixtures of the workspace tests: the shared network plus helpers to sign in."""

from __future__ import annotations

import pytest


@pytest.fixture
def as_user(client, network):
    """Sign in one of the network's users by name and return the client."""

    def do(name: str):
        client.force_login(network.users[name])
        return client

    return do
