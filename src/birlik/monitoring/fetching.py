"""The one HTTP fetcher of early warning: polite to the sites it reads and safe for Birlik.

Every request of a source (a feed, a sitemap, an article page, a robots.txt) goes through
``fetch``: robots.txt obeyed (cached a day per host in this process), one request per host at a
time apart (a counter every worker shares, ``core.ratelimit``), conditional GET, connect and
read timeouts, the body streamed and cut at a cap, at most five redirects, http/https only, and
never an address inside our own network (the host is resolved once, checked, and the connection
made to that very address, so a second DNS answer cannot point it elsewhere).

Libraries that could fetch by themselves (``trafilatura.fetch_url``, feedparser's URL reading)
are never given a URL: they parse the bytes fetched here.
"""

from __future__ import annotations

import codecs
import email.utils
import ipaddress
import math
import re
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import urllib3
from django.conf import settings
from django.utils.translation import gettext_lazy

from birlik.core import ratelimit

__all__ = [
    "FetchError",
    "Fetched",
    "decode",
    "error_message",
    "fetch",
    "forget_robots",
    "robots_agent",
    "user_agent",
]

MB = 1024 * 1024
DEFAULTS: dict[str, Any] = {
    "MONITORING_HOST_INTERVAL_SECONDS": 2,
    "MONITORING_HOST_WAIT_SECONDS": 5,
    "MONITORING_CONNECT_TIMEOUT": 5,
    "MONITORING_READ_TIMEOUT": 15,
    "MONITORING_TOTAL_TIMEOUT": 60,
    "MONITORING_MAX_BYTES": 5 * MB,
    "MONITORING_ALLOW_PRIVATE_HOSTS": False,
    "MONITORING_ROBOTS_CACHE_SECONDS": 24 * 3600,
    "MONITORING_USER_AGENT": (
        "BirlikMonitor/1.0 (early warning of the Assembly of People of Kazakhstan; "
        "reads public news only)"
    ),
}
ROBOTS_AGENT = "BirlikMonitor"
MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024  # what Google reads of a robots.txt
MAX_CRAWL_DELAY = 60
REDIRECTS = frozenset({301, 302, 303, 307, 308})
HOST_SCOPE = "monitoring-host"
CHUNK = 64 * 1024


def setting(name: str) -> Any:
    """A setting of the fetcher, read at each call (tests and operators change them)."""
    return getattr(settings, name, DEFAULTS[name])


def user_agent() -> str:
    return str(setting("MONITORING_USER_AGENT"))


def robots_agent() -> str:
    return ROBOTS_AGENT


# --- Failures ----------------------------------------------------------------------------------

MESSAGES: dict[str, Any] = {
    "timeout": gettext_lazy("The site did not answer in time."),
    "too_large": gettext_lazy("The page is too large: reading stopped at the size limit."),
    "http_error": gettext_lazy("The site answered with an error."),
    "refused_by_robots": gettext_lazy("The site's robots.txt does not allow Birlik to read it."),
    "robots_unavailable": gettext_lazy(
        "The site's robots.txt could not be read: Birlik tries again later."
    ),
    "bad_address": gettext_lazy(
        "The address is not allowed: only http and https addresses of public sites are read."
    ),
    "redirect_loop": gettext_lazy("The site redirects too many times or in a circle."),
    "connection": gettext_lazy("The connection to the site failed."),
    "host_busy": gettext_lazy("The site was read a moment ago: Birlik reads it again shortly."),
}
HTTP_MESSAGE = gettext_lazy("The site answered with an error (HTTP %(status)s).")


class FetchError(Exception):
    """A request that gave nothing to read; ``kind`` says why (a key of ``MESSAGES``)."""

    def __init__(
        self,
        kind: str,
        *,
        http_status: int | None = None,
        retry_after: int | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.http_status = http_status
        self.retry_after = retry_after
        self.detail = detail

    @property
    def code(self) -> str:
        """What is stored on the source and its fetch log, translated when shown."""
        return f"{self.kind}:{self.http_status}" if self.http_status else self.kind

    @property
    def message(self) -> str:
        return error_message(self.code)


def error_message(code: str) -> str:
    """The translated message of a stored error code (``kind`` or ``kind:status``); a code
    that is not one of the fetcher's is shown as it is."""
    kind, _sep, status = code.partition(":")
    if kind == "http_error" and status.isdigit():
        return str(HTTP_MESSAGE) % {"status": status}
    if kind in MESSAGES:
        return str(MESSAGES[kind])
    return code


# --- The answer ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    """What a site answered: the body (empty for 304 Not Modified) and the headers that
    matter for the next request."""

    url: str  # after redirects
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    retry_after: int | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def text(self) -> str:
        return decode(self.body, self.content_type)


# --- Addresses ---------------------------------------------------------------------------------


def _address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int) -> str:
    """The address to connect to: the first one the name resolves to, after checking that
    none of them lies in a private, loopback, link-local, multicast or reserved range."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError("connection", detail=f"cannot resolve {host}") from error
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise FetchError("connection", detail=f"no address for {host}")
    if not setting("MONITORING_ALLOW_PRIVATE_HOSTS") and not all(
        _address_allowed(address) for address in addresses
    ):
        raise FetchError("bad_address", detail=f"{host} is not a public address")
    return addresses[0]


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host_header}"

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def _target(url: str) -> _Target:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise FetchError("bad_address", detail="not an address") from error
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname or parts.username:
        raise FetchError("bad_address", detail=f"{scheme or 'no'} scheme")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return _Target(
        scheme=scheme,
        host=parts.hostname.lower(),
        port=port or (443 if scheme == "https" else 80),
        path=path,
    )


# --- Politeness --------------------------------------------------------------------------------

_robots: dict[str, tuple[float, RobotFileParser]] = {}
_robots_lock = threading.Lock()


def forget_robots() -> None:
    """Forget every robots.txt read by this process (tests; a changed robots.txt)."""
    with _robots_lock:
        _robots.clear()


def _robots_for(target: _Target) -> RobotFileParser:
    now = time.time()
    with _robots_lock:
        cached = _robots.get(target.origin)
    if cached is not None and cached[0] > now:
        return cached[1]
    parser = RobotFileParser()
    try:
        answer = _get(f"{target.origin}/robots.txt", max_bytes=ROBOTS_MAX_BYTES, cut=True)
    except FetchError as error:
        status = error.http_status or 0
        if error.kind == "http_error" and 400 <= status < 500 and status != 429:
            parser.parse([])  # no robots.txt (404, 410, any 4xx): everything allowed
        elif error.kind in {"bad_address", "host_busy"}:
            raise
        else:  # a 5xx, a 429, a timeout, a refused connection: not now, and not cached
            raise FetchError(
                "robots_unavailable", retry_after=error.retry_after, detail=error.code
            ) from error
    else:
        parser.parse(decode(answer.body, answer.content_type).splitlines())
    with _robots_lock:
        _robots[target.origin] = (now + float(setting("MONITORING_ROBOTS_CACHE_SECONDS")), parser)
    return parser


def _check_robots(url: str, target: _Target) -> float:
    """Refuse a URL the site's robots.txt disallows; the crawl delay it asks for (seconds)."""
    parser = _robots_for(target)
    if not parser.can_fetch(ROBOTS_AGENT, url):
        raise FetchError("refused_by_robots", detail=url)
    delay = parser.crawl_delay(ROBOTS_AGENT)
    return min(float(delay or 0), MAX_CRAWL_DELAY)


def _wait_for_host(target: _Target, *, delay: float = 0) -> None:
    """At most one request per host in each interval, across every worker: the counter is the
    shared rate limiter's. A short wait is slept; a long one is left for a later fetch."""
    interval = max(float(setting("MONITORING_HOST_INTERVAL_SECONDS")), delay)
    if interval <= 0:
        return
    # Windows are counted in whole seconds: one more second keeps requests at least apart.
    window = math.ceil(interval) + 1
    wait_at_most = float(setting("MONITORING_HOST_WAIT_SECONDS"))
    for _attempt in range(3):
        verdict = ratelimit.check(HOST_SCOPE, target.host_header, limit=1, window=window)
        if not verdict.over:
            return
        if verdict.retry_after > wait_at_most:
            break
        time.sleep(max(verdict.retry_after, 0.2))
    raise FetchError("host_busy", retry_after=max(verdict.retry_after, 1), detail=target.host)


# --- Requests ----------------------------------------------------------------------------------


def _retry_after(value: str | None) -> int | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(int(when.timestamp() - time.time()), 0)


def _pool(target: _Target, address: str) -> urllib3.HTTPConnectionPool:
    timeout = urllib3.Timeout(
        connect=float(setting("MONITORING_CONNECT_TIMEOUT")),
        read=float(setting("MONITORING_READ_TIMEOUT")),
    )
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
        )
    return urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False)


def _read_body(response: Any, *, max_bytes: int, cut: bool, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes and not cut:
        raise FetchError("too_large", detail=f"{declared} bytes announced")
    body = bytearray()
    for chunk in response.stream(CHUNK, decode_content=True):
        body += chunk
        if len(body) > max_bytes:
            if cut:
                return bytes(body[:max_bytes])
            raise FetchError("too_large", detail=f"more than {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise FetchError("timeout", detail="the whole answer took too long")
    return bytes(body)


def _request_once(
    target: _Target, headers: dict[str, str], *, max_bytes: int, cut: bool
) -> tuple[int, dict[str, str], bytes]:
    address = _resolve(target.host, target.port)
    pool = _pool(target, address)
    deadline = time.monotonic() + float(setting("MONITORING_TOTAL_TIMEOUT"))
    response: Any = None
    try:
        response = pool.urlopen(
            "GET",
            target.path,
            headers={**headers, "Host": target.host_header},
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=True,
            assert_same_host=False,
        )
        answer = {name.lower(): value for name, value in response.headers.items()}
        body = b""
        if response.status == 200 or (200 < response.status < 300 and response.status != 204):
            body = _read_body(response, max_bytes=max_bytes, cut=cut, deadline=deadline)
        return int(response.status), answer, body
    except FetchError:
        raise
    except urllib3.exceptions.NewConnectionError as error:  # before TimeoutError: a subclass
        raise FetchError("connection", detail=str(error)[:200]) from error
    except (urllib3.exceptions.TimeoutError, TimeoutError) as error:
        raise FetchError("timeout", detail=str(error)[:200]) from error
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise FetchError("connection", detail=str(error)[:200]) from error
    finally:
        if response is not None:
            response.release_conn()
            response.close()
        pool.close()


def _get(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    max_bytes: int,
    cut: bool = False,
    robots: bool = False,
) -> Fetched:
    """GET with redirects followed by hand (each hop checked again), politeness applied."""
    sent = {
        "User-Agent": user_agent(),
        "Accept-Encoding": "gzip, deflate",
        "Accept": "*/*",
        **(headers or {}),
    }
    seen: set[str] = set()
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        target = _target(current)
        if current in seen:
            raise FetchError("redirect_loop", detail=current)
        seen.add(current)
        delay = _check_robots(current, target) if robots else 0.0
        _wait_for_host(target, delay=delay)
        status, answer, body = _request_once(target, sent, max_bytes=max_bytes, cut=cut)
        if status in REDIRECTS and answer.get("location"):
            current = urljoin(current, answer["location"])
            continue
        retry_after = _retry_after(answer.get("retry-after"))
        if status == 304:
            return Fetched(url=current, status=status, headers=answer, retry_after=retry_after)
        if not 200 <= status < 300:
            raise FetchError("http_error", http_status=status, retry_after=retry_after)
        return Fetched(
            url=current,
            status=status,
            headers=answer,
            body=body,
            etag=answer.get("etag", "")[:300],
            last_modified=answer.get("last-modified", "")[:100],
            retry_after=retry_after,
        )
    raise FetchError("redirect_loop", detail=f"more than {MAX_REDIRECTS} redirects")


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """Read one URL politely (see the module's docstring); ``etag`` and ``last_modified`` make
    the request conditional, and an unchanged resource answers ``not_modified``.
    Raises ``FetchError``."""
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return _get(url, headers=headers, max_bytes=int(setting("MONITORING_MAX_BYTES")), robots=True)


# --- Text --------------------------------------------------------------------------------------

_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\sencoding\s*=\s*["']([\w.:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Single-byte Cyrillic encodings the sites we read may use (kz1048 is Kazakh Windows).
_CYRILLIC_CODEPAGES = ["cp1251", "kz1048", "koi8_r", "cp866", "iso8859_5", "cp1252"]
_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CP1251_FOR_KAZAKH = frozenset("ѕќґўњћџђѓЅЌҐЎЊЋЏЂЃ")  # what kz1048's Kazakh letters read as


def _known(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def _declared(body: bytes, content_type: str) -> str | None:
    found = _CHARSET.search(content_type or "")
    if found and (name := _known(found.group(1))):
        return name
    head = body[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        declared = pattern.search(head)
        if declared and (name := _known(declared.group(1).decode("ascii", "replace"))):
            return name
    return None


def _guess(body: bytes) -> str:
    """The encoding of bytes that are not UTF-8: charset-normalizer among the Cyrillic code
    pages, and kz1048 over cp1251 when it turns odd letters into Kazakh ones."""
    import charset_normalizer

    best = charset_normalizer.from_bytes(body[:65536], cp_isolation=_CYRILLIC_CODEPAGES).best()
    guess = _known(best.encoding) if best is not None else None
    guess = guess or "cp1251"
    if guess == "cp1251":
        as_cp1251 = body.decode("cp1251", errors="replace")
        as_kz1048 = body.decode("kz1048", errors="replace")
        odd = sum(ch in _CP1251_FOR_KAZAKH for ch in as_cp1251)
        kazakh = sum(ch in _KAZAKH_LETTERS for ch in as_kz1048)
        if odd and kazakh >= odd:
            return "kz1048"
    return guess


def encoding_of(body: bytes, content_type: str = "") -> str:
    """The encoding of a body: the BOM, then the header's charset, then the document's own
    declaration (XML or ``<meta>``), then UTF-8 if it decodes, else a guess."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    declared = _declared(body, content_type)
    if declared is not None:
        try:
            body.decode(declared)
        except UnicodeDecodeError:
            pass  # a wrong declaration (a cp1251 feed claiming utf-8): look at the bytes
        else:
            return declared
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return _guess(body)
    return "utf-8"


def decode(body: bytes, content_type: str = "") -> str:
    """The body as text (see ``encoding_of``); undecodable bytes become U+FFFD."""
    return body.decode(encoding_of(body, content_type), errors="replace")
