"""The worker's outbox loop publishing to a local Mastodon server (mastodon-mock)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from django.utils import timezone
from mastodon_mock.testing.server import MockServer

from kanava.publishing import sealing, services
from kanava.publishing.models import Connection, Post, Variant
from kanava.publishing.outbox import OutboxRunner, start_thread
from kanava.publishing.services import VariantInput
from kanava.publishing.workflow import State
from tests.publishing.conftest import Team

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


@pytest.fixture(scope="module")
def mastodon() -> Iterator[str]:
    with MockServer() as running:
        yield f"http://127.0.0.1:{running.port}"


def _connect(team: Team, server: str, channel: str = "masto") -> Connection:
    return Connection.objects.create(
        organization=team.organization, channel=channel, network="mastodon", base_url=server,
        account="@alice", sealed=sealing.seal({"access_token": "alice_token"}))


def _schedule(team: Team, text: str, at: datetime, now: datetime,
              channel: str = "masto") -> Post:
    post = services.create_post(team.organization, team.editor,
                                [VariantInput(channel, "mastodon", text)], publish_at=at)
    services.submit(post, team.editor)
    services.approve(post, team.lead, "lead", now=now)
    return services.schedule(post, team.lead, now=now)


def _statuses(server: str) -> list[dict[str, Any]]:
    me = httpx.get(f"{server}/api/v1/accounts/verify_credentials",
                   headers={"Authorization": "Bearer alice_token"}).json()
    return list(httpx.get(f"{server}/api/v1/accounts/{me['id']}/statuses").json())


@pytest.mark.django_db
def test_a_due_post_is_published_to_the_connected_account(team: Team, mastodon: str) -> None:
    _connect(team, mastodon)
    post = _schedule(team, "Uimahalli avautuu huomenna klo 6. Nähdäänkö?", LATER, NOW)
    runner = OutboxRunner(name="test", clock=lambda: LATER, threads=1)
    assert runner.tick() == 1
    post.refresh_from_db()
    assert post.state == State.PUBLISHED
    variant = Variant.objects.get()
    assert any(s["id"] == variant.external_id for s in _statuses(mastodon))
    assert runner.tick() == 0  # nothing twice


@pytest.mark.django_db
def test_a_channel_without_an_account_fails_with_a_reason(team: Team) -> None:
    _schedule(team, "Tiedote ilman tiliä. Kysyttävää?", LATER, NOW, channel="nowhere")
    OutboxRunner(name="test", clock=lambda: LATER, threads=1).tick()
    variant = Variant.objects.get()
    assert variant.outbox == "failed"
    assert "no account is connected to the channel nowhere" in variant.error


@pytest.mark.django_db
def test_tokens_are_sealed_at_rest(team: Team, mastodon: str) -> None:
    connection = _connect(team, mastodon)
    assert "alice_token" not in connection.sealed
    assert sealing.unseal(connection.sealed) == {"access_token": "alice_token"}


def test_tokens_sealed_with_another_key_are_refused(settings: Any) -> None:
    sealed = sealing.seal({"access_token": "x"})
    settings.SECRET_KEY = "another key entirely, long enough to be a key"  # noqa: S105
    with pytest.raises(ValueError, match="cannot be read"):
        sealing.unseal(sealed)


@pytest.mark.django_db(transaction=True)
def test_the_outbox_thread_publishes_on_time(team: Team, mastodon: str) -> None:
    _connect(team, mastodon)
    due = timezone.now() + timedelta(seconds=1)
    _schedule(team, "Ajastettu tiedote. Mitä mieltä?", due, timezone.now())
    thread, stop = start_thread(OutboxRunner(name="thread"))
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not Variant.objects.filter(
                outbox="published").exists():
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=10)
    variant = Variant.objects.get()
    assert variant.outbox == "published"
    assert variant.published_at is not None
    assert (variant.published_at - due).total_seconds() < 5


@pytest.mark.django_db
def test_a_due_post_is_published_to_bluesky(team: Team) -> None:
    from tests.connectors.fake_pds import HANDLE, PASSWORD, FakePds

    pds = FakePds()
    try:
        Connection.objects.create(
            organization=team.organization, channel="bsky", network="bluesky",
            base_url=pds.url, account=HANDLE, sealed=sealing.seal({"app_password": PASSWORD}))
        post = services.create_post(team.organization, team.editor,
                                    [VariantInput("bsky", "bluesky", "Kirjasto aukeaa! 📚")],
                                    publish_at=LATER)
        services.submit(post, team.editor)
        services.approve(post, team.lead, "lead", now=NOW)
        services.schedule(post, team.lead, now=NOW)
        OutboxRunner(name="test", clock=lambda: LATER, threads=1).tick()
        variant = Variant.objects.get()
        assert variant.outbox == "published", variant.error
        assert list(pds.records) == [variant.key]
        assert variant.external_url.endswith(f"/post/{variant.key}")
    finally:
        pds.stop()
