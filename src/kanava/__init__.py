"""Kanava: an organization's social media plan, lived — plan, publish, listen, measure, adjust."""

from __future__ import annotations

__version__ = "0.1.0"
