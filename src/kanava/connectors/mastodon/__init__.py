"""Mastodon (and other servers speaking its API)."""

from __future__ import annotations

from kanava.connectors.base import Limits
from kanava.connectors.counting import FEDIVERSE_MENTION, graphemes, with_short_urls

URL_LENGTH = 23


def length(text: str) -> int:
    """Mastodon's count: graphemes, a URL as 23, a remote mention as its @user part only."""
    return graphemes(FEDIVERSE_MENTION.sub(r"\1", with_short_urls(text, URL_LENGTH)))


# The defaults of a Mastodon 4 server; a server may raise them (instance configuration).
LIMITS = Limits(
    max_length=500,
    length=length,
    max_images=4,
    max_videos=1,
    max_image_bytes=16 * 1024 * 1024,
    max_video_bytes=99 * 1024 * 1024,
    max_alt_length=1_500,
)
