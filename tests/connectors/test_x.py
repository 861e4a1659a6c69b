"""The X publisher and OAuth 2.0 flow against a local stand-in written from docs.x.com,
and the exact requests we send."""

from __future__ import annotations

import base64
import hashlib
import string
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from kanava.connectors.base import (
    ConnectorError,
    LookupUnsupported,
    Outgoing,
    OutgoingMedia,
    TokenSet,
)
from kanava.connectors.x import oauth
from kanava.connectors.x.publisher import XPublisher, comparable
from tests.connectors.fake_x import (
    ACCESS_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    USER_ID,
    FakeX,
)

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
REDIRECT = "https://kanava.example/connections/x/callback"


@pytest.fixture
def x() -> Iterator[FakeX]:
    server = FakeX()
    yield server
    server.stop()


@pytest.fixture
def publisher(x: FakeX) -> Iterator[XPublisher]:
    client = XPublisher(ACCESS_TOKEN, x.url)
    yield client
    client.close()


@pytest.fixture
def image(tmp_path: Path) -> Path:
    path = tmp_path / "lukusali.png"
    path.write_bytes(PNG)
    return path


def an_hour_ago() -> datetime:
    return datetime.now(UTC) - timedelta(hours=1)


# Publishing


def test_it_posts_the_text_and_returns_the_id_and_url(publisher: XPublisher, x: FakeX) -> None:
    receipt = publisher.publish(Outgoing("Kirjasto aukeaa klo 9."), key="3lbcq2vyyd22c")
    assert x.tweets[receipt.external_id].text == "Kirjasto aukeaa klo 9."
    assert receipt.url == f"https://x.com/i/web/status/{receipt.external_id}"
    [sent] = x.requests
    assert (sent.method, sent.path) == ("POST", "/2/tweets")
    assert sent.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert sent.headers["content-type"] == "application/json"
    assert sent.json() == {"text": "Kirjasto aukeaa klo 9."}


def test_a_link_goes_after_the_text(publisher: XPublisher, x: FakeX) -> None:
    publisher.publish(Outgoing("Lue lisää", link="https://kunta.fi/uutiset/1"), key="k1")
    assert x.requests[-1].json() == {"text": "Lue lisää\n\nhttps://kunta.fi/uutiset/1"}


def test_a_link_already_in_the_text_is_not_repeated(publisher: XPublisher, x: FakeX) -> None:
    text = "Lue https://kunta.fi/uutiset/1 tänään"
    publisher.publish(Outgoing(text, link="https://kunta.fi/uutiset/1"), key="k1")
    assert x.requests[-1].json() == {"text": text}


def test_images_are_uploaded_with_their_alt_text(publisher: XPublisher, x: FakeX,
                                                 image: Path) -> None:
    publisher.publish(Outgoing("Uusi lukusali", media=(
        OutgoingMedia(str(image), "image", "Valoisa lukusali, jossa kymmenen pöytää"),
        OutgoingMedia(str(image), "image", "Lukusalin ikkunat"))), key="k1")
    assert [(r.method, r.path) for r in x.requests] == [
        ("POST", "/2/media/upload"), ("POST", "/2/media/metadata"),
        ("POST", "/2/media/upload"), ("POST", "/2/media/metadata"), ("POST", "/2/tweets")]
    upload = x.requests[0].parts()
    assert upload["media"].get_payload(decode=True) == PNG
    assert upload["media_category"].get_payload() == "tweet_image"
    assert upload["media_type"].get_payload() == "image/png"
    first, second = list(x.media)
    assert x.requests[1].json() == {"id": first, "metadata": {"alt_text": {
        "text": "Valoisa lukusali, jossa kymmenen pöytää"}}}
    assert x.media[second].alt == "Lukusalin ikkunat"
    assert x.requests[-1].json() == {"text": "Uusi lukusali",
                                     "media": {"media_ids": [first, second]}}


def test_an_image_without_alt_text_needs_no_metadata(publisher: XPublisher, x: FakeX,
                                                     image: Path) -> None:
    publisher.publish(Outgoing("Kuva", media=(OutgoingMedia(str(image), "image"),)), key="k1")
    assert [r.path for r in x.requests] == ["/2/media/upload", "/2/tweets"]


def test_a_media_type_the_upload_does_not_list_is_left_out(publisher: XPublisher, x: FakeX,
                                                           tmp_path: Path) -> None:
    gif = tmp_path / "kuva.gif"
    gif.write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    publisher.publish(Outgoing("Gif", media=(OutgoingMedia(str(gif), "image"),)), key="k1")
    upload = x.requests[0].parts()
    assert "media_type" not in upload
    assert upload["media"].get_content_type() == "image/gif"


def test_a_video_is_refused_before_anything_is_sent(publisher: XPublisher, x: FakeX,
                                                    tmp_path: Path) -> None:
    video = tmp_path / "esittely.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    with pytest.raises(ConnectorError, match="video") as raised:
        publisher.publish(Outgoing("Video", media=(OutgoingMedia(str(video), "video"),)),
                          key="k1")
    assert raised.value.permanent
    assert not raised.value.sent
    assert x.requests == []


def test_delete_removes_the_post(publisher: XPublisher, x: FakeX) -> None:
    receipt = publisher.publish(Outgoing("Poistettava"), key="k1")
    publisher.delete(receipt.external_id)
    assert receipt.external_id not in x.tweets
    assert (x.requests[-1].method, x.requests[-1].path) == (
        "DELETE", f"/2/tweets/{receipt.external_id}")


# Finding an unconfirmed post


def test_find_settles_a_post_though_x_rewrote_its_links(publisher: XPublisher, x: FakeX,
                                                       image: Path) -> None:
    post = Outgoing("Tapahtumat & kurssit <syksy>", link="https://kunta.fi/tapahtumat",
                    media=(OutgoingMedia(str(image), "image", "Juliste"),))
    since = an_hour_ago()
    receipt = publisher.publish(post, key="k1")
    stored = x.tweets[receipt.external_id].text
    assert "https://kunta.fi" not in stored  # what X gives back is not what was sent
    assert "&amp;" in stored
    x.requests.clear()
    assert publisher.find(post, key="k1", since=since) == receipt
    me, timeline = x.requests
    assert (me.method, me.path) == ("GET", "/2/users/me")
    assert timeline.path == f"/2/users/{USER_ID}/tweets"
    assert timeline.query["tweet.fields"] == ["created_at,text"]
    assert timeline.query["max_results"] == ["100"]
    start = datetime.strptime(timeline.query["start_time"][0], "%Y-%m-%dT%H:%M:%S%z")
    assert since - timedelta(minutes=10) < start <= since


def test_find_pages_through_the_timeline(publisher: XPublisher, x: FakeX) -> None:
    receipt = publisher.publish(Outgoing("Vanhin tämän päivän julkaisuista"), key="k1")
    for number in range(5):
        x.add_tweet(f"Myöhempi julkaisu {number}", datetime.now(UTC))
    x.page_size = 2
    x.requests.clear()
    found = publisher.find(Outgoing("Vanhin tämän päivän julkaisuista"), key="k1",
                           since=an_hour_ago())
    assert found == receipt
    pages = [r for r in x.requests if r.path.endswith("/tweets")]
    assert len(pages) == 3
    assert "pagination_token" not in pages[0].query
    tokens = [page.query["pagination_token"][0] for page in pages[1:]]
    assert len(set(tokens)) == 2


def test_find_asks_for_the_user_only_once(publisher: XPublisher, x: FakeX) -> None:
    for _ in range(2):
        publisher.find(Outgoing("Ei ole"), key="k1", since=an_hour_ago())
    assert [r.path for r in x.requests].count("/2/users/me") == 1


def test_find_says_none_when_the_post_is_not_there(publisher: XPublisher, x: FakeX) -> None:
    publisher.publish(Outgoing("Jotain muuta"), key="k1")
    assert publisher.find(Outgoing("Ei lähetetty"), key="k2", since=an_hour_ago()) is None


def test_find_ignores_the_same_text_posted_before_since(publisher: XPublisher,
                                                        x: FakeX) -> None:
    x.add_tweet("Hyvää viikonloppua!", datetime.now(UTC) - timedelta(days=7))
    assert publisher.find(Outgoing("Hyvää viikonloppua!"), key="k1",
                          since=an_hour_ago()) is None


def test_find_cannot_tell_while_x_is_unavailable(publisher: XPublisher, x: FakeX) -> None:
    x.unavailable = 2
    with pytest.raises(ConnectorError) as raised:
        publisher.find(Outgoing("Kysymys"), key="k1", since=an_hour_ago())
    assert not raised.value.permanent
    assert "503" in str(raised.value)


def test_a_500_after_the_work_is_unconfirmed_and_find_settles_it(publisher: XPublisher,
                                                                 x: FakeX) -> None:
    since = an_hour_ago()
    x.fail_after_work = 1
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("Vastaus katosi"), key="k1")
    assert raised.value.sent
    assert not raised.value.permanent
    assert "POST /2/tweets: HTTP 500" in str(raised.value)
    found = publisher.find(Outgoing("Vastaus katosi"), key="k1", since=since)
    assert found is not None
    assert found.external_id in x.tweets


def test_a_post_of_only_a_link_cannot_be_looked_up(publisher: XPublisher, x: FakeX) -> None:
    x.add_tweet("https://kunta.fi/muu", datetime.now(UTC))
    with pytest.raises(LookupUnsupported):
        publisher.find(Outgoing("", link="https://kunta.fi/uutiset"), key="k1",
                       since=an_hour_ago())


def test_a_media_upload_that_fails_leaves_nothing_unconfirmed(publisher: XPublisher,
                                                              x: FakeX, image: Path) -> None:
    x.fail_after_work = 1
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("Kuva", media=(OutgoingMedia(str(image), "image"),)),
                          key="k1")
    assert not raised.value.sent
    assert not raised.value.permanent
    assert x.tweets == {}


def test_comparable_ignores_links_entities_and_spacing() -> None:
    assert comparable("Lue &amp; jaa  https://t.co/abc123\n\nhttps://t.co/m3d1a") == \
        comparable("Lue & jaa\n\nhttps://kunta.fi/a?b=1")
    assert comparable("kunta.fi/uutiset on auki") == comparable("https://t.co/x1 on auki")
    assert comparable("Kello 6.30") != comparable("Kello 7.30")


# Errors


def test_a_revoked_token_is_permanent_and_says_where(x: FakeX) -> None:
    revoked = XPublisher("revoked-token", x.url)
    with pytest.raises(ConnectorError) as raised:
        revoked.publish(Outgoing("x"), key="k1")
    revoked.close()
    assert raised.value.permanent
    assert "POST /2/tweets: HTTP 401" in str(raised.value)
    assert "Unauthorized" in str(raised.value)


def test_a_rate_limit_tells_when_to_try_again(publisher: XPublisher, x: FakeX) -> None:
    x.rate_limited = 1
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("Liian nopeasti"), key="k1")
    assert not raised.value.permanent
    assert not raised.value.sent
    assert raised.value.retry_after == datetime.fromtimestamp(x.reset_at, UTC)
    assert x.tweets == {}


def test_a_duplicate_is_refused_for_good(publisher: XPublisher) -> None:
    publisher.publish(Outgoing("Sama teksti"), key="k1")
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("Sama teksti"), key="k2")
    assert raised.value.permanent
    assert "duplicate content" in str(raised.value)


# OAuth 2.0 with PKCE


def test_the_pkce_challenge_is_the_s256_of_the_verifier() -> None:
    verifier, challenge = oauth.new_pkce()
    assert 43 <= len(verifier) <= 128
    assert set(verifier) <= set(string.ascii_letters + string.digits + "-._~")
    digest = hashlib.sha256(verifier.encode()).digest()
    assert challenge == base64.urlsafe_b64encode(digest).decode().rstrip("=")
    assert oauth.new_pkce()[0] != verifier


def test_the_authorize_url_has_the_documented_parameters() -> None:
    url = urlsplit(oauth.authorize_url(CLIENT_ID, REDIRECT, "st4te", "ch4llenge"))
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://x.com/i/oauth2/authorize"
    assert parse_qs(url.query) == {
        "response_type": ["code"], "client_id": [CLIENT_ID], "redirect_uri": [REDIRECT],
        "scope": ["tweet.read tweet.write users.read media.write offline.access"],
        "state": ["st4te"], "code_challenge": ["ch4llenge"],
        "code_challenge_method": ["S256"]}
    assert "scope=tweet.read%20tweet.write" in url.query


def test_a_code_becomes_tokens_that_can_post(x: FakeX) -> None:
    verifier, challenge = oauth.new_pkce()
    code = x.consent(challenge, REDIRECT)
    before = datetime.now(UTC)
    tokens = oauth.exchange_code(code, verifier, CLIENT_ID, CLIENT_SECRET, REDIRECT,
                                 base_url=x.url)
    [sent] = x.requests
    assert (sent.method, sent.path) == ("POST", "/2/oauth2/token")
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.headers["authorization"] == "Basic " + base64.b64encode(
        f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert sent.form() == {"code": code, "grant_type": "authorization_code",
                           "client_id": CLIENT_ID, "redirect_uri": REDIRECT,
                           "code_verifier": verifier}
    assert tokens.refresh_token
    assert "tweet.write" in tokens.scope
    assert tokens.expires_at is not None
    assert before + timedelta(seconds=7200) <= tokens.expires_at
    assert tokens.expires_at <= datetime.now(UTC) + timedelta(seconds=7200)
    publisher = XPublisher(tokens.access_token, x.url)
    assert publisher.publish(Outgoing("Yhdistetty!"), key="k1").external_id in x.tweets
    publisher.close()


def test_a_wrong_verifier_is_refused_for_good(x: FakeX) -> None:
    _, challenge = oauth.new_pkce()
    code = x.consent(challenge, REDIRECT)
    with pytest.raises(ConnectorError) as raised:
        oauth.exchange_code(code, "not-the-verifier" * 3, CLIENT_ID, CLIENT_SECRET, REDIRECT,
                            base_url=x.url)
    assert raised.value.permanent
    assert "authorization code was invalid" in str(raised.value)


def test_a_wrong_client_secret_is_refused_for_good(x: FakeX) -> None:
    verifier, challenge = oauth.new_pkce()
    code = x.consent(challenge, REDIRECT)
    with pytest.raises(ConnectorError) as raised:
        oauth.exchange_code(code, verifier, CLIENT_ID, "wrong", REDIRECT, base_url=x.url)
    assert raised.value.permanent
    assert "unauthorized_client" in str(raised.value)


def connected(x: FakeX) -> TokenSet:
    verifier, challenge = oauth.new_pkce()
    return oauth.exchange_code(x.consent(challenge, REDIRECT), verifier, CLIENT_ID,
                               CLIENT_SECRET, REDIRECT, base_url=x.url)


def test_a_refresh_rotates_the_refresh_token(x: FakeX) -> None:
    tokens = connected(x)
    x.requests.clear()
    fresh = oauth.refresh(tokens, CLIENT_ID, CLIENT_SECRET, base_url=x.url)
    assert x.requests[0].form() == {"refresh_token": tokens.refresh_token,
                                    "grant_type": "refresh_token", "client_id": CLIENT_ID}
    assert fresh.access_token != tokens.access_token
    assert fresh.refresh_token not in ("", tokens.refresh_token)
    with pytest.raises(ConnectorError) as raised:  # the old one is spent
        oauth.refresh(tokens, CLIENT_ID, CLIENT_SECRET, base_url=x.url)
    assert raised.value.permanent
    assert "HTTP 400" in str(raised.value)
    assert "Value passed for the token was invalid" in str(raised.value)


def test_a_refresh_without_a_new_refresh_token_keeps_the_stored_one(x: FakeX) -> None:
    tokens = connected(x)
    x.rotate_refresh_tokens = False
    fresh = oauth.refresh(tokens, CLIENT_ID, CLIENT_SECRET, base_url=x.url)
    assert fresh.refresh_token == tokens.refresh_token
    assert fresh.access_token != tokens.access_token


def test_a_refresh_during_an_outage_is_transient_and_keeps_the_token(x: FakeX) -> None:
    tokens = connected(x)
    x.unavailable = 1
    with pytest.raises(ConnectorError) as raised:
        oauth.refresh(tokens, CLIENT_ID, CLIENT_SECRET, base_url=x.url)
    assert not raised.value.permanent
    assert oauth.refresh(tokens, CLIENT_ID, CLIENT_SECRET, base_url=x.url).access_token


def test_a_refresh_that_times_out_is_transient() -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(ConnectorError) as raised:
        oauth.refresh(TokenSet("a", "r"), CLIENT_ID, CLIENT_SECRET,
                      base_url="http://127.0.0.1:9", transport=httpx.MockTransport(hang))
    assert not raised.value.permanent
    assert raised.value.sent  # the refresh token may have been spent
