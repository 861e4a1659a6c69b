"""A local stand-in for Meta's Graph API, written from its documentation: Page posts
(``/{page-id}/feed``, ``/{page-id}/photos``, ``/{page-id}/published_posts``,
``/{post-id}``), Facebook Login (``/oauth/access_token``, ``/me/accounts``), cursor
paging, and Graph's error shape ``{"error": {"message", "type", "code",
"error_subcode", "fbtrace_id"}}``, which comes with HTTP 400 for most refusals.

Only the calls Kanava makes are here. Switches:
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
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

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


def _error(message: str, code: int, subcode: int | None = None,
           kind: str = "OAuthException") -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code,
                             "fbtrace_id": "AbCdEfGhIjK"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


def _graph_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _cursor(index: int) -> str:
    return base64.b64encode(str(index).encode()).decode()


class FakeGraph:
    def __init__(self) -> None:
        self.posts: dict[str, dict[str, Any]] = {}  # newest last
        self.photos: dict[str, dict[str, Any]] = {}
        self.requests: list[Recorded] = []
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
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_post(self, message: str, created: datetime) -> str:
        """A post made elsewhere (by hand, or long ago)."""
        post_id = f"{PAGE_ID}_{next(self._ids)}"
        self.posts[post_id] = {"message": message, "created_time": created, "media": []}
        return post_id

    def writes(self) -> list[Recorded]:
        return [entry for entry in self.requests if entry.method != "GET"]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        graph = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any],
                      headers: dict[str, str] | None = None) -> None:
                self._raw(status, json.dumps(body).encode(), "application/json", headers)

            def _raw(self, status: int, data: bytes, kind: str,
                     headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._route("GET")

            def do_POST(self) -> None:
                self._route("POST")

            def do_DELETE(self) -> None:
                self._route("DELETE")

            def _read(self) -> tuple[dict[str, str], dict[str, tuple[str, str, bytes]]]:
                url = urlsplit(self.path)
                params = dict(parse_qsl(url.query))
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                files: dict[str, tuple[str, str, bytes]] = {}
                if kind.startswith("application/x-www-form-urlencoded"):
                    params.update(parse_qsl(body.decode()))
                elif kind.startswith("multipart/form-data"):
                    boundary = kind.split("boundary=", 1)[1].strip('"').encode()
                    for part in body.split(b"--" + boundary)[1:-1]:
                        head, _, content = part[2:-2].partition(b"\r\n\r\n")  # CRLF each side
                        text = head.decode()
                        name = re.search(r'name="([^"]*)"', text)
                        filename = re.search(r'filename="([^"]*)"', text)
                        assert name is not None
                        if filename is None:
                            params[name.group(1)] = content.decode()
                            continue
                        ctype = re.search(r"Content-Type: (\S+)", text, re.IGNORECASE)
                        files[name.group(1)] = (filename.group(1),
                                                ctype.group(1) if ctype else "", content)
                return params, files

            def _route(self, method: str) -> None:
                params, files = self._read()
                match = _PATH.match(urlsplit(self.path).path)
                if match is None:
                    self._send(400, _error("Unknown path components", 2500))
                    return
                version, node = match.groups()
                with graph.lock:
                    graph.requests.append(Recorded(method, version, node, params, files))
                    if graph.broken_proxy:
                        graph.broken_proxy -= 1
                        self._raw(502, b"<html><body>502 Bad Gateway</body></html>",
                                  "text/html")
                        return
                    if graph.rate_limited and graph.rate_limited_method in ("", method):
                        graph.rate_limited -= 1
                        self._send(400, _error("(#32) Page request limit reached", 32),
                                   graph.usage_headers)
                        return
                    self._dispatch(method, node, params, files)

            def _dispatch(self, method: str, node: str, params: dict[str, str],
                          files: dict[str, tuple[str, str, bytes]]) -> None:
                if (method, node) == ("GET", "oauth/access_token"):
                    self._token(params)
                    return
                token = params.get("access_token")
                if not token:
                    self._send(400, _error("An access token is required to request this "
                                           "resource.", 104))
                    return
                if node == "me/accounts":
                    self._accounts(token, params)
                    return
                if token != PAGE_TOKEN:
                    self._send(400, _error("Invalid OAuth access token - Cannot parse access "
                                           "token", 190))
                    return
                handler = {("POST", f"{PAGE_ID}/feed"): self._feed,
                           ("POST", f"{PAGE_ID}/photos"): self._photo,
                           ("GET", f"{PAGE_ID}/published_posts"): self._published}.get(
                               (method, node))
                if handler is not None:
                    handler(params, files)
                elif node not in graph.posts:
                    self._send(400, _error(
                        f"Unsupported {method.lower()} request. Object with ID '{node}' does "
                        "not exist, cannot be loaded due to missing permissions, or does not "
                        "support this operation.", 100, 33, "GraphMethodException"))
                elif method == "DELETE":
                    del graph.posts[node]
                    self._send(200, {"success": True})
                else:
                    self._send(200, self._fields(node, params))

            def _feed(self, params: dict[str, str], _: Any) -> None:
                media = [json.loads(value)["media_fbid"] for name, value in sorted(params.items())
                         if name.startswith("attached_media[")]
                if not (params.get("message") or params.get("link") or media):
                    self._send(400, _error("(#100) Missing message or attachment", 100))
                    return
                if any(graph.photos.get(fbid, {}).get("published") != "false"
                       for fbid in media):
                    self._send(400, _error("(#100) Invalid parameter", 100))
                    return
                latest = list(graph.posts.values())[-1:]
                if latest and params.get("message") and \
                        latest[0]["message"] == params["message"]:
                    self._send(400, _error("Duplicate status message", 506))
                    return
                post_id = graph.add_post(params.get("message", ""), datetime.now(UTC))
                graph.posts[post_id].update(link=params.get("link", ""), media=media)
                if graph.fail_after_work:
                    graph.fail_after_work -= 1
                    self._send(500, _error("An unknown error has occurred.", 1))
                    return
                self._send(200, {"id": post_id})

            def _photo(self, params: dict[str, str],
                       files: dict[str, tuple[str, str, bytes]]) -> None:
                if "source" not in files:
                    self._send(400, _error("(#324) Requires upload file", 324))
                    return
                photo_id = str(next(graph._ids))
                graph.photos[photo_id] = {"published": params.get("published", "true"),
                                          "alt_text_custom": params.get("alt_text_custom", ""),
                                          "source": files["source"]}
                self._send(200, {"id": photo_id})

            def _published(self, params: dict[str, str], _: Any) -> None:
                since = int(params.get("since", "0"))
                newest_first = [post_id for post_id in reversed(graph.posts)
                                if graph.posts[post_id]["created_time"].timestamp() >= since]
                start = int(base64.b64decode(params["after"])) + 1 if "after" in params else 0
                size = min(int(params.get("limit", "25")), graph.page_size)
                chosen = newest_first[start:start + size]
                body: dict[str, Any] = {"data": [self._fields(post_id, params)
                                                 for post_id in chosen]}
                if chosen:
                    last = start + len(chosen) - 1
                    body["paging"] = {"cursors": {"before": _cursor(start),
                                                  "after": _cursor(last)}}
                    if last + 1 < len(newest_first):
                        query = urlencode({**params, "after": _cursor(last)})
                        body["paging"]["next"] = (f"https://graph.facebook.com/v25.0/{PAGE_ID}"
                                                  f"/published_posts?{query}")
                self._send(200, body)

            def _fields(self, post_id: str, params: dict[str, str]) -> dict[str, Any]:
                post, number = graph.posts[post_id], post_id.split("_")[1]
                known = {"id": post_id, "message": post["message"],
                         "created_time": _graph_time(post["created_time"]),
                         "permalink_url": f"https://www.facebook.com/{PAGE_ID}/posts/{number}"}
                wanted = params.get("fields", "id").split(",")
                return {name: known[name] for name in ["id", *wanted]
                        if name in known and (name != "message" or post["message"])}

            def _token(self, params: dict[str, str]) -> None:
                if params.get("client_id") != APP_ID or \
                        params.get("client_secret") != APP_SECRET:
                    self._send(400, _error("Error validating application. Invalid application "
                                           "ID.", 101))
                elif params.get("grant_type") == "fb_exchange_token":
                    if params.get("fb_exchange_token") != SHORT_USER_TOKEN:
                        self._send(400, _error("Error validating access token: Session has "
                                               "expired", 190, 463))
                        return
                    self._send(200, {"access_token": LONG_USER_TOKEN, "token_type": "bearer",
                                     "expires_in": 5183944})
                elif params.get("redirect_uri") != REDIRECT_URI:
                    self._send(400, _error("Error validating verification code. Please make "
                                           "sure your redirect_uri is identical to the one you "
                                           "used in the OAuth dialog request", 100, 36008))
                elif params.get("code") != CODE or CODE in graph.used_codes:
                    self._send(400, _error("This authorization code has been used.", 100,
                                           36009))
                else:
                    graph.used_codes.add(CODE)
                    self._send(200, {"access_token": SHORT_USER_TOKEN, "token_type": "bearer",
                                     "expires_in": 5400})

            def _accounts(self, token: str, params: dict[str, str]) -> None:
                if token not in (SHORT_USER_TOKEN, LONG_USER_TOKEN):
                    self._send(400, _error("Invalid OAuth access token - Cannot parse access "
                                           "token", 190))
                    return
                start = int(base64.b64decode(params["after"])) + 1 if "after" in params else 0
                chosen = PAGES[start:start + graph.page_size]
                last = start + len(chosen) - 1
                body: dict[str, Any] = {
                    "data": [{"id": page_id, "name": name, "access_token": page_token}
                             for page_id, name, page_token in chosen],
                    "paging": {"cursors": {"before": _cursor(start), "after": _cursor(last)}}}
                if last + 1 < len(PAGES):
                    body["paging"]["next"] = ("https://graph.facebook.com/v25.0/me/accounts?"
                                              + urlencode({**params, "after": _cursor(last)}))
                self._send(200, body)

        return Handler
