"""A local stand-in for LinkedIn, written from its documentation: the OAuth 2.0 token
endpoint (authorization code and refresh), and under ``/rest`` the Posts API (create,
find by author, delete), the Images API (initializeUpload, then a PUT to the upload URL,
served here too), organizationAcls and organization lookup.

It speaks LinkedIn's error shapes (``{"status", "serviceErrorCode", "code", "message"}``
for the APIs, ``{"error", "error_description"}`` for OAuth), refuses a call without
``LinkedIn-Version`` (400) or with one that is not active (426), and reads commentary
as little text: an unescaped reserved character is not plain text, so the post stops
there. Only the calls Kanava makes are here.

Switches: ``rate_limited`` answers the next calls 429; ``fail_after_work`` does the next
calls' work and then answers 500, as a proxy that gave up waiting would.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

ORGANIZATION = "urn:li:organization:2414183"
OTHER_ORGANIZATION = "urn:li:organization:5515715"
PAGE_NAMES = {ORGANIZATION: "Kanavan kunta", OTHER_ORGANIZATION: "Kanavan kirjasto"}
CLIENT_ID, CLIENT_SECRET = "86abcdefghijkl", "WPL_AP1.secret"
REDIRECT_URI = "https://kanava.example/connect/linkedin/callback"
CODE = "AQTcode"
ACCESS_TOKEN, REFRESH_TOKEN = "AQVaccess", "AQWrefresh"
# Versions served in November 2026: each lives for a year after its release month.
ACTIVE_VERSIONS = frozenset(f"{year}{month:02d}" for year, month in
                            [(2025, 12)] + [(2026, m) for m in range(1, 12)])
RESERVED = set("|{}@[]()<>#\\*_~")
HASHTAG = re.compile(r"#\w")
MAX_COMMENTARY = 3_000
ACCESS_SECONDS, REFRESH_SECONDS = 60 * 24 * 3600, 365 * 24 * 3600


def render(little: str) -> str:
    """What a reader sees: escapes undone, #hashtags (HashtagElements) kept; the text ends
    at any other unescaped reserved character, which is not plain text."""
    shown, at = [], 0
    while at < len(little):
        character = little[at]
        if character == "\\":
            shown.append(little[at + 1:at + 2])
            at += 2
            continue
        if character == "#" and HASHTAG.match(little, at) and (
                at == 0 or not little[at - 1].isalnum()):
            shown.append(character)
        elif character in RESERVED:
            break
        else:
            shown.append(character)
        at += 1
    return "".join(shown)


class FakeLinkedIn:
    def __init__(self) -> None:
        self.posts: dict[str, dict[str, Any]] = {}
        self.images: dict[str, bytes | None] = {}  # image URN: bytes once uploaded
        self.uploads: dict[str, str] = {}  # upload id: image URN
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.access_tokens = {ACCESS_TOKEN}
        self.refresh_tokens: dict[str, float] = {}  # token: when it stops working
        self.codes = {CODE}
        self.administered = [ORGANIZATION, OTHER_ORGANIZATION]
        self.rate_limited = 0
        self.fail_after_work = 0
        self.upload_base = ""  # where upload URLs point; this server unless set
        self.ids = itertools.count(7_100_000_000_000_000_000)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()  # a quick shutdown between tests

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_post(self, commentary: str, created_at_ms: int,
                 author: str = ORGANIZATION) -> str:
        """A post already on the page (made elsewhere, or long ago)."""
        urn = f"urn:li:share:{next(self.ids)}"
        self.posts[urn] = {"id": urn, "author": author, "commentary": commentary,
                           "visibility": "PUBLIC", "lifecycleState": "PUBLISHED",
                           "createdAt": created_at_ms, "lastModifiedAt": created_at_ms,
                           "publishedAt": created_at_ms}
        return urn

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any] | None = None,
                      headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, message: str, code: str = "",
                       service_code: int | None = None) -> None:
                body: dict[str, Any] = {"status": status, "message": message}
                if code:
                    body["code"] = code
                if service_code is not None:
                    body["serviceErrorCode"] = service_code
                self._send(status, body)

            def do_GET(self) -> None:
                self._route("GET")

            def do_POST(self) -> None:
                self._route("POST")

            def do_PUT(self) -> None:
                self._route("PUT")

            def do_DELETE(self) -> None:
                self._route("DELETE")

            def _route(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                url = urlsplit(self.path)
                with fake.lock:
                    fake.requests.append((method, self.path, {k.lower(): v for k, v in
                                                              self.headers.items()}, body))
                    if fake.rate_limited:
                        fake.rate_limited -= 1
                        self._error(429, "Resource level throttle APPLICATION DAY limit for "
                                         "calls to this resource is reached.",
                                    "TOO_MANY_REQUESTS")
                        return
                    if url.path == "/oauth/v2/accessToken" and method == "POST":
                        self._token({k: v[0] for k, v in parse_qs(body.decode()).items()})
                        return
                    if not self._signed_in() or not self._versioned(url.path):
                        return
                    self._api(method, url.path, url.query, body)

            def _signed_in(self) -> bool:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if token not in fake.access_tokens:
                    self._error(401, "Invalid access token", "INVALID_ACCESS_TOKEN", 65600)
                    return False
                return True

            def _versioned(self, path: str) -> bool:
                if not path.startswith("/rest/"):
                    return True
                version = self.headers.get("LinkedIn-Version")
                if not version:
                    self._error(400, "A version must be present. Please specify a version "
                                     "by adding the LinkedIn-Version header.", "VERSION_MISSING")
                    return False
                if version not in ACTIVE_VERSIONS:
                    self._error(426, f"Requested version {version} is not active",
                                "NONEXISTENT_VERSION")
                    return False
                return True

            def _api(self, method: str, path: str, query: str, body: bytes) -> None:
                params = {k: v[0] for k, v in parse_qs(query).items()}
                if method == "POST" and path == "/rest/posts":
                    self._create(json.loads(body))
                elif method == "GET" and path == "/rest/posts":
                    self._find(params, query)
                elif method == "DELETE" and path.startswith("/rest/posts/"):
                    self._delete(path.removeprefix("/rest/posts/"))
                elif method == "POST" and path == "/rest/images" and \
                        params.get("action") == "initializeUpload":
                    self._initialize_upload(json.loads(body))
                elif method == "PUT" and path.startswith("/dms-uploads/"):
                    self._upload(path.removeprefix("/dms-uploads/"), body)
                elif method == "GET" and path == "/rest/organizationAcls":
                    self._acls(params)
                elif method == "GET" and path.startswith("/rest/organizations/"):
                    self._organization(path.removeprefix("/rest/organizations/"))
                else:
                    self._error(404, f"No virtual resource found for {method} {path}",
                                "RESOURCE_NOT_FOUND")

            def _respond_after_work(self, status: int, body: dict[str, Any] | None = None,
                                    headers: dict[str, str] | None = None) -> None:
                if fake.fail_after_work:
                    fake.fail_after_work -= 1
                    self._error(500, "Internal Server Error")
                    return
                self._send(status, body, headers)

            def _create(self, given: dict[str, Any]) -> None:
                if given.get("author") not in fake.administered:
                    self._error(403, "Not enough permissions to access: "
                                     "partnerApiPostsExternal.CREATE.20260501",
                                "ACCESS_DENIED", 100)
                    return
                problem = self._invalid(given)
                if problem:
                    self._error(422, problem, "UNPROCESSABLE_ENTITY")
                    return
                now = int(time.time() * 1000)
                urn = f"urn:li:share:{next(fake.ids)}"
                fake.posts[urn] = {**given, "id": urn, "createdAt": now,
                                   "lastModifiedAt": now, "publishedAt": now}
                self._respond_after_work(201, None, {"x-restli-id": urn})

            def _invalid(self, given: dict[str, Any]) -> str:
                distribution = given.get("distribution", {})
                if given.get("visibility") != "PUBLIC" or \
                        distribution.get("feedDistribution") != "MAIN_FEED" or \
                        given.get("lifecycleState") != "PUBLISHED":
                    return "/visibility, /distribution or /lifecycleState :: invalid value"
                if len(given.get("commentary", "")) > MAX_COMMENTARY:
                    return f"/commentary :: length exceeds {MAX_COMMENTARY} characters"
                content = given.get("content", {})
                media = content.get("multiImage", {}).get("images", []) or \
                    ([content["media"]] if "media" in content else [])
                if "multiImage" in content and not 2 <= len(media) <= 20:
                    return "/content/multiImage/images :: must hold 2 to 20 images"
                if any(fake.images.get(item.get("id")) is None for item in media):
                    return "/content/media/id :: image was not uploaded"
                article = content.get("article")
                if article is not None and not (article.get("source") and article.get("title")):
                    return "/content/article :: source and title are required"
                return ""

            def _find(self, params: dict[str, str], query: str) -> None:
                author = params.get("author", "")
                if params.get("q") != "author" or "urn:li:" in query:
                    self._error(400, "Invalid query parameters passed to request",
                                "ILLEGAL_ARGUMENT")
                    return
                if author not in fake.administered:
                    self._error(403, "Not enough permissions to access: "
                                     "partnerApiPostsExternal.FINDER-author.20260501",
                                "ACCESS_DENIED", 100)
                    return
                start, count = int(params.get("start", 0)), int(params.get("count", 10))
                key = "createdAt" if params.get("sortBy") == "CREATED" else "lastModifiedAt"
                mine = sorted((post for post in fake.posts.values() if post["author"] == author),
                              key=lambda post: post[key], reverse=True)
                self._send(200, {"paging": {"start": start, "count": count, "links": [],
                                            "total": len(mine)},
                                 "elements": mine[start:start + count]})

            def _delete(self, encoded: str) -> None:
                if encoded.startswith("urn:"):
                    self._error(400, "Invalid key: the URN must be URL-encoded",
                                "ILLEGAL_ARGUMENT")
                    return
                fake.posts.pop(unquote(encoded), None)  # deleting twice is harmless
                self._respond_after_work(204)

            def _initialize_upload(self, given: dict[str, Any]) -> None:
                owner = given.get("initializeUploadRequest", {}).get("owner")
                if owner not in fake.administered:
                    self._error(403, "Not enough permissions to access: "
                                     "images.ACTION-initializeUpload.20260501",
                                "ACCESS_DENIED", 100)
                    return
                number = next(fake.ids)
                urn, upload = f"urn:li:image:D4E10AQ{number}", f"upload-{number}"
                fake.images[urn], fake.uploads[upload] = None, urn
                self._send(200, {"value": {
                    "uploadUrlExpiresAt": int(time.time() * 1000) + 3_600_000,
                    "uploadUrl": f"{fake.upload_base or fake.url}/dms-uploads/{upload}",
                    "image": urn}})

            def _upload(self, upload: str, data: bytes) -> None:
                if upload not in fake.uploads or not data:
                    self._error(400, "Upload failed", "BAD_REQUEST")
                    return
                fake.images[fake.uploads[upload]] = data
                self._send(201)

            def _acls(self, params: dict[str, str]) -> None:
                if (params.get("q"), params.get("role"), params.get("state")) != \
                        ("roleAssignee", "ADMINISTRATOR", "APPROVED"):
                    self._error(400, "Invalid query parameters passed to request",
                                "ILLEGAL_ARGUMENT")
                    return
                start, count = int(params.get("start", 0)), int(params.get("count", 10))
                elements = [{"roleAssignee": "urn:li:person:K-0Hn3HKOm", "role": "ADMINISTRATOR",
                             "state": "APPROVED", "organization": urn}
                            for urn in fake.administered]
                self._send(200, {"paging": {"start": start, "count": count, "links": [],
                                            "total": len(elements)},
                                 "elements": elements[start:start + count]})

            def _organization(self, organization_id: str) -> None:
                urn = f"urn:li:organization:{organization_id}"
                if urn not in PAGE_NAMES:
                    self._error(404, f"Organization {organization_id} not found",
                                "RESOURCE_NOT_FOUND")
                    return
                self._send(200, {"id": int(organization_id), "localizedName": PAGE_NAMES[urn],
                                 "vanityName": PAGE_NAMES[urn].lower().replace(" ", "-")})

            def _token(self, form: dict[str, str]) -> None:
                if (form.get("client_id"), form.get("client_secret")) != \
                        (CLIENT_ID, CLIENT_SECRET):
                    self._send(401, {"error": "invalid_client",
                                     "error_description": "Client authentication failed"})
                    return
                grant = form.get("grant_type")
                if grant == "authorization_code" and form.get("code") in fake.codes and \
                        form.get("redirect_uri") == REDIRECT_URI:
                    fake.codes.discard(form["code"])
                    fake.refresh_tokens[REFRESH_TOKEN] = time.time() + REFRESH_SECONDS
                    self._tokens(REFRESH_TOKEN, REFRESH_SECONDS)
                elif grant == "refresh_token" and \
                        fake.refresh_tokens.get(form.get("refresh_token", ""), 0) > time.time():
                    token = form["refresh_token"]
                    # Not rotated: the same refresh token, with less time left.
                    self._tokens(token, int(fake.refresh_tokens[token] - time.time()))
                else:
                    self._send(400, {"error": "invalid_grant",
                                     "error_description": "The provided authorization grant "
                                                          "or refresh token is invalid, expired "
                                                          "or revoked."})

            def _tokens(self, refresh_token: str, refresh_left: int) -> None:
                access = f"{ACCESS_TOKEN}-{next(fake.ids)}"
                fake.access_tokens.add(access)
                self._respond_after_work(200, {
                    "access_token": access, "expires_in": ACCESS_SECONDS,
                    "refresh_token": refresh_token, "refresh_token_expires_in": refresh_left,
                    "scope": "r_organization_social,rw_organization_admin,w_organization_social"})

        return Handler
