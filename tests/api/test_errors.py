"""Every error is JSON with a sentence to act on, and a status that says whose fault it is."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


def _detail(response: object) -> str:
    assert response["Content-Type"].startswith("application/json")  # type: ignore[index]
    detail = response.json()["detail"]  # type: ignore[attr-defined]
    assert isinstance(detail, str)
    assert detail
    return detail


@pytest.mark.parametrize("url", [
    "/api/v1/no-such-thing",
    "/api/v1/organizations/acme/plans/no-such-plan",
    "/api/v1/organizations/acme/plans/{plan}/versions/99",
    "/api/v1/organizations/acme/plans/{plan}/versions/one",
    "/api/v1/organizations/acme/plans/{plan}/versions/-1",
    "/api/v1/organizations/%00/plans",
    "/api/v1/organizations/acme/",
])
def test_an_unknown_address_is_a_json_404(api: Api, url: str) -> None:
    response = api.client("owner").get(url.replace("/api/v1/organizations/acme/plans/{plan}",
                                                   api.plan))
    assert response.status_code == 404
    _detail(response)


def test_an_unknown_member_is_a_404_and_an_impossible_username_a_422(api: Api) -> None:
    client = api.client("owner")
    assert client.delete("/api/v1/organizations/acme/members/nobody").status_code == 404
    assert client.delete("/api/v1/organizations/acme/members/%00").status_code == 422


def test_a_wrong_method_is_a_json_405_that_names_the_right_ones(api: Api) -> None:
    response = api.client("owner").delete(api.plan)
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert "PUT" in _detail(response)
    assert api.client("owner").post("/api/v1/openapi.json").status_code == 405


@pytest.mark.parametrize("body", ['{"text": ', "not json at all", '["text"]', "{}"])
def test_a_body_that_is_not_the_expected_json_is_a_422(api: Api, body: str) -> None:
    response = api.client("owner").post("/api/v1/organizations/acme/plans", body,
                                        content_type="application/json")
    assert response.status_code == 422
    _detail(response)


@pytest.mark.parametrize("query", ["format=docx", "version=0", "version=2147483648",
                                   "version=99999999999999999999999", "lang=de"])
def test_a_bad_query_is_a_422(api: Api, query: str) -> None:
    response = api.client("owner").get(f"{api.plan}/export?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][0] == "query"
    _detail(response)


def test_a_huge_version_number_in_the_address_is_a_422_not_a_database_error(api: Api) -> None:
    response = api.client("owner").get(f"{api.plan}/versions/99999999999999999999999")
    assert response.status_code == 422


def test_a_plan_text_over_the_limit_is_refused(api: Api) -> None:
    text = "title: x\n" + "#" * 2_000_000
    response = api.client("owner").post("/api/v1/organizations/acme/check", {"text": text},
                                        content_type="application/json")
    assert response.status_code == 422
    assert "2000000" in _detail(response)


def test_a_body_over_the_request_limit_is_a_413(api: Api, settings: object) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # type: ignore[attr-defined]
    response = api.client("owner").post("/api/v1/organizations/acme/check",
                                        {"text": "#" * 2000}, content_type="application/json")
    assert response.status_code == 413
    _detail(response)


@pytest.mark.parametrize("message", ["two\nlines", "nul\x00", "lone \ud800 surrogate"])
def test_a_version_message_must_be_one_line_of_text(api: Api, message: str) -> None:
    text = api.cast.plan.latest().text + "# changed\n"
    response = api.client("owner").put(api.plan, {"text": text, "message": message},
                                       content_type="application/json")
    assert response.status_code == 422


def test_the_api_root_says_where_the_openapi_document_is() -> None:
    assert Client().get("/api/v1/").json()["openapi"] == "/api/v1/openapi.json"


@pytest.mark.parametrize("url", ["/api/v1/", "/api/v1/nothing-here",
                                 "/api/v1/organizations/0.5/plans"])
def test_an_unsafe_request_to_an_unknown_address_is_json_not_a_csrf_page(api: Api,
                                                                         url: str) -> None:
    response = Client(enforce_csrf_checks=True).post(url, {"text": "x"},
                                                     content_type="application/json")
    assert response["Content-Type"].startswith("application/json")
    assert response.status_code in (404, 405)
