"""Publishing to a Facebook Page through Meta's Graph API.

- post: ``POST /{page-id}/feed`` with ``message`` and ``link``
  (https://developers.facebook.com/docs/pages-api/posts);
- images: each uploaded unpublished, ``POST /{page-id}/photos`` with the file as multipart
  ``source``, ``published=false`` and the alt text in ``alt_text_custom``, then the post
  names them in ``attached_media[i]={"media_fbid": …}``
  (https://developers.facebook.com/docs/graph-api/reference/page/photos/,
  https://developers.facebook.com/docs/graph-api/photo-uploads/);
- receipt: ``GET /{post-id}?fields=permalink_url``
  (https://developers.facebook.com/docs/graph-api/reference/post/);
- look-up: Graph takes no idempotency key, so an unconfirmed post is looked for among the
  Page's own posts, ``GET /{page-id}/published_posts`` from ``since`` on, compared by text
  (https://developers.facebook.com/docs/graph-api/reference/page/published_posts/,
  cursor paging: https://developers.facebook.com/docs/graph-api/results);
- delete: ``DELETE /{post-id}``;
- the Page access token goes in the ``access_token`` parameter, as the guides show.

Graph answers most refusals with HTTP 400; its error code says whether trying again can
help (https://developers.facebook.com/docs/graph-api/guides/error-handling) and its usage
headers say when (https://developers.facebook.com/docs/graph-api/overview/rate-limiting/).
"""

from __future__ import annotations

import json
import mimetypes
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from kanava.connectors import http
from kanava.connectors.base import (
    ConnectorError,
    LookupUnsupported,
    Outgoing,
    OutgoingMedia,
    Receipt,
)

GRAPH_VERSION = "v25.0"  # available until 29 July 2028 (Graph API changelog)
GRAPH = "https://graph.facebook.com"
PAGE = 100  # posts asked for in one page of published_posts
MAX_PAGES = 25
CLOCK_SKEW = timedelta(minutes=5)  # Meta's clock and ours may differ a little
USAGE_WINDOW = timedelta(hours=1)  # platform limits count calls over a rolling hour

EXPIRED_TOKEN = frozenset({102, 190})  # API session, access token expired or revoked
RATE_LIMITED = frozenset({4, 17, 32, 341, 613, 80001})  # app, user, Page, BUC throttling
DOWNTIME = frozenset({1, 2})  # API unknown, API service: wait and retry
REFUSED_POST = frozenset({368, 506})  # blocked for policy violations, duplicate post


class FacebookPagePublisher:
    """One Page, with a Page access token (``pages_manage_posts``, ``pages_read_engagement``)."""

    def __init__(self, page_id: str, page_token: str, base_url: str = GRAPH,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.page_id, self.page_token = page_id, page_token
        self.session = http.client(base_url.rstrip("/"), None, transport)

    def close(self) -> None:
        self.session.close()

    def publish(self, post: Outgoing, *, key: str) -> Receipt:
        """Publish once. Graph has no idempotency key: ``find`` settles an unknown outcome."""
        if any(item.kind != "image" for item in post.media):
            raise ConnectorError("Kanava does not publish videos to Facebook Pages yet",
                                 permanent=True)
        data = {"message": message_text(post)}
        media_ids = [self._upload(item) for item in post.media]
        if post.link and not media_ids:
            data["link"] = post.link
        for index, media_id in enumerate(media_ids):
            data[f"attached_media[{index}]"] = json.dumps({"media_fbid": media_id},
                                                          separators=(",", ":"))
        body = graph_call(self.session, "POST", self._path(f"{self.page_id}/feed"),
                          writes=True, data=self._signed(data)).json()
        return self._receipt(str(body["id"]))

    def _upload(self, item: OutgoingMedia) -> str:
        path = Path(item.path)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = {"published": "false"}
        if item.alt:
            data["alt_text_custom"] = item.alt
        with path.open("rb") as handle:
            # An unpublished photo shows nowhere: uploading it again makes no second post.
            body = graph_call(self.session, "POST", self._path(f"{self.page_id}/photos"),
                              writes=False, files={"source": (path.name, handle, kind)},
                              data=self._signed(data)).json()
        return str(body["id"])

    def _receipt(self, post_id: str) -> Receipt:
        """The post and its permalink; the post exists even if the permalink cannot be read."""
        try:
            body = graph_call(self.session, "GET", self._path(post_id), writes=False,
                              params=self._signed({"fields": "permalink_url"})).json()
        except ConnectorError:
            return Receipt(post_id, post_url(post_id))
        return Receipt(post_id, str(body.get("permalink_url") or post_url(post_id)))

    def find(self, post: Outgoing, *, key: str, since: datetime) -> Receipt | None:
        wanted = _comparable(message_text(post))
        if not wanted:  # the text is all that tells our post from the Page's others
            raise LookupUnsupported(f"Facebook Page {self.page_id}: a post without text cannot "
                                    "be told apart from others; check the Page by hand")
        earliest = since - CLOCK_SKEW
        params: dict[str, Any] = {"fields": "id,message,created_time,permalink_url",
                                  "since": int(earliest.timestamp()), "limit": PAGE}
        for _ in range(MAX_PAGES):
            body = graph_call(self.session, "GET", self._path(f"{self.page_id}/published_posts"),
                              writes=False, params=self._signed(params)).json()
            posts = body.get("data") or []
            for item in posts:
                if _comparable(str(item.get("message", ""))) == wanted:
                    post_id = str(item["id"])
                    return Receipt(post_id, str(item.get("permalink_url") or post_url(post_id)))
            paging = body.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not posts or not paging.get("next") or not after or \
                    _created(posts[-1]) < earliest:
                return None
            params["after"] = after
        raise ConnectorError(f"Facebook Page {self.page_id}: more than {PAGE * MAX_PAGES} posts "
                             f"since {since:%Y-%m-%d %H:%M} UTC; check the Page by hand",
                             permanent=True)

    def delete(self, external_id: str) -> None:
        body = graph_call(self.session, "DELETE", self._path(external_id), writes=True,
                          params=self._signed({})).json()
        if body.get("success") is False:
            raise ConnectorError(f"DELETE {self._path(external_id)}: Graph did not delete it",
                                 permanent=True)

    def _path(self, node: str) -> str:
        return f"/{GRAPH_VERSION}/{node}"

    def _signed(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**params, "access_token": self.page_token}


def message_text(post: Outgoing) -> str:
    """The post's message: with images the link goes in the text, as the post shows the
    images instead of a link preview."""
    if post.media and post.link and post.link not in post.text:
        return f"{post.text}\n\n{post.link}".strip()
    return post.text


def post_url(post_id: str) -> str:
    return f"https://www.facebook.com/{post_id}"


def graph_call(session: httpx.Client, method: str, url: str, *, writes: bool,
               **options: Any) -> httpx.Response:
    """``http.call`` for Graph: its error code, not the HTTP status, decides the retry.

    ``url`` is a path without the token, so no error message can show the token.
    """
    response = http.send(session, method, url, writes=writes, **options)
    if not response.is_success:
        raise_graph_error(response, writes=writes)
        http.raise_for_response(response, writes=writes)  # not Graph's shape: a proxy
    return response


def raise_graph_error(response: httpx.Response, *, writes: bool) -> None:
    """ConnectorError for a Graph error body ``{"error": {"message", "code", …}}``."""
    error = _graph_error(response)
    if error is None:
        return
    code, status = error.get("code"), response.status_code
    detail = _detail(response, error)
    if code in EXPIRED_TOKEN:
        raise ConnectorError(f"{detail} — the access token no longer works: reconnect the "
                             "Facebook Page", permanent=True)
    if code in RATE_LIMITED:
        raise ConnectorError(detail, permanent=False, retry_after=regain_at(response))
    if code in DOWNTIME:  # Meta may have done the work before it failed
        raise ConnectorError(detail, permanent=False, sent=writes)
    if code in REFUSED_POST or (status < 500 and status not in http.TRY_AGAIN):
        raise ConnectorError(detail, permanent=True)
    raise ConnectorError(detail, permanent=False, retry_after=http.retry_after(response),
                         sent=writes and status in http.MAYBE_DONE)


def regain_at(response: httpx.Response, now: datetime | None = None) -> datetime | None:
    """When Graph takes calls again: its own estimate (the Business Use Case header, read by
    ``http.retry_after``, or X-Page-Usage's), else, for a usage at 100 % with no estimate,
    the end of the rolling hour that platform limits count calls over."""
    now = now or datetime.now(UTC)
    usages = [_usage(response.headers.get(name, "")) for name in ("x-page-usage", "x-app-usage")]
    estimates = [http.retry_after(response, now)] + [
        now + min(timedelta(minutes=minutes), http.MAX_WAIT)
        for usage in usages if (minutes := usage.get("estimated_time_to_regain_access", 0))]
    found = [moment for moment in estimates if moment is not None]
    if found:
        return max(found)
    full = any(usage.get(name, 0) >= 100 for usage in usages
               for name in ("call_count", "total_cputime", "total_time"))
    return now + USAGE_WINDOW if full else None


def _usage(raw: str) -> dict[str, int]:
    """A usage header's numbers; nothing for a missing or garbled one."""
    try:
        usage = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    if not isinstance(usage, dict):
        return {}
    return {name: value for name, value in usage.items()
            if isinstance(value, int) and not isinstance(value, bool)}


def _graph_error(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else None


def _detail(response: httpx.Response, error: dict[str, Any]) -> str:
    code = f"{error.get('code')}/{error['error_subcode']}" if error.get("error_subcode") \
        else str(error.get("code"))
    trace = f" (fbtrace_id {error['fbtrace_id']})" if error.get("fbtrace_id") else ""
    return (f"{response.request.method} {response.request.url.path}: "
            f"HTTP {response.status_code}: Graph error {code}: "
            f"{str(error.get('message', ''))[:300]}{trace}")


def _comparable(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _created(item: dict[str, Any]) -> datetime:
    """A post's created_time; Graph writes its offset as +0000."""
    moment = datetime.fromisoformat(str(item["created_time"]))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
