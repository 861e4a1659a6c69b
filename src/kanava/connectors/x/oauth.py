"""Connecting an X account: OAuth 2.0 Authorization Code Flow with PKCE, as X documents it.

- https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token: the
  authorize URL (``https://x.com/i/oauth2/authorize`` with ``response_type=code``,
  ``client_id``, ``redirect_uri``, ``scope``, ``state``, ``code_challenge`` and
  ``code_challenge_method=S256``) and ``POST /2/oauth2/token`` (form-encoded; a
  confidential client authenticates with HTTP Basic ``client_id:client_secret``);
- https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code: access
  tokens last two hours; ``offline.access`` gives a refresh token, used with
  ``grant_type=refresh_token``.

X answers a refused code or refresh token with HTTP 400 (``invalid_request`` or
``invalid_grant``): permanent, the user must connect again. A 5xx or a timeout is
transient: the connection is kept and the refresh tried later.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from kanava.connectors import http
from kanava.connectors.base import TokenSet
from kanava.connectors.x.publisher import DEFAULT_API

AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
SCOPES = "tweet.read tweet.write users.read media.write offline.access"


def new_pkce() -> tuple[str, str]:
    """A code verifier (86 URL-safe characters; 43 to 128 allowed) and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    return verifier, _s256(verifier)


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(client_id: str, redirect_uri: str, state: str, challenge: str) -> str:
    """Where the user is sent to let Kanava post for them."""
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
             "scope": SCOPES, "state": state, "code_challenge": challenge,
             "code_challenge_method": "S256"}
    return f"{AUTHORIZE_URL}?{urlencode(query, quote_via=quote)}"


def exchange_code(code: str, verifier: str, client_id: str, client_secret: str,
                  redirect_uri: str, base_url: str = DEFAULT_API,
                  transport: httpx.BaseTransport | None = None) -> TokenSet:
    """The tokens for the code X handed back to ``redirect_uri``."""
    return _token(base_url, transport, client_id, client_secret,
                  {"code": code, "grant_type": "authorization_code", "client_id": client_id,
                   "redirect_uri": redirect_uri, "code_verifier": verifier})


def refresh(tokens: TokenSet, client_id: str, client_secret: str,
            base_url: str = DEFAULT_API,
            transport: httpx.BaseTransport | None = None) -> TokenSet:
    """New tokens; X rotates the refresh token, and the stored one is kept if none came."""
    new = _token(base_url, transport, client_id, client_secret,
                 {"refresh_token": tokens.refresh_token, "grant_type": "refresh_token",
                  "client_id": client_id})
    return new.merged(tokens)


def _token(base_url: str, transport: httpx.BaseTransport | None, client_id: str,
           client_secret: str, form: dict[str, str]) -> TokenSet:
    headers = {"Authorization": _basic(client_id, client_secret)} if client_secret else {}
    before = datetime.now(UTC)
    with http.client(base_url.rstrip("/"), headers, transport) as session:
        # writes: the code, or the rotated refresh token, is spent once X has the request.
        body = http.call(session, "POST", "/2/oauth2/token", writes=True, data=form).json()
    return _token_set(body, before)


def _basic(client_id: str, client_secret: str) -> str:
    pair = f"{client_id}:{client_secret}".encode()
    return f"Basic {base64.b64encode(pair).decode('ascii')}"


def _token_set(body: dict[str, Any], asked_at: datetime) -> TokenSet:
    lifetime = body.get("expires_in")
    expires_at = asked_at + timedelta(seconds=int(lifetime)) if lifetime else None
    return TokenSet(str(body["access_token"]), str(body.get("refresh_token") or ""),
                    expires_at, str(body.get("scope") or ""))
