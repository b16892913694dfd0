from __future__ import annotations

from birlik.core.errors import DomainError


class PlanError(DomainError):
    """A rule of plans and targets was broken."""
