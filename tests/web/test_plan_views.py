"""The plan pages: who may see, import, approve, comment and export — and who may not."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kanava.planstore.models import Comment, PlanDocument
from tests.web.conftest import EXAMPLES, Cast

pytestmark = pytest.mark.django_db


def _url(cast: Cast, tail: str = "") -> str:
    return f"/o/acme/plans/{cast.plan.slug}/{tail}"


@pytest.mark.parametrize("who", ["owner", "lead", "editor", "expert", "viewer"])
def test_every_member_sees_the_home_page_and_the_plan(cast: Cast, who: str) -> None:
    client = cast.client(who)
    home = client.get("/o/acme/")
    assert home.status_code == 200
    assert "Kuura Outdoor" in home.content.decode()
    page = client.get(_url(cast))
    assert page.status_code == 200
    assert "marketing-ratio" in page.content.decode()


def test_an_outsider_sees_nothing_of_another_organization(cast: Cast) -> None:
    client = cast.client("outsider")
    for url in ("/o/acme/", "/o/acme/plans/", _url(cast), _url(cast, "v1/export.yaml"),
                _url(cast, "diff/?from=1&to=1"), "/o/acme/plans/import/"):
        assert client.get(url).status_code == 404, url
    assert client.post(_url(cast, "v1/approve/")).status_code == 404
    assert client.post(_url(cast, "comments/"), {"section": "plan", "text": "x"}).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(cast: Cast) -> None:
    response = cast.client("anonymous").get("/o/acme/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["editor", "expert", "viewer"])
def test_only_owners_and_leads_import(cast: Cast, who: str) -> None:
    client = cast.client(who)
    assert client.get("/o/acme/plans/import/").status_code == 403
    text = (EXAMPLES / "nb-husbanken.yaml").read_text(encoding="utf-8")
    assert client.post("/o/acme/plans/import/", {"text": text}).status_code == 403
    assert PlanDocument.objects.filter(organization=cast.organization).count() == 1


def test_a_lead_imports_a_plan_file(cast: Cast) -> None:
    upload = SimpleUploadedFile("plan.yaml", (EXAMPLES / "nb-husbanken.yaml").read_bytes())
    response = cast.client("lead").post("/o/acme/plans/import/", {"file": upload})
    assert response.status_code == 302
    document = PlanDocument.objects.get(organization=cast.organization, title__contains="sosiale")
    assert document.latest().text == (EXAMPLES / "nb-husbanken.yaml").read_text(encoding="utf-8")


def test_a_broken_plan_is_refused_with_its_lines(cast: Cast) -> None:
    text = "title: Plan\norganization:\n  name: Org\n  nmae: typo\n"
    response = cast.client("lead").post("/o/acme/plans/import/", {"text": text})
    assert response.status_code == 400
    page = response.content.decode()
    assert "did you mean &#x27;name&#x27;?" in page
    assert "4:3" in page


@pytest.mark.parametrize("who", ["editor", "expert", "viewer"])
def test_only_owners_and_leads_approve(cast: Cast, who: str) -> None:
    assert cast.client(who).post(_url(cast, "v1/approve/")).status_code == 403
    assert cast.plan.latest().approved_at is None


def test_a_lead_approves_a_version(cast: Cast) -> None:
    assert cast.client("lead").post(_url(cast, "v1/approve/")).status_code == 302
    version = cast.plan.latest()
    assert version.approved_by == cast.users["lead"]


@pytest.mark.parametrize(("who", "allowed"), [("owner", True), ("lead", True),
                                              ("editor", True), ("expert", True),
                                              ("viewer", False)])
def test_who_may_comment(cast: Cast, who: str, allowed: bool) -> None:
    response = cast.client(who).post(_url(cast, "comments/"),
                                     {"section": "channels", "text": "Looks good"})
    assert response.status_code == (302 if allowed else 403)
    assert Comment.objects.filter(plan=cast.plan).count() == (1 if allowed else 0)


@pytest.mark.parametrize("fmt", ["yaml", "html", "md", "pdf"])
def test_every_member_exports(cast: Cast, fmt: str) -> None:
    response = cast.client("viewer").get(_url(cast, f"v1/export.{fmt}"))
    assert response.status_code == 200
    assert f"-v1.{fmt}" in response["Content-Disposition"]
    if fmt == "yaml":
        assert response.content == (EXAMPLES / "en-company.yaml").read_bytes()


def test_text_typed_by_users_is_escaped(cast: Cast) -> None:
    client = cast.client("lead")
    client.post(_url(cast, "comments/"), {"section": "plan", "text": "<script>alert(1)</script>"})
    page = client.get(_url(cast)).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
