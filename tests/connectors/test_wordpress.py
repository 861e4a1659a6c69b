"""The WordPress publisher against a local stand-in for the REST API, and the exact
requests we send."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kanava.connectors.base import ConnectorError, Outgoing, OutgoingMedia
from kanava.connectors.wordpress import LIMITS
from kanava.connectors.wordpress.publisher import WordPressPublisher, shorten, title_and_body
from tests.connectors.fake_wordpress import APP_PASSWORD, NAME, USER, FakeWordPress

SINCE = datetime(2026, 11, 1, tzinfo=UTC)
KEY = "3lbfk2vzcqs2a"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture
def site() -> Iterator[FakeWordPress]:
    server = FakeWordPress()
    yield server
    server.stop()


@pytest.fixture
def publisher(site: FakeWordPress) -> Iterator[WordPressPublisher]:
    client = WordPressPublisher(f"{site.url}/", USER, APP_PASSWORD)
    yield client
    client.close()


def test_verify_gives_the_users_name_with_basic_auth(publisher: WordPressPublisher,
                                                     site: FakeWordPress) -> None:
    assert publisher.verify() == NAME
    [request] = site.requests
    assert (request.method, request.path) == ("GET", "/wp-json/wp/v2/users/me")
    sent = base64.b64decode(request.headers["Authorization"].removeprefix("Basic ")).decode()
    assert sent == f"{USER}:abcdEFGH1234ijklMNOP6789"


def test_a_wrong_application_password_is_permanent(site: FakeWordPress) -> None:
    client = WordPressPublisher(site.url, USER, "wrong wrong wrong")
    with pytest.raises(ConnectorError) as raised:
        client.verify()
    assert raised.value.permanent
    assert "GET /wp-json/wp/v2/users/me: HTTP 401" in str(raised.value)
    assert "invalid application password" in str(raised.value)


def test_it_publishes_a_post_with_a_title_and_a_slug_from_the_key(
        publisher: WordPressPublisher, site: FakeWordPress) -> None:
    receipt = publisher.publish(Outgoing("Uimahalli aukeaa klo 6\n\nTervetuloa uimaan!"),
                                key=KEY.upper())
    [request] = site.requests
    assert (request.method, request.path) == ("POST", "/wp-json/wp/v2/posts")
    assert request.json() == {"title": "Uimahalli aukeaa klo 6", "slug": f"kanava-{KEY}",
                              "status": "publish", "content": "<p>Tervetuloa uimaan!</p>"}
    post = site.posts[int(receipt.external_id)]
    assert receipt.url == post["link"] == f"{site.url}/kanava-{KEY}/"


def test_the_text_is_escaped_html_with_its_urls_as_links(publisher: WordPressPublisher,
                                                         site: FakeWordPress) -> None:
    text = "Otsikko\nKoulu & kirjasto <3\nLue: https://kunta.fi/a?b=1&c=2\n\nToinen kappale"
    publisher.publish(Outgoing(text, link="https://kunta.fi/uutiset"), key=KEY)
    content = site.requests[0].json()["content"]
    assert content == (
        "<p>Koulu &amp; kirjasto &lt;3<br />\n"
        'Lue: <a href="https://kunta.fi/a?b=1&amp;c=2">https://kunta.fi/a?b=1&amp;c=2</a></p>\n'
        "<p>Toinen kappale</p>\n"
        '<p><a href="https://kunta.fi/uutiset">https://kunta.fi/uutiset</a></p>')


def test_a_link_already_in_the_text_is_not_repeated(publisher: WordPressPublisher,
                                                    site: FakeWordPress) -> None:
    publisher.publish(Outgoing("Lue https://kunta.fi/u", link="https://kunta.fi/u"), key=KEY)
    assert site.requests[0].json()["content"].count("<a ") == 1


def test_a_long_first_line_is_shortened_and_kept_in_the_body() -> None:
    line = "Kunnanvaltuusto päätti kokouksessaan " + "pitkästä asiasta " * 6
    title, body = title_and_body(line + "\nLisää tietoa")
    assert title.endswith("…")
    assert len(title) <= 80
    assert body.startswith("Kunnanvaltuusto")
    assert shorten("Lyhyt") == "Lyhyt"


def test_the_title_is_escaped(publisher: WordPressPublisher, site: FakeWordPress) -> None:
    publisher.publish(Outgoing("Koulu & <kirjasto>"), key=KEY)
    body = site.requests[0].json()
    assert body["title"] == "Koulu &amp; &lt;kirjasto&gt;"
    assert body["content"] == "<p>Koulu &amp; &lt;kirjasto&gt;</p>"


def test_images_are_uploaded_raw_then_given_alt_text_and_featured(
        publisher: WordPressPublisher, site: FakeWordPress, tmp_path: Path) -> None:
    first, second = tmp_path / "Sali ä.png", tmp_path / "kartta.jpg"
    first.write_bytes(PNG)
    second.write_bytes(PNG)
    publisher.publish(Outgoing("Uusi lukusali", media=(
        OutgoingMedia(str(first), "image", 'Valoisa "lukusali"'),
        OutgoingMedia(str(second), "image"))), key=KEY)
    calls = [(r.method, r.path) for r in site.requests]
    upload, alt, upload_2, create = site.requests
    assert calls == [("POST", "/wp-json/wp/v2/media"), ("POST", f"/wp-json/wp/v2/media/{101}"),
                     ("POST", "/wp-json/wp/v2/media"), ("POST", "/wp-json/wp/v2/posts")]
    assert upload.body == PNG
    assert upload.headers["Content-Type"] == "image/png"
    assert upload.headers["Content-Disposition"] == 'attachment; filename="Sali.png"'
    assert upload_2.headers["Content-Type"] == "image/jpeg"
    assert alt.json() == {"alt_text": 'Valoisa "lukusali"'}
    assert site.media[101]["alt_text"] == 'Valoisa "lukusali"'
    body = create.json()
    assert body["featured_media"] == 101
    assert (f'<figure><img src="{site.url}/wp-content/uploads/2026/11/Sali.png" '
            'alt="Valoisa &quot;lukusali&quot;" /></figure>') in body["content"]
    assert 'alt=""' in body["content"]  # the second image has none


def test_find_settles_an_unconfirmed_publish(publisher: WordPressPublisher,
                                             site: FakeWordPress) -> None:
    receipt = publisher.publish(Outgoing("Vastaus katosi"), key=KEY)
    assert publisher.find(Outgoing("Vastaus katosi"), key=KEY, since=SINCE) == receipt
    assert publisher.find(Outgoing("Ei lähetetty"), key="3lbfk2vzcqs2b", since=SINCE) is None
    lookup = site.requests[-1]
    assert (lookup.method, lookup.path) == ("GET", "/wp-json/wp/v2/posts")
    assert lookup.query == {"slug": ["kanava-3lbfk2vzcqs2b"], "status": ["publish"]}


def test_find_cannot_tell_while_the_site_is_in_maintenance(publisher: WordPressPublisher,
                                                           site: FakeWordPress) -> None:
    site.maintenance = True
    with pytest.raises(ConnectorError) as raised:
        publisher.find(Outgoing("x"), key=KEY, since=SINCE)
    assert not raised.value.permanent
    assert raised.value.retry_after is not None


def test_a_repeat_gets_a_suffixed_slug_and_find_sees_only_the_first(
        publisher: WordPressPublisher, site: FakeWordPress) -> None:
    """GIVEN a published post WHEN the same key is sent again without a look-up THEN
    WordPress makes a second post with "-2": the reason the outbox calls find first."""
    first = publisher.publish(Outgoing("Kerran"), key=KEY)
    publisher.publish(Outgoing("Kerran"), key=KEY)
    assert sorted(post["slug"] for post in site.posts.values()) == [f"kanava-{KEY}",
                                                                    f"kanava-{KEY}-2"]
    assert publisher.find(Outgoing("Kerran"), key=KEY, since=SINCE) == first


def test_a_lost_answer_is_marked_sent_and_find_finds_the_post(publisher: WordPressPublisher,
                                                              site: FakeWordPress) -> None:
    site.lose_create_answer = True
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("Meni perille"), key=KEY)
    assert raised.value.sent
    assert not raised.value.permanent
    assert "POST /wp-json/wp/v2/posts: HTTP 502" in str(raised.value)
    found = publisher.find(Outgoing("Meni perille"), key=KEY, since=SINCE)
    assert found is not None
    assert int(found.external_id) in site.posts


def test_a_user_who_may_not_publish_is_refused_for_good(publisher: WordPressPublisher,
                                                        site: FakeWordPress) -> None:
    site.can_publish = False
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("x"), key=KEY)
    assert raised.value.permanent
    assert "HTTP 403: Sorry, you are not allowed to publish posts" in str(raised.value)


def test_a_rate_limit_is_transient_with_the_hosts_retry_after(publisher: WordPressPublisher,
                                                              site: FakeWordPress) -> None:
    site.rate_limited = 1
    before = datetime.now(UTC)
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("x"), key=KEY)
    assert not raised.value.permanent
    assert not raised.value.sent
    assert raised.value.retry_after is not None
    assert before + timedelta(seconds=119) <= raised.value.retry_after
    assert raised.value.retry_after <= datetime.now(UTC) + timedelta(seconds=121)


def test_a_refused_file_type_stops_before_the_post(publisher: WordPressPublisher,
                                                   site: FakeWordPress, tmp_path: Path) -> None:
    document = tmp_path / "pöytäkirja.pdf"
    document.write_bytes(b"%PDF-1.4")
    with pytest.raises(ConnectorError, match="not allowed to upload this file type"):
        publisher.publish(Outgoing("x", media=(OutgoingMedia(str(document), "image"),)),
                          key=KEY)
    assert not site.posts


def test_delete_moves_the_post_to_the_trash(publisher: WordPressPublisher,
                                            site: FakeWordPress) -> None:
    receipt = publisher.publish(Outgoing("Poistettava"), key=KEY)
    publisher.delete(receipt.external_id)
    post = site.posts[int(receipt.external_id)]
    assert post["status"] == "trash"
    assert site.requests[-1].method == "DELETE"
    assert site.requests[-1].query == {}
    assert publisher.find(Outgoing("Poistettava"), key=KEY, since=SINCE) is None


def test_deleting_twice_is_harmless(publisher: WordPressPublisher) -> None:
    receipt = publisher.publish(Outgoing("Poistettava"), key=KEY)
    publisher.delete(receipt.external_id)
    publisher.delete(receipt.external_id)


def test_without_a_trash_the_post_is_deleted_for_good(publisher: WordPressPublisher,
                                                      site: FakeWordPress) -> None:
    site.trash = False
    receipt = publisher.publish(Outgoing("Poistettava"), key=KEY)
    publisher.delete(receipt.external_id)
    assert int(receipt.external_id) not in site.posts
    assert site.requests[-1].query == {"force": ["true"]}


def test_deleting_a_missing_post_is_refused(publisher: WordPressPublisher) -> None:
    with pytest.raises(ConnectorError) as raised:
        publisher.delete("999")
    assert raised.value.permanent
    assert "DELETE /wp-json/wp/v2/posts/999: HTTP 404: Invalid post ID." in str(raised.value)


def test_wordpress_sets_no_length_limit() -> None:
    assert LIMITS.max_length is None
    assert LIMITS.length("abc") == 3


def test_a_video_is_uploaded_and_shown_with_controls_but_never_featured(
        publisher: WordPressPublisher, site: FakeWordPress, tmp_path: Path) -> None:
    video = tmp_path / "Kävely sateessa.mp4"
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    video.write_bytes(mp4)
    publisher.publish(Outgoing("Kävely sateessa", media=(
        OutgoingMedia(str(video), "video", "Märkä polku"),)), key=KEY)
    upload, alt, create = site.requests
    assert upload.body == mp4
    assert upload.headers["Content-Type"] == "video/mp4"
    assert upload.headers["Content-Disposition"] == 'attachment; filename="K-vely-sateessa.mp4"'
    assert alt.json() == {"alt_text": "Märkä polku"}
    body = create.json()
    assert "featured_media" not in body  # a featured image must be an image
    assert (f'<figure><video controls src="{site.url}/wp-content/uploads/2026/11/'
            'K-vely-sateessa.mp4"></video></figure>') in body["content"]
