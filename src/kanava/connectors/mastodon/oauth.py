"""Connecting a Mastodon account: register Kanava on the person's own server, then OAuth 2.0
authorization code flow (docs.joinmastodon.org).

- ``POST /api/v1/apps`` with ``client_name``, ``redirect_uris`` and ``scopes``
  gives the app's ``client_id`` and ``client_secret`` on that server
  (docs.joinmastodon.org/methods/apps/#create); every server is its own authority, so the
  registration is made per server and kept with the connection;
- the person consents at ``GET /oauth/authorize`` with ``response_type=code``,
  ``client_id``, ``redirect_uri``, ``scope`` and ``state``
  (docs.joinmastodon.org/methods/oauth/#authorize);
- ``POST /oauth/token`` with ``grant_type=authorization_code`` gives the access token
  (docs.joinmastodon.org/methods/oauth/#token); Mastodon's tokens do not run out;
- ``GET /api/v1/accounts/verify_credentials`` names the account
  (docs.joinmastodon.org/methods/accounts/#verify_credentials).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import httpx

from kanava.connectors import http

SCOPES = "write:statuses write:media read:accounts"
CLIENT_NAME = "Kanava"


@dataclass(frozen=True)
class App:
    """Kanava's registration on one server."""

    client_id: str
    client_secret: str


def register_app(base_url: str, redirect_uri: str,
                 transport: httpx.BaseTransport | None = None) -> App:
    """Register Kanava on the server, for this redirect address."""
    with http.client(base_url.rstrip("/"), None, transport) as session:
        body = http.call(session, "POST", "/api/v1/apps", writes=True, data={
            "client_name": CLIENT_NAME, "redirect_uris": redirect_uri,
            "scopes": SCOPES}).json()
    return App(str(body["client_id"]), str(body["client_secret"]))


def authorize_url(base_url: str, client_id: str, redirect_uri: str, state: str) -> str:
    """Where the person is sent to sign in on their server and allow Kanava to post."""
    query = urlencode({"response_type": "code", "client_id": client_id,
                       "redirect_uri": redirect_uri, "scope": SCOPES, "state": state})
    return f"{base_url.rstrip('/')}/oauth/authorize?{query}"


def exchange_code(base_url: str, app: App, code: str, redirect_uri: str,
                  transport: httpx.BaseTransport | None = None) -> str:
    """The access token for the code the server sent back to ``redirect_uri``."""
    with http.client(base_url.rstrip("/"), None, transport) as session:
        # writes: a code is spent once the server has the request.
        body = http.call(session, "POST", "/oauth/token", writes=True, data={
            "grant_type": "authorization_code", "code": code, "client_id": app.client_id,
            "client_secret": app.client_secret, "redirect_uri": redirect_uri,
            "scope": SCOPES}).json()
    return str(body["access_token"])


def account_name(base_url: str, token: str,
                 transport: httpx.BaseTransport | None = None) -> str:
    """The account as people write it: ``@name@server``."""
    with http.client(base_url.rstrip("/"), {"Authorization": f"Bearer {token}"},
                     transport) as session:
        me = http.call(session, "GET", "/api/v1/accounts/verify_credentials",
                       writes=False).json()
    acct = str(me.get("acct") or me.get("username") or "")
    return f"@{acct}" if "@" in acct else f"@{acct}@{urlsplit(base_url).netloc}"
