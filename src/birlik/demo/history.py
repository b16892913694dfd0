"""The demo's yearly totals imported from the years before the platform (filled by its slice)."""

from __future__ import annotations


def demo_history_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo's imported yearly totals once; returns {what: count}, or {} when there."""
    return {}
