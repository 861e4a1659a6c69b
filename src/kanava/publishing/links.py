"""Whether the links of a post open: the worker asks each URL, the checks read the answers.

A broken link blocks approval (the ``link-broken`` check), so the checker errs towards
"opens": only an answer that says the page is gone (404, 410, 5xx…) or no answer at all
counts as broken. The worker never asks an address inside the server's own network:
a post's author must not be able to probe it through Kanava (server-side request
forgery), so a host that resolves to a private, loopback, link-local or reserved address
is not checked, and the address the checker connects to is the one it vetted.
"""

from __future__ import annotations

import ipaddress
import socket
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple
from urllib.parse import urljoin

import httpx
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from kanava.connectors.counting import urls
from kanava.connectors.http import USER_AGENT, _tls
from kanava.publishing import checks
from kanava.publishing.models import LinkCheck

TIMEOUT = 10.0  # seconds for each request of a check
MAX_REDIRECTS = 5
FRESH = timedelta(hours=6)  # a result this recent is not asked again
#: Answers of a page that exists but turns robots away: not broken. 999 is LinkedIn's.
REFUSES_ROBOTS = frozenset({401, 403, 429, 999})
HEAD_REFUSED = frozenset({405, 501})
PRIVATE = "not checked: private address"


class Result(NamedTuple):
    ok: bool | None  # None: not checked, or unknown
    status: int | None  # the last HTTP status, None without an answer
    detail: str


def client(timeout: float = TIMEOUT) -> httpx.Client:
    """A client of the checker's own: redirects are followed by hand, so that each
    target is vetted like the first address."""
    return httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=httpx.Timeout(timeout),
                        follow_redirects=False, verify=_tls())


def check_url(url: str, session: httpx.Client, *,
              allow_loopback: bool | None = None) -> Result:
    """Whether ``url`` opens: HEAD first, and GET when HEAD is refused or says broken.

    ok is True for a final status below 400 and for 401, 403, 429 and 999: the page is
    there but refuses robots, and a reader in a browser gets it. ok is False for 404, 410,
    other 4xx, more than five redirects, and a host the name service says does not exist.
    Some servers answer HEAD wrongly, so a broken verdict is confirmed with a GET whose
    body is never read. ok is None (unknown: no finding, asked again later) when the
    address was not asked (not http(s), or private) and when nothing useful came back: a
    5xx, a time-out, no connection, a failed name look-up. A broken link blocks approval,
    so a site that is down for a while, or a worker without the internet, must not.
    ``allow_loopback`` (by default ``settings.ALLOW_LOOPBACK_ADDRESSES``) lets
    this machine's own addresses be asked, for local tries and tests; never others.
    """
    if allow_loopback is None:
        allow_loopback = bool(settings.ALLOW_LOOPBACK_ADDRESSES)
    result = _follow(url, session, "HEAD", allow_loopback)
    if result.status is not None and (result.status in HEAD_REFUSED or result.ok is not True):
        result = _follow(url, session, "GET", allow_loopback)
    return result


def _follow(url: str, session: httpx.Client, method: str, allow_loopback: bool) -> Result:
    current = url
    status = None
    for _hop in range(MAX_REDIRECTS + 1):
        target = _vetted(current, allow_loopback)
        if isinstance(target, Result):
            return target
        pinned, headers, extensions = target
        try:
            with session.stream(method, pinned, headers=headers,
                                extensions=extensions) as response:
                status = response.status_code  # the body is never read
                location = response.headers.get("location")
        # No answer says nothing about the page (the site, or this machine's network, may
        # be down for a while): unknown, asked again later, never a finding.
        except httpx.TimeoutException:
            return Result(None, None, f"no answer in {session.timeout.read} s")
        except httpx.HTTPError as error:
            return Result(None, None, f"cannot connect: {error}"[:300])
        if not (300 <= status < 400 and location):
            return _verdict(status)
        current = urljoin(current, location)
    return Result(False, status, f"more than {MAX_REDIRECTS} redirects")


def _verdict(status: int) -> Result:
    if status in REFUSES_ROBOTS:
        return Result(True, status, f"HTTP {status}: the page refuses robots")
    if status >= 500:  # the server's trouble, often for a while: unknown, asked again
        return Result(None, status, f"HTTP {status}: the server failed")
    return Result(status < 400, status, f"HTTP {status}")


Target = tuple[httpx.URL, dict[str, str], dict[str, str]]


def _vetted(url: str, allow_loopback: bool) -> Target | Result:
    """The URL to request, its Host header and TLS name, or why it is not requested.

    The host is resolved here and the request goes to that very address (the Host
    header and TLS name keep the original name), so DNS cannot answer differently
    between the check and the request.
    """
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return Result(False, None, "not a valid address")
    if parsed.scheme not in ("http", "https"):
        return Result(None, None, "not checked: only http and https addresses")
    if not parsed.host:
        return Result(False, None, "not a valid address")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(parsed.host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        if error.errno == socket.EAI_NONAME:  # the name service answered: no such host
            return Result(False, None, f"no such host: {parsed.host}"[:300])
        return Result(None, None, f"cannot look up {parsed.host}: {error}"[:300])
    except UnicodeError:
        return Result(False, None, f"no such host: {parsed.host}"[:300])
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    if not addresses or not all(_public(address) or (allow_loopback and address.is_loopback)
                                for address in addresses):
        return Result(None, None, PRIVATE)
    netloc = parsed.netloc.decode("ascii")  # the host (in brackets if IPv6) and port
    pinned = parsed.copy_with(host=str(addresses[0]), username=None, password=None)
    extensions = {"sni_hostname": parsed.host} if parsed.scheme == "https" else {}
    return pinned, {"Host": netloc}, extensions


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


# --- the store: one LinkCheck row per URL --------------------------------------------


def links_of(variant: checks.Variant) -> list[str]:
    """The URLs a variant carries, as the ``link-broken`` check sees them."""
    return list(dict.fromkeys([*urls(variant.text), *([variant.link] if variant.link else [])]))


def known_status(variants: Iterable[checks.Variant]) -> dict[str, bool]:
    """URL → opened, for the checks: only URLs the worker asked and got an answer about."""
    wanted = {LinkCheck.hash(url): url for variant in variants for url in links_of(variant)}
    rows = LinkCheck.objects.filter(url_hash__in=wanted, ok__isnull=False)
    return {row.url: bool(row.ok) for row in rows}


def check_stored(wanted: Iterable[str], *, max_age: timedelta = FRESH,
                 now: datetime | None = None,
                 session: httpx.Client | None = None) -> Counter[str]:
    """Ask every URL not asked within ``max_age`` (or found broken: it may be mended) and
    keep the answers; count the outcomes."""
    now = now or timezone.now()
    hashes = {LinkCheck.hash(url): url for url in dict.fromkeys(wanted)}
    fresh = set(LinkCheck.objects.filter(url_hash__in=hashes, checked_at__gt=now - max_age)
                .filter(Q(ok=True) | Q(ok__isnull=True)).values_list("url_hash", flat=True))
    counts: Counter[str] = Counter(fresh=len(fresh))
    due = [url for digest, url in hashes.items() if digest not in fresh]
    if not due:
        return counts
    asking = session or client()
    try:
        for url in due:
            result = check_url(url, asking)
            LinkCheck.objects.update_or_create(url_hash=LinkCheck.hash(url), defaults={
                "url": url, "ok": result.ok, "status": result.status,
                "detail": result.detail[:300], "checked_at": timezone.now()})
            counts[{True: "ok", False: "broken", None: "unchecked"}[result.ok]] += 1
    finally:
        if session is None:
            asking.close()
    return counts


def has_links(texts_and_links: Iterable[tuple[str, str]]) -> bool:
    """Whether any (text, link) carries a URL: only then is the worker asked."""
    return any(link or urls(text) for text, link in texts_and_links)
