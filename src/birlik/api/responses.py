"""The error responses each operation declares in the OpenAPI schema (all problem details)."""

from __future__ import annotations

from typing import Any

from .problems import Problem


def errors(*statuses: int) -> dict[int, Any]:
    """``{status: Problem}`` for the given statuses, and 500 which any call may meet."""
    return dict.fromkeys((*statuses, 500), Problem)
