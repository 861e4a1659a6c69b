"""Facebook Pages (Graph API)."""

from __future__ import annotations

from kanava.connectors.base import Limits

# Pages take videos, but our publisher sends photos only: no video, so that the checks
# stop one before approval rather than the publish failing.
LIMITS = Limits(max_length=63_206, length=len, max_videos=0)
