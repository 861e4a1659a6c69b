"""Signing in (rate-limited), the start page and the language switch."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanava.accounts.models import Organization, Profile
from kanava.accounts.services import record_failure, too_many_failures

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind KANAVA_PROXY_COUNT proxies the entry
    of X-Forwarded-For that the nearest trusted proxy added (earlier ones can be forged)."""
    count = int(settings.PROXY_COUNT)
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [a.strip() for a in header.split(",") if a.strip()]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    remote = request.META.get("REMOTE_ADDR")
    return str(remote) if remote else None


class RateLimitedAuthenticationForm(AuthenticationForm):
    """Refuses to even try a password after too many recent failures."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else None
        if too_many_failures(ip, username, settings.LOGIN_ATTEMPTS):
            raise forms.ValidationError(
                _("Too many failed sign-ins. Wait 15 minutes and try again."),
                code="rate_limited")
        try:
            return super().clean()
        except forms.ValidationError:
            record_failure(ip, username)
            raise


class LoginView(auth_views.LoginView):
    form_class = RateLimitedAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        profile = Profile.objects.filter(user=form.get_user()).first()
        if profile and profile.language:
            _set_language_cookie(response, profile.language)
        return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organizations = list(Organization.objects.filter(memberships__user=request.user.pk))
    if len(organizations) == 1:
        return redirect("org-home", org=organizations[0].slug)
    return render(request, "kanava/home.html", {"organizations": organizations})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and the user's profile."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("home")
    response = HttpResponseRedirect(target)
    if language in LANGUAGE_CODES:
        _set_language_cookie(response, language)
        if request.user.is_authenticated:
            Profile.objects.update_or_create(user=request.user,
                                             defaults={"language": language})
    return response


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600,
                        samesite="Lax", secure=settings.SESSION_COOKIE_SECURE, httponly=True)


urlpatterns = [
    path("", home, name="home"),
    path("language", set_language, name="set-language"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(),
         name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(),
         name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
