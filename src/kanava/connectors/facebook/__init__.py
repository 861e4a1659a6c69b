"""Facebook Pages (Graph API)."""

from __future__ import annotations

from kanava.connectors.base import Limits

LIMITS = Limits(max_length=63_206, length=len)
