"""Demo mediation data (filled in by the mediation work)."""

from __future__ import annotations

# (username, description) of the demo logins this module creates; printed by `birlik demo`.
LOGINS: list[tuple[str, str]] = []


def demo_mediation_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo mediation records once; returns {what: count}, or {} if they were there."""
    return {}
