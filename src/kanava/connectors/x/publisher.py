"""Publishing to X through API v2 with an OAuth 2.0 user-context token (docs.x.com).

- images: ``POST /2/media/upload`` (multipart ``media``, ``media_category=tweet_image``,
  ``media_type``), https://docs.x.com/x-api/media/upload-media, then the alt text with
  ``POST /2/media/metadata`` (``{"id", "metadata": {"alt_text": {"text"}}}``),
  https://docs.x.com/x-api/media/create-media-metadata;
- post: ``POST /2/tweets`` with ``text`` and ``media.media_ids``,
  https://docs.x.com/x-api/posts/create-post;
- look-up: X takes no idempotency key, so an unconfirmed post is looked for in the
  account's own posts: ``GET /2/users/me`` (https://docs.x.com/x-api/users/user-lookup-me),
  then ``GET /2/users/:id/tweets`` with ``start_time`` and ``pagination_token``,
  https://docs.x.com/x-api/posts/user-posts-timeline-by-user-id. X rewrites every link
  to ``t.co`` and adds one for attached media, so texts are compared without links;
- delete: ``DELETE /2/tweets/:id``, https://developer.x.com/en/docs/twitter-api/tweets/
  manage-tweets/api-reference/delete-tweets-id.

Rate limits come back in ``x-rate-limit-*`` headers, read by ``http``.
"""

from __future__ import annotations

import html
import mimetypes
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import regex

from kanava.connectors import http
from kanava.connectors.base import (
    ConnectorError,
    LookupUnsupported,
    Outgoing,
    OutgoingMedia,
    Receipt,
)

DEFAULT_API = "https://api.x.com"
PAGE = 100  # the most posts one timeline page returns
MAX_PAGES = 32  # the timeline reaches back 3,200 posts at most
CLOCK_SKEW = timedelta(minutes=5)  # X's clock and ours may differ a little
# Anything X may have turned into a t.co link: with or without a scheme, a path or not.
# The same pattern is taken out of both texts, so a false match cannot make them differ.
_LINKISH = regex.compile(r"(?:https?://)?(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?:/\S*)?",
                         regex.IGNORECASE)
# The media_type values the one-shot upload documents; for others X is left to tell.
ONE_SHOT_TYPES = frozenset({"image/jpeg", "image/bmp", "image/png", "image/webp",
                            "image/pjpeg", "image/tiff"})


class XPublisher:
    """One X account, with its OAuth 2.0 access token (``tweet.write``, ``media.write``,
    ``users.read``, ``tweet.read``)."""

    def __init__(self, token: str, base_url: str = DEFAULT_API,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.session = http.client(base_url.rstrip("/"), {"Authorization": f"Bearer {token}"},
                                   transport)
        self.user_id = ""

    def close(self) -> None:
        self.session.close()

    def publish(self, post: Outgoing, *, key: str) -> Receipt:
        if any(item.kind != "image" for item in post.media):
            # The one-shot upload takes images only; a video needs the chunked upload.
            raise ConnectorError("X: video upload is not supported yet; nothing was sent",
                                 permanent=True)
        body: dict[str, Any] = {"text": post_text(post)}
        if post.media:
            body["media"] = {"media_ids": [self._upload(item) for item in post.media]}
        data = http.call(self.session, "POST", "/2/tweets", writes=True, json=body).json()
        return receipt(str(data["data"]["id"]))

    def _upload(self, item: OutgoingMedia) -> str:
        # writes=False: an upload publishes nothing, and an unused one expires within a day,
        # so a lost answer here never makes the post unconfirmed.
        path = Path(item.path)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        form = {"media_category": "tweet_image"}
        if kind in ONE_SHOT_TYPES:
            form["media_type"] = kind
        with path.open("rb") as handle:
            response = http.call(self.session, "POST", "/2/media/upload", writes=False,
                                 files={"media": (path.name, handle, kind)}, data=form)
        media_id = str(response.json()["data"]["id"])
        if item.alt:
            http.call(self.session, "POST", "/2/media/metadata", writes=False,
                      json={"id": media_id, "metadata": {"alt_text": {"text": item.alt}}})
        return media_id

    def find(self, post: Outgoing, *, key: str, since: datetime) -> Receipt | None:
        wanted = comparable(post_text(post))
        if not wanted:
            raise LookupUnsupported("X: a post of only links or images cannot be told apart "
                                    "from others by its text; check the account by hand")
        url = f"/2/users/{self._me()}/tweets"
        params: dict[str, Any] = {"start_time": _x_time(since - CLOCK_SKEW),
                                  "max_results": PAGE, "tweet.fields": "created_at,text"}
        for _ in range(MAX_PAGES):
            body = http.call(self.session, "GET", url, writes=False, params=params).json()
            for tweet in body.get("data") or []:
                if comparable(str(tweet.get("text", ""))) == wanted:
                    return receipt(str(tweet["id"]))
            next_token = (body.get("meta") or {}).get("next_token")
            if not next_token:
                return None
            params["pagination_token"] = next_token
        raise ConnectorError(f"GET {url}: more than {PAGE * MAX_PAGES} posts since "
                             f"{since.isoformat()}; cannot tell whether the post is there",
                             permanent=False)

    def _me(self) -> str:
        if not self.user_id:
            body = http.call(self.session, "GET", "/2/users/me", writes=False).json()
            self.user_id = str(body["data"]["id"])
        return self.user_id

    def delete(self, external_id: str) -> None:
        http.call(self.session, "DELETE", f"/2/tweets/{external_id}", writes=True)


def post_text(post: Outgoing) -> str:
    """The post as sent: the text, and the link after it unless the text holds it."""
    if post.link and post.link not in post.text:
        return f"{post.text}\n\n{post.link}".strip()
    return post.text


def comparable(text: str) -> str:
    """A post's text as X may give it back: entities unescaped, links (t.co) removed,
    Unicode composed, whitespace collapsed."""
    text = unicodedata.normalize("NFC", html.unescape(text))
    return " ".join(_LINKISH.sub(" ", text).split())


def receipt(tweet_id: str) -> Receipt:
    return Receipt(tweet_id, f"https://x.com/i/web/status/{tweet_id}")


def _x_time(moment: datetime) -> str:
    """YYYY-MM-DDTHH:mm:ssZ, the one form X's time parameters take."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
