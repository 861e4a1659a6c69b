"""The Facebook Page publisher and login against a local Graph API stand-in written from
Meta's documentation, and the exact requests we send."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from kanava.connectors.base import ConnectorError, LookupUnsupported, Outgoing, OutgoingMedia
from kanava.connectors.facebook.oauth import FacebookLogin, Page, authorize_url
from kanava.connectors.facebook.publisher import (
    CLOCK_SKEW,
    GRAPH_VERSION,
    FacebookPagePublisher,
    regain_at,
)
from tests.connectors.fake_facebook import (
    APP_ID,
    APP_SECRET,
    CODE,
    LONG_USER_TOKEN,
    PAGE_ID,
    PAGE_TOKEN,
    PAGES,
    REDIRECT_URI,
    SHORT_USER_TOKEN,
    FakeGraph,
)

SINCE = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    server = FakeGraph()
    yield server
    server.stop()


@pytest.fixture
def page(graph: FakeGraph) -> Iterator[FacebookPagePublisher]:
    publisher = FacebookPagePublisher(PAGE_ID, PAGE_TOKEN, graph.url)
    yield publisher
    publisher.close()


@pytest.fixture
def login(graph: FakeGraph) -> Iterator[FacebookLogin]:
    client = FacebookLogin(APP_ID, APP_SECRET, graph.url)
    yield client
    client.close()


def _image(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(PNG)
    return str(path)


def test_a_text_post_goes_to_the_page_feed_with_the_page_token(
    page: FacebookPagePublisher, graph: FakeGraph,
) -> None:
    receipt = page.publish(Outgoing("Kirjasto aukeaa klo 9. Tervetuloa!"), key="3kabcdefghijk")
    [post_id] = graph.posts
    assert receipt.external_id == post_id
    assert receipt.url == f"https://www.facebook.com/{PAGE_ID}/posts/{post_id.split('_')[1]}"
    create, permalink = graph.requests
    assert (create.method, create.node) == ("POST", f"{PAGE_ID}/feed")
    assert create.params == {"message": "Kirjasto aukeaa klo 9. Tervetuloa!",
                             "access_token": PAGE_TOKEN}
    assert (permalink.method, permalink.node) == ("GET", post_id)
    assert permalink.params == {"fields": "permalink_url", "access_token": PAGE_TOKEN}


def test_every_call_names_the_graph_version(page: FacebookPagePublisher,
                                            graph: FakeGraph) -> None:
    receipt = page.publish(Outgoing("Versio"), key="3kabcdefghijk")
    page.find(Outgoing("Versio"), key="3kabcdefghijk", since=SINCE)
    page.delete(receipt.external_id)
    assert {entry.version for entry in graph.requests} == {GRAPH_VERSION}


def test_a_link_is_sent_in_the_link_field(page: FacebookPagePublisher, graph: FakeGraph) -> None:
    page.publish(Outgoing("Lue lisää", link="https://kunta.fi/uutiset"), key="3kabcdefghijk")
    assert graph.requests[0].params == {"message": "Lue lisää", "link": "https://kunta.fi/uutiset",
                                        "access_token": PAGE_TOKEN}


def test_images_are_uploaded_unpublished_with_alt_text_then_attached(
    page: FacebookPagePublisher, graph: FakeGraph, tmp_path: Path,
) -> None:
    post = Outgoing("Uusi lukusali", link="https://kunta.fi/kirjasto", media=(
        OutgoingMedia(_image(tmp_path, "sali.png"), "image", "Valoisa lukusali"),
        OutgoingMedia(_image(tmp_path, "hylly.png"), "image")))
    receipt = page.publish(post, key="3kabcdefghijk")
    first, second, create, _ = graph.requests
    assert (first.method, first.node) == ("POST", f"{PAGE_ID}/photos")
    assert first.params == {"published": "false", "alt_text_custom": "Valoisa lukusali",
                            "access_token": PAGE_TOKEN}
    assert first.files == {"source": ("sali.png", "image/png", PNG)}
    assert second.params == {"published": "false", "access_token": PAGE_TOKEN}
    photo_ids = list(graph.photos)
    assert create.params == {
        "message": "Uusi lukusali\n\nhttps://kunta.fi/kirjasto",  # images show, not a preview
        "attached_media[0]": f'{{"media_fbid":"{photo_ids[0]}"}}',
        "attached_media[1]": f'{{"media_fbid":"{photo_ids[1]}"}}',
        "access_token": PAGE_TOKEN}
    assert graph.posts[receipt.external_id]["media"] == photo_ids


def test_a_video_is_refused_before_anything_is_sent(page: FacebookPagePublisher,
                                                    graph: FakeGraph, tmp_path: Path) -> None:
    video = OutgoingMedia(str(tmp_path / "klippi.mp4"), "video")
    with pytest.raises(ConnectorError, match="videos") as raised:
        page.publish(Outgoing("Video", media=(video,)), key="3kabcdefghijk")
    assert raised.value.permanent
    assert graph.requests == []


def test_an_invalid_token_is_permanent_says_reconnect_and_hides_the_token(
    graph: FakeGraph,
) -> None:
    publisher = FacebookPagePublisher(PAGE_ID, "EAAWrongToken", graph.url)
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("x"), key="3kabcdefghijk")
    message = str(raised.value)
    assert raised.value.permanent
    assert f"POST /{GRAPH_VERSION}/{PAGE_ID}/feed: HTTP 400: Graph error 190" in message
    assert "reconnect" in message
    assert "fbtrace_id AbCdEfGhIjK" in message
    assert "EAAWrongToken" not in message


def test_a_page_rate_limit_is_transient_until_the_regain_estimate(
    page: FacebookPagePublisher, graph: FakeGraph,
) -> None:
    graph.rate_limited = 1
    before = datetime.now(UTC)
    with pytest.raises(ConnectorError) as raised:
        page.publish(Outgoing("x"), key="3kabcdefghijk")
    assert not raised.value.permanent
    assert not raised.value.sent
    assert "Graph error 32" in str(raised.value)
    assert raised.value.retry_after is not None
    assert before + timedelta(minutes=7) <= raised.value.retry_after
    assert raised.value.retry_after <= datetime.now(UTC) + timedelta(minutes=7)
    assert graph.posts == {}


def _usage(headers: dict[str, str]) -> httpx.Response:
    return httpx.Response(400, headers=headers, request=httpx.Request("POST", "https://g.test/"))


@pytest.mark.parametrize(("headers", "expected"), [
    ({"X-Business-Use-Case-Usage": json.dumps({PAGE_ID: [
        {"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 7}]})},
     NOW + timedelta(minutes=7)),
    ({"X-Page-Usage": json.dumps({"call_count": 100, "total_cputime": 10, "total_time": 20,
                                  "estimated_time_to_regain_access": 12})},
     NOW + timedelta(minutes=12)),
    ({"X-App-Usage": json.dumps({"call_count": 100, "total_cputime": 10, "total_time": 20})},
     NOW + timedelta(hours=1)),  # the platform limit's rolling hour
    ({"X-App-Usage": json.dumps({"call_count": 40, "total_cputime": 10, "total_time": 20})},
     None),
    ({"X-Page-Usage": "{not json"}, None),
    ({"X-Page-Usage": json.dumps({"call_count": "full", "estimated_time_to_regain_access": "x"})},
     None),
])
def test_the_regain_time_is_read_from_each_usage_header(
    headers: dict[str, str], expected: datetime | None,
) -> None:
    assert regain_at(_usage(headers), NOW) == expected


def test_a_500_after_the_post_was_made_is_unconfirmed_and_find_settles_it(
    page: FacebookPagePublisher, graph: FakeGraph,
) -> None:
    graph.fail_after_work = 1
    with pytest.raises(ConnectorError) as raised:
        page.publish(Outgoing("Vastaus katosi"), key="3kabcdefghijk")
    assert raised.value.sent
    assert not raised.value.permanent
    assert "HTTP 500: Graph error 1: An unknown error has occurred." in str(raised.value)
    found = page.find(Outgoing("Vastaus katosi"), key="3kabcdefghijk", since=SINCE)
    assert found is not None
    assert found.external_id in graph.posts


def test_a_proxy_error_on_the_post_means_it_may_have_been_sent(
    page: FacebookPagePublisher, graph: FakeGraph,
) -> None:
    graph.broken_proxy = 1
    with pytest.raises(ConnectorError, match="HTTP 502") as raised:
        page.publish(Outgoing("x"), key="3kabcdefghijk")
    assert raised.value.sent
    assert not raised.value.permanent


def test_a_failed_photo_upload_never_makes_the_post_unconfirmed(
    page: FacebookPagePublisher, graph: FakeGraph, tmp_path: Path,
) -> None:
    graph.broken_proxy = 1
    post = Outgoing("Kuva", media=(OutgoingMedia(_image(tmp_path, "a.png"), "image"),))
    with pytest.raises(ConnectorError) as raised:
        page.publish(post, key="3kabcdefghijk")
    assert not raised.value.sent  # an unpublished photo shows nowhere
    assert not raised.value.permanent


def test_the_post_stands_even_when_its_permalink_cannot_be_read(
    page: FacebookPagePublisher, graph: FakeGraph,
) -> None:
    graph.rate_limited, graph.rate_limited_method = 1, "GET"
    receipt = page.publish(Outgoing("Linkki myöhemmin"), key="3kabcdefghijk")
    assert receipt.external_id in graph.posts
    assert receipt.url == f"https://www.facebook.com/{receipt.external_id}"


def test_a_duplicate_post_is_refused_for_good(page: FacebookPagePublisher) -> None:
    page.publish(Outgoing("Sama teksti"), key="3kabcdefghijk")
    with pytest.raises(ConnectorError, match="Graph error 506") as raised:
        page.publish(Outgoing("Sama teksti"), key="3kabcdefghijm")
    assert raised.value.permanent


def test_find_pages_through_published_posts_by_cursor(page: FacebookPagePublisher,
                                                      graph: FakeGraph) -> None:
    receipt = page.publish(Outgoing("Kirjaston   aukioloajat\nmuuttuvat"), key="3kabcdefghijk")
    for number in range(4):
        graph.add_post(f"Uudempi {number}", datetime.now(UTC))
    graph.requests.clear()
    found = page.find(Outgoing("Kirjaston aukioloajat muuttuvat"), key="3kabcdefghijk",
                      since=SINCE)
    assert found == receipt
    first, second, third = graph.requests
    assert first.node == f"{PAGE_ID}/published_posts"
    assert first.params == {"fields": "id,message,created_time,permalink_url",
                            "since": str(int((SINCE - CLOCK_SKEW).timestamp())), "limit": "100",
                            "access_token": PAGE_TOKEN}
    assert "after" in second.params
    assert third.params["after"] != second.params["after"]


def test_find_says_none_when_the_page_surely_lacks_the_post(page: FacebookPagePublisher,
                                                            graph: FakeGraph) -> None:
    for number in range(5):
        graph.add_post(f"Jotain muuta {number}", datetime.now(UTC))
    assert page.find(Outgoing("Ei lähetetty"), key="3kabcdefghijk", since=SINCE) is None
    assert len(graph.requests) == 3  # every page was read


def test_find_ignores_the_same_text_posted_before_since(page: FacebookPagePublisher,
                                                        graph: FakeGraph) -> None:
    graph.add_post("Joka vuosi sama", datetime(2025, 6, 1, tzinfo=UTC))
    assert page.find(Outgoing("Joka vuosi sama"), key="3kabcdefghijk", since=SINCE) is None


def test_find_leaves_a_post_without_text_to_a_person(page: FacebookPagePublisher,
                                                     graph: FakeGraph) -> None:
    page.publish(Outgoing("", link="https://kunta.fi/"), key="3kabcdefghijk")
    with pytest.raises(LookupUnsupported):
        page.find(Outgoing("", link="https://kunta.fi/"), key="3kabcdefghijk", since=SINCE)


def test_find_cannot_tell_while_rate_limited(page: FacebookPagePublisher,
                                             graph: FakeGraph) -> None:
    graph.rate_limited = 1
    with pytest.raises(ConnectorError) as raised:
        page.find(Outgoing("x"), key="3kabcdefghijk", since=SINCE)
    assert not raised.value.permanent


def test_delete_removes_the_post(page: FacebookPagePublisher, graph: FakeGraph) -> None:
    receipt = page.publish(Outgoing("Poistettava"), key="3kabcdefghijk")
    page.delete(receipt.external_id)
    assert graph.posts == {}
    delete = graph.requests[-1]
    assert (delete.method, delete.node) == ("DELETE", receipt.external_id)
    assert delete.params == {"access_token": PAGE_TOKEN}


def test_deleting_a_missing_post_is_permanent_and_says_why(page: FacebookPagePublisher) -> None:
    with pytest.raises(ConnectorError, match=r"Graph error 100/33.*does not exist") as raised:
        page.delete(f"{PAGE_ID}_999")
    assert raised.value.permanent


def test_the_login_dialog_asks_for_the_page_permissions() -> None:
    url = urlsplit(authorize_url(APP_ID, REDIRECT_URI, "tila-123"))
    assert (url.scheme, url.netloc, url.path) == ("https", "www.facebook.com",
                                                  f"/{GRAPH_VERSION}/dialog/oauth")
    assert parse_qs(url.query) == {
        "client_id": [APP_ID], "redirect_uri": [REDIRECT_URI], "state": ["tila-123"],
        "response_type": ["code"],
        "scope": ["pages_show_list,pages_manage_posts,pages_read_engagement"]}


def test_the_code_becomes_a_short_lived_user_token(login: FacebookLogin,
                                                   graph: FakeGraph) -> None:
    tokens = login.exchange_code(CODE, REDIRECT_URI)
    assert tokens.access_token == SHORT_USER_TOKEN
    assert tokens.refresh_token == ""  # Facebook has none: an expired token means a new login
    assert tokens.expires_at is not None
    assert tokens.expires_at - datetime.now(UTC) <= timedelta(seconds=5400)
    [request] = graph.requests
    assert (request.method, request.node) == ("GET", "oauth/access_token")
    assert request.params == {"client_id": APP_ID, "redirect_uri": REDIRECT_URI,
                              "client_secret": APP_SECRET, "code": CODE}


def test_a_used_code_or_another_redirect_is_refused_without_the_secret(
    login: FacebookLogin,
) -> None:
    login.exchange_code(CODE, REDIRECT_URI)
    with pytest.raises(ConnectorError, match="36009") as used:
        login.exchange_code(CODE, REDIRECT_URI)
    with pytest.raises(ConnectorError, match="36008") as elsewhere:
        login.exchange_code(CODE, "https://muu.example/")
    assert used.value.permanent
    assert elsewhere.value.permanent
    assert APP_SECRET not in str(used.value) + str(elsewhere.value)


def test_a_short_lived_token_becomes_a_long_lived_one(login: FacebookLogin,
                                                      graph: FakeGraph) -> None:
    tokens = login.long_lived_user_token(SHORT_USER_TOKEN)
    assert tokens.access_token == LONG_USER_TOKEN
    assert tokens.expires_at is not None
    assert tokens.expires_at - datetime.now(UTC) > timedelta(days=59)
    assert graph.requests[0].params == {"grant_type": "fb_exchange_token", "client_id": APP_ID,
                                        "client_secret": APP_SECRET,
                                        "fb_exchange_token": SHORT_USER_TOKEN}


def test_an_expired_user_token_cannot_be_extended(login: FacebookLogin) -> None:
    with pytest.raises(ConnectorError, match="190/463") as raised:
        login.long_lived_user_token("EAAExpired")
    assert raised.value.permanent
    assert "reconnect" in str(raised.value)


def test_the_pages_come_with_their_tokens_across_cursor_pages(login: FacebookLogin,
                                                              graph: FakeGraph) -> None:
    assert login.pages(LONG_USER_TOKEN) == [Page(*entry) for entry in PAGES]
    first, second = graph.requests
    assert first.node == "me/accounts"
    assert first.params == {"fields": "id,name,access_token", "access_token": LONG_USER_TOKEN}
    assert "after" in second.params
