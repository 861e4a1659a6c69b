"""Networks by name, imported only when asked for."""

from __future__ import annotations

import importlib

from kanava.connectors.base import Limits

WITH_LIMITS = ("bluesky", "chat", "facebook", "instagram", "linkedin", "mastodon", "threads",
               "wordpress", "x")


def limits(network: str) -> Limits | None:
    """The network's post limits, or None for a network without any we check."""
    if network not in WITH_LIMITS:
        return None
    module = importlib.import_module(f"kanava.connectors.{network}")
    found: Limits = module.LIMITS
    return found
