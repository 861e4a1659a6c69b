"""WordPress sites (self-hosted or hosted), through the REST API in WordPress core."""

from __future__ import annotations

from kanava.connectors.base import Limits

# A post's content has no length limit in WordPress; how large an upload may be is the
# site's own PHP setting (upload_max_filesize), which we cannot know in advance.
LIMITS = Limits(max_length=None, length=len)
