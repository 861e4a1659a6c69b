"""Plans through the API: import, read, save, check, export, approve — and the round trip."""

from __future__ import annotations

import json

import pytest

from kanava.accounts.models import AuditEvent
from kanava.plans.loader import load_text
from kanava.planstore.models import PlanDocument
from tests.api.conftest import Api
from tests.web.conftest import EXAMPLES

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/organizations/acme/plans"
HUSBANKEN = (EXAMPLES / "nb-husbanken.yaml").read_text(encoding="utf-8")


def _post(api: Api, url: str, body: object, who: str = "lead") -> object:
    return api.client(who).post(url, body, content_type="application/json")


def _put(api: Api, url: str, body: object, who: str = "lead") -> object:
    return api.client(who).put(url, body, content_type="application/json")


def test_the_list_shows_each_plan_with_its_latest_and_approved_version(api: Api) -> None:
    _post(api, f"{api.plan}/versions/1/approve", None)
    [plan] = api.client("viewer").get(PLANS).json()
    assert plan["slug"] == api.cast.plan.slug
    assert (plan["latest_version"], plan["approved_version"]) == (1, 1)


def test_a_plan_reads_as_json_with_its_version(api: Api) -> None:
    body = api.client("viewer").get(api.plan).json()
    assert body["title"] == api.cast.plan.title
    assert body["plan"]["title"] == api.cast.plan.title
    assert body["plan"]["kanava"] == 1
    assert body["version"]["number"] == 1
    assert body["version"]["author"] == "lead"
    assert body["approved_version"] is None


def test_a_lead_imports_a_plan_and_reads_it_back_unchanged(api: Api) -> None:
    response = _post(api, PLANS, {"text": HUSBANKEN})
    assert response.status_code == 201  # type: ignore[attr-defined]
    created = response.json()  # type: ignore[attr-defined]
    assert created["version"]["number"] == 1
    exported = api.client("viewer").get(f"{PLANS}/{created['slug']}/export?format=yaml")
    assert exported.content.decode() == HUSBANKEN  # comments and order kept, byte for byte
    assert exported["Content-Type"].startswith("application/yaml")
    assert f'filename="{created["slug"]}-v1.yaml"' in exported["Content-Disposition"]
    load_text(exported.content.decode())  # what `kanava plan check` reads
    assert AuditEvent.objects.filter(action="plan.import", actor=api.cast.users["lead"]).exists()


def test_a_json_plan_is_accepted_too(api: Api, plan_data: dict[str, object]) -> None:
    response = _post(api, PLANS, {"text": json.dumps(plan_data)})
    assert response.status_code == 201  # type: ignore[attr-defined]
    assert response.json()["plan"]["title"] == plan_data["title"]  # type: ignore[attr-defined]


def test_an_invalid_plan_is_a_422_that_locates_every_problem(api: Api) -> None:
    text = "kanava: 1\ntitle: Broken\nlanguage: en\nchannels: 7\n"
    response = _post(api, PLANS, {"text": text})
    assert response.status_code == 422  # type: ignore[attr-defined]
    problems = response.json()["problems"]  # type: ignore[attr-defined]
    assert {"line", "column", "path", "message"} <= set(problems[0])
    channels = next(p for p in problems if p["path"] == "channels")
    assert (channels["line"], channels["column"]) == (4, 11)
    assert PlanDocument.objects.filter(organization=api.cast.organization).count() == 1


def test_invalid_yaml_is_located_too(api: Api) -> None:
    response = _post(api, PLANS, {"text": "title: [unclosed\n"})
    [problem] = response.json()["problems"]  # type: ignore[attr-defined]
    assert problem["line"] is not None
    assert "YAML" in problem["message"]


def test_problems_speak_the_callers_language(api: Api) -> None:
    messages = {}
    for lang in ("en", "fi"):
        response = api.client("lead").post(PLANS, {"text": "- a list\n"},
                                           content_type="application/json",
                                           headers={"Accept-Language": lang})
        assert response.status_code == 422
        messages[lang] = response.json()["problems"][0]["message"]
    assert "mapping" in messages["en"]
    assert messages["fi"] != messages["en"]


def test_a_new_version_keeps_comments_and_the_old_one_stays(api: Api) -> None:
    old = api.cast.plan.latest().text
    new = old.replace("\n", "\n# A comment written in the API\n", 1)
    response = _put(api, api.plan, {"text": new, "message": "Added a comment"})
    assert response.status_code == 200  # type: ignore[attr-defined]
    version = response.json()["version"]  # type: ignore[attr-defined]
    assert (version["number"], version["message"], version["author"]) == (
        2, "Added a comment", "lead")
    client = api.client("viewer")
    assert client.get(f"{api.plan}/export?format=yaml").content.decode() == new
    assert client.get(f"{api.plan}/export?format=yaml&version=1").content.decode() == old
    assert [v["number"] for v in client.get(f"{api.plan}/versions").json()] == [2, 1]
    assert client.get(f"{api.plan}/versions/1").json()["version"]["number"] == 1


def test_saving_the_same_text_adds_no_version(api: Api) -> None:
    text = api.cast.plan.latest().text
    response = _put(api, api.plan, {"text": text})
    assert response.json()["version"]["number"] == 1  # type: ignore[attr-defined]


def test_a_new_title_renames_the_plan_but_keeps_its_address(api: Api) -> None:
    text = api.cast.plan.latest().text.replace(
        f"title: {api.cast.plan.title}", "title: A new title", 1)
    assert "A new title" in text
    body = _put(api, api.plan, {"text": text}).json()  # type: ignore[attr-defined]
    assert (body["title"], body["slug"]) == ("A new title", api.cast.plan.slug)


def test_an_invalid_new_version_is_refused_and_nothing_is_saved(api: Api) -> None:
    response = _put(api, api.plan, {"text": "title: 5\n"})
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.json()["problems"]  # type: ignore[attr-defined]
    assert api.cast.plan.versions.count() == 1


def test_check_gives_the_findings_like_the_command_line(api: Api) -> None:
    body = api.client("viewer").get(f"{api.plan}/check").json()
    assert (body["plan"], body["version"]) == (api.cast.plan.slug, 1)
    rules = {f["rule"] for f in body["findings"]}
    assert "marketing-ratio" in rules
    finding = body["findings"][0]
    assert set(finding) == {"rule", "severity", "path", "line", "column", "message"}


def test_check_speaks_the_language_asked_for(api: Api) -> None:
    client = api.client("viewer")
    english = client.get(f"{api.plan}/check?lang=en").json()["findings"]
    finnish = client.get(f"{api.plan}/check?lang=fi").json()["findings"]
    assert [f["rule"] for f in english] == [f["rule"] for f in finnish]
    assert [f["message"] for f in english] != [f["message"] for f in finnish]


def test_any_member_checks_a_text_without_saving_it(api: Api) -> None:
    url = "/api/v1/organizations/acme/check"
    good = _post(api, url, {"text": HUSBANKEN}, who="viewer").json()  # type: ignore[attr-defined]
    assert good["valid"] is True
    assert good["problems"] == []
    assert good["findings"]
    bad = _post(api, url, {"text": "title: [\n"}, who="viewer").json()  # type: ignore[attr-defined]
    assert (bad["valid"], bad["findings"]) == (False, [])
    assert bad["problems"][0]["line"] is not None
    assert PlanDocument.objects.filter(organization=api.cast.organization).count() == 1


@pytest.mark.parametrize(("fmt", "content_type", "start"), [
    ("html", "text/html", b"<!DOCTYPE html>"),
    ("md", "text/markdown", b"# "),
    ("pdf", "application/pdf", b"%PDF"),
])
def test_every_member_exports_a_rendered_version(api: Api, fmt: str, content_type: str,
                                                 start: bytes) -> None:
    response = api.client("viewer").get(f"{api.plan}/export?format={fmt}&version=1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response.content.lstrip().startswith(start)


def test_a_lead_approves_a_version_once(api: Api) -> None:
    url = f"{api.plan}/versions/1/approve"
    first = _post(api, url, None).json()  # type: ignore[attr-defined]
    assert first["approved_by"] == "lead"
    again = _post(api, url, None, who="owner").json()  # type: ignore[attr-defined]
    assert (again["approved_by"], again["approved_at"]) == ("lead", first["approved_at"])
    assert api.client("viewer").get(api.plan).json()["approved_version"] == 1


def test_a_plan_of_another_organization_is_not_found_by_its_slug(api: Api) -> None:
    url = f"{PLANS}/{api.cast.other_plan.slug}"
    assert api.client("owner").get(url).status_code == 404


def test_a_title_with_a_nul_character_is_a_problem_not_a_server_error(api: Api) -> None:
    text = ('kanava: 1\ntitle: "Nul\\0here"\nlanguage: en\n'
            "organization:\n  name: X\n  kind: company\n")
    response = _post(api, PLANS, {"text": text})
    assert response.status_code == 422  # type: ignore[attr-defined]
