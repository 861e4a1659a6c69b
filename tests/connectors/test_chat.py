"""The chat webhook publisher against a local stand-in for Slack, Mattermost and Teams
Workflows webhooks, and the exact payloads we send."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kanava.connectors.base import ConnectorError, LookupUnsupported, Outgoing, OutgoingMedia
from kanava.connectors.chat import LIMITS, LIMITS_BY_KIND, slack_length
from kanava.connectors.chat.publisher import Kind, WebhookPublisher, escape_mrkdwn, sections
from tests.connectors.fake_webhooks import (
    MATTERMOST_PATH,
    SIGNATURE,
    SLACK_PATH,
    TEAMS_PATH,
    FakeWebhooks,
)

KEY = "3lbfk2vzcqs2a"
SINCE = datetime(2026, 11, 1, tzinfo=UTC)
SECRETS = (SLACK_PATH, "Xq7Zk2pL9vR4sT1uW8yN3mBd", MATTERMOST_PATH, "k5x8rkfugj8zbqby9pw3huqnyc",
           TEAMS_PATH, "0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c", SIGNATURE)


@pytest.fixture
def hooks() -> Iterator[FakeWebhooks]:
    server = FakeWebhooks()
    yield server
    server.stop()


def publisher(hooks: FakeWebhooks, kind: Kind) -> WebhookPublisher:
    return WebhookPublisher(kind, hooks.urls[kind])


def refused(client: WebhookPublisher, post: Outgoing | None = None) -> ConnectorError:
    with pytest.raises(ConnectorError) as raised:
        client.publish(post or Outgoing("Hei"), key=KEY)
    message = str(raised.value)
    assert not any(secret in message for secret in SECRETS), message
    return raised.value


# --- Slack ---------------------------------------------------------------------------


def test_slack_gets_escaped_text_in_a_section(hooks: FakeWebhooks) -> None:
    receipt = publisher(hooks, "slack").publish(
        Outgoing("Koulu & kirjasto <3 >_<", link="https://kunta.fi/a?b=1&c=2"), key=KEY)
    [request] = hooks.received
    assert request.path == SLACK_PATH
    assert request.headers["Content-Type"] == "application/json"
    text = "Koulu &amp; kirjasto &lt;3 &gt;_&lt;\n\nhttps://kunta.fi/a?b=1&amp;c=2"
    assert request.json() == {"text": text, "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}}]}
    assert receipt.external_id == f"slack:{KEY}"
    assert receipt.url == ""


def test_a_long_slack_text_is_split_into_sections_of_3000(hooks: FakeWebhooks) -> None:
    text = "\n".join(f"Rivi {n}: uimahalli & kirjasto." for n in range(400))
    publisher(hooks, "slack").publish(Outgoing(text), key=KEY)
    blocks = hooks.received[0].json()["blocks"]
    assert len(blocks) > 3
    assert all(0 < len(block["text"]["text"]) <= 3000 for block in blocks)
    assert "\n".join(block["text"]["text"] for block in blocks) == escape_mrkdwn(text)


def test_sections_never_cut_an_entity_and_cut_a_long_word() -> None:
    assert sections("&" * 10, 12) == ["&amp;&amp;", "&amp;&amp;", "&amp;&amp;", "&amp;&amp;",
                                      "&amp;&amp;"]
    assert sections("a" * 7, 3) == ["aaa", "aaa", "a"]
    assert sections("  ") == []


def test_images_are_not_sent_to_a_chat(hooks: FakeWebhooks, tmp_path: Path) -> None:
    image = tmp_path / "kuva.png"
    image.write_bytes(b"\x89PNG")
    publisher(hooks, "slack").publish(Outgoing("Kuva", media=(
        OutgoingMedia(str(image), "image", "Lukusali"),)), key=KEY)
    [request] = hooks.received
    assert b"kuva.png" not in request.body
    assert b"Lukusali" not in request.body
    assert [block["type"] for block in request.json()["blocks"]] == ["section"]


def test_a_post_with_nothing_to_say_is_not_sent(hooks: FakeWebhooks, tmp_path: Path) -> None:
    post = Outgoing("", media=(OutgoingMedia(str(tmp_path / "kuva.png"), "image"),))
    error = refused(publisher(hooks, "slack"), post)
    assert error.permanent
    assert "takes no images" in str(error)
    assert hooks.received == []


@pytest.mark.parametrize(("state", "status", "reason"), [
    ("archived", 410, "channel_is_archived"), ("gone", 404, "channel_not_found"),
    ("no_service", 404, "no_service")])
def test_a_closed_slack_channel_is_permanent(hooks: FakeWebhooks, state: str, status: int,
                                             reason: str) -> None:
    hooks.state["slack"] = state
    error = refused(publisher(hooks, "slack"))
    assert error.permanent
    assert str(error) == f"Slack webhook: POST 127.0.0.1: HTTP {status}: {reason}"


def test_a_wrong_slack_token_is_permanent_and_not_repeated_in_the_error(
        hooks: FakeWebhooks) -> None:
    client = WebhookPublisher("slack", hooks.base + SLACK_PATH.replace("Xq7", "Yq7"))
    error = refused(client)
    assert error.permanent
    assert "HTTP 403: invalid_token" in str(error)
    assert "Yq7" not in str(error)


def test_a_slack_rate_limit_is_transient_with_retry_after(hooks: FakeWebhooks) -> None:
    hooks.rate_limited = 1
    before = datetime.now(UTC)
    error = refused(publisher(hooks, "slack"))
    assert not error.permanent
    assert not error.sent
    assert error.retry_after is not None
    assert before + timedelta(seconds=29) <= error.retry_after
    assert error.retry_after <= datetime.now(UTC) + timedelta(seconds=31)


def test_a_slack_server_error_may_have_posted(hooks: FakeWebhooks) -> None:
    hooks.state["slack"] = "broken"
    error = refused(publisher(hooks, "slack"))
    assert error.sent
    assert not error.permanent
    assert "rollup_error" in str(error)


def test_an_unreachable_chat_names_only_its_host() -> None:
    with socket.socket() as probe:  # a port that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = refused(WebhookPublisher("slack", f"http://127.0.0.1:{port}{SLACK_PATH}"))
    assert not error.permanent
    assert str(error).startswith("Slack webhook: POST 127.0.0.1: cannot connect")


# --- Mattermost ----------------------------------------------------------------------


def test_mattermost_gets_markdown_text_and_our_key_in_props(hooks: FakeWebhooks) -> None:
    receipt = publisher(hooks, "mattermost").publish(
        Outgoing("**Uimahalli** aukeaa & <sulkeutuu>", link="https://kunta.fi/u"), key=KEY)
    [request] = hooks.received
    assert request.path == MATTERMOST_PATH
    assert request.json() == {"text": "**Uimahalli** aukeaa & <sulkeutuu>\n\nhttps://kunta.fi/u",
                              "props": {"kanava_key": KEY}}
    assert receipt.external_id == f"mattermost:{KEY}"


def test_an_unknown_mattermost_hook_is_permanent(hooks: FakeWebhooks) -> None:
    client = WebhookPublisher("mattermost", hooks.base + "/hooks/k5x8rkfugj8zbqby9pw3huqnyz")
    error = refused(client)
    assert error.permanent
    assert str(error) == "Mattermost webhook: POST 127.0.0.1: HTTP 400: Invalid webhook."
    assert "k5x8rkfugj8zbqby9pw3huqnyz" not in str(error)


def test_a_mattermost_rate_limit_is_transient(hooks: FakeWebhooks) -> None:
    hooks.rate_limited = 1
    error = refused(publisher(hooks, "mattermost"))
    assert not error.permanent
    assert error.retry_after is not None


# --- Teams ---------------------------------------------------------------------------


def test_teams_gets_an_adaptive_card_with_the_link_as_a_button(hooks: FakeWebhooks) -> None:
    receipt = publisher(hooks, "teams").publish(Outgoing(
        "Uimahalli aukeaa\nklo 6\n\nTervetuloa!", link="https://www.kunta.fi/uimahalli"),
        key=KEY)
    [request] = hooks.received
    assert request.path == TEAMS_PATH
    assert request.query["sig"] == [SIGNATURE]
    assert request.query["sp"] == ["/triggers/manual/run"]
    assert request.json() == {"type": "message", "attachments": [{
        "contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
        "content": {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard", "version": "1.4",
            "body": [{"type": "TextBlock", "text": "Uimahalli aukeaa", "wrap": True},
                     {"type": "TextBlock", "text": "klo 6", "wrap": True, "spacing": "None"},
                     {"type": "TextBlock", "text": "Tervetuloa!", "wrap": True}],
            "actions": [{"type": "Action.OpenUrl", "url": "https://www.kunta.fi/uimahalli",
                         "title": "kunta.fi"}]}}]}
    assert receipt.external_id == f"teams:{KEY}"


def test_a_wrong_teams_signature_is_permanent_and_kept_secret(hooks: FakeWebhooks) -> None:
    client = WebhookPublisher("teams", hooks.urls["teams"].replace(SIGNATURE, "forged-sig"))
    error = refused(client)
    assert error.permanent
    assert "HTTP 401" in str(error)
    assert "forged-sig" not in str(error)


def test_a_teams_rate_limit_is_transient_with_retry_after(hooks: FakeWebhooks) -> None:
    hooks.rate_limited = 1
    error = refused(publisher(hooks, "teams"))
    assert not error.permanent
    assert error.retry_after is not None
    assert "WorkflowRequestsThrottled" in str(error)


# --- every kind ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["slack", "mattermost", "teams"])
def test_a_webhook_cannot_be_read_back_or_deleted(hooks: FakeWebhooks, kind: Kind) -> None:
    client = publisher(hooks, kind)
    with pytest.raises(LookupUnsupported):
        client.find(Outgoing("Hei"), key=KEY, since=SINCE)
    with pytest.raises(ConnectorError, match="remove the message") as raised:
        client.delete(f"{kind}:{KEY}")
    assert raised.value.permanent
    assert hooks.received == []


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="irc"):
        WebhookPublisher("irc", "https://example.org/hook")  # type: ignore[arg-type]


def test_the_package_limits_are_the_smallest_of_the_kinds() -> None:
    assert LIMITS_BY_KIND["slack"].max_length == 40_000
    assert LIMITS_BY_KIND["mattermost"].max_length == 16_383
    assert LIMITS_BY_KIND["teams"].max_bytes == 20_000
    lengths = [limits.max_length for limits in LIMITS_BY_KIND.values() if limits.max_length]
    assert LIMITS.max_length == min(lengths)
    assert LIMITS.max_bytes == LIMITS_BY_KIND["teams"].max_bytes
    assert LIMITS.max_images == LIMITS.max_videos == 0
    assert slack_length("a & <b>") == len(escape_mrkdwn("a & <b>"))
