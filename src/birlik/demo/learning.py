"""The demo's learning records (filled by its slice)."""

from __future__ import annotations

# (username, description) of the demo logins this module creates; printed by `birlik demo`.
LOGINS: list[tuple[str, str]] = []


def demo_learning_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo's learning records once; returns {what: count}, or {} when they were there."""
    return {}
