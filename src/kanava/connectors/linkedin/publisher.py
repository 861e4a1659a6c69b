"""Publishing to a LinkedIn organization page through the versioned Marketing APIs.

Every call goes to ``/rest`` with ``LinkedIn-Version: VERSION`` and
``X-Restli-Protocol-Version: 2.0.0`` (learn.microsoft.com/linkedin/marketing/versioning).

- post: ``POST /rest/posts`` authored by the page, ``commentary`` in the "little text
  format" with its reserved characters escaped; the new post's URN comes back in the
  ``x-restli-id`` header (learn.microsoft.com/linkedin/marketing/community-management/
  shares/posts-api, .../shares/little-text-format);
- link: ``content.article`` with ``source`` and ``title`` (LinkedIn does not read the page);
- images: ``POST /rest/images?action=initializeUpload``, then the bytes PUT to the
  ``uploadUrl`` it returns, then ``content.media`` (one) or ``content.multiImage`` (2-20),
  each with its alt text (.../shares/images-api, .../shares/multiimage-post-api);
- look-up: the Posts API gives no idempotency key, so an unconfirmed publish is settled by
  reading the page's newest posts (``GET /rest/posts?q=author``) and comparing the text;
- delete: ``DELETE /rest/posts/{encoded URN}``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from kanava.connectors import http
from kanava.connectors.base import ConnectorError, Outgoing, OutgoingMedia, Receipt
from kanava.connectors.linkedin import escape

API = "https://api.linkedin.com"
# A supported Marketing API version (each is served for at least a year after release);
# move it forward before LinkedIn sunsets it, or every call answers 426.
VERSION = "202605"
PAGE = 50  # posts read per look-up request
MAX_PAGES = 10  # look back at most 500 posts
CLOCK_SKEW = timedelta(minutes=5)  # LinkedIn's clock and ours may differ a little
MAX_IMAGES = 20  # a multiImage post holds 2 to 20 images
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
# How LinkedIn may hand a hashtag back: {hashtag|\#|name}
_HASHTAG_TEMPLATE = re.compile(r"\{hashtag\|\\#\|([^}]*)\}")


def rest_client(token: str, base_url: str = API,
                transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """A client for LinkedIn's versioned REST APIs, signed in as the member."""
    return http.client(base_url.rstrip("/"), {
        "Authorization": f"Bearer {token}",
        "LinkedIn-Version": VERSION,
        "X-Restli-Protocol-Version": "2.0.0",
    }, transport)


def commentary(post: Outgoing) -> str:
    """The post's text as LinkedIn reads it: escaped, and the link after it when an
    image, not a link card, is what the post shows."""
    text = post.text
    if post.link and post.media and post.link not in text:
        text = f"{text}\n\n{post.link}".strip()
    return escape(text)


def unescape(little: str) -> str:
    """Little text back to plain text (a hashtag template as the #hashtag it shows)."""
    return _ESCAPED.sub(r"\1", _HASHTAG_TEMPLATE.sub(r"#\1", little))


class LinkedInPublisher:
    """One organization page (``urn:li:organization:…``), with the token of a member who
    administers it (scope ``w_organization_social``; ``r_organization_social`` to read)."""

    def __init__(self, organization_urn: str, token: str, base_url: str = API,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.organization_urn = organization_urn
        self.base_host = urlsplit(base_url).hostname or ""
        self.session = rest_client(token, base_url, transport)

    def close(self) -> None:
        self.session.close()

    def publish(self, post: Outgoing, *, key: str) -> Receipt:
        body: dict[str, Any] = {
            "author": self.organization_urn,
            "commentary": commentary(post),
            "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                             "thirdPartyDistributionChannels": []},
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if content := self._content(post):
            body["content"] = content
        response = http.call(self.session, "POST", "/rest/posts", writes=True, json=body)
        urn = response.headers.get("x-restli-id", "")
        if not urn:
            raise ConnectorError("POST /rest/posts: HTTP 201 without an x-restli-id header",
                                 permanent=False, sent=True)
        return receipt(urn)

    def _content(self, post: Outgoing) -> dict[str, Any] | None:
        if any(item.kind != "image" for item in post.media):
            raise ConnectorError("LinkedIn: only images can be published to a page here, "
                                 "not videos", permanent=True)
        if len(post.media) > MAX_IMAGES:
            raise ConnectorError(f"LinkedIn: a post holds at most {MAX_IMAGES} images",
                                 permanent=True)
        images = [{"id": self._upload(item), "altText": item.alt} for item in post.media]
        if len(images) == 1:
            return {"media": images[0]}
        if images:
            return {"multiImage": {"images": images}}
        if post.link:
            # LinkedIn shows no preview of its own: the card is the title we give.
            return {"article": {"source": post.link, "title": post.link}}
        return None

    def _upload(self, item: OutgoingMedia) -> str:
        value = http.call(self.session, "POST", "/rest/images", writes=True,
                          params={"action": "initializeUpload"},
                          json={"initializeUploadRequest": {"owner": self.organization_urn}},
                          ).json()["value"]
        upload_url = str(value["uploadUrl"])
        self._check_upload_host(upload_url)
        http.call(self.session, "PUT", upload_url, writes=True,
                  content=Path(item.path).read_bytes())
        return str(value["image"])

    def _check_upload_host(self, url: str) -> None:
        """The bearer token goes with the bytes: only to LinkedIn (or the API's own host)."""
        host = urlsplit(url).hostname or ""
        if host != self.base_host and host != "linkedin.com" and \
                not host.endswith(".linkedin.com"):
            raise ConnectorError(f"POST /rest/images: upload URL on unexpected host {host!r}",
                                 permanent=True)

    def find(self, post: Outgoing, *, key: str, since: datetime) -> Receipt | None:
        wanted = _comparable(unescape(commentary(post)))
        oldest = since - CLOCK_SKEW
        for page in range(MAX_PAGES):
            elements = http.call(self.session, "GET", "/rest/posts", writes=False, params={
                "author": self.organization_urn, "q": "author", "count": PAGE,
                "start": page * PAGE, "sortBy": "LAST_MODIFIED"}).json().get("elements", [])
            for element in elements:
                if _moment(element.get("createdAt")) >= oldest and \
                        _comparable(unescape(str(element.get("commentary", "")))) == wanted:
                    return receipt(str(element["id"]))
            # Newest change first: once changes are older than `since`, so are creations.
            if len(elements) < PAGE or _moment(elements[-1].get("lastModifiedAt")) < oldest:
                return None
        raise ConnectorError(f"GET /rest/posts: more than {MAX_PAGES * PAGE} posts changed "
                             "since the publish; cannot tell whether it went through",
                             permanent=False)

    def delete(self, external_id: str) -> None:
        http.call(self.session, "DELETE", f"/rest/posts/{quote(external_id, safe='')}",
                  writes=True, headers={"X-RestLi-Method": "DELETE"})


def receipt(urn: str) -> Receipt:
    return Receipt(urn, f"https://www.linkedin.com/feed/update/{urn}/")


def _comparable(text: str) -> str:
    return " ".join(text.split())


def _moment(milliseconds: Any) -> datetime:
    """LinkedIn's epoch milliseconds; a missing one counts as long ago."""
    if not isinstance(milliseconds, int):
        return datetime.min.replace(tzinfo=UTC)
    return datetime.fromtimestamp(milliseconds / 1000, UTC)
