"""Members, invitations, the organization's settings, API tokens and the audit log.

Who may do what: an organization's members page, settings and audit log are for its
owners (others 403, outsiders 404); the invitation link is for whoever holds it; "Your
account" and creating a new organization are for every signed-in user.
"""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kanava.accounts.models import (
    LANGUAGE_CHOICES,
    ApiToken,
    Invitation,
    Membership,
    Organization,
    Profile,
)
from kanava.accounts.roles import Action, Role, can
from kanava.accounts.services import (
    AccountError,
    do_accept_invitation,
    do_create_organization,
    do_create_token,
    do_invite,
    do_join_with_new_account,
    do_remove_member,
    do_revoke_invitation,
    do_revoke_token,
    do_set_role,
    do_update_organization,
    invitation_by_token,
    is_member_email,
    open_invitations,
)
from kanava.web.access import member_view

AUDIT_PAGE_SIZE = 50


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


# --- forms ---------------------------------------------------------------------------------

class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices,
                             initial=Role.EDITOR)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if is_member_email(self.organization, email):
            raise forms.ValidationError(_("A member already has this e-mail address."))
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    timezone = forms.ChoiceField(label=gettext_lazy("Time zone"), choices=timezone_choices)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=LANGUAGE_CHOICES)

    @classmethod
    def of(cls, organization: Organization, data: Any = None) -> OrganizationForm:
        return cls(data, initial={"name": organization.name, "timezone": organization.timezone,
                                  "language": organization.language})


class JoinForm(UserCreationForm):  # type: ignore[type-arg]
    """A new account for an invited visitor; only validates, the service creates it."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["email"].required = True


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the token"), max_length=100,
                           help_text=gettext_lazy("Say where you use it, e.g. “reporting script”."))


# --- the members page ------------------------------------------------------------------------

def _members_page(request: HttpRequest, organization: Organization,
                  invite_form: InviteForm | None = None, status: int = 200) -> HttpResponse:
    return render(request, "kanava/members/members.html", {
        "memberships": organization.memberships.select_related("user").order_by(
            "user__username"),
        "invitations": open_invitations(organization),
        "form": invite_form or InviteForm(organization=organization),
        "roles": Role.choices,
    }, status=status)


def _back_to_members(request: HttpRequest, organization: Organization) -> HttpResponse:
    """To the members page, or the organization's home when the user just left the owners."""
    if can(organization.role_of(request.user), Action.MANAGE_MEMBERS):
        return redirect("members", org=organization.slug)
    if organization.role_of(request.user) is not None:
        return redirect("org-home", org=organization.slug)
    return redirect("home")


@member_view(Action.MANAGE_MEMBERS)
def member_list(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    return _members_page(request, organization)


@require_POST
@member_view(Action.MANAGE_MEMBERS)
def member_invite(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    form = InviteForm(request.POST, organization=organization)
    if not form.is_valid():
        return _members_page(request, organization, form, status=400)
    email = form.cleaned_data["email"]

    def accept_url(token: str) -> str:
        return request.build_absolute_uri(reverse("invitation", kwargs={"token": token}))

    try:
        do_invite(organization, request.user, email, form.cleaned_data["role"], accept_url)
    except OSError:  # smtplib's errors are OSErrors too
        messages.error(request, _("The invitation e-mail could not be sent. Withdraw the "
                                  "invitation below and try again later."))
    else:
        messages.success(request, _("An invitation was sent to %(email)s.") % {"email": email})
    return redirect("members", org=organization.slug)


@require_POST
@member_view(Action.MANAGE_MEMBERS)
def member_role(request: HttpRequest, organization: Organization, role: str,
                member: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=member,
                                   organization=organization)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("members", org=organization.slug)
    new_role = Role(form.cleaned_data["role"])
    try:
        do_set_role(organization, request.user, membership.user, new_role)
    except AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is now %(role)s.") % {
            "name": _display_name(membership.user), "role": new_role.label})
    return _back_to_members(request, organization)


@require_POST
@member_view(Action.MANAGE_MEMBERS)
def member_remove(request: HttpRequest, organization: Organization, role: str,
                  member: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=member,
                                   organization=organization)
    try:
        do_remove_member(organization, request.user, membership)
    except AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {
            "name": _display_name(membership.user)})
    return _back_to_members(request, organization)


@require_POST
@member_view(Action.MANAGE_MEMBERS)
def invitation_revoke(request: HttpRequest, organization: Organization, role: str,
                      invitation: int) -> HttpResponse:
    found = get_object_or_404(Invitation, pk=invitation, organization=organization)
    do_revoke_invitation(found, request.user)
    messages.success(request, _("The invitation sent to %(email)s was withdrawn.") % {
        "email": found.email})
    return redirect("members", org=organization.slug)


def _display_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


# --- accepting an invitation ---------------------------------------------------------------

@never_cache
def invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: accept as the signed-in user, or create an account."""
    invitation = invitation_by_token(token)
    if invitation is None:
        return render(request, "kanava/members/invitation_closed.html", {"reason": "unknown"},
                      status=404)
    if not invitation.is_open():
        return render(request, "kanava/members/invitation_closed.html",
                      {"reason": invitation.status}, status=410)
    if request.user.is_authenticated:
        return _accept_as_signed_in_user(request, invitation)
    return _join_with_new_account(request, invitation)


def _accept_as_signed_in_user(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    if request.method == "POST":
        try:
            do_accept_invitation(invitation, request.user)
        except AccountError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        messages.success(request, _("Welcome to %(organization)s.") % {
            "organization": invitation.organization.name})
        return redirect("org-home", org=invitation.organization.slug)
    return render(request, "kanava/members/invitation.html", {
        "invitation": invitation,
        "other_account": (getattr(request.user, "email", "") or "").lower()
        != invitation.email.lower(),
        "current_role": invitation.organization.role_of(request.user),
    })


def _join_with_new_account(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = JoinForm(request.POST or None, initial={"email": invitation.email})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, _membership = do_join_with_new_account(
                invitation, username=data["username"], email=data["email"],
                password=data["password1"], first_name=data["first_name"],
                last_name=data["last_name"])
        except AccountError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        login(request, user)
        messages.success(request, _("Welcome to %(organization)s.") % {
            "organization": invitation.organization.name})
        return redirect("org-home", org=invitation.organization.slug)
    return render(request, "kanava/members/invitation.html",
                  {"invitation": invitation, "form": form},
                  status=400 if form.errors else 200)


# --- organizations: create, settings, audit log --------------------------------------------

@login_required
def organization_new(request: HttpRequest) -> HttpResponse:
    """Any signed-in user may start an organization; they become its owner."""
    language = (get_language() or "en")[:2]
    form = OrganizationForm(request.POST or None, initial={
        "timezone": "Europe/Helsinki",
        "language": language if language in dict(LANGUAGE_CHOICES) else "en"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organization = do_create_organization(request.user, data["name"],
                                              timezone_name=data["timezone"],
                                              language=data["language"])
        messages.success(request, _("The organization %(name)s was created.") % {
            "name": organization.name})
        return redirect("org-home", org=organization.slug)
    return render(request, "kanava/members/organization_new.html", {"form": form},
                  status=400 if form.errors else 200)


@member_view(Action.MANAGE_ORGANIZATION)
def organization_settings(request: HttpRequest, organization: Organization,
                          role: str) -> HttpResponse:
    form = OrganizationForm.of(organization, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        do_update_organization(organization, request.user, name=data["name"],
                               timezone_name=data["timezone"], language=data["language"])
        messages.success(request, _("The settings were saved."))
        return redirect("organization-settings", org=organization.slug)
    return render(request, "kanava/members/settings.html", {"form": form},
                  status=400 if form.errors else 200)


@member_view(Action.MANAGE_ORGANIZATION)
def audit_log(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    events = organization.audit_events.select_related("actor").order_by("-at", "-pk")
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kanava/members/audit.html", {"page": page})


# --- your account: password, language, API tokens ------------------------------------------

def _account_page(request: HttpRequest, form: TokenForm | None = None,
                  new_secret: str | None = None, status: int = 200) -> HttpResponse:
    profile = Profile.objects.filter(user=request.user.pk).first()
    return render(request, "kanava/account/account.html", {
        "tokens": ApiToken.objects.filter(user=request.user.pk),
        "memberships": Membership.objects.filter(user=request.user.pk).select_related(
            "organization"),
        "form": form or TokenForm(),
        "new_secret": new_secret,
        "chosen_language": profile.language if profile and profile.language else get_language(),
        "languages": settings.LANGUAGES,
    }, status=status)


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@never_cache
@require_POST
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    """The secret is in this one response only: it is stored hashed, never shown again."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    _token, secret = do_create_token(request.user, form.cleaned_data["name"])
    return _account_page(request, new_secret=secret)


@require_POST
@login_required
def token_revoke(request: HttpRequest, token: int) -> HttpResponse:
    found = get_object_or_404(ApiToken, pk=token, user=request.user.pk)
    do_revoke_token(found, request.user)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": found.name})
    return redirect("account")


urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/members/", member_list, name="members"),
    path("o/<slug:org>/members/invite/", member_invite, name="member-invite"),
    path("o/<slug:org>/members/<int:member>/role/", member_role, name="member-role"),
    path("o/<slug:org>/members/<int:member>/remove/", member_remove, name="member-remove"),
    path("o/<slug:org>/invitations/<int:invitation>/revoke/", invitation_revoke,
         name="invitation-revoke"),
    path("o/<slug:org>/settings/", organization_settings, name="organization-settings"),
    path("o/<slug:org>/audit/", audit_log, name="audit-log"),
    path("organizations/new/", organization_new, name="organization-new"),
    path("invite/<slug:token>/", invitation_view, name="invitation"),
    path("account/", account, name="account"),
    path("account/tokens/", token_create, name="token-create"),
    path("account/tokens/<int:token>/revoke/", token_revoke, name="token-revoke"),
]
