"""The members page, invitations, organizations and their settings, and the audit log."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.utils import timezone

from kanava.accounts.models import AuditEvent, Invitation, Membership, Organization
from kanava.accounts.roles import Role
from kanava.accounts.services import audit, do_invite, do_set_role
from tests.web.conftest import Cast

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long new passphrase 42"  # noqa: S105 - test password
NOT_OWNERS = ("lead", "editor", "expert", "viewer")


def _invite(cast: Cast, email: str = "new@example.org", role: str = Role.EDITOR
            ) -> tuple[Invitation, str]:
    return do_invite(cast.organization, cast.users["owner"], email, role,
                     lambda token: f"http://testserver/invite/{token}/")


def _membership(cast: Cast, who: str) -> Membership:
    return Membership.objects.get(organization=cast.organization, user=cast.users[who])


def _actions(organization: Organization) -> list[str]:
    return list(organization.audit_events.order_by("at", "pk").values_list("action", flat=True))


def _page(response: Any) -> str:
    return str(response.content.decode())


# --- who may do what ------------------------------------------------------------------------

def _owner_only_requests(cast: Cast) -> list[tuple[str, str, dict[str, str]]]:
    """(method, url, data) of every owner-only request, built on the cast."""
    invitation, _token = _invite(cast)
    editor = _membership(cast, "editor").pk
    return [
        ("get", "/o/acme/members/", {}),
        ("post", "/o/acme/members/invite/", {"email": "x@example.org", "role": "owner"}),
        ("post", f"/o/acme/members/{editor}/role/", {"role": "owner"}),
        ("post", f"/o/acme/members/{editor}/remove/", {}),
        ("post", f"/o/acme/invitations/{invitation.pk}/revoke/", {}),
        ("get", "/o/acme/settings/", {}),
        ("post", "/o/acme/settings/", {"name": "Taken", "timezone": "UTC", "language": "en"}),
        ("get", "/o/acme/audit/", {}),
    ]


def _state(cast: Cast) -> tuple[Any, ...]:
    organization = Organization.objects.get(pk=cast.organization.pk)
    return (sorted(organization.memberships.values_list("user__username", "role")),
            sorted(Invitation.objects.values_list("email", "accepted_at", "revoked_at")),
            (organization.name, organization.timezone, organization.language),
            len(mail.outbox))


@pytest.mark.parametrize("who", NOT_OWNERS)
def test_it_refuses_every_member_who_is_not_an_owner(cast: Cast, who: str) -> None:
    client = cast.client(who)
    requests = _owner_only_requests(cast)
    before = _state(cast)
    for method, url, data in requests:
        assert getattr(client, method)(url, data).status_code == 403, (method, url)
    assert _state(cast) == before


def test_a_viewer_changes_nothing_anywhere(cast: Cast) -> None:
    client = cast.client("viewer")
    requests = _owner_only_requests(cast)
    before = _state(cast)
    for method, url, data in requests:
        if method == "post":
            client.post(url, data)
    client.post(f"/o/acme/plans/{cast.plan.slug}/v1/approve/")
    client.post(f"/o/acme/plans/{cast.plan.slug}/comments/", {"section": "plan", "text": "x"})
    assert _state(cast) == before
    assert cast.plan.latest().approved_at is None
    assert not cast.plan.comments.exists()


def test_an_outsider_sees_nothing(cast: Cast) -> None:
    client = cast.client("outsider")
    requests = _owner_only_requests(cast)
    before = _state(cast)
    for method, url, data in requests:
        assert getattr(client, method)(url, data).status_code == 404, (method, url)
    assert _state(cast) == before


def test_an_anonymous_visitor_is_sent_to_sign_in(cast: Cast) -> None:
    client = cast.client("anonymous")
    for method, url, data in [*_owner_only_requests(cast),
                              ("get", "/organizations/new/", {})]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_an_owner_of_another_organization_cannot_touch_this_one(cast: Cast) -> None:
    # The outsider owns 'other': the ids of acme's rows do not work under /o/other/ either.
    client = cast.client("outsider")
    editor = _membership(cast, "editor").pk
    invitation, _token = _invite(cast)
    assert client.post(f"/o/other/members/{editor}/remove/").status_code == 404
    assert client.post(f"/o/other/members/{editor}/role/", {"role": "viewer"}).status_code == 404
    assert client.post(f"/o/other/invitations/{invitation.pk}/revoke/").status_code == 404
    assert _membership(cast, "editor").role == Role.EDITOR


def test_only_owners_see_the_links_to_the_owner_pages(cast: Cast) -> None:
    assert "/o/acme/members/" in _page(cast.client("owner").get("/o/acme/"))
    assert "/o/acme/audit/" in _page(cast.client("owner").get("/o/acme/"))
    page = _page(cast.client("lead").get("/o/acme/"))
    assert "/o/acme/members/" not in page
    assert "/o/acme/settings/" not in page
    assert "/account/" in page


# --- the members page -----------------------------------------------------------------------

def test_an_owner_sees_the_members_with_their_roles(cast: Cast) -> None:
    response = cast.client("owner").get("/o/acme/members/")
    assert response.status_code == 200
    page = _page(response)
    for who in ("owner", "lead", "editor", "expert", "viewer"):
        assert f"{who}@example.org" in page
    assert "outsider" not in page
    assert '<option value="expert" selected>' in page


def test_an_owner_changes_a_role(cast: Cast) -> None:
    editor = _membership(cast, "editor")
    response = cast.client("owner").post(f"/o/acme/members/{editor.pk}/role/", {"role": "lead"},
                                         follow=True)
    assert response.redirect_chain == [("/o/acme/members/", 302)]
    assert "Editor is now Lead." in _page(response)
    assert _membership(cast, "editor").role == Role.LEAD
    assert _actions(cast.organization)[-1] == "member.role"


def test_a_role_that_does_not_exist_is_refused(cast: Cast) -> None:
    editor = _membership(cast, "editor")
    response = cast.client("owner").post(f"/o/acme/members/{editor.pk}/role/",
                                         {"role": "emperor"}, follow=True)
    assert "Choose one of the roles." in _page(response)
    assert _membership(cast, "editor").role == Role.EDITOR


def test_an_owner_removes_a_member(cast: Cast) -> None:
    editor = _membership(cast, "editor")
    response = cast.client("owner").post(f"/o/acme/members/{editor.pk}/remove/", follow=True)
    assert "Editor is no longer a member." in _page(response)
    assert cast.organization.role_of(cast.users["editor"]) is None
    assert cast.client("editor").get("/o/acme/").status_code == 404
    assert _actions(cast.organization)[-1] == "member.remove"


def test_the_last_owner_can_be_neither_demoted_nor_removed(cast: Cast) -> None:
    client = cast.client("owner")
    owner = _membership(cast, "owner")
    response = client.post(f"/o/acme/members/{owner.pk}/role/", {"role": "viewer"}, follow=True)
    assert "An organization must keep at least one owner." in _page(response)
    response = client.post(f"/o/acme/members/{owner.pk}/remove/", follow=True)
    assert "An organization must keep at least one owner." in _page(response)
    assert _membership(cast, "owner").role == Role.OWNER


def test_an_owner_who_steps_down_goes_to_the_home_page(cast: Cast) -> None:
    do_set_role(cast.organization, cast.users["owner"], cast.users["lead"], Role.OWNER)
    owner = _membership(cast, "owner")
    response = cast.client("owner").post(f"/o/acme/members/{owner.pk}/role/", {"role": "lead"})
    assert response["Location"] == "/o/acme/"
    assert _membership(cast, "owner").role == Role.LEAD


def test_names_typed_by_users_are_escaped(cast: Cast) -> None:
    user = cast.users["editor"]
    user.first_name = "<script>alert(1)</script>"
    user.save()
    client = cast.client("owner")
    client.post("/o/acme/settings/", {"name": "<img src=x onerror=alert(2)>",
                                      "timezone": "UTC", "language": "en"})
    for url in ("/o/acme/members/", "/o/acme/audit/", "/o/acme/settings/"):
        page = _page(client.get(url))
        assert "<script>alert(1)" not in page, url
        assert "<img src=x" not in page, url
        assert "&lt;img src=x onerror=alert(2)&gt;" in page, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _page(client.get("/o/acme/members/"))


# --- inviting -------------------------------------------------------------------------------

def test_an_owner_invites_by_e_mail(cast: Cast) -> None:
    response = cast.client("owner").post("/o/acme/members/invite/",
                                         {"email": "new@example.org", "role": "expert"},
                                         follow=True)
    assert "An invitation was sent to new@example.org." in _page(response)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert "Acme" in message.subject
    link = re.search(r"http://testserver/invite/[\w-]+/", message.body)
    assert link is not None
    invitation = Invitation.objects.get()
    assert invitation.role == Role.EXPERT
    assert invitation.is_open()
    assert "new@example.org" in _page(cast.client("owner").get("/o/acme/members/"))
    assert _actions(cast.organization)[-1] == "member.invite"


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("no mail server")


def test_an_owner_hears_when_the_invitation_mail_cannot_be_sent(cast: Cast,
                                                                settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    response = cast.client("owner").post("/o/acme/members/invite/",
                                         {"email": "new@example.org", "role": "expert"},
                                         follow=True)
    assert "The invitation e-mail could not be sent." in _page(response)
    assert response.redirect_chain == [("/o/acme/members/", 302)]


def test_a_bad_or_existing_address_is_not_invited(cast: Cast) -> None:
    client = cast.client("owner")
    response = client.post("/o/acme/members/invite/", {"email": "not an address", "role": "lead"})
    assert response.status_code == 400
    response = client.post("/o/acme/members/invite/", {"email": "EDITOR@example.org",
                                                       "role": "lead"})
    assert response.status_code == 400
    assert "A member already has this e-mail address." in _page(response)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_owner_withdraws_an_invitation(cast: Cast) -> None:
    invitation, token = _invite(cast)
    response = cast.client("owner").post(f"/o/acme/invitations/{invitation.pk}/revoke/",
                                         follow=True)
    assert "The invitation sent to new@example.org was withdrawn." in _page(response)
    assert "There are no open invitations." in _page(response)
    page = Client().get(f"/invite/{token}/")
    assert page.status_code == 410
    assert "withdrawn" in _page(page)
    assert _actions(cast.organization)[-1] == "invitation.revoke"


# --- accepting an invitation ----------------------------------------------------------------

def test_an_unknown_link_is_not_found(cast: Cast) -> None:
    response = Client().get("/invite/no-such-token/")
    assert response.status_code == 404
    assert "This invitation link is not valid." in _page(response)


def test_an_expired_invitation_cannot_be_used(cast: Cast) -> None:
    invitation, token = _invite(cast)
    Invitation.objects.filter(pk=invitation.pk).update(
        created=timezone.now() - Invitation.VALID_FOR - dt.timedelta(minutes=1))
    client = cast.client("outsider")
    assert client.get(f"/invite/{token}/").status_code == 410
    response = client.post(f"/invite/{token}/")
    assert response.status_code == 410
    assert "This invitation has expired" in _page(response)
    assert cast.organization.role_of(cast.users["outsider"]) is None


def test_an_invitation_is_open_for_seven_days(cast: Cast) -> None:
    invitation, token = _invite(cast)
    Invitation.objects.filter(pk=invitation.pk).update(
        created=timezone.now() - Invitation.VALID_FOR + dt.timedelta(minutes=1))
    assert Client().get(f"/invite/{token}/").status_code == 200


def test_the_invitation_page_shows_the_organization_s_time(cast: Cast) -> None:
    Organization.objects.filter(pk=cast.organization.pk).update(timezone="Asia/Kolkata")
    invitation, token = _invite(cast)
    yesterday = timezone.now() - dt.timedelta(days=1)
    Invitation.objects.filter(pk=invitation.pk).update(
        created=yesterday.replace(hour=10, minute=45, second=0, microsecond=0))
    page = _page(Client().get(f"/invite/{token}/"))
    assert "16:15 (Asia/Kolkata time)" in page  # 10:45 UTC is 16:15 in India


def test_a_signed_in_user_accepts_with_one_post(cast: Cast) -> None:
    _invitation, token = _invite(cast, "outsider@example.org", Role.LEAD)
    client = cast.client("outsider")
    page = client.get(f"/invite/{token}/")
    assert page.status_code == 200
    assert "Accept as outsider" in _page(page)
    assert "but you are signed in as" not in _page(page)
    response = client.post(f"/invite/{token}/")
    assert response["Location"] == "/o/acme/"
    assert cast.organization.role_of(cast.users["outsider"]) == Role.LEAD
    assert _actions(cast.organization)[-2:] == ["member.invite", "member.join"]
    assert client.get("/o/acme/").status_code == 200


def test_an_invitation_is_used_only_once(cast: Cast) -> None:
    _invitation, token = _invite(cast, "outsider@example.org")
    cast.client("outsider").post(f"/invite/{token}/")
    response = cast.client("editor").post(f"/invite/{token}/")
    assert response.status_code == 410
    assert "already been used" in _page(response)
    assert Client().get(f"/invite/{token}/").status_code == 410


def test_a_user_of_another_account_sees_whose_invitation_it_is(cast: Cast) -> None:
    _invitation, token = _invite(cast, "someone.else@example.org", Role.VIEWER)
    client = cast.client("outsider")
    page = _page(client.get(f"/invite/{token}/"))
    assert ("This invitation was sent to someone.else@example.org, but you are signed in as "
            "Outsider (outsider).") in page
    assert "Sign out to use another account" in page
    # The link is what grants membership; after the warning the user may still accept.
    client.post(f"/invite/{token}/")
    assert cast.organization.role_of(cast.users["outsider"]) == Role.VIEWER


def test_a_member_who_accepts_again_keeps_their_role(cast: Cast) -> None:
    _invitation, token = _invite(cast, "viewer@example.org", Role.OWNER)
    client = cast.client("viewer")
    assert "You are already a member of Acme." in _page(client.get(f"/invite/{token}/"))
    client.post(f"/invite/{token}/")
    assert cast.organization.role_of(cast.users["viewer"]) == Role.VIEWER


def _join(client: Client, token: str, **changes: str) -> Any:
    data = {"username": "newbie", "first_name": "Nina", "last_name": "Newbie",
            "email": "new@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(f"/invite/{token}/", {**data, **changes})


def test_a_visitor_creates_an_account_and_becomes_a_member(cast: Cast) -> None:
    _invitation, token = _invite(cast, role=Role.EXPERT)
    client = Client()
    page = client.get(f"/invite/{token}/")
    assert page.status_code == 200
    assert 'value="new@example.org"' in _page(page)
    response = _join(client, token)
    assert response["Location"] == "/o/acme/"
    user = get_user_model().objects.get(username="newbie")
    assert user.email == "new@example.org"
    assert user.get_full_name() == "Nina Newbie"
    assert user.check_password(NEW_PASSWORD)
    assert cast.organization.role_of(user) == Role.EXPERT
    assert client.get("/o/acme/").status_code == 200  # signed in
    assert _actions(cast.organization)[-3:] == ["member.invite", "user.create", "member.join"]


@pytest.mark.parametrize(("changes", "error"), [
    ({"password1": "short", "password2": "short"}, "This password is too short."),
    ({"password1": "password1234", "password2": "password1234"},
     "This password is too common."),
    ({"password2": "something else entirely"}, "The two password fields"),
    ({"username": "editor"}, "A user with that username already exists."),
    ({"first_name": ""}, "This field is required."),
])
def test_a_new_account_follows_the_password_and_name_rules(cast: Cast, changes: dict[str, str],
                                                            error: str) -> None:
    _invitation, token = _invite(cast)
    response = _join(Client(), token, **changes)
    assert response.status_code == 400
    assert error in _page(response).replace("&#x27;", "'")
    assert not get_user_model().objects.filter(email="new@example.org").exists()
    assert Invitation.objects.get().is_open()


def test_a_visitor_with_an_account_is_offered_to_sign_in(cast: Cast) -> None:
    _invitation, token = _invite(cast)
    page = _page(Client().get(f"/invite/{token}/"))
    assert f'href="/accounts/login/?next=/invite/{token}/"' in page


# --- organizations --------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["owner", "viewer", "outsider"])
def test_any_signed_in_user_creates_an_organization_and_owns_it(cast: Cast, who: str) -> None:
    client = cast.client(who)
    assert client.get("/organizations/new/").status_code == 200
    response = client.post("/organizations/new/", {"name": "Fjord & Co", "language": "nb",
                                                   "timezone": "Europe/Oslo"})
    organization = Organization.objects.get(name="Fjord & Co")
    assert response["Location"] == f"/o/{organization.slug}/"
    assert (organization.timezone, organization.language) == ("Europe/Oslo", "nb")
    assert organization.role_of(cast.users[who]) == Role.OWNER
    assert _actions(organization) == ["organization.create"]
    assert "Fjord &amp; Co" in _page(client.get("/", follow=True))


def test_an_unknown_time_zone_is_refused(cast: Cast) -> None:
    response = cast.client("owner").post("/organizations/new/", {
        "name": "Nowhere", "language": "en", "timezone": "Mars/Olympus_Mons"})
    assert response.status_code == 400
    assert not Organization.objects.filter(name="Nowhere").exists()


def test_an_owner_changes_the_settings(cast: Cast) -> None:
    client = cast.client("owner")
    page = _page(client.get("/o/acme/settings/"))
    assert '<option value="Europe/Helsinki" selected>' in page
    response = client.post("/o/acme/settings/", {"name": "Acme Oy", "timezone": "Europe/Oslo",
                                                 "language": "sv"}, follow=True)
    assert "The settings were saved." in _page(response)
    organization = Organization.objects.get(pk=cast.organization.pk)
    assert (organization.name, organization.timezone, organization.language, organization.slug
            ) == ("Acme Oy", "Europe/Oslo", "sv", "acme")
    event = organization.audit_events.first()
    assert event is not None
    assert event.action == "organization.update"
    assert event.details["changed"]["timezone"] == ["Europe/Helsinki", "Europe/Oslo"]


def test_settings_that_do_not_validate_are_shown_again(cast: Cast) -> None:
    response = cast.client("owner").post("/o/acme/settings/", {"name": "", "timezone": "UTC",
                                                               "language": "xx"})
    assert response.status_code == 400
    assert Organization.objects.get(pk=cast.organization.pk).name == "Acme"


@pytest.mark.parametrize(("zone", "shown"), [("Europe/Helsinki", "12:30"),
                                             ("Europe/Oslo", "11:30"),
                                             ("UTC", "10:30")])
def test_times_are_shown_in_the_organization_s_time_zone(cast: Cast, zone: str,
                                                         shown: str) -> None:
    """GIVEN a version saved at 10:30 UTC in January (Helsinki UTC+2, Oslo UTC+1)
    WHEN the owner sets the organization's time zone
    THEN its pages show the time in that zone."""
    cast.plan.versions.update(created=dt.datetime(2026, 1, 15, 10, 30, tzinfo=dt.UTC))
    client = cast.client("owner")
    client.post("/o/acme/settings/", {"name": "Acme", "timezone": zone, "language": "en"})
    page = _page(client.get(f"/o/acme/plans/{cast.plan.slug}/"))
    assert f"15/01/2026 {shown}" in page
    others = {"12:30", "11:30", "10:30"} - {shown}
    assert not any(f"15/01/2026 {other}" in page for other in others)


# --- the audit log --------------------------------------------------------------------------

def test_the_audit_log_says_who_did_what_newest_first(cast: Cast) -> None:
    client = cast.client("owner")
    editor = _membership(cast, "editor")
    client.post(f"/o/acme/members/{editor.pk}/role/", {"role": "lead"})
    client.post("/o/acme/members/invite/", {"email": "new@example.org", "role": "viewer"})
    page = _page(client.get("/o/acme/audit/"))
    invited = page.index("Invited new@example.org as Viewer.")
    promoted = page.index("Gave editor the role Lead.")
    created = page.index("Created the organization Acme.")
    assert invited < promoted < created
    assert "Imported the plan" in page
    assert "Times are in the time zone Europe/Helsinki." in page
    assert "Other" not in page.split("<main>")[1].split("Times are")[0]


def test_the_audit_log_shows_nothing_of_another_organization(cast: Cast) -> None:
    audit(cast.other, cast.users["outsider"], "member.invite", "secret@other.example",
          role="viewer")
    page = _page(cast.client("owner").get("/o/acme/audit/"))
    assert "secret@other.example" not in page


def test_the_audit_log_is_paginated(cast: Cast) -> None:
    start = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(organization=cast.organization, action="plan.comment", target=f"Plan {n}",
                   details={"section": "goals"}, at=start + dt.timedelta(seconds=n))
        for n in range(60))
    total = cast.organization.audit_events.count()
    client = cast.client("owner")
    first = _page(client.get("/o/acme/audit/"))
    assert "Commented on goals in the plan Plan 59." in first
    assert "Plan 9." not in first
    assert f"Page 1 of {-(-total // 50)}" in first
    second = _page(client.get("/o/acme/audit/?page=2"))
    assert "Plan 9." in second
    assert "Created the organization Acme." in second
    assert client.get("/o/acme/audit/?page=999").status_code == 200


def test_an_unknown_kind_of_event_is_still_shown(cast: Cast) -> None:
    audit(cast.organization, cast.users["owner"], "future.thing", "Something")
    assert "future.thing: Something" in _page(cast.client("owner").get("/o/acme/audit/"))


def test_the_audit_log_tells_of_connected_and_disconnected_accounts(cast: Cast) -> None:
    client = cast.client("owner")
    client.post("/o/acme/accounts/slack/connect/",
                {"kind": "slack", "url": "https://hooks.slack.com/services/T0/B0/XYZ"})
    client.post("/o/acme/accounts/slack/disconnect/")
    page = _page(client.get("/o/acme/audit/"))
    disconnected = page.index(
        "Disconnected the chat account Slack (hooks.slack.com) from the channel slack.")
    connected = page.index(
        "Connected the channel slack to the chat account Slack (hooks.slack.com).")
    assert disconnected < connected
    assert "connection.connect" not in page
    assert "XYZ" not in page  # the webhook is a secret
