"""The one HTTP seam of every connector: timeouts, User-Agent, and errors that carry
the retry decision.

Tests hand in an ``httpx`` transport or point a connector at a local server; nothing
here is patched.
"""

from __future__ import annotations

import functools
import json
import ssl
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import certifi
import httpx

from kanava import __version__
from kanava.connectors.base import ConnectorError

USER_AGENT = f"Kanava/{__version__} (self-hosted social media workbench)"
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
# After a request was sent, these answers may mean that the server did the work anyway
# (a proxy gave up waiting): a publish is then unconfirmed, never blindly repeated.
MAYBE_DONE = frozenset({500, 502, 504})
TRY_AGAIN = frozenset({408, 425, 429, 503})


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client: loading the CA bundle takes 20 ms each time."""
    return ssl.create_default_context(cafile=certifi.where())


def client(
    base_url: str, headers: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers={"User-Agent": USER_AGENT, **(headers or {})},
                        timeout=TIMEOUT, transport=transport, follow_redirects=False,
                        verify=_tls())


def call(session: httpx.Client, method: str, url: str, *, writes: bool,
         **options: Any) -> httpx.Response:
    """Send one request; a failure becomes ConnectorError saying whether it may have acted.

    ``writes``: the request changes something on the network (a publish, a delete).
    """
    response = send(session, method, url, writes=writes, **options)
    raise_for_response(response, writes=writes)
    return response


def send(session: httpx.Client, method: str, url: str, *, writes: bool,
         **options: Any) -> httpx.Response:
    """Send one request; only getting no answer becomes ConnectorError. For networks
    whose error bodies, not their HTTP statuses, decide the retry (Meta's Graph API)."""
    try:
        return session.request(method, url, **options)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
        raise ConnectorError(f"{method} {url}: cannot connect: {error}", permanent=False) from error
    except httpx.TransportError as error:  # sent, then the answer was lost
        raise ConnectorError(f"{method} {url}: no answer: {error!r}", permanent=False,
                             sent=writes) from error


def raise_for_response(response: httpx.Response, *, writes: bool) -> None:
    """ConnectorError for an answer that is not a success."""
    status = response.status_code
    if response.is_success:
        return
    detail = f"{response.request.method} {response.request.url.path}: HTTP {status}: " \
             f"{_reason(response)}"
    if status in TRY_AGAIN:
        raise ConnectorError(detail, permanent=False, retry_after=retry_after(response))
    if status in MAYBE_DONE or status >= 500:
        raise ConnectorError(detail, permanent=False, sent=writes and status in MAYBE_DONE)
    raise ConnectorError(detail, permanent=True)  # refused: token, permissions, content


# Each network family tells when its limit resets in its own header and format.
_RESET_HEADERS = ("x-ratelimit-reset",  # Mastodon: ISO 8601 time
                  "ratelimit-reset",  # Bluesky (IETF draft): Unix seconds
                  "x-rate-limit-reset")  # X: Unix seconds
MAX_WAIT = timedelta(days=1)


def retry_after(response: httpx.Response, now: datetime | None = None) -> datetime | None:
    """When the network will take calls again, from its rate-limit headers, if it says."""
    now = now or datetime.now(UTC)
    found = [_moment(response.headers[name], now) for name in (*_RESET_HEADERS, "retry-after")
             if name in response.headers]
    found += [_facebook_regain(response, now)]
    moments = [moment for moment in found if moment is not None]
    return min(max(moments), now + MAX_WAIT) if moments else None


def _moment(value: str, now: datetime) -> datetime | None:
    value = value.strip()
    if value.isdigit():
        number = int(value)
        # A small number is a delay in seconds (Retry-After), a large one a Unix time.
        return now + timedelta(seconds=number) if number < 10**9 else datetime.fromtimestamp(
            number, UTC)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _facebook_regain(response: httpx.Response, now: datetime) -> datetime | None:
    """Meta's X-Business-Use-Case-Usage: minutes until access is regained, per business."""
    raw = response.headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
        minutes = max(int(entry.get("estimated_time_to_regain_access", 0))
                      for entries in usage.values() for entry in entries)
    except (ValueError, TypeError, AttributeError):
        return None
    return now + timedelta(minutes=minutes) if minutes else None


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("error", "message", "title", "detail",
                                        "error_description") if body.get(k)]
        parts += [str(e["message"]) for e in body.get("errors") or []  # X's list of errors
                  if isinstance(e, dict) and e.get("message")]
        return (": ".join(parts) or str(body))[:300]
    return str(body)[:300]
