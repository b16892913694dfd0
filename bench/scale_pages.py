"""Every page of the workspace and the public site, from the URL configuration, timed cold and warm.

Used by ``bench/scale.py measure``. The list of pages: each named GET pattern without arguments
under a language prefix (``/kk/…``), then each pattern with arguments filled from a link that a
page already measured shows (the first one found: an object of the data set, as a user would
reach it), two levels deep. Public pages are fetched anonymously; a page that sends an
anonymous visitor to sign in is a staff page, fetched as the national administrator (``admin``);
the appeals inbox, the staff home and the dashboards are fetched again as the Pavlodar
coordinator. Skipped, each with its reason: the admin site and the REST API (their own
benchmarks), sign-out, files (PDF, spreadsheets, CSV, ZIP, calendars, images: by name and by the
answer's content type), POST-only views (405), and pages answering neither 200 nor a sign-in
redirect.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import pages_bench as common

GOAL_PAGE_MS = 100.0
GOAL_DASHBOARD_MS = 150.0
SKIP_PREFIXES = ("admin/", "api/", "static/")
FILE_WORDS = re.compile(
    r"(pdf|xlsx|xls|csv|docx|zip|ical|\.ics|export|download|receipt|qr|attachment|"
    r"document_file|photo|image|logo|feed|\.xml|\.json|ledger|release_file|logout|sign_out)",
    re.IGNORECASE,
)
HREF = re.compile(r'href="(/kk/[^"#]*)"')
COORDINATOR = "coordinator_pavlodar"
ADMIN = "admin"
WARM_SECONDS = 20.0  # a page's warm load stops after this long (slow pages: fewer samples)
COLD_SECONDS = 15.0
DEEP_PAGE = 50  # lists with a next page are measured on this page as well


@dataclass
class Page:
    key: str  # the pattern's name (namespace:name) or route
    path: str
    user: str  # "" anonymous
    kind: str  # "public", "staff", "dashboard"
    queries: int = 0
    queries_cold: int = 0
    warm: list[float] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def goal(self) -> float:
        return GOAL_DASHBOARD_MS if self.kind == "dashboard" else GOAL_PAGE_MS


def _patterns() -> list[tuple[str, str, list[str]]]:
    """(key, route, argument names) of every URL pattern, language prefix left out."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[tuple[str, str, list[str]]] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                inner = namespace
                if item.namespace:
                    inner = f"{namespace}:{item.namespace}" if namespace else item.namespace
                route = str(item.pattern)
                route = "" if route.rstrip("/") in {"kk", "ru", "en"} else route
                walk(item, prefix + route, inner)
            elif isinstance(item, URLPattern):
                route = prefix + str(item.pattern)
                name = f"{namespace}:{item.name}" if namespace and item.name else item.name or ""
                arguments = re.findall(r"<(?:\w+:)?(\w+)>", route)
                found.append((name or route, route, arguments))

    walk(get_resolver(), "", "")
    return found


def _is_dashboard(route: str, key: str) -> bool:
    return (
        "dashboard" in key
        or route in {"workspace/", "workspace/reports/", "figures/"}
        or route.startswith("figures/")
    )


def discover(client_for: dict[str, Any]) -> tuple[list[Page], dict[str, str]]:
    """The pages to measure and {pattern: why skipped}."""
    from django.urls import Resolver404, resolve

    patterns = _patterns()
    by_key = {key: (route, args) for key, route, args in patterns}
    skipped: dict[str, str] = {}
    pages: list[Page] = []
    seen_keys: set[str] = set()
    frontier: list[tuple[str, str]] = []  # (key, path) to try

    for key, route, args in patterns:
        if route.startswith(SKIP_PREFIXES) or route == "health/":
            if route != "health/":
                skipped[key] = "admin site / REST API (own benchmarks)"
            continue
        if args:
            continue
        if FILE_WORDS.search(key) or FILE_WORDS.search(route):
            skipped[key] = "a file, an export or sign-out"
            continue
        path = "/kk/" + route  # an argument-less route is its own path
        if "(" in path or "^" in path:
            skipped[key] = "a regular expression route"
            continue
        frontier.append((key, path))

    def fetch(key: str, path: str) -> None:
        route = by_key[key][0]
        anonymous = client_for[""].get(path)
        user = ""
        response = anonymous
        if anonymous.status_code in {301, 302} and "/account/" in anonymous.get("Location", ""):
            user = ADMIN
            response = client_for[ADMIN].get(path)
        if response.status_code == 405:
            skipped[key] = "POST only (405 to GET)"
            return
        if response.status_code != 200:
            skipped[key] = (
                f"answers {response.status_code} to GET ({'admin' if user else 'anonymous'})"
            )
            return
        content_type = response.get("Content-Type", "")
        if "text/html" not in content_type:
            skipped[key] = f"not a page ({content_type.split(';')[0]})"
            return
        if getattr(response, "streaming", False):
            skipped[key] = "streamed (a file)"
            return
        kind = "dashboard" if _is_dashboard(route, key) else ("staff" if user else "public")
        pages.append(Page(key=key, path=path, user=user, kind=kind))
        seen_keys.add(key)
        html = response.content.decode(errors="replace")
        if 'rel="next"' in html:  # a list of many pages: its 50th page too (keyset or OFFSET)
            deep = f"{path}{'&' if '?' in path else '?'}page={DEEP_PAGE}"
            pages.append(Page(key=key, path=deep, user=user, kind=kind))
        for href in HREF.findall(html):
            link = href.split("?")[0]
            try:
                match = resolve(link)
            except Resolver404:
                continue
            name = match.view_name if match.view_name in by_key else match.route
            if name not in by_key or name in seen_keys or name in waiting:
                continue
            if not by_key[name][1]:
                continue  # argument-less patterns are in the first round already
            if FILE_WORDS.search(name) or FILE_WORDS.search(by_key[name][0]):
                skipped[name] = "a file, an export or sign-out"
                continue
            waiting[name] = link

    waiting: dict[str, str] = {}
    for _level in range(3):  # argument-less pages, then what they link to, and one level more
        waiting.clear()
        for key, path in frontier:
            if key not in seen_keys:
                fetch(key, path)
        frontier = [(key, path) for key, path in waiting.items() if key not in skipped]
        if not frontier:
            break
    # The coordinator on the inbox, the staff home and the dashboards.
    for page in list(pages):
        route = by_key[page.key][0]
        if page.user == ADMIN and (
            route.startswith("workspace/appeals/") or page.kind == "dashboard"
        ):
            if by_key[page.key][1]:
                continue
            response = client_for[COORDINATOR].get(page.path)
            if response.status_code == 200:
                pages.append(Page(key=page.key, path=page.path, user=COORDINATOR, kind=page.kind))
    unreached = [
        key
        for key, (route, args) in by_key.items()
        if args
        and key not in seen_keys
        and key not in skipped
        and not route.startswith(SKIP_PREFIXES)
    ]
    for key in unreached:
        skipped[key] = "no link to it on the pages measured (no sample object found)"
    return pages, skipped


def count_queries(pages: list[Page], client_for: dict[str, Any]) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for page in pages:
        client = client_for[page.user]
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            client.get(page.path)
        page.queries_cold = len(cold.captured_queries)
        with CaptureQueriesContext(connection) as warm:
            client.get(page.path)
        page.queries = len(warm.captured_queries)


# --- HTTP ---------------------------------------------------------------------------------------


def measure_http(
    pages: list[Page], health: Page, port: int, args: argparse.Namespace, cookies: dict[str, str]
) -> None:
    from django.core.cache import cache

    for page in [health, *pages]:
        headers = {"Cookie": cookies[page.user]} if page.user else {}
        print(f"  {page.user or 'anonymous':<21} {page.path}", flush=True)
        common.load(
            port, page.path, 2 * args.concurrency, args.concurrency, headers=headers,
            seconds=WARM_SECONDS,
        )  # fmt: skip
        warm = common.load(
            port, page.path, args.requests, args.concurrency, headers=headers,
            seconds=WARM_SECONDS,
        )  # fmt: skip
        page.warm = warm.latencies_ms
        page.errors.extend(warm.errors)
        deadline = time.monotonic() + COLD_SECONDS
        for _ in range(args.cold):
            if time.monotonic() > deadline:
                break
            cache.clear()
            cold = common.load(port, page.path, 1, 1, headers=headers, seconds=COLD_SECONDS)
            page.cold.extend(cold.latencies_ms)
            page.errors.extend(cold.errors)


def run(args: argparse.Namespace, env: dict[str, str]) -> int:
    """Discover and measure every page on the data set ``scale.py build`` left."""
    import os

    for name in ("BIRLIK_ENV", "DEBUG", "REDIS_URL", "DATABASE_URL", "PORT", "HOST"):
        os.environ.pop(name, None)
    # Sessions are made once at the start; a run outlasts the 30-minute idle sign-out (the
    # coordinator's pages come last), so the bench's server does not sign idle sessions out.
    env = {**env, "BIRLIK_REQUIRE_2FA": "0", "SESSION_IDLE_TIMEOUT": "0"}
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.test import Client

    from birlik.access.models import User

    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    client_for: dict[str, Any] = {"": Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)}
    cookies: dict[str, str] = {}
    for username in (ADMIN, COORDINATOR):
        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        client_for[username] = client
        cookies[username] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    print("Finding the pages (URL configuration, links for the detail pages)…", flush=True)
    pages, skipped = discover(client_for)
    if args.only:
        pages = [page for page in pages if args.only in page.path]
    print(f"  {len(pages)} pages to measure, {len(skipped)} patterns skipped", flush=True)
    print("Counting queries in process (cold: cache emptied; warm: the request after)…", flush=True)
    count_queries(pages, client_for)
    rows = _rows()
    connections.close_all()
    health = Page(key="health", path="/health/", user="", kind="baseline")
    log = common.RESULTS / f"scale-server-{args.db}.log"
    with common.server(env, log) as running:
        print(
            f"Server: birlik serve on 127.0.0.1:{running.port}, {common.WEB_WORKERS} workers; "
            f"load average {common.load_average()}",
            flush=True,
        )
        measure_http(pages, health, running.port, args, cookies)
    report = _report(args, started, rows, health, pages, skipped)
    out = common.RESULTS / f"scale-{args.db}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print_table(report)
    print(f"Results written to {out.relative_to(common.ROOT)}")
    return 0


def _rows() -> dict[str, int]:
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table in (
            "events_event",
            "events_registration",
            "appeals_appeal",
            "registry_organisation",
            "registry_person",
        ):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - fixed names
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(common.percentile(values, 0.5), 1),
        "p95_ms": round(common.percentile(values, 0.95), 1),
    }


def _report(
    args: argparse.Namespace,
    started: str,
    rows: dict[str, int],
    health: Page,
    pages: list[Page],
    skipped: dict[str, str],
) -> dict[str, Any]:
    health_warm = common.percentile(health.warm, 0.95)
    health_cold = common.percentile(health.cold, 0.95)
    entries = []
    for page in pages:
        warm, cold = _stats(page.warm), _stats(page.cold)
        worst = max(warm["p95_ms"], cold["p95_ms"])
        entries.append(
            {
                **{k: v for k, v in asdict(page).items() if k not in {"warm", "cold"}},
                "errors": page.errors[:5],
                "warm": warm,
                "cold": cold,
                "warm_to_health": round(warm["p95_ms"] / health_warm, 1) if health_warm else None,
                "cold_to_health": round(cold["p95_ms"] / health_cold, 1) if health_cold else None,
                "goal_ms": page.goal,
                "over_goal": bool(worst > page.goal or page.errors),
            }
        )
    return {
        "started": started,
        "finished": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "db": args.db,
        "factor": args.factor,
        "rows": rows,
        "requests": args.requests,
        "cold_requests": args.cold,
        "concurrency": args.concurrency,
        "web_workers": common.WEB_WORKERS,
        "load_average_after": common.load_average(),
        "health": {"warm": _stats(health.warm), "cold": _stats(health.cold)},
        "pages": entries,
        "skipped": skipped,
    }


def print_table(report: dict[str, Any]) -> None:
    rows = report["rows"]
    print()
    print(
        f"{report['db']} · factor {report['factor']:g} · {rows['events_event']:,} events, "
        f"{rows['events_registration']:,} registrations, {rows['appeals_appeal']:,} appeals, "
        f"{rows['registry_organisation']:,} bodies, {rows['registry_person']:,} people · "
        f"warm: {report['requests']} requests × {report['concurrency']} threads, cold: "
        f"{report['cold_requests']} requests after emptying the cache · {report['started']}"
    )
    header = (
        f"{'who':<12} {'page':<58} {'q':>3} {'q cold':>6} {'warm p50':>8} {'p95':>7} "
        f"{'×health':>7} {'cold p50':>8} {'p95':>7} {'×health':>7} {'goal':>5}"
    )
    print(header)
    print("-" * len(header))
    health = report["health"]
    print(
        f"{'':<12} {'/health/ (baseline)':<58} {'1':>3} {'1':>6} "
        f"{health['warm']['p50_ms']:>8.1f} {health['warm']['p95_ms']:>7.1f} {'1.0':>7} "
        f"{health['cold']['p50_ms']:>8.1f} {health['cold']['p95_ms']:>7.1f} {'1.0':>7}"
    )
    for entry in report["pages"]:
        who = {"": "anonymous", "admin": "admin"}.get(entry["user"], "coordinator")
        flag = "OVER" if entry["over_goal"] else "ok"
        print(
            f"{who:<12} {entry['path'][:58]:<58} {entry['queries']:>3} {entry['queries_cold']:>6} "
            f"{entry['warm']['p50_ms']:>8.1f} {entry['warm']['p95_ms']:>7.1f} "
            f"{entry['warm_to_health'] or 0:>7.1f} {entry['cold']['p50_ms']:>8.1f} "
            f"{entry['cold']['p95_ms']:>7.1f} {entry['cold_to_health'] or 0:>7.1f} {flag:>5}"
        )
    over = [e for e in report["pages"] if e["over_goal"]]
    print("-" * len(header))
    print(
        f"goal p95 ≤ {GOAL_PAGE_MS:.0f} ms (pages) / ≤ {GOAL_DASHBOARD_MS:.0f} ms (dashboards), "
        f"cold and warm: {len(report['pages']) - len(over)}/{len(report['pages'])} pages met; "
        f"load average at the end {report['load_average_after']}"
    )
    errors = [(e["path"], err) for e in report["pages"] for err in e["errors"]]
    if errors:
        print(f"errors: {len(errors)} (first: {errors[:5]})")
    print(f"skipped patterns ({len(report['skipped'])}):")
    reasons: dict[str, list[str]] = {}
    for key, why in sorted(report["skipped"].items()):
        reasons.setdefault(why, []).append(key)
    for why, keys in reasons.items():
        print(f"  {why}: {len(keys)} — {', '.join(keys[:12])}{' …' if len(keys) > 12 else ''}")


if __name__ == "__main__":
    print("A helper of bench/scale.py: run `.venv/bin/python bench/scale.py --help`.")
