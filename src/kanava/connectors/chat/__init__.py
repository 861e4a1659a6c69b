"""The organisation's own chat (Slack, Mattermost, Microsoft Teams) by incoming webhook.

No kind takes our images: a webhook sends no files, and image blocks need a public
address we do not have. So every kind takes none, and a post with images is stopped
before publishing instead of arriving without them.
"""

from __future__ import annotations

from kanava.connectors.base import Limits


def slack_length(text: str) -> int:
    """Slack's count is of the text as sent, with & < > written as HTML entities."""
    return len(text) + 4 * text.count("&") + 3 * (text.count("<") + text.count(">"))


LIMITS_BY_KIND = {
    # chat.postMessage: "truncate messages containing more than 40,000 characters"; each
    # section block holds at most 3,000, so the publisher splits the text into sections.
    "slack": Limits(max_length=40_000, length=slack_length, max_images=0, max_videos=0),
    # Mattermost 5.0+ takes posts of up to 16,383 characters (runes); a longer webhook
    # text is split into several posts, which we avoid.
    "mattermost": Limits(max_length=16_383, length=len, max_images=0, max_videos=0),
    # Teams: "The message size limit is 28 KB", for the whole card. 20,000 bytes of text
    # leaves room for the card around it and for JSON escapes.
    "teams": Limits(max_length=None, length=len, max_bytes=20_000, max_images=0,
                    max_videos=0),
}

# What holds for every kind: the channel's kind is a setting of the connection, while
# a variant is written for "chat".
LIMITS = Limits(max_length=16_383, length=len, max_bytes=20_000, max_images=0, max_videos=0)
