"""Connected accounts: fresh tokens before a publish, and what a refresh may never lose."""
# ruff: noqa: S105 - the tokens here are made up

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kanava.connectors.base import ConnectorError, Outgoing, TokenSet
from kanava.connectors.bluesky.publisher import BlueskyPublisher
from kanava.connectors.x import oauth
from kanava.connectors.x.publisher import XPublisher
from kanava.publishing import connections
from kanava.publishing.models import Connection
from tests.connectors.fake_x import CLIENT_ID, CLIENT_SECRET, FakeX
from tests.publishing.conftest import Team

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
REDIRECT = "https://kanava.example/accounts/x/callback/"


def _x(team: Team, expires_in: timedelta) -> Connection:
    tokens = TokenSet("access-1", "refresh-1", NOW + expires_in, "tweet.write")
    return connections.connect(team.organization, "x", "x", account="@testby",
                               secrets=connections.with_tokens({}, tokens))


class Refresher:
    """Stands in for the token endpoint (the real ones are tested in tests/connectors)."""

    def __init__(self, answer: TokenSet | ConnectorError) -> None:
        self.answer, self.calls = answer, 0

    def __call__(self, network: str, tokens: TokenSet) -> TokenSet:
        self.calls += 1
        assert tokens.refresh_token == "refresh-1"
        if isinstance(self.answer, ConnectorError):
            raise self.answer
        return self.answer


def test_a_token_far_from_expiry_is_used_as_it_is(team: Team) -> None:
    refresher = Refresher(TokenSet("access-2"))
    secrets = connections.fresh_secrets(_x(team, timedelta(hours=2)), NOW, refresher)
    assert secrets["access_token"] == "access-1"
    assert refresher.calls == 0


def test_a_token_about_to_run_out_is_refreshed_and_sealed(team: Team) -> None:
    connection = _x(team, timedelta(minutes=5))
    refresher = Refresher(TokenSet("access-2", "refresh-2", NOW + timedelta(hours=2)))
    secrets = connections.fresh_secrets(connection, NOW, refresher)
    assert (secrets["access_token"], secrets["refresh_token"]) == ("access-2", "refresh-2")
    stored = connections.secrets_of(Connection.objects.get())
    assert stored["refresh_token"] == "refresh-2"
    assert "access-2" not in Connection.objects.get().sealed  # sealed, not plain


def test_a_refresh_without_a_new_refresh_token_keeps_the_old_one(team: Team) -> None:
    connection = _x(team, timedelta(minutes=5))
    connections.fresh_secrets(connection, NOW, Refresher(TokenSet("access-2", "",
                                                                  NOW + timedelta(hours=2))))
    stored = connections.token_set(connections.secrets_of(Connection.objects.get()))
    assert (stored.access_token, stored.refresh_token) == ("access-2", "refresh-1")


def test_a_transient_failure_never_disconnects(team: Team) -> None:
    connection = _x(team, timedelta(minutes=5))
    with pytest.raises(ConnectorError):
        connections.fresh_secrets(connection, NOW, Refresher(ConnectorError("503",
                                                                            permanent=False)))
    stored = Connection.objects.get()
    assert stored.status == Connection.Status.ACTIVE
    assert connections.secrets_of(stored)["refresh_token"] == "refresh-1"


def test_a_refused_refresh_asks_for_reconnecting(team: Team) -> None:
    connection = _x(team, timedelta(minutes=5))
    with pytest.raises(ConnectorError):
        connections.fresh_secrets(connection, NOW, Refresher(ConnectorError(
            "invalid_request", permanent=True)))
    stored = Connection.objects.get()
    assert stored.status == Connection.Status.BROKEN
    assert "could not be refreshed" in stored.problem
    assert connections.secrets_of(stored)["refresh_token"] == "refresh-1"  # kept anyway
    with pytest.raises(ConnectorError, match="needs reconnecting") as raised:
        connections.publisher(stored, NOW)
    assert raised.value.permanent


def test_the_periodic_job_refreshes_what_runs_out_within_a_day(team: Team) -> None:
    _x(team, timedelta(hours=20))
    refresher = Refresher(TokenSet("access-2", "refresh-2", NOW + timedelta(hours=40)))
    assert connections.refresh_due(NOW, refresher) == {"refreshed": 1, "failed": 0}
    assert connections.refresh_due(NOW, refresher) == {"refreshed": 0, "failed": 0}
    assert refresher.calls == 1


def test_every_network_gets_its_publisher(team: Team) -> None:
    made = connections.publisher(_x(team, timedelta(hours=2)), NOW)
    assert isinstance(made, XPublisher)
    made.close()
    bluesky = connections.connect(team.organization, "bsky", "bluesky", account="testby.bsky",
                                  secrets={"app_password": "abcd-efgh"})
    made = connections.publisher(bluesky, NOW)
    assert isinstance(made, BlueskyPublisher)
    made.close()
    feed = connections.connect(team.organization, "feed", "newsletter", account="x", secrets={})
    with pytest.raises(ConnectorError, match="not available"):
        connections.publisher(feed, NOW)


def test_a_refreshed_x_token_publishes_through_the_real_token_endpoint(team: Team) -> None:
    server = FakeX()
    try:
        verifier, challenge = oauth.new_pkce()
        first = oauth.exchange_code(server.consent(challenge, REDIRECT), verifier, CLIENT_ID,
                                    CLIENT_SECRET, REDIRECT, base_url=server.url)
        connection = connections.connect(team.organization, "x", "x", account="@testby",
                                         secrets=connections.with_tokens({}, first))

        def refresher(network: str, tokens: TokenSet) -> TokenSet:
            return oauth.refresh(tokens, CLIENT_ID, CLIENT_SECRET, base_url=server.url)

        assert first.expires_at is not None
        secrets = connections.fresh_secrets(connection, first.expires_at - timedelta(minutes=5),
                                            refresher)
        assert secrets["refresh_token"] not in ("", first.refresh_token)  # X rotates them
        client = XPublisher(secrets["access_token"], server.url)
        assert client.publish(Outgoing("Hei"), key="k1").external_id
        client.close()
    finally:
        server.stop()
