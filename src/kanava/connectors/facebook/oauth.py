"""Connecting a Facebook Page: Facebook Login's code flow, then the Page's own token.

- the Login dialog: ``https://www.facebook.com/{version}/dialog/oauth`` with ``client_id``,
  ``redirect_uri``, ``state``, ``response_type=code`` and comma-separated ``scope``
  (https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow);
- the code for a short-lived User token: ``GET /{version}/oauth/access_token`` with
  ``client_id``, ``redirect_uri``, ``client_secret`` and ``code`` (same guide);
- a long-lived User token (about 60 days): the same endpoint with
  ``grant_type=fb_exchange_token``
  (https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived);
- the Pages the person can act on, each with its Page token: ``GET /{version}/me/accounts``
  with ``fields=id,name,access_token``, paged by cursors
  (https://developers.facebook.com/docs/pages/access-tokens/).

Facebook has no refresh tokens: a User token that runs out means logging in again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple
from urllib.parse import urlencode

import httpx

from kanava.connectors import http
from kanava.connectors.base import ConnectorError, TokenSet
from kanava.connectors.facebook.publisher import GRAPH, GRAPH_VERSION, MAX_PAGES, graph_call

DIALOG = "https://www.facebook.com"
SCOPES = ("pages_show_list", "pages_manage_posts", "pages_read_engagement")


class Page(NamedTuple):
    page_id: str
    name: str
    access_token: str


def authorize_url(app_id: str, redirect_uri: str, state: str,
                  scopes: tuple[str, ...] = SCOPES) -> str:
    """Where the person's browser goes to log in and grant ``scopes``; ``state`` comes back
    with the code and must match (it stops cross-site request forgery)."""
    query = urlencode({"client_id": app_id, "redirect_uri": redirect_uri, "state": state,
                       "response_type": "code", "scope": ",".join(scopes)})
    return f"{DIALOG}/{GRAPH_VERSION}/dialog/oauth?{query}"


class FacebookLogin:
    """The app's side of the login: its id and secret, used from the server only."""

    def __init__(self, app_id: str, app_secret: str, base_url: str = GRAPH,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.app_id, self.app_secret = app_id, app_secret
        self.session = http.client(base_url.rstrip("/"), None, transport)

    def close(self) -> None:
        self.session.close()

    def exchange_code(self, code: str, redirect_uri: str) -> TokenSet:
        """The short-lived User token for the code the Login dialog sent back;
        ``redirect_uri`` must be the one the dialog was opened with."""
        return self._token({"client_id": self.app_id, "redirect_uri": redirect_uri,
                            "client_secret": self.app_secret, "code": code})

    def long_lived_user_token(self, user_token: str) -> TokenSet:
        """A User token good for about 60 days, for a short-lived one that still works."""
        return self._token({"grant_type": "fb_exchange_token", "client_id": self.app_id,
                            "client_secret": self.app_secret, "fb_exchange_token": user_token})

    def pages(self, user_token: str) -> list[Page]:
        """The Pages the person can act on, each with its Page access token.

        A Page token obtained with a long-lived User token has no expiry date: it stops
        working only when it is invalidated (the person loses their role on the Page, changes
        their password, or removes the app), so it is stored and not renewed. Obtained with a
        short-lived User token it lasts only as long as that one (the get-long-lived guide).
        """
        params: dict[str, Any] = {"fields": "id,name,access_token", "access_token": user_token}
        found: list[Page] = []
        for _ in range(MAX_PAGES):
            body = graph_call(self.session, "GET", f"/{GRAPH_VERSION}/me/accounts",
                              writes=False, params=params).json()
            # A Page without a token (the person lacks a task that allows posting on it)
            # cannot be published to: it is left out of the choice.
            found += [Page(str(item["id"]), str(item.get("name", "")), str(item["access_token"]))
                      for item in body.get("data") or []
                      if isinstance(item, dict) and item.get("id") and item.get("access_token")]
            paging = body.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not paging.get("next") or not after:
                return found
            params["after"] = after
        return found

    def _token(self, params: dict[str, str]) -> TokenSet:
        body = graph_call(self.session, "GET", f"/{GRAPH_VERSION}/oauth/access_token",
                          writes=False, params=params).json()
        if not body.get("access_token"):
            raise ConnectorError(f"GET /{GRAPH_VERSION}/oauth/access_token: no access token "
                                 "in the answer", permanent=True)
        expires_in = body.get("expires_in")
        expires_at = datetime.now(UTC) + timedelta(seconds=int(expires_in)) if expires_in \
            else None
        return TokenSet(str(body["access_token"]), expires_at=expires_at)
