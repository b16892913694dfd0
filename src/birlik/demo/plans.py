"""Demo plans data (filled in by the plans work)."""

from __future__ import annotations

# (username, description) of the demo logins this module creates; printed by `birlik demo`.
LOGINS: list[tuple[str, str]] = []


def demo_plans_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo plans records once; returns {what: count}, or {} if they were there."""
    return {}
