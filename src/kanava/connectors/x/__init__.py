"""X (formerly Twitter)."""

from __future__ import annotations

from kanava.connectors.base import Limits
from kanava.connectors.counting import x_weighted

# docs.x.com "Counting characters" and twitter-text config v3; media: 4 images of at
# most 5 MB or one video; alt text at most 1,000 characters. X takes one video of at most
# 512 MB, but only through the chunked upload, which our publisher does not make yet: no
# video, so that the checks stop one before approval rather than the publish failing.
LIMITS = Limits(
    max_length=280,
    length=x_weighted,
    unit="weighted",
    max_images=4,
    max_videos=0,
    max_image_bytes=5 * 1024 * 1024,
    max_video_bytes=512 * 1024 * 1024,
    max_alt_length=1_000,
)
