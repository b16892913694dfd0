"""Reading a record page's actions as the user sees them (``core/_record_actions.html``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.messages import get_messages
from django.db import transaction

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


def assert_actions_do_what_the_page_shows(
    client: Any,
    posts: Mapping[str, tuple[str, dict[str, Any]]],
    shown: set[str],
    facts: Callable[[], Any],
) -> None:
    """Post each action (``name -> (address, valid data)``) on the same state, then undo it: an
    action the page shows succeeds; any other is refused with a message and changes nothing."""
    for action, (address, data) in posts.items():
        before = facts()
        client.cookies.pop("messages", None)  # only this POST's messages
        with transaction.atomic():  # each action tried on the same state, then undone
            response = client.post(address, data)
            after = facts()
            transaction.set_rollback(True)
        assert response.status_code == 302, (action, response.status_code)
        levels = {message.level_tag for message in get_messages(response.wsgi_request)}
        if action in shown:
            assert levels == {"success"}, action
        else:
            assert levels == {"error"}, action
            assert after == before, action
