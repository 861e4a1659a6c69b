"""The OpenAPI document describes the whole API; the docs page never loads a CDN."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("get", "/api/v1/organizations"),
    ("get", "/api/v1/organizations/{org}"),
    ("get", "/api/v1/organizations/{org}/plans"),
    ("post", "/api/v1/organizations/{org}/plans"),
    ("post", "/api/v1/organizations/{org}/check"),
    ("get", "/api/v1/organizations/{org}/plans/{plan}"),
    ("put", "/api/v1/organizations/{org}/plans/{plan}"),
    ("get", "/api/v1/organizations/{org}/plans/{plan}/versions"),
    ("get", "/api/v1/organizations/{org}/plans/{plan}/versions/{n}"),
    ("post", "/api/v1/organizations/{org}/plans/{plan}/versions/{n}/approve"),
    ("get", "/api/v1/organizations/{org}/plans/{plan}/check"),
    ("get", "/api/v1/organizations/{org}/plans/{plan}/export"),
    ("get", "/api/v1/organizations/{org}/members"),
    ("put", "/api/v1/organizations/{org}/members/{username}"),
    ("delete", "/api/v1/organizations/{org}/members/{username}"),
    ("post", "/api/v1/organizations/{org}/invitations"),
}


@pytest.fixture
def document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_the_document_is_public_and_lists_every_operation(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.")
    found = {(method, url) for url, item in document["paths"].items() for method in item}
    assert found == OPERATIONS


def test_every_operation_needs_a_token_or_a_session(document: dict[str, Any]) -> None:
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    for item in document["paths"].values():
        for operation in item.values():
            assert {"BearerToken": []} in operation["security"]
            assert {"401", "403", "404"} <= set(operation["responses"])


def test_the_docs_page_is_not_served_from_a_cdn(settings: Any) -> None:
    if "ninja" in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if a != "ninja"]
    response = Client().get("/api/v1/docs")
    assert response.status_code == 404
    assert "/api/v1/openapi.json" in response.json()["detail"]


def test_with_ninja_installed_the_docs_page_uses_our_static_files(settings: Any) -> None:
    if "ninja" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "ninja"]
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert all(source.startswith("/static/") for source in sources), sources
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), source
