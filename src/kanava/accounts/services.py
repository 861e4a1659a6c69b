"""Actions on organizations and members: small ``do_*`` functions views and the API call.

Each checks nothing about permissions (the caller did) but keeps the invariants: an
organization always keeps an owner, invitations are single-use, tokens are stored
hashed, and every change leaves an audit event.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kanava.accounts.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    LoginFailure,
    Membership,
    Organization,
    token_hash,
)
from kanava.accounts.roles import Role

LOGIN_WINDOW = timedelta(minutes=15)


class AccountError(Exception):
    """An action that cannot be done, with a message for the user."""


def audit(organization: Organization | None, actor: Any, action: str, target: str = "",
          **details: Any) -> None:
    AuditEvent.objects.create(organization=organization,
                              actor=actor if getattr(actor, "pk", None) else None,
                              action=action, target=target[:200], details=details)


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "org"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def do_create_organization(owner: Any, name: str, *, timezone_name: str = "Europe/Helsinki",
                           language: str = "fi", slug: str | None = None) -> Organization:
    organization = Organization.objects.create(
        name=name, slug=slug or unique_slug(name), timezone=timezone_name, language=language
    )
    Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    audit(organization, owner, "organization.create", name)
    return organization


def do_set_role(organization: Organization, actor: Any, user: Any, role: str) -> Membership:
    """Give ``user`` the ``role`` (adding them if needed); the last owner stays owner."""
    with transaction.atomic():
        membership, _created = Membership.objects.select_for_update().get_or_create(
            organization=organization, user=user, defaults={"role": role})
        if membership.role == Role.OWNER and role != Role.OWNER:
            _keep_an_owner(organization, membership)
        membership.role = role
        membership.save(update_fields=["role"])
        audit(organization, actor, "member.role", user.get_username(), role=role)
    return membership


def do_remove_member(organization: Organization, actor: Any, membership: Membership) -> None:
    with transaction.atomic():
        if membership.role == Role.OWNER:
            _keep_an_owner(organization, membership)
        membership.delete()
        audit(organization, actor, "member.remove", membership.user.get_username())


def _keep_an_owner(organization: Organization, leaving: Membership) -> None:
    """Refuse to let the last owner go; all owner rows are locked so that two owners
    demoting each other at the same moment cannot both succeed."""
    owners = list(organization.memberships.select_for_update().filter(role=Role.OWNER))
    if not [m for m in owners if m.pk != leaving.pk]:
        raise AccountError(_("An organization must keep at least one owner."))


def do_invite(organization: Organization, actor: Any, email: str, role: str,
              accept_url: Any) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link; ``accept_url(token)`` builds the link.

    The row and the mail go together: when the mail cannot be sent the invitation is
    rolled back, so no open invitation exists whose link nobody received.
    """
    token = Invitation.new_token()
    with transaction.atomic():
        invitation = _send_invitation(organization, actor, email, role, token, accept_url)
        audit(organization, actor, "member.invite", email, role=role)
    return invitation, token


def _send_invitation(organization: Organization, actor: Any, email: str, role: str,
                     token: str, accept_url: Any) -> Invitation:
    invitation = Invitation.objects.create(organization=organization, email=email, role=role,
                                           token_hash=token_hash(token), invited_by=actor)
    link = accept_url(token)
    send_mail(
        _("Invitation to %(organization)s on Kanava") % {"organization": organization.name},
        _("%(name)s invites you to %(organization)s on Kanava as %(role)s.\n\n"
          "Accept the invitation within 7 days: %(link)s") % {
            "name": actor.get_full_name() or actor.get_username(),
            "organization": organization.name, "role": Role(role).label, "link": link},
        None, [email],
    )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("organization").filter(
        token_hash=token_hash(token)).first()
    return invitation if invitation and invitation.is_open() else None


def do_accept_invitation(invitation: Invitation, user: Any) -> Membership:
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open():
            raise AccountError(_("This invitation has already been used or has expired."))
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        existing = Membership.objects.filter(organization=locked.organization, user=user).first()
        membership = existing or Membership.objects.create(
            organization=locked.organization, user=user, role=locked.role)
        audit(locked.organization, user, "member.join", user.get_username(),
              role=membership.role)
    return membership


def do_create_user(username: str, email: str, password: str, **names: str) -> Any:
    return get_user_model().objects.create_user(username=username, email=email,
                                                password=password, **names)


# --- API tokens ------------------------------------------------------------------------

def do_create_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token; the secret is returned once and never stored in the clear."""
    secret = "kv_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:10],
                                    token_hash=token_hash(secret))
    audit(None, user, "token.create", name)
    return token, secret


def user_for_token(secret: str) -> Any | None:
    token = ApiToken.objects.select_related("user").filter(token_hash=token_hash(secret)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user


# --- sign-in rate limiting ---------------------------------------------------------------

def too_many_failures(ip: str | None, username: str, limit: int) -> bool:
    since = timezone.now() - LOGIN_WINDOW
    recent = LoginFailure.objects.filter(at__gte=since)
    return (recent.filter(username=username.lower()).count() >= limit
            or (ip is not None and recent.filter(ip=ip).count() >= limit))


def record_failure(ip: str | None, username: str) -> None:
    LoginFailure.objects.create(ip=ip, username=username.lower()[:150])


def prune_login_failures() -> int:
    """Delete failures long past the rate-limit window; the number deleted."""
    old = LoginFailure.objects.filter(at__lt=timezone.now() - LOGIN_WINDOW * 4)
    return int(old.delete()[0])


# --- invitations, organization settings and tokens (the members and account pages) -------

def invitation_by_token(token: str) -> Invitation | None:
    """The invitation of ``token`` whatever its state (open, accepted, revoked, expired)."""
    return (Invitation.objects.select_related("organization", "invited_by")
            .filter(token_hash=token_hash(token)).first())


def open_invitations(organization: Organization) -> list[Invitation]:
    """Invitations of ``organization`` that can still be accepted, newest first."""
    return list(organization.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True,
        created__gt=timezone.now() - Invitation.VALID_FOR).select_related("invited_by"))


def is_member_email(organization: Organization, email: str) -> bool:
    return organization.memberships.filter(user__email__iexact=email).exists()


def do_revoke_invitation(invitation: Invitation, actor: Any) -> None:
    """Withdraw an open invitation; its link stops working (a used one stays as it is)."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None or locked.revoked_at is not None:
            return
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit(locked.organization, actor, "invitation.revoke", locked.email, role=locked.role)


@transaction.atomic
def do_join_with_new_account(invitation: Invitation, *, username: str, email: str,
                             password: str, first_name: str = "",
                             last_name: str = "") -> tuple[Any, Membership]:
    """Create an account for an invited visitor and make it a member, or neither."""
    user = do_create_user(username, email, password, first_name=first_name,
                          last_name=last_name)
    audit(invitation.organization, user, "user.create", username, invited=invitation.email)
    return user, do_accept_invitation(invitation, user)


def do_update_organization(organization: Organization, actor: Any, *, name: str,
                           timezone_name: str, language: str) -> Organization:
    """Change the name, time zone and language; the audit event lists what changed."""
    wanted = {"name": name, "timezone": timezone_name, "language": language}
    changed = {field: [getattr(organization, field), value]
               for field, value in wanted.items() if getattr(organization, field) != value}
    if not changed:
        return organization
    with transaction.atomic():
        for field, (_old, new) in changed.items():
            setattr(organization, field, new)
        organization.save(update_fields=list(changed))
        audit(organization, actor, "organization.update", organization.name, changed=changed)
    return organization


def do_revoke_token(token: ApiToken, actor: Any) -> None:
    """Delete a token: the API refuses it from the next request on."""
    name = token.name
    token.delete()
    audit(None, actor, "token.revoke", name)
