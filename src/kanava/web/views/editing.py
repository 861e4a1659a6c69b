"""Editing a plan in the browser, section by section, with the rule checks shown live."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
