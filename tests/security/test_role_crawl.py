"""A crawl of a small demo as each demo role: from the workspace home, the portal home and the
account page, in kk, ru and en, every same-site link (``<a href>``) and every GET form's default
submission is followed breadth-first, and every URL pattern is also typed in with the ids of real
demo rows (as the roles of ``TYPED_ROLES``). No answer may be a server error, and no page may show a
traceback.

Run alone with ``-k crawl``.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from .test_url_matrix import Pattern, all_patterns, is_admin

pytestmark = pytest.mark.crawl

DEMO_SCALE = 0.01
PAGES_PER_ROLE = 400
LANGUAGES = ("kk", "ru", "en")
START = ("/{lang}/workspace/", "/{lang}/", "/{lang}/account/profile/")
ROLES = (
    "anonymous",
    "admin",
    "analyst",
    "auditor",
    "coordinator_pavlodar",
    "coordinator_almaty",
    "staff_house",
    "staff_elders",
    "mediator_almaty",
    "head_mediation_almaty",
    "staff_charity_almaty",
    "head_charity_almaty",
    "expert_council",
)
# On PostgreSQL (the second CI stage) the URL matrix loads every view as every role again; the
# crawl, which follows links and forms too, runs there for these roles only: the ones whose
# pages differ the most (nothing, everything, a region, one body, read-only roles).
ROLES_ON_POSTGRESQL = ("anonymous", "admin", "coordinator_pavlodar", "staff_house", "auditor")
# Every pattern is also typed in with the ids of demo rows (about 420 URLs), as these roles:
# the public, the one who sees everything, and a region. For the others the typed rows are mostly
# out of their scope, which the URL matrix already checks pattern by pattern for every role.
TYPED_ROLES = ("anonymous", "admin", "coordinator_pavlodar")
# Never followed: they end the session or only take POSTs anyway.
SKIPPED = re.compile(r"/account/logout/|/static/|/media/|^/api/v1/docs")
TRACEBACK = ("Traceback (most recent call last)", "Exception Value:", "Request Method:")


class Links(HTMLParser):
    """The ``<a href>`` targets and the default submissions of GET forms of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._form: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            method = a.get("method", "get").lower()
            self._form = {"action": a.get("action", ""), "fields": []} if method == "get" else None
        elif self._form is not None and tag in {"input", "select", "textarea"}:
            name = a.get("name")
            kind = a.get("type", "text").lower()
            if not name or kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form["fields"].append((name, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            query = urlencode(self._form["fields"])
            self.links.append(f"{self._form['action']}?{query}" if query else self._form["action"])
            self._form = None


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """The demo at a small scale, seeded once for the module and rolled back at its end."""
    from birlik.demo.services import demo_seed

    with django_db_blocker.unblock(), transaction.atomic():
        started = time.perf_counter()
        demo_seed(scale=DEMO_SCALE, seed=2025)
        yield {"seconds": time.perf_counter() - started}
        transaction.set_rollback(True)


def _demo_ids() -> dict[str, Any]:
    """Ids of real demo rows, one per kind of URL kwarg: what a user could type in."""
    from birlik.appeals.models import Appeal, AppealAttachment, Proposal
    from birlik.charity.models import Distribution, Document, Donation, HelpRequest, Pledge, Project
    from birlik.events.models import Event, EventAttachment, Registration
    from birlik.mediation.models import Document as CaseDocument
    from birlik.mediation.models import MediationCase, Mediator
    from birlik.registry.models import Membership, Organisation, Person
    from birlik.reports.models import Plan

    def first(model: Any, **filters: Any) -> Any:
        return model.objects.filter(**filters).order_by("pk").first()

    event = first(Event, status="open") or first(Event)
    appeal = first(Appeal)
    case = first(MediationCase)
    help_request = first(HelpRequest)
    body = first(Organisation, depth=2)
    registration = first(Registration)
    ids = {
        "event": event,
        "appeal": appeal,
        "proposal": first(Proposal),
        "case": case,
        "mediator": first(Mediator),
        "help_request": help_request,
        "project": first(Project),
        "donation": first(Donation),
        "distribution": first(Distribution),
        "pledge": first(Pledge),
        "plan": first(Plan),
        "body": body,
        "person": first(Person),
        "membership": first(Membership),
        "registration": registration,
        "event_attachment": first(EventAttachment),
        "appeal_attachment": first(AppealAttachment),
        "case_document": first(CaseDocument),
        "charity_document": first(Document),
        "centre": first(Organisation, kind__code="mediation_centre"),
    }
    return ids


def _typed_kwargs(pattern: Pattern, ids: dict[str, Any]) -> dict[str, Any] | None:
    """The pattern's kwargs filled from real rows; None when the demo has no such row."""
    key = pattern.key
    app = key.split(":")[0] if ":" in key else ""
    owner = {
        "events": "event",
        "appeals": "proposal" if "proposal" in key else "appeal",
        "mediation": "mediator" if key == "mediation:mediator" else "case",
        "charity": "help_request",
        "workspace": "person" if "person" in key else "body",
        "reports": "plan",
        "api": "event" if "event" in key else "body",
        "portal": "event" if "event" in key else "body",
    }.get(app.split(":")[0], "body")
    if key in {"charity:project", "charity:donate", "charity:ledger_xlsx"}:
        owner = "project"
    if key in {"charity:receipt", "charity:donation_cancel"}:
        owner = "donation"
    if key == "charity:pledge_decide":
        owner = "pledge"
    if key == "workspace:membership_end":
        owner = "membership"
    row = ids.get(owner)
    values: dict[str, Any] = {
        "pk": row.pk if row is not None else None,
        "body": ids["body"].pk if ids["body"] else None,
        "centre": ids["centre"].pk if ids["centre"] else None,
        "registration": getattr(ids["registration"], "pk", None),
        "attachment": getattr(
            ids["appeal_attachment" if app == "appeals" else "event_attachment"], "pk", None
        ),
        "document": getattr(
            ids["case_document" if app == "mediation" else "charity_document"], "pk", None
        ),
        "distribution": getattr(ids["distribution"], "pk", None),
        "target": 1,
        "code": getattr(ids["registration"], "ticket_code", None),
        "token": getattr(ids["appeal"], "token", None),
        "public_id": getattr(ids["help_request"], "public_id", None),
        "iso": "KZ-55",
        "key": "events.events",
        "fmt": "csv" if app == "workspace" else "xlsx",
        "import_kind": "bodies",
        "action": "deliver",
        "decision": "decline",
        "slug": "regions",
        "name": "bodies.csv",
    }
    if key == "reports_documents_portal:live":
        return {"code": "regions"}
    names = re.findall(r"<(?:\w+:)?(\w+)>", pattern.route)
    kwargs = {name: values.get(name) for name in names}
    if any(value is None for value in kwargs.values()):
        return None
    return kwargs


def typed_urls() -> list[str]:
    ids = _demo_ids()
    urls = []
    for pattern in all_patterns():
        if is_admin(pattern) or not pattern.name:
            continue
        kwargs = _typed_kwargs(pattern, ids)
        if kwargs is None:
            continue
        try:
            urls.append(reverse(pattern.name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return urls


def _normal(url: str, base: str) -> str | None:
    absolute = urljoin(base, url)
    parts = urlsplit(absolute)
    if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/") or SKIPPED.search(path):
        return None
    return path


def crawl(client: Client, seeds: list[str], limit: int) -> tuple[list[str], int]:
    """Breadth-first over same-site links; returns the failures and the number of pages."""
    queue = deque(seeds)
    seen = set(seeds)
    failures: list[str] = []
    pages = 0
    while queue and pages < limit:
        url = queue.popleft()
        response = client.get(url)
        pages += 1
        kind = response.get("Content-Type", "")
        html = kind.startswith("text/html")
        body = b""
        if html:
            body = response.content
        elif getattr(response, "streaming", False):
            # Read to the end: the test client then closes the response (see ``_body``).
            for _chunk in response.streaming_content:
                pass
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {url}")
            continue
        if response.status_code in {301, 302} and "Location" in response:
            target = _normal(response["Location"], url)
            if target and target not in seen and "/account/login/" not in target:
                seen.add(target)
                queue.append(target)
            continue
        if not html:
            continue
        text = body.decode("utf-8", errors="replace")
        if any(marker in text for marker in TRACEBACK):
            failures.append(f"traceback on {url}")
        parser = Links()
        parser.feed(text)
        for link in parser.links:
            target = _normal(link, url)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    return failures, pages


@pytest.mark.parametrize("role", ROLES)
def test_crawl_finds_no_server_error(demo, db, role):
    from django.db import connection

    from birlik.access.models import User

    if connection.vendor != "sqlite" and role not in ROLES_ON_POSTGRESQL:
        pytest.skip("crawled as this role in the SQLite stage; the URL matrix covers it here")
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))
    typed = typed_urls() if role in TYPED_ROLES else []
    seeds = [start.format(lang=lang) for lang in LANGUAGES for start in START]
    started = time.perf_counter()
    failures, pages = crawl(client, seeds + typed, PAGES_PER_ROLE + len(typed))
    print(  # noqa: T201 — the crawl's size and time, shown with -s or -rA
        f"crawl as {role}: {pages} pages ({len(typed)} typed) in "
        f"{time.perf_counter() - started:.1f} s; demo seeded in {demo['seconds']:.1f} s"
    )
    assert pages > len(seeds)
    assert failures == [], f"{role}: {failures}"
