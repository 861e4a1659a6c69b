"""Threads (Meta's Threads API)."""

from __future__ import annotations

from kanava.connectors.base import Limits
from kanava.connectors.counting import threads_length

# Threads API "Posts": text at most 500 characters, emoji counted as their UTF-8 bytes;
# at most 5 links; a carousel holds up to 20 images and videos; images up to 8 MB.
LIMITS = Limits(
    max_length=500,
    length=threads_length,
    max_images=20,
    max_videos=20,
    images_with_video=True,
    max_image_bytes=8 * 1024 * 1024,
    max_video_bytes=1024 * 1024 * 1024,
    max_links=5,
)
