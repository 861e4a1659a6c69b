"""URL patterns of /api/v1: Ninja's, with every error answered in JSON."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, include, path, re_path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kanava.api.errors import error
from kanava.api.main import api

View = Callable[..., HttpResponse]
#: The views that serve a document whatever the method.
DOCUMENTS = ("openapi-json", "openapi-view", "api-root")


def not_allowed(allowed: str) -> JsonResponse:
    response = error(405, _("This method is not allowed here; allowed: %(methods)s.")
                     % {"methods": allowed})
    response["Allow"] = allowed
    return response


def json_errors(view: View, safe_only: bool = False) -> View:
    """Ninja answers a wrong method in plain text (or, for its documents, not at all)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if safe_only and request.method not in ("GET", "HEAD"):
            return not_allowed("GET, HEAD")
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error(404, _("Not found."))
        if response.status_code == 405 and not isinstance(response, JsonResponse):
            return not_allowed(response["Allow"])
        return response

    return wrapped


# These two change nothing: a CSRF refusal (an HTML page) would only hide the real answer.
@csrf_exempt
def index(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """/api/v1/ itself: where the OpenAPI document and the docs page are."""
    return JsonResponse({"title": api.title, "version": api.version,
                         "openapi": reverse("api-v1:openapi-json"),
                         "docs": reverse("api-v1:openapi-view")})


@csrf_exempt
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    return error(404, _("There is no such address in the API; see %(url)s.")
                 % {"url": reverse("api-v1:openapi-json")})


def _patterns() -> list[URLPattern | URLResolver]:
    patterns, app_name, namespace = api.urls
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            view = json_errors(index if pattern.name == "api-root" else pattern.callback,
                               safe_only=pattern.name in DOCUMENTS)
            pattern = URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)
        wrapped.append(pattern)
    return [path("api/v1/", include((wrapped, app_name), namespace=namespace)),
            re_path(r"^api/v1/(?P<rest>.*)$", unknown)]


urlpatterns = _patterns()
