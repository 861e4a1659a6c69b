"""A local stand-in for Meta's Graph API, written from its documentation: Page posts
(``/{page-id}/feed``, ``/{page-id}/photos``, ``/{page-id}/published_posts``,
``/{post-id}``), Facebook Login (``/oauth/access_token``, ``/me/accounts``), cursor
paging, and Graph's error shape ``{"error": {"message", "type", "code",
"error_subcode", "fbtrace_id"}}``, which comes with HTTP 400 for most refusals.

Only the calls Kanava makes are here. ``redirect_uri`` is the address the Login dialog was
opened with, which the code exchange must repeat (the web tests use the app's own callback).
Switches:
- ``rate_limited``: the next calls (only those of ``rate_limited_method`` if set) answer
  code 32 with ``usage_headers``;
- ``fail_after_work``: the next posts are made, then answered with HTTP 500 (code 1);
- ``broken_proxy``: the next calls get a proxy's HTML 502, not a Graph answer.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.connectors.local_server import Answer, LocalServer, Request, json_answer

PAGE_ID = "104857600123456"
PAGE_TOKEN = "EAAPageTokenKunta"  # noqa: S105 - a made-up token for the stand-in
APP_ID, APP_SECRET = "8000000000001", "app-secret-kunta"
REDIRECT_URI = "https://kanava.example/connections/facebook/done"
CODE = "AQDlogincode"
SHORT_USER_TOKEN, LONG_USER_TOKEN = "EAAShortUser", "EAALongUser"
PAGES = [(PAGE_ID, "Kunnan kirjasto", PAGE_TOKEN),
         ("104857600222222", "Kunnan uimahalli", "EAAPageTokenUimahalli"),
         ("104857600333333", "Kunnan nuorisotalo", "EAAPageTokenNuoriso")]
_PATH = re.compile(r"^/(v\d+\.\d+)/(.+)$")


@dataclass
class Recorded:
    method: str
    version: str
    node: str  # the path after the version
    params: dict[str, str]  # query and form fields together, as Graph reads them
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)

    @classmethod
    def of(cls, request: Request) -> Recorded:
        match = _PATH.match(request.path)
        version, node = match.groups() if match else ("", request.path)
        params = dict(parse_qsl(urlsplit(request.target).query))
        kind = request.headers.get("Content-Type", "")
        files: dict[str, tuple[str, str, bytes]] = {}
        if kind.startswith("application/x-www-form-urlencoded"):
            params.update(parse_qsl(request.body.decode()))
        elif kind.startswith("multipart/form-data"):
            for name, part in request.parts().items():
                content = part.get_payload(decode=True)
                assert isinstance(content, bytes)
                filename = part.get_filename()
                if filename is None:
                    params[name] = content.decode()
                else:
                    files[name] = (filename, part.get_content_type(), content)
        return cls(request.method, version, node, params, files)


def _error(message: str, code: int, subcode: int | None = None,
           kind: str = "OAuthException", status: int = 400,
           headers: dict[str, str] | None = None) -> Answer:
    """Graph's refusal, with HTTP 400 as it mostly is."""
    error: dict[str, Any] = {"message": message, "type": kind, "code": code,
                             "fbtrace_id": "AbCdEfGhIjK"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return json_answer(status, {"error": error}, headers)


def _graph_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _cursor(index: int) -> str:
    return base64.b64encode(str(index).encode()).decode()


class FakeGraph(LocalServer):
    requests: list[Recorded]

    def __init__(self, redirect_uri: str = REDIRECT_URI) -> None:
        self.redirect_uri = redirect_uri
        self.pages = list(PAGES)  # the Pages the logged-in person administers
        self.posts: dict[str, dict[str, Any]] = {}  # newest last
        self.photos: dict[str, dict[str, Any]] = {}
        self.page_size = 2  # Graph may give fewer than ``limit``; small pages test paging
        self.rate_limited = 0
        self.rate_limited_method = ""
        self.usage_headers = {
            "X-Business-Use-Case-Usage": json.dumps({PAGE_ID: [{
                "type": "pages", "call_count": 100, "total_cputime": 12, "total_time": 30,
                "estimated_time_to_regain_access": 7}]}),
            "X-Page-Usage": json.dumps({"call_count": 100, "total_cputime": 12,
                                        "total_time": 30})}
        self.fail_after_work = 0
        self.broken_proxy = 0
        self.used_codes: set[str] = set()
        self._ids = itertools.count(1_000_001)
        super().__init__()

    def add_post(self, message: str, created: datetime) -> str:
        """A post made elsewhere (by hand, or long ago)."""
        post_id = f"{PAGE_ID}_{next(self._ids)}"
        self.posts[post_id] = {"message": message, "created_time": created, "media": []}
        return post_id

    def writes(self) -> list[Recorded]:
        return [entry for entry in self.requests if entry.method != "GET"]

    def record(self, request: Request) -> Recorded:
        return Recorded.of(request)

    def answer(self, request: Request) -> Answer:
        recorded = Recorded.of(request)
        if not recorded.version:
            return _error("Unknown path components", 2500)
        if self.broken_proxy:
            self.broken_proxy -= 1
            return Answer(502, b"<html><body>502 Bad Gateway</body></html>", "text/html")
        if self.rate_limited and self.rate_limited_method in ("", request.method):
            self.rate_limited -= 1
            return _error("(#32) Page request limit reached", 32, headers=self.usage_headers)
        return self._dispatch(recorded)

    def _dispatch(self, recorded: Recorded) -> Answer:
        method, node, params = recorded.method, recorded.node, recorded.params
        if (method, node) == ("GET", "oauth/access_token"):
            return self._token(params)
        token = params.get("access_token")
        if not token:
            return _error("An access token is required to request this resource.", 104)
        if node == "me/accounts":
            return self._accounts(token, params)
        if token != PAGE_TOKEN:
            return _error("Invalid OAuth access token - Cannot parse access token", 190)
        handler = {("POST", f"{PAGE_ID}/feed"): self._feed,
                   ("POST", f"{PAGE_ID}/photos"): self._photo,
                   ("GET", f"{PAGE_ID}/published_posts"): self._published}.get((method, node))
        if handler is not None:
            return handler(recorded)
        if node not in self.posts:
            return _error(f"Unsupported {method.lower()} request. Object with ID '{node}' does "
                          "not exist, cannot be loaded due to missing permissions, or does not "
                          "support this operation.", 100, 33, "GraphMethodException")
        if method == "DELETE":
            del self.posts[node]
            return json_answer(200, {"success": True})
        return json_answer(200, self._fields(node, params))

    def _feed(self, recorded: Recorded) -> Answer:
        params = recorded.params
        media = [json.loads(value)["media_fbid"] for name, value in sorted(params.items())
                 if name.startswith("attached_media[")]
        if not (params.get("message") or params.get("link") or media):
            return _error("(#100) Missing message or attachment", 100)
        if any(self.photos.get(fbid, {}).get("published") != "false" for fbid in media):
            return _error("(#100) Invalid parameter", 100)
        latest = list(self.posts.values())[-1:]
        if latest and params.get("message") and latest[0]["message"] == params["message"]:
            return _error("Duplicate status message", 506)
        post_id = self.add_post(params.get("message", ""), datetime.now(UTC))
        self.posts[post_id].update(link=params.get("link", ""), media=media)
        if self.fail_after_work:
            self.fail_after_work -= 1
            return _error("An unknown error has occurred.", 1, status=500)
        return json_answer(200, {"id": post_id})

    def _photo(self, recorded: Recorded) -> Answer:
        params, files = recorded.params, recorded.files
        if "source" not in files:
            return _error("(#324) Requires upload file", 324)
        photo_id = str(next(self._ids))
        self.photos[photo_id] = {"published": params.get("published", "true"),
                                 "alt_text_custom": params.get("alt_text_custom", ""),
                                 "source": files["source"]}
        return json_answer(200, {"id": photo_id})

    def _published(self, recorded: Recorded) -> Answer:
        params = recorded.params
        since = int(params.get("since", "0"))
        newest_first = [post_id for post_id in reversed(self.posts)
                        if self.posts[post_id]["created_time"].timestamp() >= since]
        start = int(base64.b64decode(params["after"])) + 1 if "after" in params else 0
        size = min(int(params.get("limit", "25")), self.page_size)
        chosen = newest_first[start:start + size]
        body: dict[str, Any] = {"data": [self._fields(post_id, params) for post_id in chosen]}
        if chosen:
            last = start + len(chosen) - 1
            body["paging"] = {"cursors": {"before": _cursor(start), "after": _cursor(last)}}
            if last + 1 < len(newest_first):
                query = urlencode({**params, "after": _cursor(last)})
                body["paging"]["next"] = (f"https://graph.facebook.com/v25.0/{PAGE_ID}"
                                          f"/published_posts?{query}")
        return json_answer(200, body)

    def _fields(self, post_id: str, params: dict[str, str]) -> dict[str, Any]:
        post, number = self.posts[post_id], post_id.split("_")[1]
        known = {"id": post_id, "message": post["message"],
                 "created_time": _graph_time(post["created_time"]),
                 "permalink_url": f"https://www.facebook.com/{PAGE_ID}/posts/{number}"}
        wanted = params.get("fields", "id").split(",")
        return {name: known[name] for name in ["id", *wanted]
                if name in known and (name != "message" or post["message"])}

    def _token(self, params: dict[str, str]) -> Answer:
        if params.get("client_id") != APP_ID or params.get("client_secret") != APP_SECRET:
            return _error("Error validating application. Invalid application ID.", 101)
        if params.get("grant_type") == "fb_exchange_token":
            if params.get("fb_exchange_token") != SHORT_USER_TOKEN:
                return _error("Error validating access token: Session has expired", 190, 463)
            return json_answer(200, {"access_token": LONG_USER_TOKEN, "token_type": "bearer",
                                     "expires_in": 5183944})
        if params.get("redirect_uri") != self.redirect_uri:
            return _error("Error validating verification code. Please make sure your "
                          "redirect_uri is identical to the one you used in the OAuth dialog "
                          "request", 100, 36008)
        if params.get("code") != CODE or CODE in self.used_codes:
            return _error("This authorization code has been used.", 100, 36009)
        self.used_codes.add(CODE)
        return json_answer(200, {"access_token": SHORT_USER_TOKEN, "token_type": "bearer",
                                 "expires_in": 5400})

    def _accounts(self, token: str, params: dict[str, str]) -> Answer:
        if token not in (SHORT_USER_TOKEN, LONG_USER_TOKEN):
            return _error("Invalid OAuth access token - Cannot parse access token", 190)
        start = int(base64.b64decode(params["after"])) + 1 if "after" in params else 0
        chosen = self.pages[start:start + self.page_size]
        last = start + len(chosen) - 1
        body: dict[str, Any] = {
            "data": [{"id": page_id, "name": name, "access_token": page_token}
                     for page_id, name, page_token in chosen],
            "paging": {"cursors": {"before": _cursor(start), "after": _cursor(last)}}}
        if last + 1 < len(self.pages):
            body["paging"]["next"] = ("https://graph.facebook.com/v25.0/me/accounts?"
                                      + urlencode({**params, "after": _cursor(last)}))
        return json_answer(200, body)
