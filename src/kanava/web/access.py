"""Resolve the organization of a request and check the member's role, in one place.

An outsider gets 404 for everything of an organization (they learn nothing, not even
that it exists); a member whose role does not allow the action gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from kanava.accounts.models import Organization
from kanava.accounts.roles import Action, can

View = Callable[..., HttpResponse]


def member_of(request: HttpRequest, slug: str, action: Action) -> tuple[Organization, str]:
    """(organization, role) when the user may do ``action`` there; else 404 or 403."""
    organization = Organization.objects.filter(slug=slug).first()
    role = organization.role_of(request.user) if organization else None
    if organization is None or role is None:
        raise Http404
    if not can(role, action):
        raise PermissionDenied
    return organization, role


def member_view(action: Action) -> Callable[[View], View]:
    """Decorate a view taking ``org`` (slug): it receives ``organization`` and ``role``."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, org: str, *args: Any, **kwargs: Any) -> HttpResponse:
            organization, role = member_of(request, org, action)
            request.organization, request.role = organization, role  # type: ignore[attr-defined]
            return view(request, organization, role, *args, **kwargs)

        return wrapped

    return decorate
