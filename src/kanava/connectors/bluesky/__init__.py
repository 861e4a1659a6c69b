"""Bluesky (the AT Protocol's app.bsky lexicons)."""

from __future__ import annotations

from kanava.connectors.base import Limits
from kanava.connectors.counting import graphemes

# app.bsky.feed.post: text maxGraphemes 300, maxLength 3000 (bytes);
# app.bsky.embed.images: at most 4 images, each blob at most 1,000,000 bytes;
# app.bsky.embed.video: one video blob of at most 100,000,000 bytes, which our publisher
# does not send yet: no video, so that the checks stop one before approval.
LIMITS = Limits(
    max_length=300,
    length=graphemes,
    max_bytes=3_000,
    max_images=4,
    max_videos=0,
    max_image_bytes=1_000_000,
    max_video_bytes=100_000_000,
)
