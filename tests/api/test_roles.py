"""The role rules of every endpoint, for the whole cast: the same as in the web UI."""

from __future__ import annotations

import pytest

from kanava.accounts.models import Invitation, Membership
from kanava.planstore.models import PlanDocument, PlanVersion
from tests.api.conftest import CALLERS, MEMBERS, Api, expect, send, statuses
from tests.web.conftest import EXAMPLES

pytestmark = pytest.mark.django_db

OWNERS = ("owner",)
LEADS = ("owner", "lead")
NEW_PLAN = {"text": (EXAMPLES / "nb-husbanken.yaml").read_text(encoding="utf-8")}
ORG = "/api/v1/organizations/acme"
PLAN = "{plan}"

# (method, address, body, who may, the status they get)
ENDPOINTS = [
    ("GET", ORG, None, MEMBERS, 200),
    ("GET", f"{ORG}/plans", None, MEMBERS, 200),
    ("POST", f"{ORG}/plans", NEW_PLAN, LEADS, 201),
    ("POST", f"{ORG}/check", {"text": "title: only a title"}, MEMBERS, 200),
    ("GET", PLAN, None, MEMBERS, 200),
    ("PUT", PLAN, {"text": "{text}# edited through the API\n", "message": "A comment"}, LEADS,
     200),
    ("GET", f"{PLAN}/versions", None, MEMBERS, 200),
    ("GET", f"{PLAN}/versions/1", None, MEMBERS, 200),
    ("POST", f"{PLAN}/versions/1/approve", None, LEADS, 200),
    ("GET", f"{PLAN}/check?lang=fi", None, MEMBERS, 200),
    ("GET", f"{PLAN}/export?format=yaml", None, MEMBERS, 200),
    ("GET", f"{ORG}/members", None, OWNERS, 200),
    ("PUT", f"{ORG}/members/expert", {"role": "editor"}, OWNERS, 200),
    ("DELETE", f"{ORG}/members/viewer", None, OWNERS, 204),
    ("POST", f"{ORG}/invitations", {"email": "new@example.org", "role": "editor"}, OWNERS, 201),
]
UNSAFE = [e for e in ENDPOINTS if e[0] != "GET" and e[1] != f"{ORG}/check"]


def _fill(api: Api, url: str, body: object) -> tuple[str, object]:
    text = api.cast.plan.latest().text
    if isinstance(body, dict):
        body = {key: value.replace("{text}", text) for key, value in body.items()}
    return url.replace("{plan}", api.plan), body


@pytest.mark.parametrize(("method", "url", "body", "allowed", "ok"), ENDPOINTS,
                         ids=[f"{e[0]} {e[1]}" for e in ENDPOINTS])
def test_every_endpoint_follows_the_role_rules(api: Api, method: str, url: str, body: object,
                                               allowed: tuple[str, ...], ok: int) -> None:
    url, body = _fill(api, url, body)
    assert statuses(api, method, url, allowed, body) == expect(allowed, ok)


def test_the_list_of_organizations_shows_each_caller_their_own(api: Api) -> None:
    for who in CALLERS:
        response = api.client(who).get("/api/v1/organizations")
        if who in ("anonymous", "bad token"):
            assert response.status_code == 401
            continue
        slugs = {o["slug"]: o["role"] for o in response.json()}
        assert slugs == ({"other": "owner"} if who == "outsider" else {"acme": who}), who


def test_a_viewer_changes_nothing(api: Api) -> None:
    before = (PlanDocument.objects.count(), PlanVersion.objects.count(),
              list(Membership.objects.values_list("user__username", "role")),
              Invitation.objects.count(), PlanVersion.objects.filter(approved_at__isnull=False)
              .count())
    for method, url, body, _allowed, _ok in UNSAFE:
        url, body = _fill(api, url, body)
        assert send(api.client("viewer"), method, url, body).status_code == 403, (method, url)
    after = (PlanDocument.objects.count(), PlanVersion.objects.count(),
             list(Membership.objects.values_list("user__username", "role")),
             Invitation.objects.count(), PlanVersion.objects.filter(approved_at__isnull=False)
             .count())
    assert after == before


def test_an_outsider_learns_nothing_of_another_organization(api: Api) -> None:
    """The answer for an organization that exists is the same as for one that does not."""
    client = api.client("outsider")
    for method, url, body, _allowed, _ok in ENDPOINTS:
        url, body = _fill(api, url, body)
        real = send(client, method, url, body)
        made_up = send(client, method, url.replace("/acme", "/no-such-org"), body)
        assert (real.status_code, real.json()) == (made_up.status_code, made_up.json()), url
