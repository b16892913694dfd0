"""Appeals made through the service for the view tests."""

from __future__ import annotations

from typing import Any

from birlik.appeals.models import Appeal
from birlik.appeals.services import appeal_register

TEXT = "Біздің ауылда жол жөндеуді сұраймыз, көктемде өту мүмкін емес."
APPLICANT = "Асқар Сейітов"


def register(organisation: Any, **overrides: Any) -> Appeal:
    values: dict[str, Any] = {
        "organisation": organisation,
        "kind": Appeal.Kind.REQUEST,
        "text": TEXT,
        "language": "kk",
        "applicant_name": APPLICANT,
        "applicant_phone": "+77011234567",
        "consent": True,
    }
    values.update(overrides)
    return appeal_register(**values)
