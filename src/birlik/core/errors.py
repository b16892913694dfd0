"""The base of domain errors: a broken rule with a message the user can act on."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Raised by services; views show ``message`` (already translatable) to the user."""

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
