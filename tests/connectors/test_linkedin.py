"""The LinkedIn page publisher and OAuth against a local stand-in written from the
Posts, Images, organizationAcls and OAuth 2.0 documentation."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from kanava.connectors.base import ConnectorError, Outgoing, OutgoingMedia, TokenSet
from kanava.connectors.linkedin import oauth
from kanava.connectors.linkedin.publisher import (
    MAX_PAGES,
    PAGE,
    VERSION,
    LinkedInPublisher,
    commentary,
    unescape,
)
from tests.connectors.fake_linkedin import (
    ACCESS_TOKEN,
    ACTIVE_VERSIONS,
    CLIENT_ID,
    CLIENT_SECRET,
    CODE,
    ORGANIZATION,
    OTHER_ORGANIZATION,
    REDIRECT_URI,
    REFRESH_TOKEN,
    FakeLinkedIn,
    render,
)

KEY = "3lbsb2kq5ce2c"
EVERY_RESERVED = r"a|b {c} @d [e] (f) <g> #h \i *j* _k_ ~l~"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
def linkedin() -> Iterator[FakeLinkedIn]:
    server = FakeLinkedIn()
    yield server
    server.stop()


@pytest.fixture
def page(linkedin: FakeLinkedIn) -> Iterator[LinkedInPublisher]:
    publisher = LinkedInPublisher(ORGANIZATION, ACCESS_TOKEN, linkedin.url)
    yield publisher
    publisher.close()


@pytest.fixture
def since() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=1)


def _image(tmp_path: Path, name: str) -> OutgoingMedia:
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + name.encode() * 10)
    return OutgoingMedia(str(path), "image", f"Kuvateksti {name}")


def _sent(linkedin: FakeLinkedIn, method: str, path: str) -> list[dict[str, object]]:
    return [json.loads(body) for sent_method, sent_path, _, body in linkedin.requests
            if sent_method == method and urlsplit(sent_path).path == path]


def test_a_text_post_is_shaped_as_the_posts_api_documents(page: LinkedInPublisher,
                                                          linkedin: FakeLinkedIn) -> None:
    receipt = page.publish(Outgoing("Uimahalli aukeaa klo 6!"), key=KEY)
    [body] = _sent(linkedin, "POST", "/rest/posts")
    assert body == {
        "author": ORGANIZATION, "commentary": "Uimahalli aukeaa klo 6!", "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                         "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED", "isReshareDisabledByAuthor": False}
    assert receipt.external_id in linkedin.posts
    assert receipt.external_id.startswith("urn:li:share:")
    assert receipt.url == f"https://www.linkedin.com/feed/update/{receipt.external_id}/"


def test_every_call_names_the_version_and_the_protocol(page: LinkedInPublisher,
                                                       linkedin: FakeLinkedIn) -> None:
    page.publish(Outgoing("Hei"), key=KEY)
    [(_, _, headers, _)] = linkedin.requests
    assert headers["linkedin-version"] == VERSION
    assert headers["x-restli-protocol-version"] == "2.0.0"
    assert headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert VERSION in ACTIVE_VERSIONS


@pytest.mark.parametrize(("headers", "status", "code"), [
    ({}, 400, "VERSION_MISSING"),
    ({"LinkedIn-Version": "202401"}, 426, "NONEXISTENT_VERSION"),
])
def test_the_stand_in_refuses_a_missing_or_sunset_version(
    linkedin: FakeLinkedIn, headers: dict[str, str], status: int, code: str,
) -> None:
    response = httpx.get(f"{linkedin.url}/rest/organizationAcls",
                         headers={"Authorization": f"Bearer {ACCESS_TOKEN}", **headers})
    assert response.status_code == status
    assert response.json()["code"] == code


def test_reserved_characters_are_escaped_so_the_whole_text_shows(
    page: LinkedInPublisher, linkedin: FakeLinkedIn,
) -> None:
    receipt = page.publish(Outgoing(EVERY_RESERVED), key=KEY)
    sent = linkedin.posts[receipt.external_id]["commentary"]
    assert sent == r"a\|b \{c\} \@d \[e\] \(f\) \<g\> #h \\i \*j\* \_k\_ \~l\~"
    assert render(sent) == EVERY_RESERVED
    assert render(EVERY_RESERVED) == "a"  # unescaped, LinkedIn would cut it short


def test_hashtags_stay_hashtags_and_other_hashes_are_escaped() -> None:
    little = commentary(Outgoing("Uutta #kunta ja #Åbo2030, mutta a#b ja # yksin"))
    assert little == r"Uutta #kunta ja #Åbo2030, mutta a\#b ja \# yksin"
    assert render(little) == "Uutta #kunta ja #Åbo2030, mutta a#b ja # yksin"
    assert unescape(r"Uutta {hashtag|\#|kunta} \(a\)") == "Uutta #kunta (a)"


@pytest.mark.parametrize("text", [EVERY_RESERVED, "\\", "\\\\#", "rivi\n\\(a)\n", "ä€😀 ~"])
def test_unescaping_undoes_escaping(text: str) -> None:
    assert unescape(commentary(Outgoing(text))) == text


def test_a_link_becomes_an_article(page: LinkedInPublisher, linkedin: FakeLinkedIn) -> None:
    page.publish(Outgoing("Lue lisää", link="https://kunta.example/uutiset"), key=KEY)
    [body] = _sent(linkedin, "POST", "/rest/posts")
    assert body["commentary"] == "Lue lisää"
    assert body["content"] == {"article": {"source": "https://kunta.example/uutiset",
                                           "title": "https://kunta.example/uutiset"}}


def test_one_image_is_uploaded_and_posted_with_its_alt_text(
    page: LinkedInPublisher, linkedin: FakeLinkedIn, tmp_path: Path,
) -> None:
    image = _image(tmp_path, "sali.png")
    page.publish(Outgoing("Uusi lukusali", media=(image,)), key=KEY)
    assert [(method, urlsplit(path).path) for method, path, _, _ in linkedin.requests] == [
        ("POST", "/rest/images"), ("PUT", f"/dms-uploads/{next(iter(linkedin.uploads))}"),
        ("POST", "/rest/posts")]
    [initialize] = _sent(linkedin, "POST", "/rest/images")
    assert initialize == {"initializeUploadRequest": {"owner": ORGANIZATION}}
    assert linkedin.requests[0][1].endswith("?action=initializeUpload")
    assert linkedin.requests[1][2]["authorization"] == f"Bearer {ACCESS_TOKEN}"
    [body] = _sent(linkedin, "POST", "/rest/posts")
    [(urn, data)] = linkedin.images.items()
    assert data == Path(image.path).read_bytes()
    assert body["content"] == {"media": {"id": urn, "altText": "Kuvateksti sali.png"}}


def test_several_images_go_as_a_multi_image_post(page: LinkedInPublisher,
                                                 linkedin: FakeLinkedIn, tmp_path: Path) -> None:
    media = (_image(tmp_path, "a.png"), _image(tmp_path, "b.png"), _image(tmp_path, "c.png"))
    page.publish(Outgoing("Kolme kuvaa", link="https://kunta.example", media=media), key=KEY)
    [body] = _sent(linkedin, "POST", "/rest/posts")
    assert body["content"] == {"multiImage": {"images": [
        {"id": urn, "altText": item.alt} for urn, item in zip(linkedin.images, media,
                                                               strict=True)]}}
    assert body["commentary"] == "Kolme kuvaa\n\nhttps://kunta.example"  # no card beside images


def test_a_video_is_refused_before_anything_is_sent(page: LinkedInPublisher,
                                                    linkedin: FakeLinkedIn) -> None:
    with pytest.raises(ConnectorError, match="videos") as raised:
        page.publish(Outgoing("x", media=(OutgoingMedia("/nowhere.mp4", "video"),)), key=KEY)
    assert raised.value.permanent
    assert linkedin.requests == []


def test_the_token_goes_to_no_upload_host_but_linkedins(
    page: LinkedInPublisher, linkedin: FakeLinkedIn, tmp_path: Path,
) -> None:
    linkedin.upload_base = "https://uploads.example.net"
    with pytest.raises(ConnectorError, match="unexpected host") as raised:
        page.publish(Outgoing("x", media=(_image(tmp_path, "a.png"),)), key=KEY)
    assert raised.value.permanent
    assert [method for method, *_ in linkedin.requests] == ["POST"]


def test_delete_sends_the_encoded_urn(page: LinkedInPublisher, linkedin: FakeLinkedIn) -> None:
    receipt = page.publish(Outgoing("Poistettava"), key=KEY)
    page.delete(receipt.external_id)
    assert receipt.external_id not in linkedin.posts
    method, path, headers, _ = linkedin.requests[-1]
    assert (method, path) == ("DELETE", "/rest/posts/" + receipt.external_id.replace(":", "%3A"))
    assert headers["x-restli-method"] == "DELETE"


def test_a_publish_whose_answer_was_lost_is_found(page: LinkedInPublisher,
                                                  linkedin: FakeLinkedIn,
                                                  since: datetime) -> None:
    post = Outgoing(f"Vastaus katosi {EVERY_RESERVED}", link="https://kunta.example")
    linkedin.fail_after_work = 1
    with pytest.raises(ConnectorError) as raised:
        page.publish(post, key=KEY)
    assert raised.value.sent
    assert not raised.value.permanent
    [urn] = linkedin.posts
    found = page.find(post, key=KEY, since=since)
    assert found is not None
    assert found.external_id == urn
    [(_, path, _, _)] = [request for request in linkedin.requests if request[0] == "GET"]
    assert parse_qs(urlsplit(path).query) == {
        "author": [ORGANIZATION], "q": ["author"], "count": [str(PAGE)], "start": ["0"],
        "sortBy": ["LAST_MODIFIED"]}


def test_find_answers_none_for_a_post_never_sent(page: LinkedInPublisher,
                                                 linkedin: FakeLinkedIn,
                                                 since: datetime) -> None:
    page.publish(Outgoing("Jotain muuta"), key=KEY)
    assert page.find(Outgoing("Tätä ei lähetetty"), key=KEY, since=since) is None


def test_find_ignores_the_same_text_published_before(page: LinkedInPublisher,
                                                     linkedin: FakeLinkedIn,
                                                     since: datetime) -> None:
    a_week_ago = int((since - timedelta(days=7)).timestamp() * 1000)
    linkedin.add_post("Viikoittainen muistutus", a_week_ago)
    assert page.find(Outgoing("Viikoittainen muistutus"), key=KEY, since=since) is None


def test_find_cannot_tell_while_rate_limited(page: LinkedInPublisher, linkedin: FakeLinkedIn,
                                             since: datetime) -> None:
    linkedin.rate_limited = 1
    with pytest.raises(ConnectorError) as raised:
        page.find(Outgoing("x"), key=KEY, since=since)
    assert not raised.value.permanent


def test_find_cannot_tell_behind_too_many_newer_posts(page: LinkedInPublisher,
                                                      linkedin: FakeLinkedIn,
                                                      since: datetime) -> None:
    now = int(time.time() * 1000)
    for number in range(MAX_PAGES * PAGE):
        linkedin.add_post(f"Uutinen {number}", now)
    with pytest.raises(ConnectorError, match="cannot tell") as raised:
        page.find(Outgoing("Hukassa"), key=KEY, since=since)
    assert not raised.value.permanent


def test_a_bad_token_is_permanent_and_says_where(linkedin: FakeLinkedIn) -> None:
    publisher = LinkedInPublisher(ORGANIZATION, "expired", linkedin.url)
    with pytest.raises(ConnectorError) as raised:
        publisher.publish(Outgoing("x"), key=KEY)
    assert raised.value.permanent
    assert "POST /rest/posts: HTTP 401: Invalid access token" in str(raised.value)


def test_a_page_the_member_does_not_administer_is_refused(linkedin: FakeLinkedIn) -> None:
    linkedin.administered = [OTHER_ORGANIZATION]
    publisher = LinkedInPublisher(ORGANIZATION, ACCESS_TOKEN, linkedin.url)
    with pytest.raises(ConnectorError, match="HTTP 403: Not enough permissions") as raised:
        publisher.publish(Outgoing("x"), key=KEY)
    assert raised.value.permanent


def test_too_long_a_text_is_refused_for_good(page: LinkedInPublisher) -> None:
    with pytest.raises(ConnectorError, match="HTTP 422") as raised:
        page.publish(Outgoing("(a)" * 1000), key=KEY)  # 5,000 once escaped
    assert raised.value.permanent


def test_a_rate_limit_is_transient_and_nothing_was_sent(page: LinkedInPublisher,
                                                        linkedin: FakeLinkedIn) -> None:
    linkedin.rate_limited = 1
    with pytest.raises(ConnectorError, match="HTTP 429: Resource level throttle") as raised:
        page.publish(Outgoing("x"), key=KEY)
    assert not raised.value.permanent
    assert not raised.value.sent
    assert linkedin.posts == {}


def test_the_consent_address_asks_for_the_page_scopes() -> None:
    address = urlsplit(oauth.authorize_url(CLIENT_ID, REDIRECT_URI, "s1"))
    assert (address.scheme, address.netloc, address.path) == (
        "https", "www.linkedin.com", "/oauth/v2/authorization")
    assert parse_qs(address.query) == {
        "response_type": ["code"], "client_id": [CLIENT_ID], "redirect_uri": [REDIRECT_URI],
        "state": ["s1"], "scope": ["w_organization_social r_organization_social "
                                   "rw_organization_admin"]}


def test_a_code_becomes_tokens(linkedin: FakeLinkedIn) -> None:
    tokens = oauth.exchange(CODE, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, linkedin.url, now=NOW)
    assert tokens.refresh_token == REFRESH_TOKEN
    assert tokens.access_token in linkedin.access_tokens
    assert tokens.expires_at == NOW + timedelta(days=60)
    assert tokens.refresh_expires_at == NOW + timedelta(days=365)
    [(_, path, headers, body)] = linkedin.requests
    assert path == "/oauth/v2/accessToken"
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(body.decode()) == {
        "grant_type": ["authorization_code"], "code": [CODE], "client_id": [CLIENT_ID],
        "client_secret": [CLIENT_SECRET], "redirect_uri": [REDIRECT_URI]}


def test_a_used_code_is_refused_for_good(linkedin: FakeLinkedIn) -> None:
    oauth.exchange(CODE, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, linkedin.url)
    with pytest.raises(ConnectorError, match="invalid_grant") as raised:
        oauth.exchange(CODE, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, linkedin.url)
    assert raised.value.permanent


def test_a_refresh_keeps_the_same_refresh_token(linkedin: FakeLinkedIn) -> None:
    first = oauth.exchange(CODE, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, linkedin.url)
    second = oauth.refresh(first, CLIENT_ID, CLIENT_SECRET, linkedin.url, now=NOW)
    assert second.access_token != first.access_token
    assert second.access_token in linkedin.access_tokens
    assert second.refresh_token == first.refresh_token == REFRESH_TOKEN
    assert second.expires_at == NOW + timedelta(days=60)
    assert second.refresh_expires_at is not None
    assert second.refresh_expires_at < NOW + timedelta(days=365)  # the year is not renewed
    assert parse_qs(linkedin.requests[-1][3].decode()) == {
        "grant_type": ["refresh_token"], "refresh_token": [REFRESH_TOKEN],
        "client_id": [CLIENT_ID], "client_secret": [CLIENT_SECRET]}


def test_an_expired_refresh_token_is_permanent(linkedin: FakeLinkedIn) -> None:
    stored = TokenSet("old-access", REFRESH_TOKEN)
    linkedin.refresh_tokens[REFRESH_TOKEN] = time.time() - 1
    with pytest.raises(ConnectorError, match="invalid_grant") as raised:
        oauth.refresh(stored, CLIENT_ID, CLIENT_SECRET, linkedin.url)
    assert raised.value.permanent


def test_a_refresh_during_an_outage_is_transient(linkedin: FakeLinkedIn) -> None:
    first = oauth.exchange(CODE, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, linkedin.url)
    linkedin.fail_after_work = 1
    with pytest.raises(ConnectorError, match="HTTP 500") as raised:
        oauth.refresh(first, CLIENT_ID, CLIENT_SECRET, linkedin.url)
    assert not raised.value.permanent
    assert oauth.refresh(first, CLIENT_ID, CLIENT_SECRET, linkedin.url).refresh_token == \
        REFRESH_TOKEN


def test_a_refresh_that_times_out_is_transient() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(ConnectorError, match="no answer") as raised:
        oauth.refresh(TokenSet("a", REFRESH_TOKEN), CLIENT_ID, CLIENT_SECRET,
                      transport=httpx.MockTransport(slow))
    assert not raised.value.permanent


def test_the_pages_the_member_administers_are_listed_by_name(linkedin: FakeLinkedIn) -> None:
    pages = oauth.organizations(ACCESS_TOKEN, linkedin.url)
    assert pages == [oauth.Page(ORGANIZATION, "Kanavan kunta"),
                     oauth.Page(OTHER_ORGANIZATION, "Kanavan kirjasto")]
    _, path, headers, _ = linkedin.requests[0]
    assert parse_qs(urlsplit(path).query) == {
        "q": ["roleAssignee"], "role": ["ADMINISTRATOR"], "state": ["APPROVED"],
        "start": ["0"], "count": [str(oauth.ACL_PAGE)]}
    assert headers["linkedin-version"] == VERSION
    assert [urlsplit(path).path for _, path, _, _ in linkedin.requests[1:]] == [
        "/rest/organizations/2414183", "/rest/organizations/5515715"]
