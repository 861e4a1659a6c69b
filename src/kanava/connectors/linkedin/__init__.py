"""LinkedIn organization pages (Posts API)."""

from __future__ import annotations

import re

from kanava.connectors.base import Limits

# The Posts API's "little text format": these characters must be escaped with a
# backslash in `commentary`, and the escapes count towards its 3,000 characters.
# Every reserved character but a "#" that starts a hashtag (a HashtagElement of little).
_RESERVED = re.compile(r"([\\|{}@\[\]()<>*_~]|(?<=\w)#|#(?!\w))")


def escape(text: str) -> str:
    """The text as LinkedIn's little text format needs it; #hashtags stay hashtags."""
    return _RESERVED.sub(r"\\\1", text)


def length(text: str) -> int:
    return len(escape(text))


# LinkedIn takes one video, but our publisher sends images only: no video, so that the
# checks stop one before approval rather than the publish failing.
LIMITS = Limits(max_length=3_000, length=length, max_images=20, max_videos=0)
