"""Connecting a LinkedIn member who administers organization pages: 3-legged OAuth 2.0.

- consent: ``https://www.linkedin.com/oauth/v2/authorization`` with ``response_type=code``
  (learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow);
- code for tokens and refresh: ``POST https://www.linkedin.com/oauth/v2/accessToken``,
  form-encoded. An access token lives 60 days; a refresh (…/authentication/
  programmatic-refresh-tokens) returns a new access token and the SAME refresh token with
  less time left: the refresh token is never rotated, and it ends a year after consent;
- the member's pages: ``GET /rest/organizationAcls?q=roleAssignee`` for approved
  administrator roles, named by ``GET /rest/organizations/{id}``
  (learn.microsoft.com/linkedin/marketing/community-management/organizations/
  organization-access-control-by-role, .../organizations/organization-lookup-api).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx

from kanava.connectors import http
from kanava.connectors.base import TokenSet
from kanava.connectors.linkedin.publisher import API, rest_client

WWW = "https://www.linkedin.com"
SCOPES = ("w_organization_social", "r_organization_social", "rw_organization_admin")
ACL_PAGE = 100  # access-control entries read per request
MAX_ACL_PAGES = 10


@dataclass(frozen=True)
class Page:
    """An organization page the member administers."""

    urn: str
    name: str


def authorize_url(client_id: str, redirect_uri: str, state: str, base_url: str = WWW) -> str:
    """Where the member is sent to consent; ``state`` comes back to fend off CSRF."""
    query = urlencode({"response_type": "code", "client_id": client_id,
                       "redirect_uri": redirect_uri, "state": state,
                       "scope": " ".join(SCOPES)})
    return f"{base_url.rstrip('/')}/oauth/v2/authorization?{query}"


def exchange(code: str, client_id: str, client_secret: str, redirect_uri: str,
             base_url: str = WWW, transport: httpx.BaseTransport | None = None,
             now: datetime | None = None) -> TokenSet:
    """Tokens for the code LinkedIn sent back to ``redirect_uri``."""
    return _token(base_url, transport, now, {
        "grant_type": "authorization_code", "code": code, "client_id": client_id,
        "client_secret": client_secret, "redirect_uri": redirect_uri})


def refresh(tokens: TokenSet, client_id: str, client_secret: str, base_url: str = WWW,
            transport: httpx.BaseTransport | None = None,
            now: datetime | None = None) -> TokenSet:
    """A new access token. A refused refresh token (expired, revoked) is permanent: the
    member must consent again; a LinkedIn outage or timeout is transient."""
    fresh = _token(base_url, transport, now, {
        "grant_type": "refresh_token", "refresh_token": tokens.refresh_token,
        "client_id": client_id, "client_secret": client_secret})
    return fresh.merged(tokens)


def _token(base_url: str, transport: httpx.BaseTransport | None, now: datetime | None,
           form: dict[str, str]) -> TokenSet:
    with http.client(base_url.rstrip("/"), None, transport) as session:
        body: dict[str, Any] = http.call(session, "POST", "/oauth/v2/accessToken",
                                         writes=False, data=form).json()
    moment = now or datetime.now(UTC)

    def after(field: str) -> datetime | None:
        seconds = body.get(field)
        return moment + timedelta(seconds=int(seconds)) if seconds else None

    return TokenSet(str(body["access_token"]), str(body.get("refresh_token") or ""),
                    after("expires_in"), str(body.get("scope") or ""),
                    after("refresh_token_expires_in"))


def organizations(token: str, base_url: str = API,
                  transport: httpx.BaseTransport | None = None) -> list[Page]:
    """The pages the member is an approved administrator of, named."""
    with rest_client(token, base_url, transport) as session:
        return [Page(urn, _name(session, urn)) for urn in _administered(session)]


def _administered(session: httpx.Client) -> list[str]:
    urns: list[str] = []
    for page in range(MAX_ACL_PAGES):
        elements = http.call(session, "GET", "/rest/organizationAcls", writes=False, params={
            "q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED",
            "start": page * ACL_PAGE, "count": ACL_PAGE}).json().get("elements", [])
        urns += [str(entry["organization"]) for entry in elements]
        if len(elements) < ACL_PAGE:
            break
    return urns


def _name(session: httpx.Client, urn: str) -> str:
    organization_id = urn.rsplit(":", 1)[-1]
    body = http.call(session, "GET", f"/rest/organizations/{organization_id}",
                     writes=False).json()
    return str(body.get("localizedName") or urn)
