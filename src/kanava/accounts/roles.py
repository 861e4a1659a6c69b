"""The five roles of a member and what each may do (DESIGN.md, "Roles").

Every view and API endpoint asks :func:`can`; nothing else decides permissions.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    LEAD = "lead", _("Lead")
    EDITOR = "editor", _("Editor")
    EXPERT = "expert", _("Expert")
    VIEWER = "viewer", _("Viewer")


class Action(StrEnum):
    VIEW = "view"                    # see the organization, its plans and comments
    COMMENT = "comment"              # comment on a plan section
    EDIT_PLAN = "edit_plan"          # import, create and edit plans
    APPROVE_PLAN = "approve_plan"    # approve a plan version
    MANAGE_MEMBERS = "manage_members"  # invite, change roles, remove members
    MANAGE_ORGANIZATION = "manage_organization"  # name, time zone, language
    WRITE_POST = "write_post"        # write posts, send them for review, import a calendar
    APPROVE_POST = "approve_post"    # approve and schedule posts
    CONNECT_ACCOUNT = "connect_account"  # connect and disconnect the channels' network accounts


ALLOWED: dict[Action, frozenset[str]] = {
    Action.VIEW: frozenset(Role.values),
    Action.COMMENT: frozenset({Role.OWNER, Role.LEAD, Role.EDITOR, Role.EXPERT}),
    Action.EDIT_PLAN: frozenset({Role.OWNER, Role.LEAD}),
    Action.APPROVE_PLAN: frozenset({Role.OWNER, Role.LEAD}),
    Action.MANAGE_MEMBERS: frozenset({Role.OWNER}),
    Action.MANAGE_ORGANIZATION: frozenset({Role.OWNER}),
    Action.WRITE_POST: frozenset({Role.OWNER, Role.LEAD, Role.EDITOR}),
    Action.APPROVE_POST: frozenset({Role.OWNER, Role.LEAD}),
    Action.CONNECT_ACCOUNT: frozenset({Role.OWNER, Role.LEAD}),
}


def can(role: str | None, action: Action) -> bool:
    """Whether a member with ``role`` (None: not a member) may do ``action``."""
    return role is not None and role in ALLOWED[action]
