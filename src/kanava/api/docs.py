"""The API docs page: Swagger UI from our own static files, never from a CDN.

Django Ninja ships Swagger UI and renders it from local static files when ``"ninja"`` is
an installed app; otherwise it would load it from a CDN, which our CSP forbids and DESIGN.md
rules out. So without the app installed the page answers 404 (the OpenAPI document at
/api/v1/openapi.json is always served).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from kanava.api.errors import error


class LocalSwagger(Swagger):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        if not apps.is_installed("ninja"):
            return error(404, _("The API docs page is not installed; the OpenAPI document "
                                "is at %(url)s.") % {"url": self.get_openapi_url(api, kwargs)})
        return super().render_page(request, api, **kwargs)
