"""A local stand-in for a WordPress site's REST API, written from the REST API Handbook
(developer.wordpress.org/rest-api/reference: posts, media, users) and from WordPress
core's controllers for the answers the handbook leaves out: errors are WP_Error JSON
``{"code", "message", "data": {"status"}}``, a taken slug gets "-2", a trashed post's
slug gets "__trashed", a repeated trash is 410 ``rest_already_trashed`` and a site
without a trash answers 501 ``rest_trash_not_supported``.

Only the calls Kanava makes are here. Switches: ``rate_limited`` (a host's 429 with
Retry-After; WordPress itself has no rate limit), ``maintenance`` (WordPress's own 503
with Retry-After: 600), ``lose_create_answer`` (the post is made, then a proxy answers
502), ``can_publish`` and ``trash``.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from tests.connectors.local_server import Answer, LocalServer, Request, json_answer

USER, APP_PASSWORD = "toimittaja", "abcd EFGH 1234 ijkl MNOP 6789"
NAME = "Kunnan toimittaja"


class FakeWordPress(LocalServer):
    requests: list[Request]

    def __init__(self) -> None:
        self.posts: dict[int, dict[str, Any]] = {}
        self.media: dict[int, dict[str, Any]] = {}
        self.rate_limited = 0
        self.maintenance = self.lose_create_answer = False
        self.can_publish = self.trash = True
        self.next_id = 100
        super().__init__()

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def answer(self, request: Request) -> Answer:
        if self.rate_limited:
            self.rate_limited -= 1
            return Answer(429, b"Too Many Requests", "text/plain", {"Retry-After": "120"})
        if self.maintenance:
            return Answer(503, b"<p>Briefly unavailable for scheduled maintenance.</p>",
                          "text/html; charset=utf-8", {"Retry-After": "600"})
        try:
            _signed_in(request.headers.get("Authorization", ""))
            status, answer = _answer(self, request)
        except WpError as error:
            return _json(error.status, {"code": error.code, "message": error.message,
                                        "data": {"status": error.status}})
        if status == 201 and request.path == "/wp-json/wp/v2/posts" and \
                self.lose_create_answer:
            return Answer(502, b"<html>502 Bad Gateway</html>", "text/html")
        return _json(status, answer)


def _json(status: int, body: Any) -> Answer:
    return json_answer(status, body, content_type="application/json; charset=UTF-8")


class WpError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _signed_in(header: str) -> None:
    """WordPress's application-password check; it ignores all but letters and digits."""
    if not header.startswith("Basic "):
        raise WpError(401, "rest_not_logged_in", "You are not currently logged in.")
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    if user != USER:
        raise WpError(401, "invalid_username",
                      "Unknown username. Check again or try your email address.")
    if re.sub(r"[^a-z\d]", "", password, flags=re.I) != re.sub(r"[^a-z\d]", "", APP_PASSWORD,
                                                                flags=re.I):
        raise WpError(401, "incorrect_password",
                      "The provided password is an invalid application password.")


def _answer(site: FakeWordPress, request: Request) -> tuple[int, Any]:
    route = request.path.removeprefix("/wp-json")
    if (request.method, route) == ("GET", "/wp/v2/users/me"):
        return 200, {"id": 7, "name": NAME, "slug": USER}
    if (request.method, route) == ("POST", "/wp/v2/media"):
        return 201, _upload(site, request)
    if (request.method, route) == ("POST", "/wp/v2/posts"):
        return 201, _create(site, request.json())
    if (request.method, route) == ("GET", "/wp/v2/posts"):
        return 200, _list(site, request.query)
    if match := re.fullmatch(r"/wp/v2/media/(\d+)", route):
        item = _media_item(site, int(match.group(1)))
        site.media[item["id"]]["alt_text"] = request.json().get("alt_text", "")
        return 200, _media_item(site, item["id"])
    if request.method == "DELETE" and (
            match := re.fullmatch(r"/wp/v2/posts/(\d+)", route)):
        return 200, _delete(site, int(match.group(1)), request.query)
    raise WpError(404, "rest_no_route",
                  "No route was found matching the URL and request method.")


def _upload(site: FakeWordPress, request: Request) -> dict[str, Any]:
    disposition = request.headers.get("Content-Disposition", "")
    if not disposition:
        raise WpError(400, "rest_upload_no_content_disposition", "No Content-Disposition supplied.")
    match = re.search(r'filename="?([^";]+)"?', disposition)
    if not match:
        raise WpError(400, "rest_upload_invalid_disposition",
                      "Invalid Content-Disposition supplied. Content-Disposition needs to be "
                      'formatted as `attachment; filename="image.png"` or similar.')
    if not request.body:
        raise WpError(400, "rest_upload_no_data", "No data supplied.")
    kind = request.headers.get("Content-Type", "")
    if not kind.startswith(("image/", "video/")):
        raise WpError(500, "rest_upload_sideload_error",
                      "Sorry, you are not allowed to upload this file type.")
    media_id = site.new_id()
    site.media[media_id] = {
        "id": media_id, "alt_text": "", "mime_type": kind, "media_type": kind.split("/")[0],
        "source_url": f"{site.url}/wp-content/uploads/2026/11/{match.group(1)}",
        "data": request.body}
    return _media_item(site, media_id)


def _media_item(site: FakeWordPress, media_id: int) -> dict[str, Any]:
    if media_id not in site.media:
        raise WpError(404, "rest_post_invalid_id", "Invalid post ID.")
    return {k: v for k, v in site.media[media_id].items() if k != "data"}


def _create(site: FakeWordPress, given: dict[str, Any]) -> dict[str, Any]:
    if given.get("status") == "publish" and not site.can_publish:
        raise WpError(403, "rest_cannot_publish",
                      "Sorry, you are not allowed to publish posts in this post type.")
    featured = given.get("featured_media", 0)
    if featured and featured not in site.media:
        raise WpError(400, "rest_invalid_featured_media", "Invalid featured media ID.")
    taken = {post["slug"] for post in site.posts.values()}
    wanted = given.get("slug") or "post"
    unique, suffix = wanted, 2
    while unique in taken:  # wp_unique_post_slug
        unique, suffix = f"{wanted}-{suffix}", suffix + 1
    post_id = site.new_id()
    site.posts[post_id] = {
        "id": post_id, "slug": unique, "status": given.get("status", "draft"),
        "date_gmt": "2026-11-22T09:00:00", "link": f"{site.url}/{unique}/",
        "title": {"raw": given.get("title", ""), "rendered": given.get("title", "")},
        "content": {"raw": given.get("content", ""), "rendered": given.get("content", ""),
                    "protected": False},
        "featured_media": featured}
    return site.posts[post_id]


def _list(site: FakeWordPress, query: dict[str, list[str]]) -> list[dict[str, Any]]:
    slugs = set(",".join(query.get("slug", [])).split(",")) - {""}
    statuses = set(",".join(query.get("status", ["publish"])).split(","))
    return [post for post in site.posts.values()
            if (not slugs or post["slug"] in slugs) and post["status"] in statuses]


def _delete(site: FakeWordPress, post_id: int, query: dict[str, list[str]]) -> dict[str, Any]:
    post = site.posts.get(post_id)
    if post is None:
        raise WpError(404, "rest_post_invalid_id", "Invalid post ID.")
    if query.get("force") == ["true"]:
        del site.posts[post_id]
        return {"deleted": True, "previous": post}
    if not site.trash:
        raise WpError(501, "rest_trash_not_supported",
                      "The post does not support trashing. Set 'force=true' to delete.")
    if post["status"] == "trash":
        raise WpError(410, "rest_already_trashed", "The post has already been deleted.")
    post.update(status="trash", slug=f"{post['slug']}__trashed")
    return post
