"""Publishing to a Mastodon server through its REST API (docs.joinmastodon.org).

- media: ``POST /api/v2/media`` (multipart ``file`` and ``description``, the alt text). A
  video (or a large image) is answered 202 with ``url: null`` while the server processes
  it, and a status cannot take it until then: ``GET /api/v1/media/:id`` is asked, after
  growing pauses and for about a minute at most, until its ``url`` is set
  (docs.joinmastodon.org/methods/media);
- post: ``POST /api/v1/statuses`` with ``status``, ``media_ids[]``, ``visibility`` and
  the ``Idempotency-Key`` header, so a repeated request makes no second post;
- look-up: the account's own recent statuses (``GET /api/v1/accounts/verify_credentials``,
  then ``GET /api/v1/accounts/:id/statuses``), compared by their text;
- delete: ``DELETE /api/v1/statuses/:id``.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from kanava.connectors import http
from kanava.connectors.base import ConnectorError, Outgoing, OutgoingMedia, Receipt

PAGE = 40  # the most statuses one page returns
MAX_PAGES = 25  # look back at most a thousand statuses
CLOCK_SKEW = timedelta(minutes=5)  # the server's clock and ours may differ a little
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p>", re.IGNORECASE)
#: Seconds to wait before each look at media still being processed: 60 in all.
PROCESSING_WAITS = (1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 13.0, 15.0)


class MastodonPublisher:
    """One account on one server, with its access token (scope ``write:statuses``)."""

    def __init__(self, base_url: str, token: str,
                 transport: httpx.BaseTransport | None = None, *,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.session = http.client(base_url.rstrip("/"),
                                   {"Authorization": f"Bearer {token}"}, transport)
        self.sleep = sleep  # tests wait for no real time

    def close(self) -> None:
        self.session.close()

    def publish(self, post: Outgoing, *, key: str) -> Receipt:
        media_ids = [self._upload(item) for item in post.media]
        data: dict[str, Any] = {"status": status_text(post), "visibility": "public"}
        if media_ids:
            data["media_ids[]"] = media_ids
        response = http.call(self.session, "POST", "/api/v1/statuses", writes=True, data=data,
                             headers={"Idempotency-Key": key})
        return _receipt(response.json())

    def _upload(self, item: OutgoingMedia) -> str:
        path = Path(item.path)
        with path.open("rb") as handle:
            response = http.call(self.session, "POST", "/api/v2/media", writes=True,
                                 files={"file": (path.name, handle)},
                                 data={"description": item.alt})
        attachment = response.json()
        media_id = str(attachment["id"])
        if not attachment.get("url"):  # 202: the server is still processing it
            self._wait_until_processed(media_id)
        return media_id

    def _wait_until_processed(self, media_id: str) -> None:
        """Return once the media has its address; a status with it would be refused
        before. Bounded: nothing is posted if it takes longer, and a later try uploads
        the file again (the server forgets unattached media)."""
        for wait in PROCESSING_WAITS:
            self.sleep(wait)
            # 206 while processing, 200 when done; an error is one for the status too.
            attachment = http.call(self.session, "GET", f"/api/v1/media/{media_id}",
                                   writes=False).json()
            if attachment.get("url"):
                return
        raise ConnectorError(f"Mastodon was still processing media {media_id} after "
                             f"{sum(PROCESSING_WAITS):.0f} s; nothing was posted",
                             permanent=False)

    def find(self, post: Outgoing, *, key: str, since: datetime) -> Receipt | None:
        me = http.call(self.session, "GET", "/api/v1/accounts/verify_credentials",
                       writes=False).json()
        wanted = _comparable(status_text(post))
        params: dict[str, Any] = {"limit": PAGE}
        for _ in range(MAX_PAGES):
            statuses = http.call(self.session, "GET", f"/api/v1/accounts/{me['id']}/statuses",
                                 writes=False, params=params).json()
            for status in statuses:
                if _comparable(plain_text(str(status.get("content", "")))) == wanted:
                    return _receipt(status)
            if not statuses or _created(statuses[-1]) < since - CLOCK_SKEW:
                return None
            params["max_id"] = statuses[-1]["id"]
        return None

    def delete(self, external_id: str) -> None:
        http.call(self.session, "DELETE", f"/api/v1/statuses/{external_id}", writes=True)


def status_text(post: Outgoing) -> str:
    """The status as sent: the text, and the link after it unless the text holds it."""
    if post.link and post.link not in post.text:
        return f"{post.text}\n\n{post.link}".strip()
    return post.text


def plain_text(content: str) -> str:
    """A status's HTML content as text."""
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", content)))


def _comparable(text: str) -> str:
    return " ".join(text.split())


def _created(status: dict[str, Any]) -> datetime:
    moment = datetime.fromisoformat(str(status["created_at"]).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _receipt(status: dict[str, Any]) -> Receipt:
    return Receipt(str(status["id"]), str(status.get("url") or status.get("uri") or ""))
