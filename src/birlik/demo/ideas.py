"""Demo ideas (filled by its slice)."""

from __future__ import annotations


def demo_ideas_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo ideas once; returns {what: count}, or {} when they were there."""
    return {}
