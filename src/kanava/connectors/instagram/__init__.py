"""Instagram (professional accounts, content publishing API)."""

from __future__ import annotations

from kanava.connectors.base import Limits

# A post is media with a caption of at most 2,200 characters; a carousel holds up to
# 10 images and videos.
LIMITS = Limits(
    max_length=2_200,
    length=len,
    max_images=10,
    max_videos=10,
    images_with_video=True,
    max_image_bytes=8 * 1024 * 1024,
    requires_media=True,
)
