"""Members, invitations, the organization's settings, API tokens and the audit log."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
