"""What a user may do on a record now, asked of the service's own checks (to hide a button).

A domain app gives one check per action: the same function its service calls before writing,
raising ``DomainError`` or ``PermissionDenied`` on a broken rule. ``RecordActions`` keeps the
actions whose check passed, the one named as the next step, and why each other one is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from .errors import DomainError

Check = Callable[[], object]


@dataclass(frozen=True)
class RecordActions:
    """Allowed actions in page order; ``next_step`` is one of them (or None)."""

    allowed: tuple[str, ...]
    next_step: str | None = None
    refused: Mapping[str, str] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.allowed

    @property
    def others(self) -> tuple[str, ...]:
        """The allowed actions other than the next step: the page folds them."""
        return tuple(name for name in self.allowed if name != self.next_step)

    def refusal(self, name: str) -> str:
        """Why ``name`` cannot be done now: the service's own message."""
        return self.refused.get(name) or gettext("This action is not available.")


def evaluate(
    checks: Mapping[str, Check], choose_next: Callable[[tuple[str, ...]], str | None]
) -> RecordActions:
    """Run every check (in order); ``choose_next`` picks the next step among the allowed."""
    allowed: list[str] = []
    refused: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
        except DomainError as error:
            refused[name] = str(error.message)
        except PermissionDenied:
            refused[name] = gettext("You are not allowed to do this on this record.")
        else:
            allowed.append(name)
    names = tuple(allowed)
    step = choose_next(names)
    return RecordActions(allowed=names, next_step=step if step in names else None, refused=refused)
