"""Who is calling: a personal token, or the browser's session; and what they may do.

Scripts send ``Authorization: Bearer kv_…``. The browser's own session is accepted too, so
pages (and the API docs page) can call the API without minting a token; like every form of
the web UI, an unsafe request on a session must carry the CSRF token. A token needs no
CSRF check: a browser never attaches it to a request by itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kanava.accounts.models import Organization
from kanava.accounts.roles import Action, can
from kanava.accounts.services import user_for_token


class BearerToken(HttpBearer):
    """A personal API token (kanava.accounts.models.ApiToken)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            # A wrong token is an error even when a session cookie came along.
            raise AuthenticationError(message=_(
                "The API token is not valid: it may have been revoked. "
                "Create a new one on your account page."))
        request.user = user
        return user


class SessionCookie(APIKeyCookie):
    """The signed-in browser's Django session, with Django's CSRF check on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check waits until we know a session user is calling (authenticate), so
        # a caller with no credentials at all hears 401, not a puzzling CSRF failure.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, _(
                "The CSRF check failed: send the X-CSRFToken header with a request made "
                "with the browser's session, or use an API token."))
        return user


def member(request: HttpRequest, slug: str, action: Action) -> tuple[Organization, str]:
    """(organization, caller's role) when the caller may do ``action`` there.

    As in the web UI (kanava.web.access): 404 for an outsider, so they learn nothing, not
    even that the organization exists; 403 for a member whose role does not allow it.
    """
    organization = Organization.objects.filter(slug=slug).first()
    role = organization.role_of(request.user) if organization else None
    if organization is None or role is None:
        raise Http404(_("No such organization."))
    if not can(role, action):
        raise PermissionDenied(_("Your role in this organization does not allow this."))
    return organization, role
