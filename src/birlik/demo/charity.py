"""Demo charity data (filled in by the charity work)."""

from __future__ import annotations

# (username, description) of the demo logins this module creates; printed by `birlik demo`.
LOGINS: list[tuple[str, str]] = []


def demo_charity_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo charity records once; returns {what: count}, or {} if they were there."""
    return {}
