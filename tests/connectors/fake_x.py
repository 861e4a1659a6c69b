"""A local stand-in for X's API v2, written from docs.x.com: POST /2/media/upload,
POST /2/media/metadata, POST /2/tweets, DELETE /2/tweets/:id, GET /2/users/me,
GET /2/users/:id/tweets (``start_time``, ``max_results``, ``pagination_token``,
``tweet.fields``) and the OAuth 2.0 token endpoint POST /2/oauth2/token.

It answers as X does: errors as problem JSON (``{"title", "detail", "type", "status"}``),
the token endpoint's as ``{"error", "error_description"}``; ``x-rate-limit-*`` headers on
every answer; links in a post's text rewritten to t.co, ``&``, ``<`` and ``>`` escaped as
HTML entities, and a t.co link added for attached media; a second post with the same text
refused (403); refresh tokens rotated, the old one refused after use.

Switches: ``rate_limited`` answers the next calls 429, ``unavailable`` answers them 503,
``fail_after_work`` does the work and then answers 500 (a proxy that gave up waiting);
``page_size`` makes the timeline return fewer posts a page than asked, as X may.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.connectors.local_server import Answer, LocalServer, Request, json_answer

USER_ID, USERNAME = "1585791066236858368", "kuntatiedote"
ACCESS_TOKEN = "user-access-token"  # noqa: S105 (the fake's own)
CLIENT_ID, CLIENT_SECRET = "a1B2c3D4e5F6g7H8i9J0:1:ci", "client-secret-0123456789"
WINDOW = 15 * 60  # X's rate limits count 15-minute windows
_LINK = re.compile(r"(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?", re.IGNORECASE)


@dataclass
class Tweet:
    id: str
    text: str  # as X gives it back
    created_at: datetime
    media_ids: list[str] = field(default_factory=list)


@dataclass
class Media:
    data: bytes
    media_type: str
    category: str
    alt: str = ""


class FakeX(LocalServer):
    requests: list[Request]

    def __init__(self) -> None:
        self.tweets: dict[str, Tweet] = {}
        self.media: dict[str, Media] = {}
        self.access_tokens = {ACCESS_TOKEN}
        self.refresh_tokens: set[str] = set()
        self.codes: dict[str, tuple[str, str]] = {}  # code -> (challenge, redirect_uri)
        self.rotate_refresh_tokens = True
        self.rate_limited = self.unavailable = self.fail_after_work = 0
        self.page_size: int | None = None
        self.reset_at = int(time.time()) + WINDOW  # x-rate-limit-reset, Unix seconds
        self._ids = itertools.count(1880028106020515840, 4096)
        super().__init__()

    def new_id(self) -> str:
        return str(next(self._ids))

    def add_tweet(self, text: str, created_at: datetime) -> Tweet:
        """A post made earlier, or by hand on x.com."""
        tweet = Tweet(self.new_id(), _as_x_shows(text, False), created_at)
        self.tweets[tweet.id] = tweet
        return tweet

    def consent(self, challenge: str, redirect_uri: str) -> str:
        """The code X hands to ``redirect_uri`` once the user has allowed the app."""
        code = f"code-{len(self.codes)}"
        self.codes[code] = (challenge, redirect_uri)
        return code

    def answer(self, request: Request) -> Answer:
        if self.rate_limited:
            self.rate_limited -= 1
            return self._problem(429, "Too Many Requests", {"x-rate-limit-remaining": "0"})
        if self.unavailable:
            self.unavailable -= 1
            return self._problem(503, "Service Unavailable")
        status, answer = self._dispatch(request)
        if self.fail_after_work:
            self.fail_after_work -= 1
            return self._problem(500, "Internal Server Error")
        return self._json(status, answer)

    def _json(self, status: int, body: dict[str, Any],
              headers: dict[str, str] | None = None) -> Answer:
        limits = {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "99",
                  "x-rate-limit-reset": str(self.reset_at)}
        return json_answer(status, body, {**limits, **(headers or {})},
                           "application/json; charset=utf-8")

    def _problem(self, status: int, title: str,
                 headers: dict[str, str] | None = None) -> Answer:
        return self._json(status, {"title": title, "detail": title, "type": "about:blank",
                                   "status": status}, headers)

    def _dispatch(self, request: Request) -> tuple[int, dict[str, Any]]:
        if (request.method, request.path) == ("POST", "/2/oauth2/token"):
            return self._token(request)
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        if bearer not in self.access_tokens:
            return 401, {"title": "Unauthorized", "type": "about:blank",
                         "status": 401, "detail": "Unauthorized"}
        parts = request.path.strip("/").split("/")
        routes = {("POST", "2/media/upload"): self._upload,
                  ("POST", "2/media/metadata"): self._metadata,
                  ("POST", "2/tweets"): self._create,
                  ("GET", "2/users/me"): self._me}
        handler = routes.get((request.method, "/".join(parts)))
        if handler is not None:
            return handler(request)
        if request.method == "DELETE" and parts[:2] == ["2", "tweets"] and len(parts) == 3:
            return self._delete(parts[2])
        if request.method == "GET" and parts[:2] == ["2", "users"] and parts[3:] == ["tweets"]:
            return self._timeline(parts[2], request.query)
        return 404, {"errors": [{"message": "Sorry, that page does not exist", "code": 34}]}

    def _upload(self, request: Request) -> tuple[int, dict[str, Any]]:
        parts = request.parts()
        if "media" not in parts or "media_category" not in parts:
            return _invalid("media", "The `media` and `media_category` fields are required.")
        category = str(parts["media_category"].get_payload())
        media_type = str(parts["media_type"].get_payload()) if "media_type" in parts \
            else str(parts["media"].get_content_type())
        data = bytes(parts["media"].get_payload(decode=True))
        media_id = self.new_id()
        self.media[media_id] = Media(data, media_type, category)
        return 200, {"data": {"id": media_id, "media_key": f"3_{media_id}", "size": len(data),
                              "expires_after_secs": 86400,
                              "image": {"image_type": media_type, "w": 1, "h": 1}}}

    def _metadata(self, request: Request) -> tuple[int, dict[str, Any]]:
        given = request.json()
        media = self.media.get(str(given.get("id")))
        if media is None:
            return _invalid("id", f"The media id {given.get('id')} was not found.")
        alt = given["metadata"]["alt_text"]["text"]
        if len(alt) > 1000:
            return _invalid("metadata.alt_text.text", "Alt text must be at most "
                            "1000 characters.")
        media.alt = alt
        return 200, {"data": {"id": given["id"], "associated_metadata": given["metadata"]}}

    def _create(self, request: Request) -> tuple[int, dict[str, Any]]:
        given = request.json()
        media_ids = [str(m) for m in (given.get("media") or {}).get("media_ids", [])]
        if any(m not in self.media for m in media_ids):
            return _invalid("media.media_ids", "Your media IDs are invalid.")
        text = _as_x_shows(str(given.get("text", "")), bool(media_ids))
        if any(tweet.text == text for tweet in self.tweets.values()):
            return 403, {"detail": "You are not allowed to create a Tweet with "
                         "duplicate content.", "type": "about:blank",
                         "title": "Forbidden", "status": 403}
        tweet = Tweet(self.new_id(), text, datetime.now(UTC), media_ids)
        self.tweets[tweet.id] = tweet
        return 201, {"data": {"id": tweet.id, "text": tweet.text,
                              "edit_history_tweet_ids": [tweet.id]}}

    def _delete(self, tweet_id: str) -> tuple[int, dict[str, Any]]:
        return 200, {"data": {"deleted": self.tweets.pop(tweet_id, None) is not None}}

    def _me(self, request: Request) -> tuple[int, dict[str, Any]]:
        return 200, {"data": {"id": USER_ID, "name": "Kunta", "username": USERNAME}}

    def _timeline(self, user_id: str,
                  query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        asked = int(query.get("max_results", ["10"])[0])
        if not 5 <= asked <= 100:
            return _invalid("max_results", "The `max_results` query parameter value "
                            f"[{asked}] is not between 5 and 100")
        start = query.get("start_time", [""])[0]
        try:
            since = datetime.strptime(start, "%Y-%m-%dT%H:%M:%S%z") if start else None
        except ValueError:
            return _invalid("start_time", f"Invalid 'start_time':'{start}'.")
        if since is not None and not start.endswith("Z"):
            return _invalid("start_time", f"Invalid 'start_time':'{start}'.")
        tweets = sorted((t for t in self.tweets.values() if user_id == USER_ID
                         and (since is None or t.created_at >= since)),
                        key=lambda t: int(t.id), reverse=True)
        offset = _offset(query.get("pagination_token", [""])[0])
        size = min(asked, self.page_size or asked)
        page = tweets[offset:offset + size]
        if not page:
            return 200, {"meta": {"result_count": 0}}
        fields = query.get("tweet.fields", [""])[0].split(",")
        meta: dict[str, Any] = {"result_count": len(page), "newest_id": page[0].id,
                                "oldest_id": page[-1].id}
        if offset + size < len(tweets):
            meta["next_token"] = _token_for(offset + size)
        return 200, {"data": [_shown(t, fields) for t in page], "meta": meta}

    def _token(self, request: Request) -> tuple[int, dict[str, Any]]:
        if request.headers.get("authorization") != "Basic " + base64.b64encode(
                f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode():
            return 401, {"error": "unauthorized_client",
                         "error_description": "Missing valid authorization header"}
        form = request.form()
        if form.get("grant_type") == "authorization_code":
            challenge, redirect_uri = self.codes.pop(form.get("code", ""), ("", ""))
            verifier = form.get("code_verifier", "")
            if not challenge or _s256(verifier) != challenge \
                    or redirect_uri != form.get("redirect_uri"):
                return 400, {"error": "invalid_request", "error_description":
                             "Value passed for the authorization code was invalid."}
            return 200, self._issue(with_refresh=True)
        if form.get("grant_type") == "refresh_token":
            old = form.get("refresh_token", "")
            if old not in self.refresh_tokens:
                return 400, {"error": "invalid_request", "error_description":
                             "Value passed for the token was invalid."}
            if self.rotate_refresh_tokens:
                self.refresh_tokens.discard(old)
            return 200, self._issue(with_refresh=self.rotate_refresh_tokens)
        return 400, {"error": "invalid_request",
                     "error_description": "Missing required parameter [grant_type]."}

    def _issue(self, *, with_refresh: bool) -> dict[str, Any]:
        serial = self.new_id()
        access = f"access-{serial}"
        self.access_tokens.add(access)
        body: dict[str, Any] = {
            "token_type": "bearer", "expires_in": 7200, "access_token": access,
            "scope": "tweet.write users.read tweet.read media.write offline.access"}
        if with_refresh:
            self.refresh_tokens.add(f"refresh-{serial}")
            body["refresh_token"] = f"refresh-{serial}"
        return body



def _invalid(parameter: str, message: str) -> tuple[int, dict[str, Any]]:
    return 400, {"errors": [{"parameters": {parameter: []}, "message": message}],
                 "title": "Invalid Request",
                 "detail": "One or more parameters to your request was invalid.",
                 "type": "https://api.twitter.com/2/problems/invalid-request"}


def _as_x_shows(text: str, with_media: bool) -> str:
    """The text as X stores it: links to t.co, entities escaped, a link to the media."""
    shown = html.escape(text.strip(), quote=False)
    shown = _LINK.sub(lambda m: "https://t.co/" + hashlib.sha1(  # noqa: S324 (not security)
        m.group(0).encode()).hexdigest()[:10], shown)
    return f"{shown} https://t.co/m3d1aL1nk0" if with_media else shown


def _shown(tweet: Tweet, fields: list[str]) -> dict[str, Any]:
    shown: dict[str, Any] = {"id": tweet.id, "text": tweet.text,
                             "edit_history_tweet_ids": [tweet.id]}
    if "created_at" in fields:
        shown["created_at"] = tweet.created_at.isoformat(timespec="milliseconds").replace(
            "+00:00", "Z")
    return shown


def _token_for(offset: int) -> str:
    return base64.b32encode(f"page:{offset}".encode()).decode().rstrip("=").lower()


def _offset(token: str) -> int:
    if not token:
        return 0
    padded = token.upper() + "=" * (-len(token) % 8)
    return int(base64.b32decode(padded).decode().removeprefix("page:"))


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

