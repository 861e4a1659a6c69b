"""The Bluesky publisher against a local PDS stand-in written from the XRPC docs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kanava.connectors.base import ConnectorError, Outgoing, OutgoingMedia
from kanava.connectors.bluesky.publisher import BlueskyPublisher, is_tid, link_facets, new_tid
from tests.connectors.fake_pds import DID, HANDLE, PASSWORD, FakePds

SINCE = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def pds() -> Iterator[FakePds]:
    server = FakePds()
    yield server
    server.stop()


@pytest.fixture
def publisher(pds: FakePds) -> Iterator[BlueskyPublisher]:
    client = BlueskyPublisher(HANDLE, PASSWORD, pds.url)
    yield client
    client.close()


def test_a_tid_is_13_sortable_characters() -> None:
    early, late = new_tid(1_700_000_000_000_000, 5), new_tid(1_800_000_000_000_000, 5)
    assert len(early) == 13
    assert is_tid(early)
    assert early < late
    assert new_tid(0, 0) == "2222222222222"


def test_it_creates_the_record_under_our_own_key(publisher: BlueskyPublisher,
                                                 pds: FakePds) -> None:
    key = new_tid()
    receipt = publisher.publish(Outgoing("Uimahalli aukeaa klo 6!"), key=key)
    assert receipt.external_id == f"at://{DID}/app.bsky.feed.post/{key}"
    assert receipt.url == f"https://bsky.app/profile/{HANDLE}/post/{key}"
    record = pds.records[key]
    assert record["$type"] == "app.bsky.feed.post"
    assert record["text"] == "Uimahalli aukeaa klo 6!"
    assert record["createdAt"].endswith("Z")


def test_the_request_is_shaped_as_the_documentation_says(publisher: BlueskyPublisher,
                                                         pds: FakePds) -> None:
    key = new_tid()
    publisher.publish(Outgoing("Hei"), key=key)
    names = [name for _, name, _ in pds.requests]
    assert names == ["com.atproto.server.createSession", "com.atproto.repo.createRecord"]
    body = json.loads(pds.requests[1][2])
    assert body["repo"] == DID
    assert body["collection"] == "app.bsky.feed.post"
    assert body["rkey"] == key


def test_a_repeated_publish_returns_the_first_record(publisher: BlueskyPublisher,
                                                     pds: FakePds) -> None:
    key = new_tid()
    first = publisher.publish(Outgoing("Kerran vain"), key=key)
    assert publisher.publish(Outgoing("Kerran vain"), key=key) == first
    assert len(pds.records) == 1


def test_links_become_facets_with_byte_offsets() -> None:
    text = "Lue lisää: https://kunta.fi/uutiset ✨"
    [facet] = link_facets(text)
    start = len("Lue lisää: ".encode())
    assert facet["index"] == {"byteStart": start, "byteEnd": start + len("https://kunta.fi/uutiset")}
    assert facet["features"][0]["uri"] == "https://kunta.fi/uutiset"


def test_images_are_uploaded_as_blobs_with_alt_text(publisher: BlueskyPublisher, pds: FakePds,
                                                    tmp_path: Path) -> None:
    image = tmp_path / "kuva.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    key = new_tid()
    publisher.publish(Outgoing("Kuva", media=(OutgoingMedia(str(image), "image",
                                                            "Kirjaston lukusali"),)), key=key)
    [entry] = pds.records[key]["embed"]["images"]
    assert entry["alt"] == "Kirjaston lukusali"
    assert entry["image"]["mimeType"] == "image/png"


def test_find_settles_an_unconfirmed_publish(publisher: BlueskyPublisher) -> None:
    key = new_tid()
    receipt = publisher.publish(Outgoing("Vastaus katosi"), key=key)
    assert publisher.find(Outgoing("Vastaus katosi"), key=key, since=SINCE) == receipt
    assert publisher.find(Outgoing("Ei lähetetty"), key=new_tid(), since=SINCE) is None


def test_delete_removes_the_record(publisher: BlueskyPublisher, pds: FakePds) -> None:
    key = new_tid()
    receipt = publisher.publish(Outgoing("Poistettava"), key=key)
    publisher.delete(receipt.external_id)
    assert key not in pds.records


def test_a_wrong_app_password_is_permanent(pds: FakePds) -> None:
    with pytest.raises(ConnectorError) as raised:
        BlueskyPublisher(HANDLE, "wrong", pds.url).publish(Outgoing("x"), key=new_tid())
    assert raised.value.permanent


def test_too_long_a_text_is_refused_for_good(publisher: BlueskyPublisher) -> None:
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("a" * 301), key=new_tid())
    assert raised.value.permanent
    assert "300 graphemes" in str(raised.value)


def test_a_rate_limit_is_transient_and_nothing_was_sent(publisher: BlueskyPublisher,
                                                        pds: FakePds) -> None:
    pds.rate_limited = 2
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("x"), key=new_tid())
    assert not raised.value.permanent
    assert not raised.value.sent


def test_a_key_that_is_not_a_tid_is_refused() -> None:
    with pytest.raises(ConnectorError, match="record key"):
        BlueskyPublisher(HANDLE, PASSWORD, "http://127.0.0.1:9").publish(Outgoing("x"),
                                                                          key="not-a-tid")
