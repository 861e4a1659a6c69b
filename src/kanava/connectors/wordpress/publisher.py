"""Publishing to a WordPress site through its REST API (developer.wordpress.org/rest-api).

Sign-in is an Application Password (WordPress 5.6+, made on the user's profile page), sent
as HTTP Basic ``user:application-password``; WordPress offers these only over HTTPS
(https://developer.wordpress.org/rest-api/using-the-rest-api/authentication/ and
https://make.wordpress.org/core/2020/11/05/application-passwords-integration-guide/).
The API root is ``{site}/wp-json/``.

- images and videos: ``POST /wp/v2/media`` with the file as the raw body, its
  ``Content-Type`` and ``Content-Disposition: attachment; filename=…``; then the alt text
  with ``POST /wp/v2/media/<id>`` and ``alt_text``
  (https://developer.wordpress.org/rest-api/reference/media/);
- post: ``POST /wp/v2/posts`` with ``title``, ``content`` (HTML), ``status: publish``,
  ``featured_media`` (the first image) and ``slug``
  (https://developer.wordpress.org/rest-api/reference/posts/#create-a-post);
- look-up: ``GET /wp/v2/posts?slug=…&status=publish``; published posts are listed to
  anyone, other statuses only to users who may edit posts, and we need none of those;
- delete: ``DELETE /wp/v2/posts/<id>`` without ``force``: the post goes to the trash, where
  the site's editors can still restore it (WordPress empties the trash after 30 days). A
  site with the trash turned off answers 501 ``rest_trash_not_supported``; only then is
  the post deleted for good with ``force=true``;
- the connect flow: ``GET /wp/v2/users/me`` gives the user's name
  (https://developer.wordpress.org/rest-api/reference/users/).

WordPress has no idempotency key, so the slug is our marker: ``kanava-<key>``. WordPress
does not refuse a second post with a slug already taken, it makes the slug unique by
adding "-2". A publish is therefore never repeated blindly: the outbox calls ``find``,
which looks for the exact slug, before it sends again. Files uploaded by a try that
failed stay in the media library, unattached.

Errors come as WP_Error JSON, ``{"code": …, "message": …, "data": {"status": …}}``: a
wrong application password is 401 ``incorrect_password``, a user who may not post 401/403
``rest_cannot_create`` or ``rest_cannot_publish``; all permanent.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from kanava.connectors import http
from kanava.connectors.base import ConnectorError, Outgoing, OutgoingMedia, Receipt
from kanava.connectors.counting import URL

SLUG_PREFIX = "kanava-"
TITLE_LENGTH = 80  # a title longer than this is cut at a word and ends in "…"
_BLANK_LINE = re.compile(r"\n\s*\n")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def slug(key: str) -> str:
    """The post's slug: WordPress keeps slugs in lower case."""
    return f"{SLUG_PREFIX}{key.lower()}"


def title_and_body(text: str) -> tuple[str, str]:
    """The title is the first line, shortened; the body is the rest where the whole line
    became the title, else the whole text, so that nothing of the text is lost."""
    text = text.strip()
    first, _, rest = text.partition("\n")
    first = first.strip()
    title = shorten(first)
    return title, rest.strip() if title == first and rest.strip() else text


def shorten(line: str, most: int = TITLE_LENGTH) -> str:
    if len(line) <= most:
        return line
    cut = line.rfind(" ", 0, most)
    return line[: cut if cut > most // 2 else most - 1].rstrip(" ,.;:-") + "…"


def content_html(body: str, link: str, media: list[tuple[OutgoingMedia, str]]) -> str:
    """The post's HTML: the text as escaped paragraphs with its URLs as links, then the
    images and videos, then the link unless the text already holds it."""
    parts = [f"<p>{_linked(paragraph)}</p>" for paragraph in _BLANK_LINE.split(body)
             if paragraph.strip()]
    parts += [_figure(item, source) for item, source in media]
    if link and link not in body:
        parts.append(f"<p>{_anchor(link)}</p>")
    return "\n".join(parts)


def _linked(paragraph: str) -> str:
    pieces, start = [], 0
    for match in URL.finditer(paragraph):
        pieces += [html.escape(paragraph[start: match.start()], quote=False),
                   _anchor(match.group(0))]
        start = match.end()
    pieces.append(html.escape(paragraph[start:], quote=False))
    return "".join(pieces).strip().replace("\n", "<br />\n")


def _anchor(url: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>'


def _figure(item: OutgoingMedia, source: str) -> str:
    if item.kind == "video":
        return f'<figure><video controls src="{html.escape(source)}"></video></figure>'
    return f'<figure><img src="{html.escape(source)}" alt="{html.escape(item.alt)}" /></figure>'


class WordPressPublisher:
    """One user on one site, signed in with an application password."""

    def __init__(self, site_url: str, user: str, app_password: str,
                 transport: httpx.BaseTransport | None = None) -> None:
        # WordPress shows application passwords in groups of four and ignores the spaces.
        secret = base64.b64encode(f"{user}:{''.join(app_password.split())}".encode()).decode()
        self.session = http.client(f"{site_url.rstrip('/')}/wp-json",
                                   {"Authorization": f"Basic {secret}"}, transport)

    def close(self) -> None:
        self.session.close()

    def verify(self) -> str:
        """The user's display name: whether the site takes these credentials."""
        me = http.call(self.session, "GET", "/wp/v2/users/me", writes=False).json()
        return str(me.get("name") or me.get("slug") or "")

    def publish(self, post: Outgoing, *, key: str) -> Receipt:
        uploaded = [(item, *self._upload(item, key, index))
                    for index, item in enumerate(post.media)]
        title, body = title_and_body(post.text)
        data: dict[str, Any] = {
            "title": html.escape(title, quote=False), "slug": slug(key), "status": "publish",
            "content": content_html(body, post.link,
                                    [(item, source) for item, _, source in uploaded]),
        }
        images = [media_id for item, media_id, _ in uploaded if item.kind == "image"]
        if images:
            data["featured_media"] = images[0]
        response = http.call(self.session, "POST", "/wp/v2/posts", writes=True, json=data)
        return _receipt(response.json())

    def _upload(self, item: OutgoingMedia, key: str, index: int) -> tuple[int, str]:
        """The media item's id and address; its alt text is set in a second call because
        a raw-body upload carries only the file."""
        path = Path(item.path)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        # An ASCII name: HTTP headers cannot carry others, and WordPress builds the file's
        # address from it.
        name = _UNSAFE_FILENAME.sub("-", path.stem).strip("-") or f"{slug(key)}-{index + 1}"
        uploaded = http.call(self.session, "POST", "/wp/v2/media", writes=True,
                             content=path.read_bytes(),
                             headers={"Content-Type": kind, "Content-Disposition":
                                      f'attachment; filename="{name}{path.suffix.lower()}"'}
                             ).json()
        media_id = int(uploaded["id"])
        if item.alt:
            http.call(self.session, "POST", f"/wp/v2/media/{media_id}", writes=True,
                      json={"alt_text": item.alt})
        return media_id, str(uploaded.get("source_url") or "")

    def find(self, post: Outgoing, *, key: str, since: datetime) -> Receipt | None:
        """The post by its slug; the slug is made from the key, so no date is compared."""
        found = http.call(self.session, "GET", "/wp/v2/posts", writes=False,
                          params={"slug": slug(key), "status": "publish"}).json()
        exact = [item for item in found if item.get("slug") == slug(key)]
        return _receipt(exact[0]) if exact else None

    def delete(self, external_id: str) -> None:
        """Move the post to the trash; delete it for good only where there is no trash."""
        path = f"/wp/v2/posts/{external_id}"
        try:
            http.call(self.session, "DELETE", path, writes=True)
        except ConnectorError as error:
            if "HTTP 410" in str(error):  # rest_already_trashed: an earlier try got through
                return
            if "HTTP 501" not in str(error):  # rest_trash_not_supported
                raise
            http.call(self.session, "DELETE", path, writes=True, params={"force": "true"})


def _receipt(item: dict[str, Any]) -> Receipt:
    return Receipt(str(item["id"]), str(item.get("link") or ""))
