"""The network accounts behind an organization's channels: connecting them, keeping
their tokens fresh, and making the publisher the outbox calls.

Tokens are sealed at rest (sealing.py). An access token that runs out soon is refreshed
before it is used, and a periodic job refreshes those running out within a day. A
transient failure of a refresh never disconnects an account (the publish is retried
later); only a refusal (revoked consent, an expired refresh token) marks it as needing
reconnecting. A refresh that returns no new refresh token keeps the stored one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kanava.accounts.models import Organization
from kanava.connectors.base import ConnectorError, Publisher, TokenSet
from kanava.publishing import sealing
from kanava.publishing.models import Connection

REFRESH_AHEAD = timedelta(minutes=10)  # refresh before use when this close to expiry
REFRESH_WITHIN = timedelta(days=1)  # the periodic job refreshes what runs out this soon
REFRESHABLE = ("x", "linkedin")  # networks whose access tokens run out and are refreshed

Refresher = Callable[[str, TokenSet], TokenSet]


def connect(organization: Organization, channel: str, network: str, *, account: str,
            secrets: dict[str, Any], base_url: str = "") -> Connection:
    """Connect (or reconnect) the channel's account; its secrets are sealed."""
    connection, _created = Connection.objects.update_or_create(
        organization=organization, channel=channel,
        defaults={"network": network, "account": account[:300], "base_url": base_url,
                  "sealed": sealing.seal(secrets), "status": Connection.Status.ACTIVE,
                  "problem": ""})
    return connection


def secrets_of(connection: Connection) -> dict[str, Any]:
    return sealing.unseal(connection.sealed)


def token_set(secrets: dict[str, Any]) -> TokenSet:
    """The OAuth tokens among a connection's secrets."""
    return TokenSet(str(secrets.get("access_token", "")), str(secrets.get("refresh_token", "")),
                    _moment(secrets.get("expires_at")), str(secrets.get("scope", "")),
                    _moment(secrets.get("refresh_expires_at")))


def with_tokens(secrets: dict[str, Any], tokens: TokenSet) -> dict[str, Any]:
    """The secrets with these tokens in place of the old ones (other values kept)."""
    return {**secrets, "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token, "scope": tokens.scope,
            "expires_at": tokens.expires_at.isoformat() if tokens.expires_at else None,
            "refresh_expires_at": tokens.refresh_expires_at.isoformat()
            if tokens.refresh_expires_at else None}


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def network_refresh(network: str, tokens: TokenSet) -> TokenSet:
    """Refresh through the network's token endpoint with the configured OAuth app."""
    client_id, client_secret = settings.NETWORK_APPS.get(network, ("", ""))
    if not client_id:
        raise ConnectorError(f"no {network} app is configured (KANAVA_{network.upper()}_"
                             "CLIENT_ID): the token cannot be refreshed", permanent=True)
    if network == "x":
        from kanava.connectors.x import oauth as x_oauth

        return x_oauth.refresh(tokens, client_id, client_secret)
    from kanava.connectors.linkedin import oauth as linkedin_oauth

    return linkedin_oauth.refresh(tokens, client_id, client_secret)


def fresh_secrets(connection: Connection, now: datetime | None = None,
                  refresher: Refresher = network_refresh, ahead: timedelta = REFRESH_AHEAD,
                  ) -> dict[str, Any]:
    """The connection's secrets, its access token refreshed first if it runs out soon."""
    now = now or timezone.now()
    secrets = secrets_of(connection)
    if connection.network not in REFRESHABLE:
        return secrets
    expires = token_set(secrets).expires_at
    if expires is None or expires - now > ahead:
        return secrets
    with transaction.atomic():
        # One refresh at a time: a rotated refresh token works once only.
        locked = Connection.objects.select_for_update().get(pk=connection.pk)
        secrets = secrets_of(locked)
        current = token_set(secrets)
        if current.expires_at is not None and current.expires_at - now > ahead:
            return secrets  # another worker refreshed it meanwhile
        try:
            renewed = refresher(locked.network, current).merged(current)
        except ConnectorError as error:
            refused = error
        else:
            secrets = with_tokens(secrets, renewed)
            locked.sealed = sealing.seal(secrets)
            locked.save(update_fields=["sealed"])
            connection.sealed = locked.sealed
            return secrets
    if refused.permanent:  # outside the transaction, which a raise would roll back
        _broken(locked, f"the token could not be refreshed: {refused}")
    raise refused


def refresh_due(now: datetime | None = None, refresher: Refresher = network_refresh,
                ) -> dict[str, int]:
    """Refresh every access token that runs out within a day (the periodic job)."""
    counts = {"refreshed": 0, "failed": 0}
    for connection in Connection.objects.filter(network__in=REFRESHABLE,
                                                status=Connection.Status.ACTIVE):
        before = connection.sealed
        try:
            fresh_secrets(connection, now, refresher, ahead=REFRESH_WITHIN)
        except (ConnectorError, ValueError):
            counts["failed"] += 1
        else:
            counts["refreshed"] += connection.sealed != before
    return counts


def _broken(connection: Connection, problem: str) -> None:
    connection.status, connection.problem = Connection.Status.BROKEN, problem[:2_000]
    connection.save(update_fields=["status", "problem"])


def publisher(connection: Connection, now: datetime | None = None) -> Publisher:
    """The publisher of the connection's account, with fresh tokens."""
    if connection.status != Connection.Status.ACTIVE:
        raise ConnectorError(f"the account of {connection.channel} needs reconnecting: "
                             f"{connection.problem}", permanent=True)
    secrets = fresh_secrets(connection, now)
    network, token = connection.network, str(secrets.get("access_token", ""))
    if network == "mastodon":
        from kanava.connectors.mastodon.publisher import MastodonPublisher

        return MastodonPublisher(connection.base_url, token)
    if network == "bluesky":
        from kanava.connectors.bluesky.publisher import DEFAULT_SERVICE, BlueskyPublisher

        return BlueskyPublisher(connection.account, str(secrets["app_password"]),
                                connection.base_url or DEFAULT_SERVICE)
    if network == "x":
        from kanava.connectors.x.publisher import DEFAULT_API, XPublisher

        return XPublisher(token, connection.base_url or DEFAULT_API)
    if network == "facebook":
        from kanava.connectors.facebook.publisher import GRAPH, FacebookPagePublisher

        return FacebookPagePublisher(str(secrets["page_id"]), token, connection.base_url or GRAPH)
    if network == "linkedin":
        from kanava.connectors.linkedin.publisher import API, LinkedInPublisher

        return LinkedInPublisher(str(secrets["organization_urn"]), token,
                                 connection.base_url or API)
    if network == "wordpress":
        from kanava.connectors.wordpress.publisher import WordPressPublisher

        return WordPressPublisher(connection.base_url, str(secrets["user"]),
                                  str(secrets["app_password"]))
    if network == "chat":
        from kanava.connectors.chat.publisher import WebhookPublisher

        return WebhookPublisher(secrets["kind"], str(secrets["url"]))
    raise ConnectorError(f"publishing to {network} is not available", permanent=True)
