"""Campaign tags (UTM parameters) on a post's links, so web analytics can tell which
campaign and channel brought a visitor."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MEDIUM = "social"


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "-", text.strip().lower()).strip("-")


def tagged(url: str, *, campaign: str, network: str, channel: str) -> str:
    """The URL with utm_source, utm_medium, utm_campaign and utm_content set; parameters
    already in the URL are kept, and existing UTM values are replaced."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.startswith("utm_")]
    query += [("utm_source", network), ("utm_medium", MEDIUM),
              ("utm_campaign", _slug(campaign)), ("utm_content", _slug(channel))]
    return urlunsplit(parts._replace(query=urlencode(query)))
