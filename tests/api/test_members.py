"""Members and invitations through the API, for owners only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from kanava.accounts.models import AuditEvent, Invitation, Membership
from kanava.accounts.roles import Role
from kanava.accounts.services import find_invitation
from tests.api.conftest import MEMBERS, Api

pytestmark = pytest.mark.django_db

ORG = "/api/v1/organizations/acme"


def _role(api: Api, username: str) -> str | None:
    found = Membership.objects.filter(organization=api.cast.organization,
                                      user__username=username).first()
    return found.role if found else None


def test_an_owner_lists_the_members_with_their_roles(api: Api) -> None:
    members = api.client("owner").get(f"{ORG}/members").json()
    assert {m["username"]: m["role"] for m in members} == {who: who for who in MEMBERS}
    assert members[0].keys() == {"username", "name", "email", "role", "joined"}


def test_an_owner_changes_a_role(api: Api) -> None:
    response = api.client("owner").put(f"{ORG}/members/viewer", {"role": "editor"},
                                       content_type="application/json")
    assert response.status_code == 200
    assert response.json()["role"] == "editor"
    assert _role(api, "viewer") == Role.EDITOR
    assert AuditEvent.objects.filter(action="member.role", target="viewer").exists()


def test_a_role_is_one_of_the_five(api: Api) -> None:
    response = api.client("owner").put(f"{ORG}/members/viewer", {"role": "admin"},
                                       content_type="application/json")
    assert response.status_code == 422
    assert _role(api, "viewer") == Role.VIEWER


def test_a_role_cannot_be_given_to_someone_who_is_not_a_member(api: Api) -> None:
    """Members join by invitation; a role change must not add anyone behind their back."""
    response = api.client("owner").put(f"{ORG}/members/outsider", {"role": "viewer"},
                                       content_type="application/json")
    assert response.status_code == 404
    assert _role(api, "outsider") is None


def test_the_last_owner_stays_owner(api: Api) -> None:
    client = api.client("owner")
    demoted = client.put(f"{ORG}/members/owner", {"role": "viewer"},
                         content_type="application/json")
    assert demoted.status_code == 409
    assert "owner" in demoted.json()["detail"]
    assert client.delete(f"{ORG}/members/owner").status_code == 409
    assert _role(api, "owner") == Role.OWNER


def test_an_owner_may_step_down_when_another_owner_remains(api: Api) -> None:
    client = api.client("owner")
    client.put(f"{ORG}/members/lead", {"role": "owner"}, content_type="application/json")
    assert client.delete(f"{ORG}/members/owner").status_code == 204
    assert _role(api, "owner") is None
    assert client.get(f"{ORG}/members").status_code == 404  # no longer a member at all


def test_an_owner_removes_a_member(api: Api) -> None:
    assert api.client("owner").delete(f"{ORG}/members/expert").status_code == 204
    assert _role(api, "expert") is None
    assert api.client("expert").get(ORG).status_code == 404


def test_an_owner_invites_by_e_mail(api: Api) -> None:
    response = api.client("owner").post(f"{ORG}/invitations",
                                        {"email": "new@example.org", "role": "editor"},
                                        content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"]) == ("new@example.org", "editor")
    assert body["link"].startswith("http://testserver/invite/")
    [message] = mail.outbox
    assert message.to == ["new@example.org"]
    assert body["link"] in message.body
    invitation = find_invitation(body["link"].rstrip("/").rsplit("/", 1)[1])
    assert invitation is not None
    assert invitation.role == Role.EDITOR


def test_an_invitation_role_defaults_to_viewer(api: Api) -> None:
    body = api.client("owner").post(f"{ORG}/invitations", {"email": "new@example.org"},
                                    content_type="application/json").json()
    assert body["role"] == "viewer"


@pytest.mark.parametrize("email", ["not an address", "a@b", "x" * 250 + "@example.org", ""])
def test_an_invitation_needs_an_e_mail_address(api: Api, email: str) -> None:
    response = api.client("owner").post(f"{ORG}/invitations", {"email": email},
                                        content_type="application/json")
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_a_member_is_not_invited_again(api: Api) -> None:
    response = api.client("owner").post(f"{ORG}/invitations", {"email": "viewer@example.org"},
                                        content_type="application/json")
    assert response.status_code == 409
    assert not mail.outbox


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("no mail server")


def test_no_invitation_is_kept_when_the_e_mail_cannot_be_sent(api: Api, settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    response = api.client("owner").post(f"{ORG}/invitations", {"email": "new@example.org"},
                                        content_type="application/json")
    assert response.status_code == 503
    assert "could not be sent" in response.json()["detail"]
    assert not Invitation.objects.exists()
