"""The Mastodon publisher against a local server that speaks Mastodon's API
(mastodon-mock from PyPI), and the exact requests we send."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from mastodon_mock.testing.server import MockServer

from kanava.connectors.base import ConnectorError, Outgoing, OutgoingMedia
from kanava.connectors.mastodon.publisher import MastodonPublisher, plain_text
from tests.connectors.local_server import Answer, LocalServer, Request, json_answer

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with MockServer() as running:
        yield f"http://127.0.0.1:{running.port}"


@pytest.fixture
def alice(server: str) -> Iterator[MastodonPublisher]:
    publisher = MastodonPublisher(server, "alice_token")
    yield publisher
    publisher.close()


def test_it_publishes_a_status_and_returns_its_id_and_url(alice: MastodonPublisher,
                                                          server: str) -> None:
    receipt = alice.publish(Outgoing("Kirjasto aukeaa klo 9. Tervetuloa!"), key="k-publish-1")
    status = httpx.get(f"{server}/api/v1/statuses/{receipt.external_id}").json()
    assert plain_text(status["content"]) == "Kirjasto aukeaa klo 9. Tervetuloa!"
    assert receipt.url


def test_the_same_key_never_makes_a_second_status(alice: MastodonPublisher) -> None:
    first = alice.publish(Outgoing("Vain kerran, kiitos."), key="k-once")
    second = alice.publish(Outgoing("Vain kerran, kiitos."), key="k-once")
    assert first == second


def test_it_uploads_an_image_with_its_alt_text(alice: MastodonPublisher, server: str,
                                               tmp_path: Path) -> None:
    image = tmp_path / "sali.png"
    image.write_bytes(PNG)
    receipt = alice.publish(Outgoing("Uusi lukusali", media=(OutgoingMedia(
        str(image), "image", "Valoisa lukusali, jossa kymmenen pöytää"),)), key="k-image")
    status = httpx.get(f"{server}/api/v1/statuses/{receipt.external_id}").json()
    [attachment] = status["media_attachments"]
    assert attachment["description"] == "Valoisa lukusali, jossa kymmenen pöytää"


def test_a_link_goes_after_the_text(alice: MastodonPublisher, server: str) -> None:
    post = Outgoing("Lue lisää", link="https://example.org/uutinen")
    receipt = alice.publish(post, key="k-link")
    status = httpx.get(f"{server}/api/v1/statuses/{receipt.external_id}").json()
    assert "https://example.org/uutinen" in plain_text(status["content"])


def test_find_settles_an_unconfirmed_publish(alice: MastodonPublisher) -> None:
    post = Outgoing("Tämä julkaistiin, vaikka vastaus katosi.")
    receipt = alice.publish(post, key="k-lost")
    since = datetime.now(UTC) - timedelta(minutes=1)
    assert alice.find(post, key="k-lost", since=since) == receipt
    assert alice.find(Outgoing("Tätä ei koskaan lähetetty."), key="k-never", since=since) is None


def test_delete_removes_the_status(alice: MastodonPublisher, server: str) -> None:
    receipt = alice.publish(Outgoing("Poistettava"), key="k-delete")
    alice.delete(receipt.external_id)
    assert httpx.get(f"{server}/api/v1/statuses/{receipt.external_id}").status_code == 404


def test_a_bad_token_is_a_permanent_error(server: str) -> None:
    with pytest.raises(ConnectorError) as raised:
        MastodonPublisher(server, "nobody").publish(Outgoing("x"), key="k-bad-token")
    assert raised.value.permanent
    assert not raised.value.sent


def test_no_server_is_a_transient_error_before_sending() -> None:
    publisher = MastodonPublisher("http://127.0.0.1:9", "alice_token")
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("x"), key="k-no-server")
    assert not raised.value.permanent
    assert not raised.value.sent


def _recording(status: int, body: dict[str, object]) -> tuple[list[httpx.Request],
                                                              httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=body)

    return seen, httpx.MockTransport(handle)


def test_the_request_is_shaped_as_the_documentation_says() -> None:
    seen, transport = _recording(200, {"id": "1", "url": "https://m.example/@a/1"})
    publisher = MastodonPublisher("https://m.example", "secret", transport)
    publisher.publish(Outgoing("Hei"), key="abc123")
    [request] = seen
    assert (request.method, request.url.path) == ("POST", "/api/v1/statuses")
    assert request.headers["Authorization"] == "Bearer secret"
    assert request.headers["Idempotency-Key"] == "abc123"
    assert request.headers["User-Agent"].startswith("Kanava/")
    assert request.content.decode() == "status=Hei&visibility=public"


@pytest.mark.parametrize(("status", "permanent", "sent"), [
    (422, True, False), (401, True, False), (429, False, False), (503, False, False),
    (500, False, True), (504, False, True)])
def test_answers_map_to_the_retry_decision(status: int, permanent: bool, sent: bool) -> None:
    _, transport = _recording(status, {"error": "nope"})
    publisher = MastodonPublisher("https://m.example", "secret", transport)
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("Hei"), key="k")
    assert (raised.value.permanent, raised.value.sent) == (permanent, sent)
    assert "nope" in str(raised.value)


def test_a_lost_answer_after_sending_is_unconfirmed() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer", request=request)

    publisher = MastodonPublisher("https://m.example", "secret", httpx.MockTransport(handle))
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("Hei"), key="k")
    assert raised.value.sent


# --- video: processed after the upload --------------------------------------------------

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def test_a_video_goes_to_mastodon_mock_with_its_description(alice: MastodonPublisher,
                                                            server: str,
                                                            tmp_path: Path) -> None:
    video = tmp_path / "kavely.mp4"
    video.write_bytes(MP4)
    receipt = alice.publish(Outgoing("Kävely sateessa", media=(OutgoingMedia(
        str(video), "video", "Märkä polku metsässä"),)), key="k-video")
    status = httpx.get(f"{server}/api/v1/statuses/{receipt.external_id}").json()
    [attachment] = status["media_attachments"]
    assert (attachment["type"], attachment["description"]) == ("video", "Märkä polku metsässä")


class SlowMastodon(LocalServer):
    """Answers a media upload 202 without an address, as Mastodon does while it processes
    a video, and gives the address after ``polls`` look-ups (206 until then)."""

    def __init__(self, polls: int) -> None:
        super().__init__()
        self.polls = polls

    def answer(self, request: Request) -> Answer:
        if (request.method, request.path) == ("POST", "/api/v2/media"):
            return json_answer(202, {"id": "7", "type": "video", "url": None})
        if (request.method, request.path) == ("GET", "/api/v1/media/7"):
            self.polls -= 1
            done = self.polls <= 0
            return json_answer(200 if done else 206, {
                "id": "7", "type": "video", "url": "https://m.example/7.mp4" if done else None})
        if (request.method, request.path) == ("POST", "/api/v1/statuses"):
            return json_answer(200, {"id": "1", "url": "https://m.example/@a/1"})
        return json_answer(404, {"error": "Record not found"})


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "kavely.mp4"
    path.write_bytes(MP4)
    return path


def test_a_video_is_posted_once_the_server_has_processed_it(video: Path) -> None:
    slow, waits = SlowMastodon(polls=3), list[float]()
    publisher = MastodonPublisher(slow.url, "secret", sleep=waits.append)
    try:
        receipt = publisher.publish(Outgoing("Kävely", media=(OutgoingMedia(
            str(video), "video", "Märkä polku"),)), key="k-slow")
    finally:
        publisher.close()
        slow.stop()
    assert receipt.external_id == "1"
    assert [(r.method, r.path) for r in slow.requests] == [
        ("POST", "/api/v2/media"), ("GET", "/api/v1/media/7"), ("GET", "/api/v1/media/7"),
        ("GET", "/api/v1/media/7"), ("POST", "/api/v1/statuses")]
    assert waits == [1.0, 2.0, 3.0]  # growing pauses, none of them real
    assert slow.requests[-1].form()["media_ids[]"] == "7"
    assert slow.requests[0].parts()["description"].get_payload(decode=True).decode() == \
        "Märkä polku"


def test_a_video_still_processing_after_a_minute_posts_nothing(video: Path) -> None:
    slow, waits = SlowMastodon(polls=1_000), list[float]()
    publisher = MastodonPublisher(slow.url, "secret", sleep=waits.append)
    try:
        with pytest.raises(ConnectorError, match="still processing") as raised:
            publisher.publish(Outgoing("Kävely", media=(OutgoingMedia(str(video), "video"),)),
                              key="k-slow")
    finally:
        publisher.close()
        slow.stop()
    assert sum(waits) == 60
    assert (raised.value.permanent, raised.value.sent) == (False, False)
    assert ("POST", "/api/v1/statuses") not in [(r.method, r.path) for r in slow.requests]
