"""Members and invitations, for owners: list, change a role, remove, invite by e-mail."""

from __future__ import annotations

import re

from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from kanava.accounts.models import Membership, Organization
from kanava.accounts.roles import Action, Role
from kanava.accounts.services import (
    AccountError,
    do_invite,
    do_remove_member,
    do_set_role,
    is_member_email,
)
from kanava.api.auth import member
from kanava.api.schemas import (
    ErrorOut,
    InvitationIn,
    InvitationOut,
    MemberOut,
    RoleIn,
    Slug,
    Username,
    ValidationErrorOut,
)

router = Router(tags=["members"])
ERRORS = {frozenset({401, 403, 404}): ErrorOut, 422: ValidationErrorOut}
#: What Django accepts in a username; anything else cannot name a member.
USERNAME = re.compile(r"[\w.@+-]{1,150}")


def member_out(membership: Membership) -> MemberOut:
    user = membership.user
    return MemberOut(username=user.get_username(), name=user.get_full_name(), email=user.email,
                     role=Role(membership.role), joined=membership.created)


def _membership(organization: Organization, username: Username) -> Membership:
    found = (organization.memberships.select_related("user")
             .filter(user__username=username).first()
             if USERNAME.fullmatch(username) else None)
    if found is None:
        raise Http404(_("No such member in this organization."))
    return found


@router.get("/organizations/{slug:org}/members", response={200: list[MemberOut], **ERRORS},
            summary="The members and their roles (Owner)")
def list_members(request: HttpRequest, org: Slug) -> list[MemberOut]:
    organization, _role = member(request, org, Action.MANAGE_MEMBERS)
    memberships = organization.memberships.select_related("user").order_by("user__username")
    return [member_out(m) for m in memberships]


@router.put("/organizations/{slug:org}/members/{username}",
            response={200: MemberOut, 409: ErrorOut, **ERRORS},
            summary="Change a member's role (Owner); the last owner stays owner")
def set_role(request: HttpRequest, org: Slug, username: Username, body: RoleIn) -> MemberOut:
    organization, _role = member(request, org, Action.MANAGE_MEMBERS)
    membership = _membership(organization, username)
    return member_out(do_set_role(organization, request.user, membership.user, body.role))


@router.delete("/organizations/{slug:org}/members/{username}",
               response={204: None, 409: ErrorOut, **ERRORS},
               summary="Remove a member (Owner); the last owner stays")
def remove_member(request: HttpRequest, org: Slug, username: Username) -> Status[None]:
    organization, _role = member(request, org, Action.MANAGE_MEMBERS)
    do_remove_member(organization, request.user, _membership(organization, username))
    return Status(204, None)


@router.post("/organizations/{slug:org}/invitations",
             response={201: InvitationOut, 409: ErrorOut, 503: ErrorOut, **ERRORS},
             summary="Invite someone by e-mail with a role (Owner)")
def invite(request: HttpRequest, org: Slug, body: InvitationIn) -> Status[InvitationOut]:
    organization, _role = member(request, org, Action.MANAGE_MEMBERS)
    if is_member_email(organization, body.email):
        raise AccountError(_("A member already has this e-mail address."))
    link = ""

    def accept_url(token: str) -> str:
        nonlocal link
        link = request.build_absolute_uri(reverse("invitation", kwargs={"token": token}))
        return link

    try:
        # No invitation is kept when its e-mail could not be sent.
        with transaction.atomic():
            invitation, _token = do_invite(organization, request.user, body.email, body.role,
                                           accept_url)
    except OSError:  # smtplib's errors are OSErrors too
        raise HttpError(503, _("The invitation e-mail could not be sent; "
                               "try again later.")) from None
    return Status(201, InvitationOut(email=invitation.email, role=Role(invitation.role),
                                     expires=invitation.expires, link=link))

