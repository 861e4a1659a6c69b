"""Networks by name, imported only when asked for."""

from __future__ import annotations

import importlib

from kanava.connectors.base import Limits

WITH_LIMITS = ("bluesky", "chat", "facebook", "instagram", "linkedin", "mastodon", "threads",
               "wordpress", "x")


#: A plan's networks that one of our connectors speaks under another name.
CONNECTOR_OF = {"teams": "chat"}  # Microsoft Teams: a Workflows webhook (connectors/chat)


def connector_of(network: str) -> str:
    """The connector package that publishes to a plan's network."""
    return CONNECTOR_OF.get(network, network)


def limits(network: str) -> Limits | None:
    """The network's post limits, or None for a network without any we check."""
    network = connector_of(network)
    if network not in WITH_LIMITS:
        return None
    module = importlib.import_module(f"kanava.connectors.{network}")
    found: Limits = module.LIMITS
    return found
