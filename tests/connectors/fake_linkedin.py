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
import re
import time
from email.message import Message
from typing import Any
from urllib.parse import unquote

from tests.connectors.local_server import Answer, LocalServer, Request, json_answer

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


def _error(status: int, message: str, code: str = "",
           service_code: int | None = None) -> Answer:
    body: dict[str, Any] = {"status": status, "message": message}
    if code:
        body["code"] = code
    if service_code is not None:
        body["serviceErrorCode"] = service_code
    return json_answer(status, body)


def _denied(permission: str) -> Answer:
    return _error(403, f"Not enough permissions to access: {permission}.20260501",
                  "ACCESS_DENIED", 100)


def _illegal(message: str = "Invalid query parameters passed to request") -> Answer:
    return _error(400, message, "ILLEGAL_ARGUMENT")


class FakeLinkedIn(LocalServer):
    requests: list[tuple[str, str, Message, bytes]]  # method, path?query, headers, body

    def __init__(self) -> None:
        self.posts: dict[str, dict[str, Any]] = {}
        self.images: dict[str, bytes | None] = {}  # image URN: bytes once uploaded
        self.uploads: dict[str, str] = {}  # upload id: image URN
        self.access_tokens = {ACCESS_TOKEN}
        self.refresh_tokens: dict[str, float] = {}  # token: when it stops working
        self.codes = {CODE}
        self.administered = [ORGANIZATION, OTHER_ORGANIZATION]
        self.rate_limited = 0
        self.fail_after_work = 0
        self.upload_base = ""  # where upload URLs point; this server unless set
        self.ids = itertools.count(7_100_000_000_000_000_000)
        super().__init__()

    def add_post(self, commentary: str, created_at_ms: int,
                 author: str = ORGANIZATION) -> str:
        """A post already on the page (made elsewhere, or long ago)."""
        urn = f"urn:li:share:{next(self.ids)}"
        self.posts[urn] = {"id": urn, "author": author, "commentary": commentary,
                           "visibility": "PUBLIC", "lifecycleState": "PUBLISHED",
                           "createdAt": created_at_ms, "lastModifiedAt": created_at_ms,
                           "publishedAt": created_at_ms}
        return urn

    def record(self, request: Request) -> tuple[str, str, Message, bytes]:
        return request.method, request.target, request.headers, request.body

    def answer(self, request: Request) -> Answer:
        if self.rate_limited:
            self.rate_limited -= 1
            return _error(429, "Resource level throttle APPLICATION DAY limit for calls to "
                               "this resource is reached.", "TOO_MANY_REQUESTS")
        if request.path == "/oauth/v2/accessToken" and request.method == "POST":
            return self._token(request.form())
        self._check_signed_in(request)
        self._check_version(request)
        return self._api(request)

    def _check_signed_in(self, request: Request) -> None:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.access_tokens:
            raise _error(401, "Invalid access token", "INVALID_ACCESS_TOKEN", 65600)

    def _check_version(self, request: Request) -> None:
        if not request.path.startswith("/rest/"):
            return
        version = request.headers.get("LinkedIn-Version")
        if not version:
            raise _error(400, "A version must be present. Please specify a version by adding "
                              "the LinkedIn-Version header.", "VERSION_MISSING")
        if version not in ACTIVE_VERSIONS:
            raise _error(426, f"Requested version {version} is not active",
                         "NONEXISTENT_VERSION")

    def _api(self, request: Request) -> Answer:
        method, path = request.method, request.path
        params = {name: values[0] for name, values in request.query.items()}
        if method == "POST" and path == "/rest/posts":
            return self._create(request.json())
        if method == "GET" and path == "/rest/posts":
            return self._find(params, request.target)
        if method == "DELETE" and path.startswith("/rest/posts/"):
            return self._delete(path.removeprefix("/rest/posts/"))
        if method == "POST" and path == "/rest/images" and \
                params.get("action") == "initializeUpload":
            return self._initialize_upload(request.json())
        if method == "PUT" and path.startswith("/dms-uploads/"):
            return self._upload(path.removeprefix("/dms-uploads/"), request.body)
        if method == "GET" and path == "/rest/organizationAcls":
            return self._acls(params)
        if method == "GET" and path.startswith("/rest/organizations/"):
            return self._organization(path.removeprefix("/rest/organizations/"))
        return _error(404, f"No virtual resource found for {method} {path}",
                      "RESOURCE_NOT_FOUND")

    def _after_work(self, answer: Answer) -> Answer:
        if self.fail_after_work:
            self.fail_after_work -= 1
            return _error(500, "Internal Server Error")
        return answer

    def _create(self, given: dict[str, Any]) -> Answer:
        if given.get("author") not in self.administered:
            return _denied("partnerApiPostsExternal.CREATE")
        problem = self._invalid(given)
        if problem:
            return _error(422, problem, "UNPROCESSABLE_ENTITY")
        now = int(time.time() * 1000)
        urn = f"urn:li:share:{next(self.ids)}"
        self.posts[urn] = {**given, "id": urn, "createdAt": now,
                           "lastModifiedAt": now, "publishedAt": now}
        return self._after_work(Answer(201, headers={"x-restli-id": urn}))

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
        if any(self.images.get(item.get("id")) is None for item in media):
            return "/content/media/id :: image was not uploaded"
        article = content.get("article")
        if article is not None and not (article.get("source") and article.get("title")):
            return "/content/article :: source and title are required"
        return ""

    def _find(self, params: dict[str, str], target: str) -> Answer:
        author = params.get("author", "")
        if params.get("q") != "author" or "urn:li:" in target:
            return _illegal()
        if author not in self.administered:
            return _denied("partnerApiPostsExternal.FINDER-author")
        start, count = int(params.get("start", 0)), int(params.get("count", 10))
        key = "createdAt" if params.get("sortBy") == "CREATED" else "lastModifiedAt"
        mine = sorted((post for post in self.posts.values() if post["author"] == author),
                      key=lambda post: post[key], reverse=True)
        return _page(mine, start, count)

    def _delete(self, encoded: str) -> Answer:
        if encoded.startswith("urn:"):
            return _illegal("Invalid key: the URN must be URL-encoded")
        self.posts.pop(unquote(encoded), None)  # deleting twice is harmless
        return self._after_work(Answer(204))

    def _initialize_upload(self, given: dict[str, Any]) -> Answer:
        owner = given.get("initializeUploadRequest", {}).get("owner")
        if owner not in self.administered:
            return _denied("images.ACTION-initializeUpload")
        number = next(self.ids)
        urn, upload = f"urn:li:image:D4E10AQ{number}", f"upload-{number}"
        self.images[urn], self.uploads[upload] = None, urn
        return json_answer(200, {"value": {
            "uploadUrlExpiresAt": int(time.time() * 1000) + 3_600_000,
            "uploadUrl": f"{self.upload_base or self.url}/dms-uploads/{upload}",
            "image": urn}})

    def _upload(self, upload: str, data: bytes) -> Answer:
        if upload not in self.uploads or not data:
            return _error(400, "Upload failed", "BAD_REQUEST")
        self.images[self.uploads[upload]] = data
        return Answer(201)

    def _acls(self, params: dict[str, str]) -> Answer:
        if (params.get("q"), params.get("role"), params.get("state")) != \
                ("roleAssignee", "ADMINISTRATOR", "APPROVED"):
            return _illegal()
        elements = [{"roleAssignee": "urn:li:person:K-0Hn3HKOm", "role": "ADMINISTRATOR",
                     "state": "APPROVED", "organization": urn} for urn in self.administered]
        return _page(elements, int(params.get("start", 0)), int(params.get("count", 10)))

    def _organization(self, organization_id: str) -> Answer:
        urn = f"urn:li:organization:{organization_id}"
        if urn not in PAGE_NAMES:
            return _error(404, f"Organization {organization_id} not found",
                          "RESOURCE_NOT_FOUND")
        return json_answer(200, {"id": int(organization_id), "localizedName": PAGE_NAMES[urn],
                                 "vanityName": PAGE_NAMES[urn].lower().replace(" ", "-")})

    def _token(self, form: dict[str, str]) -> Answer:
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return json_answer(401, {"error": "invalid_client",
                                     "error_description": "Client authentication failed"})
        grant = form.get("grant_type")
        if grant == "authorization_code" and form.get("code") in self.codes and \
                form.get("redirect_uri") == REDIRECT_URI:
            self.codes.discard(form["code"])
            self.refresh_tokens[REFRESH_TOKEN] = time.time() + REFRESH_SECONDS
            return self._tokens(REFRESH_TOKEN, REFRESH_SECONDS)
        if grant == "refresh_token" and \
                self.refresh_tokens.get(form.get("refresh_token", ""), 0) > time.time():
            token = form["refresh_token"]
            # Not rotated: the same refresh token, with less time left.
            return self._tokens(token, int(self.refresh_tokens[token] - time.time()))
        return json_answer(400, {"error": "invalid_grant",
                                 "error_description": "The provided authorization grant or "
                                                      "refresh token is invalid, expired or "
                                                      "revoked."})

    def _tokens(self, refresh_token: str, refresh_left: int) -> Answer:
        access = f"{ACCESS_TOKEN}-{next(self.ids)}"
        self.access_tokens.add(access)
        return self._after_work(json_answer(200, {
            "access_token": access, "expires_in": ACCESS_SECONDS,
            "refresh_token": refresh_token, "refresh_token_expires_in": refresh_left,
            "scope": "r_organization_social,rw_organization_admin,w_organization_social"}))


def _page(elements: list[dict[str, Any]], start: int, count: int) -> Answer:
    return json_answer(200, {"paging": {"start": start, "count": count, "links": [],
                                        "total": len(elements)},
                             "elements": elements[start:start + count]})
