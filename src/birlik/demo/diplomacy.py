"""The demo's diplomacy records (filled by its slice)."""

from __future__ import annotations

# (username, description) of the demo logins this module creates; printed by `birlik demo`.
LOGINS: list[tuple[str, str]] = []


def demo_diplomacy_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo's diplomacy records once; returns {what: count}, or {} when they were there."""
    return {}
