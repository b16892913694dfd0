"""The web server's access log without what must not be kept in it.

The private links of the portal carry their secret in the path: an appeal's receipt and status
page (``/appeals/receipt/<token>/``, ``/appeals/status/<token>/``) and an event ticket
(``/tickets/<code>/``). Whoever can read the server's logs must not be able to open them, so the
access log writes those segments as ``[private]``; query strings and referrers are left out
altogether by the log format (``birlik serve``), since a query may hold a position ("near me").
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

PRIVATE_SEGMENT = re.compile(r"(/(?:appeals/(?:receipt|status)|tickets)/)[^/?#\s]+")
MASK = "[private]"
# The atoms of gunicorn's access log that hold the request's path.
PATH_ATOMS = ("U", "r")


def mask_private(text: str) -> str:
    """``/kk/tickets/AB12CD/`` → ``/kk/tickets/[private]/``; any other path unchanged."""
    return PRIVATE_SEGMENT.sub(rf"\g<1>{MASK}", text)


class Logger(GunicornLogger):  # type: ignore[misc]
    """gunicorn's logger whose access lines never hold a private link's secret."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in PATH_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = mask_private(atoms[key])
        return atoms
