"""Reading a record page's actions as the user sees them (``core/_record_actions.html``)."""

from __future__ import annotations

import re
from collections.abc import Mapping

NEXT_STEP = re.compile(r'<section class="card next-step".*?</section>', re.S)


def shown_actions(html: str, urls: Mapping[str, str]) -> tuple[str | None, set[str]]:
    """The next step (the primary card's form) and every action whose form is on the page,
    by name, given each action's form address."""
    shown = {name for name, url in urls.items() if f'action="{url}"' in html}
    primary = NEXT_STEP.search(html)
    step = None
    if primary:
        step = next(
            (name for name, url in urls.items() if f'action="{url}"' in primary.group(0)), None
        )
    return step, shown
