"""Organizations, memberships with roles, invitations, API tokens and the audit log."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kanava.accounts.roles import Role

LANGUAGE_CHOICES = [("en", "English"), ("fi", "suomi"), ("nb", "norsk bokmål"),
                    ("sv", "svenska")]


def token_hash(token: str) -> str:
    """Tokens are stored only as their SHA-256, so a database leak leaks no token."""
    return hashlib.sha256(token.encode()).hexdigest()


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Helsinki")
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES,
                                default="fi")
    created = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")

    def __str__(self) -> str:
        return self.name

    def role_of(self, user: Any) -> str | None:
        """The user's role here, or None when they are not a member."""
        if not getattr(user, "is_authenticated", False):
            return None
        membership = self.memberships.filter(user=user).only("role").first()
        return membership.role if membership else None


class Membership(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices,
                            default=Role.VIEWER)
    created = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"],
                                               name="one_membership_per_user")]
        ordering = ["organization__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class Profile(models.Model):
    """What a user chose for themselves: the interface language."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="profile")
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES,
                                blank=True)


class Invitation(models.Model):
    """An e-mailed link that makes its holder a member with a role."""

    VALID_FOR = timedelta(days=7)

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices,
                            default=Role.VIEWER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created = models.DateTimeField(default=dj_timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    @property
    def expires(self) -> Any:
        return self.created + self.VALID_FOR

    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def status(self) -> str:
        """'open', or why it cannot be used any more: 'accepted', 'revoked', 'expired'."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        return "open" if dj_timezone.now() < self.expires else "expired"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """A personal token for /api/v1; only its hash and first characters are kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=dj_timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]


class LoginFailure(models.Model):
    """A failed sign-in, kept for rate limiting (old rows are pruned)."""

    ip = models.GenericIPAddressField(null=True)
    username = models.CharField(max_length=150)
    at = models.DateTimeField(default=dj_timezone.now, db_index=True)


class AuditEvent(models.Model):
    """Who changed what, when: written by the services, shown to owners."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True,
                                     related_name="audit_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                              null=True, related_name="+")
    action = models.CharField(max_length=50)
    target = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=dj_timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def description(self) -> str:
        """What happened, as one sentence in the active language (plain text, not HTML)."""
        template = AUDIT_DESCRIPTIONS.get(self.action)
        values = {key: str(value) for key, value in (self.details or {}).items()}
        if "role" in values and values["role"] in Role.values:
            values["role"] = str(Role(values["role"]).label)
        values.update(target=self.target, action=self.action)
        try:
            return str(template) % values if template else _fallback(values)
        except (KeyError, ValueError, TypeError):
            return _fallback(values)


def _fallback(values: dict[str, str]) -> str:
    return gettext("%(action)s: %(target)s") % values


#: One whole sentence per kind of audit event (keys are ``AuditEvent.action``).
AUDIT_DESCRIPTIONS: dict[str, Any] = {
    "organization.create": _("Created the organization %(target)s."),
    "organization.update": _("Changed the settings of the organization %(target)s."),
    "member.role": _("Gave %(target)s the role %(role)s."),
    "member.remove": _("Removed %(target)s from the organization."),
    "member.invite": _("Invited %(target)s as %(role)s."),
    "member.join": _("%(target)s joined as %(role)s."),
    "invitation.revoke": _("Withdrew the invitation sent to %(target)s."),
    "user.create": _("Created the account %(target)s to accept an invitation."),
    "plan.import": _("Imported the plan %(target)s."),
    "plan.save": _("Saved version %(version)s of the plan %(target)s."),
    "plan.approve": _("Approved version %(version)s of the plan %(target)s."),
    "plan.comment": _("Commented on %(section)s in the plan %(target)s."),
    "token.create": _("Created the API token %(target)s."),
    "token.revoke": _("Revoked the API token %(target)s."),
    "connection.connect": _("Connected the channel %(target)s to the %(network)s account "
                            "%(account)s."),
    "connection.disconnect": _("Disconnected the %(network)s account %(account)s from the "
                               "channel %(target)s."),
}
