"""What every page's navigation needs: the user's organizations and the current one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kanava.accounts.models import Organization


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_organizations": Organization.objects.filter(memberships__user=user),
        "organization": getattr(request, "organization", None),
        "role": getattr(request, "role", None),
    }
