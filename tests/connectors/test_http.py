"""The HTTP seam: each network family's rate-limit headers say when to try again."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from kanava.connectors import http
from kanava.connectors.base import ConnectorError

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _response(status: int, headers: dict[str, str]) -> httpx.Response:
    return httpx.Response(status, headers=headers, json={"error": "slow down"},
                          request=httpx.Request("POST", "https://n.example/api"))


@pytest.mark.parametrize(("headers", "expected"), [
    ({"X-RateLimit-Reset": "2026-11-22T12:05:00.000Z"}, NOW + timedelta(minutes=5)),  # Mastodon
    ({"RateLimit-Reset": str(int((NOW + timedelta(minutes=3)).timestamp()))},  # Bluesky
     NOW + timedelta(minutes=3)),
    ({"x-rate-limit-reset": str(int((NOW + timedelta(minutes=15)).timestamp()))},  # X
     NOW + timedelta(minutes=15)),
    ({"Retry-After": "120"}, NOW + timedelta(seconds=120)),
    ({"Retry-After": "Sun, 22 Nov 2026 12:10:00 GMT"}, NOW + timedelta(minutes=10)),
    ({"X-Business-Use-Case-Usage": json.dumps(  # Facebook
        {"123": [{"type": "pages", "estimated_time_to_regain_access": 7}]})},
     NOW + timedelta(minutes=7)),
    ({}, None),
])
def test_the_reset_time_is_read_from_each_familys_headers(
    headers: dict[str, str], expected: datetime | None,
) -> None:
    assert http.retry_after(_response(429, headers), NOW) == expected


def test_a_reset_far_away_is_capped_at_a_day() -> None:
    far = {"RateLimit-Reset": str(int((NOW + timedelta(days=30)).timestamp()))}
    assert http.retry_after(_response(429, far), NOW) == NOW + http.MAX_WAIT


def test_garbage_headers_are_ignored() -> None:
    headers = {"Retry-After": "soon", "X-Business-Use-Case-Usage": "{not json"}
    assert http.retry_after(_response(429, headers), NOW) is None


def test_a_429_carries_the_time_to_try_again() -> None:
    response = _response(429, {"Retry-After": "60"})
    with pytest.raises(ConnectorError) as raised:
        http.raise_for_response(response, writes=True)
    assert not raised.value.permanent
    assert raised.value.retry_after is not None
