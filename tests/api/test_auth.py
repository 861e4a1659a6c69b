"""Who may call: a personal token, or the browser's session with its CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client

from kanava.accounts.models import ApiToken
from kanava.accounts.services import do_create_token
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/organizations"


def test_it_refuses_a_caller_without_a_token(api: Api) -> None:
    response = Client().get(ORGS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer kv_made-up", "Bearer ", "Bearer kv_a kv_b"])
def test_it_refuses_a_wrong_token(api: Api, header: str) -> None:
    response = Client(headers={"Authorization": header}).get(ORGS)
    assert response.status_code == 401
    assert "token is not valid" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Token kv_x", "Basic b3duZXI6cGFzcw==", "kv_x"])
def test_it_refuses_other_kinds_of_credentials(api: Api, header: str) -> None:
    assert Client(headers={"Authorization": header}).get(ORGS).status_code == 401


def test_it_refuses_a_revoked_token(api: Api) -> None:
    ApiToken.objects.filter(user=api.cast.users["owner"]).delete()
    assert api.client("owner").get(ORGS).status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(api: Api) -> None:
    owner = api.cast.users["owner"]
    owner.is_active = False
    owner.save()
    assert api.client("owner").get(ORGS).status_code == 401


def test_a_token_notes_when_it_was_last_used(api: Api) -> None:
    token, secret = do_create_token(api.cast.users["viewer"], "script")
    assert token.last_used is None
    Client(headers={"Authorization": f"Bearer {secret}"}).get(ORGS)
    token.refresh_from_db()
    assert token.last_used is not None


def test_a_wrong_token_is_refused_even_with_a_session(api: Api) -> None:
    client = api.cast.client("owner")
    assert client.get(ORGS, headers={"Authorization": "Bearer kv_made-up"}).status_code == 401


def test_the_browser_session_reads_without_a_csrf_token(api: Api) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(api.cast.users["viewer"])
    response = client.get(ORGS)
    assert response.status_code == 200
    assert response.json()[0]["role"] == "viewer"


def test_the_browser_session_needs_the_csrf_token_to_change_anything(api: Api) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(api.cast.users["owner"])
    url = f"{api.plan}/versions/1/approve"
    refused = client.post(url)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get("/accounts/password/change/")  # any page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert client.post(url, headers={"X-CSRFToken": token}).status_code == 200


def test_without_a_session_an_unsafe_request_hears_401_not_a_csrf_failure(api: Api) -> None:
    response = Client(enforce_csrf_checks=True).post(f"{api.plan}/versions/1/approve")
    assert response.status_code == 401
