"""What every network connector shares: its limits and the one error type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol


class ConnectorError(Exception):
    """A network call failed. ``permanent`` says whether trying again could help.

    Transient errors (timeouts, 5xx, rate limits) are retried with bounds for safe calls;
    permanent ones (revoked token, suspended account, refused content) are shown to the
    user and never retried. ``sent`` says whether the request may have reached the
    network: a publish that may have been sent is never repeated blindly, it is marked
    unconfirmed and looked up.
    """

    def __init__(self, message: str, *, permanent: bool, sent: bool = False,
                 retry_after: datetime | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.sent = sent
        self.retry_after = retry_after  # when the network says it will take calls again


class LookupUnsupported(ConnectorError):
    """The network offers no way to read back what was sent (an incoming webhook).

    An unconfirmed publish to such a channel cannot be settled by a look-up: a person is
    asked to check it, and it is never sent again on a guess.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)


@dataclass(frozen=True)
class TokenSet:
    """What an OAuth token endpoint gave: kept sealed on the connection.

    A refresh that returns no new refresh token keeps the stored one (``merged``): some
    networks rotate refresh tokens, others hand out only a new access token.
    """

    access_token: str
    refresh_token: str = ""
    expires_at: datetime | None = None  # when the access token stops working
    scope: str = ""
    # When the refresh token itself runs out (LinkedIn: a year after consent): the
    # account must be connected again by then.
    refresh_expires_at: datetime | None = None

    def merged(self, previous: TokenSet) -> TokenSet:
        """This set, keeping the previous refresh token where this one has none."""
        if self.refresh_token or not previous.refresh_token:
            return self
        return TokenSet(self.access_token, previous.refresh_token, self.expires_at,
                        self.scope or previous.scope, previous.refresh_expires_at)


@dataclass(frozen=True)
class OutgoingMedia:
    path: str
    kind: Literal["image", "video"]
    alt: str = ""


@dataclass(frozen=True)
class Outgoing:
    """One variant as a connector publishes it."""

    text: str
    link: str = ""
    media: tuple[OutgoingMedia, ...] = ()


@dataclass(frozen=True)
class Receipt:
    """What the network gave back for a published post."""

    external_id: str
    url: str = ""


class Publisher(Protocol):
    """What every connector that publishes offers."""

    def publish(self, post: Outgoing, *, key: str) -> Receipt:
        """Publish once; ``key`` makes a repeated call with the same key harmless."""
        ...

    def find(self, post: Outgoing, *, key: str, since: datetime) -> Receipt | None:
        """The post, if the network has it (published at ``since`` or later): how an
        unconfirmed publish is settled."""
        ...

    def delete(self, external_id: str) -> None: ...

    def close(self) -> None:
        """Let go of connections; the publisher is not used after this."""
        ...


@dataclass(frozen=True)
class Limits:
    """A network's documented limits on one post; None where it sets none we know of."""

    max_length: int | None
    length: Callable[[str], int]  # the network's own way of counting the text
    unit: Literal["characters", "weighted"] = "characters"
    max_bytes: int | None = None  # UTF-8 bytes, where the network also limits those
    max_images: int | None = None
    max_videos: int | None = None
    images_with_video: bool = False  # whether images and a video can share a post
    max_image_bytes: int | None = None
    max_video_bytes: int | None = None
    max_alt_length: int | None = None
    max_links: int | None = None
    requires_media: bool = False
