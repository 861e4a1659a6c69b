"""Publishing to Bluesky through its PDS's XRPC API (docs.bsky.app, atproto.com).

- sign-in with an app password: ``com.atproto.server.createSession``;
- images: ``com.atproto.repo.uploadBlob``, then an ``app.bsky.embed.images`` embed with
  each image's alt text;
- post: ``com.atproto.repo.createRecord`` in ``app.bsky.feed.post`` with a record key we
  choose ourselves (a TID made when the post was written), so a repeated request cannot
  make a second post and an unconfirmed one is found with ``getRecord``;
- links become ``app.bsky.richtext.facet#link`` facets (UTF-8 byte offsets);
- delete: ``com.atproto.repo.deleteRecord``.
"""

from __future__ import annotations

import mimetypes
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from kanava.connectors import http
from kanava.connectors.base import ConnectorError, Outgoing, OutgoingMedia, Receipt
from kanava.connectors.counting import URL

COLLECTION = "app.bsky.feed.post"
DEFAULT_SERVICE = "https://bsky.social"
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def new_tid(now_us: int | None = None, clock_id: int | None = None) -> str:
    """A timestamp identifier: 53 bits of microseconds and 10 bits of clock id, in
    13 characters of base32-sortable."""
    micros = now_us if now_us is not None else time.time_ns() // 1_000
    clock = clock_id if clock_id is not None else secrets.randbelow(1024)
    value = ((micros & ((1 << 53) - 1)) << 10) | (clock & 1023)
    return "".join(_TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def is_tid(text: str) -> bool:
    return (len(text) == 13 and all(c in _TID_ALPHABET for c in text)
            and text[0] in _TID_ALPHABET[:16])


def link_facets(text: str) -> list[dict[str, Any]]:
    """A link facet for every URL in the text, with UTF-8 byte offsets."""
    facets = []
    for match in URL.finditer(text):
        start = len(text[: match.start()].encode("utf-8"))
        end = start + len(match.group(0).encode("utf-8"))
        facets.append({"index": {"byteStart": start, "byteEnd": end},
                       "features": [{"$type": "app.bsky.richtext.facet#link",
                                     "uri": match.group(0)}]})
    return facets


class BlueskyPublisher:
    """One account, signed in with its handle and an app password."""

    def __init__(self, handle: str, app_password: str, service: str = DEFAULT_SERVICE,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.handle, self.app_password = handle, app_password
        self.session = http.client(service.rstrip("/"), None, transport)
        self.did = ""

    def close(self) -> None:
        self.session.close()

    def _sign_in(self) -> None:
        if self.did:
            return
        body = http.call(self.session, "POST", "/xrpc/com.atproto.server.createSession",
                         writes=False, json={"identifier": self.handle,
                                             "password": self.app_password}).json()
        self.did = str(body["did"])
        self.handle = str(body.get("handle") or self.handle)
        self.session.headers["Authorization"] = f"Bearer {body['accessJwt']}"

    def publish(self, post: Outgoing, *, key: str) -> Receipt:
        if not is_tid(key):
            raise ConnectorError(f"{key!r} is not a record key Bluesky takes", permanent=True)
        self._sign_in()
        text = post.text if not post.link or post.link in post.text else \
            f"{post.text}\n\n{post.link}".strip()
        record: dict[str, Any] = {"$type": COLLECTION, "text": text,
                                  "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z")}
        if facets := link_facets(text):
            record["facets"] = facets
        if post.media:
            record["embed"] = {"$type": "app.bsky.embed.images",
                               "images": [self._image(item) for item in post.media]}
        try:
            body = http.call(self.session, "POST", "/xrpc/com.atproto.repo.createRecord",
                             writes=True, json={"repo": self.did, "collection": COLLECTION,
                                                "rkey": key, "record": record}).json()
        except ConnectorError as error:
            # The record key is ours: "already exists" means an earlier try got through.
            if error.permanent and ("already exists" in str(error).lower()
                                    or "RecordAlreadyExists" in str(error)):
                found = self._get(key)
                if found is not None:
                    return found
            raise
        return self._receipt(str(body["uri"]), key)

    def _image(self, item: OutgoingMedia) -> dict[str, Any]:
        path = Path(item.path)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        blob = http.call(self.session, "POST", "/xrpc/com.atproto.repo.uploadBlob",
                         writes=True, content=path.read_bytes(),
                         headers={"Content-Type": kind}).json()["blob"]
        return {"alt": item.alt, "image": blob}

    def find(self, post: Outgoing, *, key: str, since: datetime) -> Receipt | None:
        self._sign_in()
        return self._get(key)

    def _get(self, key: str) -> Receipt | None:
        try:
            body = http.call(self.session, "GET", "/xrpc/com.atproto.repo.getRecord",
                             writes=False, params={"repo": self.did, "collection": COLLECTION,
                                                   "rkey": key}).json()
        except ConnectorError as error:
            if "RecordNotFound" in str(error) or "not found" in str(error).lower():
                return None
            raise
        return self._receipt(str(body["uri"]), key)

    def delete(self, external_id: str) -> None:
        self._sign_in()
        rkey = external_id.rsplit("/", 1)[-1]
        http.call(self.session, "POST", "/xrpc/com.atproto.repo.deleteRecord", writes=True,
                  json={"repo": self.did, "collection": COLLECTION, "rkey": rkey})

    def _receipt(self, uri: str, rkey: str) -> Receipt:
        return Receipt(uri, f"https://bsky.app/profile/{self.handle}/post/{rkey}")
