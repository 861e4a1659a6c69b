"""The Accounts page: connecting the network account behind each channel of the plan,
against local stand-ins of the networks (fake PDS, fake WordPress, mastodon-mock, fake X)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client
from django.urls import reverse
from mastodon_mock.testing.server import MockServer

from kanava.accounts.models import AuditEvent
from kanava.connectors.base import Outgoing
from kanava.connectors.bluesky.publisher import new_tid
from kanava.connectors.mastodon.publisher import plain_text
from kanava.planstore.services import do_save_version
from kanava.publishing import connections
from kanava.publishing.models import Connection
from tests.connectors import fake_facebook, fake_linkedin, fake_pds, fake_wordpress, fake_x
from tests.connectors.fake_facebook import FakeGraph
from tests.connectors.fake_linkedin import FakeLinkedIn
from tests.connectors.fake_pds import FakePds
from tests.connectors.fake_wordpress import FakeWordPress
from tests.connectors.fake_x import FakeX
from tests.web.conftest import Cast

pytestmark = pytest.mark.django_db
SLACK_HOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
EXTRA_CHANNELS = "".join(f"""  - id: {network}
    name: Kuura on {network.title()}
    network: {network}
    purpose: Try the network.
""" for network in ("bluesky", "mastodon", "x"))


@pytest.fixture
def channels(cast: Cast, settings: Any) -> Cast:
    """The example plan with Bluesky, Mastodon and X channels too; local servers allowed."""
    settings.ALLOW_LOOPBACK_ADDRESSES = True
    text = cast.plan.latest().text  # type: ignore[union-attr]
    do_save_version(cast.plan, cast.users["lead"],
                    text.replace("\nchannels:\n", "\nchannels:\n" + EXTRA_CHANNELS, 1))
    return cast


@pytest.fixture
def pds() -> Iterator[FakePds]:
    server = FakePds()
    yield server
    server.stop()


@pytest.fixture
def wordpress() -> Iterator[FakeWordPress]:
    server = FakeWordPress()
    yield server
    server.stop()


@pytest.fixture
def x_api(settings: Any) -> Iterator[FakeX]:
    server = FakeX()
    settings.NETWORK_APPS = {**settings.NETWORK_APPS,
                             "x": (fake_x.CLIENT_ID, fake_x.CLIENT_SECRET)}
    settings.NETWORK_API_URLS = {"x": server.url}
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mastodon() -> Iterator[str]:
    with MockServer() as running:
        yield f"http://127.0.0.1:{running.port}"


def _url(name: str, **kwargs: str) -> str:
    return reverse(name, kwargs={"org": "acme", **kwargs})


def _connection(channel: str) -> Connection | None:
    return Connection.objects.filter(organization__slug="acme", channel=channel).first()


# --- the page and who may do what -----------------------------------------------------------

def test_the_page_lists_every_channel_with_its_status(channels: Cast) -> None:
    connections.connect(channels.organization, "slack", "chat", account="Slack (hooks.slack.com)",
                        secrets={"kind": "slack", "url": SLACK_HOOK})
    broken = connections.connect(channels.organization, "journal", "wordpress",
                                 account="Toimittaja", secrets={}, base_url="https://j.example")
    broken.status, broken.problem = Connection.Status.BROKEN, "the password was revoked"
    broken.save()
    page = channels.client("lead").get(_url("connections")).content.decode()
    assert "Kuura Gear Talk (Facebook group)" in page
    assert "connected as Slack (hooks.slack.com)" in page
    assert "needs reconnecting: the password was revoked" in page
    assert "not connected" in page
    assert _url("connection-connect", channel="bluesky") in page
    assert _url("connection-disconnect", channel="slack") in page
    assert "Kanava cannot publish to this network yet." in page  # instagram, youtube…
    assert SLACK_HOOK not in page


def test_a_viewer_sees_the_accounts_but_cannot_connect(channels: Cast) -> None:
    connections.connect(channels.organization, "slack", "chat", account="Slack (hooks)",
                        secrets={"kind": "slack", "url": SLACK_HOOK})
    viewer = channels.client("viewer")
    page = viewer.get(_url("connections")).content.decode()
    assert "connected as Slack (hooks)" in page
    assert "Disconnect" not in page
    assert _url("connection-connect", channel="bluesky") not in page
    assert viewer.get(_url("connection-connect", channel="bluesky")).status_code == 403
    assert viewer.post(_url("connection-disconnect", channel="slack")).status_code == 403
    assert _connection("slack") is not None


def test_only_owners_and_leads_see_the_accounts_link(channels: Cast) -> None:
    link = f'href="{_url("connections")}"'
    assert link in channels.client("lead").get(_url("post-list")).content.decode()
    assert link not in channels.client("editor").get(_url("post-list")).content.decode()


def test_an_outsider_gets_404(channels: Cast) -> None:
    outsider = channels.client("outsider")
    assert outsider.get(_url("connections")).status_code == 404
    assert outsider.get(_url("connection-connect", channel="bluesky")).status_code == 404


def test_a_channel_kanava_cannot_publish_to_has_no_connect_page(channels: Cast) -> None:
    client = channels.client("owner")
    assert client.get(_url("connection-connect", channel="instagram")).status_code == 404
    assert client.get(_url("connection-connect", channel="nosuch")).status_code == 404


def test_disconnect_deletes_the_connection_and_is_post_only(channels: Cast) -> None:
    connections.connect(channels.organization, "slack", "chat", account="Slack (hooks)",
                        secrets={"kind": "slack", "url": SLACK_HOOK})
    client = channels.client("owner")
    assert client.get(_url("connection-disconnect", channel="slack")).status_code == 405
    response = client.post(_url("connection-disconnect", channel="slack"))
    assert response.status_code == 302
    assert _connection("slack") is None
    assert AuditEvent.objects.filter(action="connection.disconnect", target="slack").exists()


def test_posts_need_the_csrf_token(channels: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(channels.users["owner"])
    response = client.post(_url("connection-connect", channel="slack"),
                           {"kind": "slack", "url": SLACK_HOOK})
    assert response.status_code == 403
    assert _connection("slack") is None


# --- Bluesky -------------------------------------------------------------------------------

def test_bluesky_connects_after_signing_in_and_publishes(channels: Cast, pds: FakePds) -> None:
    response = channels.client("lead").post(_url("connection-connect", channel="bluesky"), {
        "handle": f"@{fake_pds.HANDLE}", "app_password": fake_pds.PASSWORD, "server": pds.url})
    assert response.status_code == 302
    connection = _connection("bluesky")
    assert connection is not None
    assert (connection.network, connection.account) == ("bluesky", fake_pds.HANDLE)
    assert fake_pds.PASSWORD not in connection.sealed
    publisher = connections.publisher(connection)
    key = new_tid()
    publisher.publish(Outgoing("Hello from the field"), key=key)
    assert pds.records[key]["text"] == "Hello from the field"
    assert AuditEvent.objects.filter(action="connection.connect", target="bluesky").exists()


def test_a_wrong_bluesky_password_is_a_form_error_and_saves_nothing(channels: Cast,
                                                                   pds: FakePds) -> None:
    response = channels.client("lead").post(_url("connection-connect", channel="bluesky"), {
        "handle": fake_pds.HANDLE, "app_password": "wrong-pass-word-here", "server": pds.url})
    assert response.status_code == 400
    assert "Bluesky did not accept this handle and app password." in response.content.decode()
    assert "wrong-pass-word-here" not in response.content.decode()
    assert _connection("bluesky") is None


def test_an_address_in_clear_text_is_refused(channels: Cast, settings: Any) -> None:
    settings.ALLOW_LOOPBACK_ADDRESSES = False
    response = channels.client("lead").post(_url("connection-connect", channel="bluesky"), {
        "handle": "a.bsky.social", "app_password": "x", "server": "http://127.0.0.1:9"})
    assert response.status_code == 400
    assert "Give an address that starts with https://." in response.content.decode()


# --- WordPress -----------------------------------------------------------------------------

def test_wordpress_connects_with_an_application_password(channels: Cast,
                                                         wordpress: FakeWordPress) -> None:
    response = channels.client("owner").post(_url("connection-connect", channel="journal"), {
        "site": wordpress.url + "/", "user": fake_wordpress.USER,
        "app_password": fake_wordpress.APP_PASSWORD})
    assert response.status_code == 302
    connection = _connection("journal")
    assert connection is not None
    assert (connection.account, connection.base_url) == (fake_wordpress.NAME, wordpress.url)
    connections.publisher(connection).publish(Outgoing("Field notes\n\nFirst entry."),
                                              key="k-journal-1")
    assert wordpress.posts


def test_a_wrong_wordpress_password_saves_nothing(channels: Cast,
                                                  wordpress: FakeWordPress) -> None:
    response = channels.client("owner").post(_url("connection-connect", channel="journal"), {
        "site": wordpress.url, "user": fake_wordpress.USER, "app_password": "nope nope"})
    assert response.status_code == 400
    assert "The site did not accept this user name and application password." in \
        response.content.decode()
    assert _connection("journal") is None


# --- chat ----------------------------------------------------------------------------------

def test_a_chat_webhook_is_saved_and_never_shown_again(channels: Cast) -> None:
    client = channels.client("owner")
    response = client.post(_url("connection-connect", channel="slack"),
                           {"kind": "slack", "url": SLACK_HOOK})
    assert response.status_code == 302
    connection = _connection("slack")
    assert connection is not None
    assert connections.secrets_of(connection) == {"kind": "slack", "url": SLACK_HOOK}
    for page in (client.get(_url("connections")),
                 client.get(_url("connection-connect", channel="slack"))):
        text = page.content.decode()
        assert "B00000000" not in text
        assert "XXXXXXXX" not in text
    assert "hooks.slack.com" in client.get(_url("connections")).content.decode()


@pytest.mark.parametrize("url", ["http://hooks.slack.com/services/T/B/X", "ftp://x.example/",
                                 "https://user:pw@hooks.slack.com/x", "not an address"])
def test_a_chat_webhook_must_be_https(channels: Cast, url: str, settings: Any) -> None:
    settings.ALLOW_LOOPBACK_ADDRESSES = False
    response = channels.client("owner").post(_url("connection-connect", channel="slack"),
                                             {"kind": "slack", "url": url})
    assert response.status_code == 400
    assert _connection("slack") is None


# --- Mastodon ------------------------------------------------------------------------------

def _start_mastodon(client: Client, server: str) -> dict[str, str]:
    response = client.post(_url("connection-connect", channel="mastodon"), {"server": server})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}" == server
    assert location.path == "/oauth/authorize"
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def _consent_on_mastodon(server: str, asked: dict[str, str]) -> dict[str, str]:
    """The person picks 'alice' on the server, which sends them back with a code."""
    answer = httpx.post(f"{server}/oauth/authorize", data={
        "username": "alice", "redirect_uri": asked["redirect_uri"],
        "client_id": asked["client_id"], "scope": asked["scope"], "state": asked["state"]})
    assert answer.status_code == 302
    back = urlsplit(answer.headers["location"])
    assert back.path == reverse("connection-callback", kwargs={"network": "mastodon"})
    return {k: v[0] for k, v in parse_qs(back.query).items()}


def test_mastodon_oauth_connects_and_publishes(channels: Cast, mastodon: str) -> None:
    client = channels.client("lead")
    asked = _start_mastodon(client, mastodon)
    assert asked["response_type"] == "code"
    assert asked["scope"] == "write:statuses write:media read:accounts"
    assert len(asked["state"]) >= 32
    back = _consent_on_mastodon(mastodon, asked)
    response = client.get(reverse("connection-callback", kwargs={"network": "mastodon"}), back)
    assert response.status_code == 302
    connection = _connection("mastodon")
    assert connection is not None
    assert connection.account == f"@alice@{urlsplit(mastodon).netloc}"
    assert connection.base_url == mastodon
    assert connections.secrets_of(connection)["client_id"] == asked["client_id"]
    receipt = connections.publisher(connection).publish(Outgoing("Hei Mastodon"),
                                                        key="k-web-1")
    status = httpx.get(f"{mastodon}/api/v1/statuses/{receipt.external_id}").json()
    assert plain_text(status["content"]) == "Hei Mastodon"
    # Reconnecting reuses the registration kept with the connection.
    assert _start_mastodon(client, mastodon)["client_id"] == asked["client_id"]


def test_a_mastodon_callback_with_a_wrong_state_saves_nothing(channels: Cast,
                                                              mastodon: str) -> None:
    client = channels.client("lead")
    back = _consent_on_mastodon(mastodon, _start_mastodon(client, mastodon))
    callback = reverse("connection-callback", kwargs={"network": "mastodon"})
    response = client.get(callback, {**back, "state": "forged"})
    assert response.status_code == 400
    assert _connection("mastodon") is None
    # Another member's session does not hold the state either.
    assert channels.client("owner").get(callback, back).status_code == 400
    assert _connection("mastodon") is None


def test_a_mastodon_server_must_be_an_https_address(channels: Cast, settings: Any) -> None:
    settings.ALLOW_LOOPBACK_ADDRESSES = False
    response = channels.client("lead").post(_url("connection-connect", channel="mastodon"),
                                            {"server": "http://mastodon.example"})
    assert response.status_code == 400
    assert "Give an address that starts with https://." in response.content.decode()


# --- X and the apps the administrator configures --------------------------------------------

def test_x_oauth_with_pkce_connects_and_publishes(channels: Cast, x_api: FakeX) -> None:
    client = channels.client("owner")
    response = client.post(_url("connection-connect", channel="x"))
    assert response.status_code == 302
    asked = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}
    assert response["Location"].startswith("https://x.com/i/oauth2/authorize?")
    assert (asked["code_challenge_method"], asked["client_id"]) == ("S256", fake_x.CLIENT_ID)
    code = x_api.consent(asked["code_challenge"], asked["redirect_uri"])
    response = client.get(reverse("connection-callback", kwargs={"network": "x"}),
                          {"code": code, "state": asked["state"]})
    assert response.status_code == 302
    token_request = next(r for r in x_api.requests if r.path == "/2/oauth2/token")
    assert fake_x._s256(token_request.form()["code_verifier"]) == asked["code_challenge"]
    connection = _connection("x")
    assert connection is not None
    assert connection.account == f"@{fake_x.USERNAME}"
    secrets = connections.secrets_of(connection)
    assert secrets["refresh_token"]
    assert secrets["expires_at"]
    connections.publisher(connection).publish(Outgoing("Hello X"), key="k-x-1")
    assert [t.text for t in x_api.tweets.values()] == ["Hello X"]


def test_an_unconfigured_app_names_the_variables_to_set(channels: Cast, settings: Any) -> None:
    settings.NETWORK_APPS = {"x": ("", ""), "linkedin": ("", ""), "facebook": ("", "")}
    client = channels.client("owner")
    page = client.get(_url("connections")).content.decode()
    assert "KANAVA_LINKEDIN_CLIENT_ID, KANAVA_LINKEDIN_CLIENT_SECRET" in page
    assert "KANAVA_FACEBOOK_APP_ID, KANAVA_FACEBOOK_APP_SECRET" in page
    response = client.post(_url("connection-connect", channel="x"))
    assert response.status_code == 302
    assert "x.com" not in response["Location"]
    assert "KANAVA_X_CLIENT_ID" in client.get(_url("connections")).content.decode()


def test_linkedin_asks_which_page_to_post_as(channels: Cast, settings: Any) -> None:
    """GIVEN a member who administers two LinkedIn pages, WHEN they consent, THEN they
    choose one page and the channel posts as that page."""
    fake = FakeLinkedIn()
    settings.NETWORK_APPS = {**settings.NETWORK_APPS,
                             "linkedin": (fake_linkedin.CLIENT_ID, fake_linkedin.CLIENT_SECRET)}
    settings.NETWORK_API_URLS = {"linkedin": fake.url}
    settings.ALLOWED_HOSTS = ["kanava.example"]
    client = channels.client("lead")
    site = {"secure": True, "HTTP_HOST": "kanava.example"}  # the app's redirect address
    try:
        response = client.post(_url("connection-connect", channel="linkedin"), **site)
        asked = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}
        assert asked["redirect_uri"] == fake_linkedin.REDIRECT_URI
        response = client.get(urlsplit(asked["redirect_uri"]).path,
                              {"code": fake_linkedin.CODE, "state": asked["state"]}, **site)
        assert response["Location"] == _url("connection-choose", channel="linkedin")
        page = client.get(response["Location"], **site).content.decode()
        assert "Kanavan kunta" in page
        assert "Kanavan kirjasto" in page
        assert _connection("linkedin") is None
        response = client.post(_url("connection-choose", channel="linkedin"),
                               {"page": fake_linkedin.OTHER_ORGANIZATION}, **site)
        assert response.status_code == 302
    finally:
        fake.stop()
    connection = _connection("linkedin")
    assert connection is not None
    assert connection.account == "Kanavan kirjasto"
    secrets = connections.secrets_of(connection)
    assert secrets["organization_urn"] == fake_linkedin.OTHER_ORGANIZATION
    assert secrets["refresh_token"]


# --- Facebook -------------------------------------------------------------------------------

#: The app's address, from which its redirect address is built.
FACEBOOK_SITE: dict[str, Any] = {"secure": True, "HTTP_HOST": "kanava.example"}
FACEBOOK_CALLBACK = "https://kanava.example/connect/facebook/callback"


@pytest.fixture
def graph(channels: Cast, settings: Any) -> Iterator[FakeGraph]:
    """The fake Graph API, expecting the app's own callback as the redirect address."""
    server = FakeGraph(redirect_uri=FACEBOOK_CALLBACK)
    settings.NETWORK_APPS = {**settings.NETWORK_APPS,
                             "facebook": (fake_facebook.APP_ID, fake_facebook.APP_SECRET)}
    settings.NETWORK_API_URLS = {"facebook": server.url}
    settings.ALLOWED_HOSTS = ["kanava.example"]
    yield server
    server.stop()


def _start_facebook(client: Client) -> dict[str, str]:
    """Press Connect: the Login dialog's address, and what it asks for."""
    response = client.post(_url("connection-connect", channel="facebook"), **FACEBOOK_SITE)
    assert response.status_code == 302
    address = urlsplit(response["Location"])
    assert (address.scheme, address.netloc) == ("https", "www.facebook.com")
    assert address.path.endswith("/dialog/oauth")
    return {k: v[0] for k, v in parse_qs(address.query).items()}


def _facebook_callback(client: Client, query: dict[str, str]) -> Any:
    return client.get(urlsplit(FACEBOOK_CALLBACK).path, query, **FACEBOOK_SITE)


@pytest.mark.parametrize("who", ["owner", "lead"])
def test_facebook_login_connects_the_chosen_page_and_publishes(channels: Cast, graph: FakeGraph,
                                                               who: str) -> None:
    """GIVEN a member who administers Facebook Pages, WHEN they log in with Facebook and
    choose one Page, THEN the channel posts as that Page with the Page's own token."""
    client = channels.client(who)
    asked = _start_facebook(client)
    assert asked["client_id"] == fake_facebook.APP_ID
    assert asked["redirect_uri"] == FACEBOOK_CALLBACK
    assert asked["response_type"] == "code"
    assert asked["scope"] == "pages_show_list,pages_manage_posts,pages_read_engagement"
    assert len(asked["state"]) >= 32
    response = _facebook_callback(client, {"code": fake_facebook.CODE, "state": asked["state"]})
    assert response["Location"] == _url("connection-choose", channel="facebook")
    tokens = [entry.params for entry in graph.requests if entry.node == "oauth/access_token"]
    assert tokens[0]["code"] == fake_facebook.CODE
    assert tokens[1]["fb_exchange_token"] == fake_facebook.SHORT_USER_TOKEN
    # The Page tokens are asked for with the long-lived User token: they do not run out.
    assert {entry.params["access_token"] for entry in graph.requests
            if entry.node == "me/accounts"} == {fake_facebook.LONG_USER_TOKEN}
    page = client.get(response["Location"], **FACEBOOK_SITE).content.decode()
    for _page_id, name, page_token in fake_facebook.PAGES:
        assert name in page
        assert page_token not in page
    assert _connection("facebook") is None
    response = client.post(_url("connection-choose", channel="facebook"),
                           {"page": fake_facebook.PAGE_ID}, **FACEBOOK_SITE)
    assert response.status_code == 302
    connection = _connection("facebook")
    assert connection is not None
    assert (connection.network, connection.account) == ("facebook", "Kunnan kirjasto")
    assert connections.secrets_of(connection) == {"page_id": fake_facebook.PAGE_ID,
                                                  "access_token": fake_facebook.PAGE_TOKEN}
    assert fake_facebook.PAGE_TOKEN not in connection.sealed
    connections.publisher(connection).publish(Outgoing("Hei Facebook"), key="k-fb-1")
    assert [post["message"] for post in graph.posts.values()] == ["Hei Facebook"]
    assert AuditEvent.objects.filter(action="connection.connect", target="facebook").exists()
    # The offer is used up: choosing again starts nothing.
    again = client.post(_url("connection-choose", channel="facebook"),
                        {"page": fake_facebook.PAGE_ID}, **FACEBOOK_SITE)
    assert again["Location"] == _url("connections")


def test_a_facebook_callback_with_a_wrong_state_saves_nothing(channels: Cast,
                                                              graph: FakeGraph) -> None:
    client = channels.client("lead")
    asked = _start_facebook(client)
    response = _facebook_callback(client, {"code": fake_facebook.CODE, "state": "forged"})
    assert response.status_code == 400
    assert "does not belong to a connection started here" in response.content.decode()
    assert not graph.requests  # the code was never exchanged
    # Another member's session does not hold the state either.
    other = _facebook_callback(channels.client("owner"),
                               {"code": fake_facebook.CODE, "state": asked["state"]})
    assert other.status_code == 400
    assert _connection("facebook") is None
    assert not AuditEvent.objects.filter(action="connection.connect").exists()


def test_a_refused_facebook_login_says_so_and_saves_nothing(channels: Cast,
                                                            graph: FakeGraph) -> None:
    client = channels.client("lead")
    asked = _start_facebook(client)
    response = _facebook_callback(client, {
        "error": "access_denied", "error_reason": "user_denied",
        "error_description": "Permissions error", "state": asked["state"]})
    assert response["Location"] == _url("connections")
    page = client.get(response["Location"], **FACEBOOK_SITE).content.decode()
    assert "Facebook did not give access: Permissions error" in page
    assert not graph.requests
    assert _connection("facebook") is None
    # The state was used once: the same answer again is refused.
    assert _facebook_callback(client, {"error": "access_denied",
                                       "state": asked["state"]}).status_code == 400


def test_a_refused_facebook_login_without_the_state_is_still_explained(
        channels: Cast, graph: FakeGraph) -> None:
    """Facebook's guide shows the refusal coming back with only error_reason, error and
    error_description: the person is told that access was not given, not that the
    answer is foreign."""
    client = channels.client("lead")
    _start_facebook(client)
    response = _facebook_callback(client, {"error": "access_denied",
                                           "error_reason": "user_denied",
                                           "error_description": "Permissions error"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Facebook did not give access, so nothing was connected." in page
    assert "Permissions error" not in page  # anyone can make such an address
    assert not graph.requests
    assert _connection("facebook") is None


def test_a_facebook_account_without_pages_saves_nothing(channels: Cast,
                                                        graph: FakeGraph) -> None:
    graph.pages = []
    client = channels.client("lead")
    asked = _start_facebook(client)
    response = _facebook_callback(client, {"code": fake_facebook.CODE, "state": asked["state"]})
    assert response["Location"] == _url("connections")
    page = client.get(response["Location"], **FACEBOOK_SITE).content.decode()
    assert "This Facebook account administers no page that Kanava could post to." in page
    assert _connection("facebook") is None
