"""The API's cast: the web tests' people, each with a personal API token."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.http import HttpResponse
from django.test import Client

from kanava.accounts.services import do_create_token
from tests.web.conftest import Cast, _fast_passwords, cast  # noqa: F401 - fixtures

MEMBERS = ("owner", "lead", "editor", "expert", "viewer")
#: Everyone who may knock: the members, an outsider, nobody, and a made-up token.
CALLERS = (*MEMBERS, "outsider", "anonymous", "bad token")


@dataclass
class Api:
    cast: Cast
    tokens: dict[str, str]

    def client(self, who: str) -> Client:
        if who == "anonymous":
            return Client()
        token = self.tokens.get(who, "kv_not-a-real-token")
        return Client(headers={"Authorization": f"Bearer {token}"})

    @property
    def plan(self) -> str:
        return f"/api/v1/organizations/acme/plans/{self.cast.plan.slug}"


@pytest.fixture
def api(cast: Cast) -> Api:  # noqa: F811 - the imported fixture
    return Api(cast, {who: do_create_token(user, "tests")[1] for who, user in cast.users.items()})


def expect(allowed: tuple[str, ...], ok: int) -> dict[str, int]:
    """The status every caller gets: ``ok`` for the allowed, 403 for other members, 404 for
    the outsider (who learns nothing) and 401 for no or a wrong token."""
    return {who: ok if who in allowed else 403 for who in MEMBERS} | {
        "outsider": 404, "anonymous": 401, "bad token": 401}


def send(client: Client, method: str, url: str, body: object = None) -> HttpResponse:
    if body is None:
        return client.generic(method, url)
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def statuses(api: Api, method: str, url: str, allowed: tuple[str, ...],
             body: object = None) -> dict[str, int]:
    """What every caller gets; the allowed ask last, so a refusal never meets their change."""
    order = sorted(CALLERS, key=lambda who: who in allowed)
    return {who: send(api.client(who), method, url, body).status_code for who in order}
