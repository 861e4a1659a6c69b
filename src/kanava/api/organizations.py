"""The caller's organizations, each with the caller's role in it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from kanava.accounts.models import Membership, Organization
from kanava.accounts.roles import Action, Role
from kanava.api.auth import member
from kanava.api.schemas import ErrorOut, OrganizationOut, Slug

router = Router(tags=["organizations"])
ERRORS = {frozenset({401, 403, 404}): ErrorOut}


def organization_out(organization: Organization, role: str) -> OrganizationOut:
    return OrganizationOut(slug=organization.slug, name=organization.name, role=Role(role),
                           timezone=organization.timezone, language=organization.language)


@router.get("/organizations", response={200: list[OrganizationOut], **ERRORS},
            summary="The caller's organizations")
def list_organizations(request: HttpRequest) -> list[OrganizationOut]:
    memberships = Membership.objects.filter(user=request.user.pk).select_related("organization")
    return [organization_out(m.organization, m.role)
            for m in memberships.order_by("organization__name")]


@router.get("/organizations/{slug:org}", response={200: OrganizationOut, **ERRORS},
            summary="One organization")
def get_organization(request: HttpRequest, org: Slug) -> OrganizationOut:
    organization, role = member(request, org, Action.VIEW)
    return organization_out(organization, role)
