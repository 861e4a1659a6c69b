"""The plan in the browser: editing every part, live checks, the wizard, round trips.

Every test goes through the web pages with the fixed cast of tests/web/conftest.py; the
plan of 'acme' is examples/en-company.yaml, full of comments that must survive editing.
"""

from __future__ import annotations

import difflib
import json
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pydantic import BaseModel
from typer.testing import CliRunner

from kanava.cli.main import app as cli
from kanava.plans import rules
from kanava.plans.loader import dump_text, load_text, plan_data
from kanava.plans.model import Plan
from kanava.plans.rules import check
from kanava.plans.wizard import Answers
from kanava.planstore import editing
from kanava.planstore.models import PlanDocument
from kanava.planstore.services import do_import_plan, do_save_version
from kanava.web.forms.plan import PLAN_LANGUAGES, choice_kind, field_label
from tests.conftest import GOOD_PLAN
from tests.web.conftest import EXAMPLES, Cast

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


# --- helpers ----------------------------------------------------------------------------

def _url(document: PlanDocument, where: str = "", tail: str = "") -> str:
    base = f"/o/{document.organization.slug}/plans/{document.slug}/edit/"
    return f"{base}{where}/{tail}" if where else base


def _posted(form: forms.Form) -> dict[str, Any]:
    """What a browser posts for a form as it was shown."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    return data


def _submit(client: Client, url: str, changes: dict[str, Any] | None = None) -> Any:
    """Open the form at ``url``, change some inputs and post it back."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = _posted(page.context["page"].form)
    data.update(changes or {})
    return client.post(url, {k: v for k, v in data.items() if v is not None})


def _latest_plan(document: PlanDocument) -> Plan:
    document.refresh_from_db()
    return load_text(document.latest().text).plan


def _version_count(document: PlanDocument) -> int:
    return document.versions.count()


def _pages(plan: Plan) -> Iterator[editing.Node]:
    """Every part of the plan that has a form: sections and items, however deep."""
    for section in editing.sections():
        if section.is_list:
            yield from _items(plan, section)
        else:
            yield section
            for child in section.children() if section.path else ():
                if child.is_list:
                    yield from _items(plan, editing.node_at((*section.path, child.field)))


def _items(plan: Plan, node: editing.Node) -> Iterator[editing.Node]:
    for index in range(len(editing.node_value(plan, node))):
        item = node.item(index)
        yield item
        for child in item.children():
            yield from _items(plan, editing.node_at((*item.path, child.field)))


def _full_plan_text() -> str:
    """A plan with something in every list, however deep, and in every optional field."""
    data: dict[str, Any] = json.loads(json.dumps(GOOD_PLAN))
    data["goals"][0]["kpis"][0].update(
        milestones=[{"date": "2027-01-31", "target": 36}], channel="fb", source="Inbox")
    data["benchmarks"][0].update(url="https://example.org", looked_at="2026-10-01",
                                 lessons="Short answers work.")
    data["benchmarks"][0]["channels"][0].update(activity="daily", followers=1200,
                                                reception="Warm")
    data["gap_analysis"][0].update(today_value=48, target_value=24, unit="hours",
                                   goal="answers")
    data["channels"][0]["budget"] = {"amount": 1000, "currency": "EUR", "per": "year"}
    data["content"]["formats"][0].update(per_month=20, notes="Phone photos")
    data["content"]["calendar"][0].update(repeat="yearly")
    data["training"][0].update(audience="Everyone", when="2027-Q1")
    data["monitoring"]["external"][0].update(url="https://news.example", network="forum")
    return dump_text(Plan.model_validate(data))


@pytest.fixture
def full(cast: Cast) -> PlanDocument:
    return do_import_plan(cast.organization, cast.users["lead"], _full_plan_text())


# --- who may edit ---------------------------------------------------------------------------

def _addresses(document: PlanDocument) -> list[str]:
    return [_url(document), _url(document, "general"), _url(document, "goals"),
            _url(document, "goals.0"), _url(document, "goals.0.kpis.0"),
            _url(document, "goals", "new/"), _url(document, "goals.1", "delete/"),
            f"/o/{document.organization.slug}/new-plan/"]


@pytest.mark.parametrize("who", ["owner", "lead"])
def test_owners_and_leads_open_every_kind_of_editor_page(cast: Cast, who: str) -> None:
    client = cast.client(who)
    for address in _addresses(cast.plan):
        assert client.get(address).status_code == 200, address


@pytest.mark.parametrize("who", ["editor", "expert", "viewer"])
def test_other_members_may_not_edit(cast: Cast, who: str) -> None:
    client = cast.client(who)
    for address in _addresses(cast.plan):
        assert client.get(address).status_code == 403, address
    for where, tail, data in [("channels.0", "", {"name": "x"}), ("channels.0", "check/", {}),
                              ("goals", "new/", {"title": "x"}),
                              ("goals", "new/check/", {}), ("goals.0", "delete/", {"base": 1}),
                              ("goals.0", "move/", {"base": 1, "direction": "down"})]:
        assert client.post(_url(cast.plan, where, tail), data).status_code == 403, where + tail
    assert client.post("/o/acme/new-plan/", {"title": "x"}).status_code == 403
    assert _version_count(cast.plan) == 1
    assert PlanDocument.objects.filter(organization=cast.organization).count() == 1


def test_an_outsider_sees_nothing_of_the_editor(cast: Cast) -> None:
    client = cast.client("outsider")
    for address in _addresses(cast.plan):
        assert client.get(address).status_code == 404, address
    assert client.post(_url(cast.plan, "channels.0"), {"name": "x"}).status_code == 404
    assert client.post(_url(cast.plan, "channels.0", "check/"), {}).status_code == 404
    assert client.post("/o/acme/new-plan/", {"title": "x"}).status_code == 404
    assert _version_count(cast.plan) == 1


def test_an_anonymous_visitor_is_sent_to_sign_in(cast: Cast) -> None:
    response = cast.client("anonymous").get(_url(cast.plan, "channels.0"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_parts_that_do_not_exist_are_not_found(cast: Cast) -> None:
    client = cast.client("lead")
    for where in ("channels.99", "nothing", "channels.0.cadence", "title", "goals.0.nope"):
        assert client.get(_url(cast.plan, where)).status_code == 404, where
    assert client.get(_url(cast.plan, "organization", "new/")).status_code == 404


def test_the_plan_page_links_to_the_editor_for_those_who_may_edit(cast: Cast) -> None:
    plan_page = f"/o/acme/plans/{cast.plan.slug}/"
    assert _url(cast.plan) in cast.client("lead").get(plan_page).content.decode()
    assert _url(cast.plan) not in cast.client("viewer").get(plan_page).content.decode()


# --- every field has a form -------------------------------------------------------------------

def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list or any(
        _is_list(a) for a in typing.get_args(annotation))


def _leaves(model: type[BaseModel], prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every field of the model that holds a value, with index 0 for each list on the way."""
    for name, info in model.model_fields.items():
        if (model, name) == (Plan, "kanava"):
            continue  # the file format's version, fixed at 1
        nested = _nested_model(info.annotation)
        if nested is None:
            yield (*prefix, name)
        else:
            yield from _leaves(nested, (*prefix, name, 0) if _is_list(info.annotation)
                               else (*prefix, name))


def _page_and_input(leaf: tuple[Any, ...]) -> tuple[str, str]:
    """Where a field is edited: the item (or section) holding it, and the input's name."""
    last_index = max((i for i, part in enumerate(leaf) if isinstance(part, int)), default=None)
    page = leaf[:last_index + 1] if last_index is not None else leaf[:len(leaf) - 1][:1]
    where = ".".join(str(p) for p in page) or "general"
    return where, "__".join(str(p) for p in leaf[len(page):])


def test_every_field_of_the_plan_has_an_input_in_some_form(cast: Cast, full: PlanDocument) -> None:
    """GIVEN a plan with something in every list WHEN each part's page is opened
    THEN every field of the model (walked independently of the editor) has an input."""
    client = cast.client("lead")
    pages: dict[str, str] = {}
    leaves = list(_leaves(Plan))
    assert len(leaves) > 130
    for leaf in leaves:
        where, name = _page_and_input(leaf)
        if where not in pages:
            response = client.get(_url(full, where))
            assert response.status_code == 200, where
            pages[where] = response.content.decode()
        assert f'name="{name}"' in pages[where], f"{'.'.join(map(str, leaf))} on {where}"


def _models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    yield model
    for info in model.model_fields.values():
        nested = _nested_model(info.annotation)
        if nested is not None:
            yield from _models(nested)


@pytest.mark.parametrize("root", [Plan, Answers])
def test_every_field_has_a_label_and_every_choice_translated_labels(root: type[BaseModel]) -> None:
    for model in set(_models(root)):
        for name in model.model_fields:
            if (model, name) == (Plan, "kanava"):
                continue
            assert field_label(model, name, "fi"), f"{model.__name__}.{name}"
            shape = editing.field_shape(model, name)
            if shape.kind in {"choice", "choices"}:
                assert choice_kind(shape.choices) or set(shape.choices) <= set(PLAN_LANGUAGES), \
                    f"{model.__name__}.{name} has no labels for its choices"


def test_the_references_the_forms_offer_are_those_the_rules_check() -> None:
    plan = Plan.model_validate(load_text(_full_plan_text()).plan.model_dump())
    checked = set()
    for path, kind, _ref in rules._references(plan):
        names = [p for p in path if isinstance(p, str)]
        model: type[BaseModel] = Plan
        for name in names[:-1]:
            nested = _nested_model(model.model_fields[name].annotation)
            assert nested is not None
            model = nested
        assert editing.REFERENCES[(model, names[-1])] == kind, path
        checked.add((model, names[-1]))
    assert checked == set(editing.REFERENCES)


# --- saving ----------------------------------------------------------------------------------

@pytest.mark.parametrize("example", ["en-company.yaml", "fi-kunta.yaml", "nb-husbanken.yaml"])
def test_saving_an_untouched_form_changes_nothing_anywhere(cast: Cast, example: str) -> None:
    """Every part of each example plan opens, and posted back as shown adds no version."""
    document = cast.plan if example == "en-company.yaml" else do_import_plan(
        cast.organization, cast.users["lead"], (EXAMPLES / example).read_text(encoding="utf-8"))
    client = cast.client("lead")
    plan = _latest_plan(document)
    for section in editing.sections():
        assert client.get(_url(document, section.where)).status_code == 200, section.where
    nodes = list(_pages(plan))
    for node in nodes:
        response = _submit(client, _url(document, node.where))
        assert response.status_code == 302, node.where
    assert len(nodes) > 80
    assert _version_count(document) == 1


def test_a_lead_edits_a_channel_and_the_files_comments_survive(cast: Cast) -> None:
    original = cast.plan.latest().text
    client = cast.client("lead")
    response = _submit(client, _url(cast.plan, "channels.0"),
                       {"marketing_share": "0.05", "tone": "Warm and brief.\r\nNever salesy."})
    assert response.status_code == 302
    assert response["Location"] == _url(cast.plan, "channels.0")
    version = cast.plan.latest()
    assert version.number == 2
    assert version.author == cast.users["lead"]
    assert "Channels" in version.message
    plan = load_text(version.text).plan
    assert plan.channels[0].marketing_share == 0.05
    assert plan.channels[0].tone == "Warm and brief.\nNever salesy."
    changed = [line for line in difflib.ndiff(original.splitlines(), version.text.splitlines())
               if line.startswith(("-", "+"))]
    assert [line[2:] for line in changed] == [
        "    tone: Warm, outdoorsy and brief; we speak as people, not as a catalogue.",
        "    tone: |-", "      Warm and brief.", "      Never salesy.",
        "    marketing_share: 0.2", "    marketing_share: 0.05"]


def test_a_new_item_gets_an_id_made_from_its_name(cast: Cast) -> None:
    client = cast.client("owner")
    response = client.post(_url(cast.plan, "people", "new/"),
                           {"base": 1, "id": "", "name": "Åsa Öberg", "role": "Intern"})
    assert response.status_code == 302
    plan = _latest_plan(cast.plan)
    added = plan.people[-1]
    assert (added.id, added.name, added.role) == ("asa-oberg", "Åsa Öberg", "Intern")
    assert response["Location"] == _url(cast.plan, f"people.{len(plan.people) - 1}")
    assert "email" not in load_text(cast.plan.latest().text).document["people"][-1]


def test_a_goal_gets_measures_and_milestones_item_by_item(cast: Cast) -> None:
    client = cast.client("lead")
    response = client.post(_url(cast.plan, "goals.1.kpis", "new/"),
                           {"base": 1, "metric": "reviews", "baseline": "10", "target": "2,5",
                            "deadline": "2027-12-31"})
    assert response.status_code == 302
    kpi_index = len(_latest_plan(cast.plan).goals[1].kpis) - 1
    response = client.post(_url(cast.plan, f"goals.1.kpis.{kpi_index}.milestones", "new/"),
                           {"base": 2, "date": "2027-06-30", "target": "1.5"})
    assert response.status_code == 302
    kpi = _latest_plan(cast.plan).goals[1].kpis[kpi_index]
    assert (kpi.metric, kpi.baseline, kpi.target, str(kpi.deadline)) == \
        ("reviews", 10, 2.5, "2027-12-31")
    assert [(str(m.date), m.target) for m in kpi.milestones] == [("2027-06-30", 1.5)]


def test_changing_an_id_changes_every_reference_to_it(cast: Cast) -> None:
    client = cast.client("lead")
    before = _latest_plan(cast.plan)
    index = next(i for i, p in enumerate(before.people) if p.id == "korhonen")
    owned = [c.id for c in before.channels if c.owner == "korhonen"]
    assert owned
    assert _submit(client, _url(cast.plan, f"people.{index}"), {"id": "aino"}).status_code == 302
    after = _latest_plan(cast.plan)
    assert [c.id for c in after.channels if c.owner == "aino"] == owned
    assert not [f for f in check(after) if f.rule == "ref-unknown"]


def test_clearing_a_nested_part_removes_it(cast: Cast) -> None:
    client = cast.client("lead")
    response = _submit(client, _url(cast.plan, "channels.0"),
                       {"cadence__posts": "", "cadence__per": ""})
    assert response.status_code == 302
    assert _latest_plan(cast.plan).channels[0].cadence is None


def test_deleting_an_item_asks_first_and_names_the_references_it_breaks(cast: Cast) -> None:
    client = cast.client("lead")
    plan = _latest_plan(cast.plan)
    index = next(i for i, p in enumerate(plan.people) if p.id == "korhonen")
    url = _url(cast.plan, f"people.{index}", "delete/")
    page = client.get(url).content.decode()
    assert "Aino Korhonen" in page
    assert "&#x27;korhonen&#x27; is not a person of the plan" in page
    assert _version_count(cast.plan) == 1
    response = client.post(url, {"base": 1})
    assert response.status_code == 302
    assert response["Location"] == _url(cast.plan, "people") + "#live-list"
    after = _latest_plan(cast.plan)
    assert "korhonen" not in {p.id for p in after.people}
    assert any(f.rule == "ref-unknown" for f in check(after))


def test_moving_an_item_takes_the_comments_inside_it_along(cast: Cast) -> None:
    client = cast.client("lead")
    response = client.post(_url(cast.plan, "goals.0", "move/"), {"base": 1, "direction": "down"})
    assert response.status_code == 302
    assert response["Location"] == _url(cast.plan, "goals") + "#live-list"
    text = cast.plan.latest().text
    assert [g.id for g in load_text(text).plan.goals][:2] == ["german-reach", "customer-voice"]
    moved = text.index("- id: customer-voice")
    assert text.index("- id: german-reach") < moved < text.index("# Strategies: how we reach")
    assert text.index("# Interim targets, evaluated") < text.index("- id: ambassadors")


def test_the_first_item_cannot_move_up(cast: Cast) -> None:
    client = cast.client("lead")
    client.post(_url(cast.plan, "goals.0", "move/"), {"base": 1, "direction": "up"})
    assert _version_count(cast.plan) == 1
    response = client.post(_url(cast.plan, "goals.0", "move/"), {"base": 1, "direction": "left"})
    assert response.status_code == 404


def test_a_form_based_on_an_older_version_is_not_saved_and_keeps_what_was_typed(
        cast: Cast) -> None:
    """GIVEN a lead opened a channel WHEN the owner saves another version meanwhile
    THEN the lead's save is refused, and their typing is still in the form."""
    lead, owner = cast.client("lead"), cast.client("owner")
    form = _posted(lead.get(_url(cast.plan, "channels.0")).context["page"].form)
    assert _submit(owner, _url(cast.plan, "summary" if False else "general"),
                   {"period": "2027–2028"}).status_code == 302
    form["tone"] = "Typed by the lead"
    response = lead.post(_url(cast.plan, "channels.0"), form)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Typed by the lead" in page
    assert "Someone saved version 2" in page
    assert response.context["page"].form["base"].value() == "2"
    assert _version_count(cast.plan) == 2
    assert lead.post(_url(cast.plan, "channels.0"), {**form, "base": 2}).status_code == 302
    assert _latest_plan(cast.plan).channels[0].tone == "Typed by the lead"


def test_errors_are_shown_next_to_the_field_in_the_users_language(cast: Cast) -> None:
    client = cast.client("lead")
    client.cookies["django_language"] = "fi"
    response = _submit(client, _url(cast.plan, "channels.0"),
                       {"hours_per_week": "lots", "name": "", "tone": "Kept as typed",
                        "handle": "still here"})
    assert response.status_code == 400
    slots = response.context["page"].slots
    assert slots["hours_per_week"].errors == [
        "Tähän tarvitaan luku, mutta arvo on teksti 'lots'."]
    assert slots["name"].errors == ["Tämä kenttä on pakollinen."]
    page = response.content.decode()
    for typed in ("lots", "Kept as typed", "still here"):
        assert typed in page
    assert _version_count(cast.plan) == 1


def test_a_null_character_is_refused_before_it_reaches_the_database(cast: Cast) -> None:
    client = cast.client("lead")
    response = _submit(client, _url(cast.plan, "general"), {"title": "Plan\x00"})
    assert response.status_code == 400
    assert response.context["page"].slots["title"].errors == ["Null characters are not allowed."]
    form = _posted(client.get(_url(cast.plan, "general")).context["page"].form)
    live = client.post(_url(cast.plan, "general", "check/"), {**form, "title": "\x00"})
    assert live.context["page"].slots["title"].errors == ["Null characters are not allowed."]
    assert _version_count(cast.plan) == 1


def test_a_value_out_of_range_is_reported_by_the_model(cast: Cast) -> None:
    response = _submit(cast.client("lead"), _url(cast.plan, "channels.0"),
                       {"marketing_share": "1.5", "cadence__per": ""})
    assert response.status_code == 400
    slots = response.context["page"].slots
    assert slots["marketing_share"].errors == ["The value 1.5 is out of range (≤ 1.0)."]
    assert slots["cadence__per"].errors == ["This field is required."]


# --- live checks -------------------------------------------------------------------------------

def test_the_editor_asks_for_live_checks_without_inline_scripts(cast: Cast) -> None:
    page = cast.client("lead").get(_url(cast.plan, "channels.0")).content.decode()
    assert f'hx-post="{_url(cast.plan, "channels.0", "check/")}"' in page
    assert 'hx-trigger="change, keyup changed delay:500ms' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\sstyle=", page)
    assert 'id="live-marketing_share"' in page


def test_the_live_check_puts_findings_next_to_their_field_and_saves_nothing(
        cast: Cast) -> None:
    client = cast.client("lead")
    form = _posted(client.get(_url(cast.plan, "channels.0")).context["page"].form)
    shown = client.get(_url(cast.plan, "channels.0")).context["page"].slots
    assert [f.rule for f in shown["marketing_share"].findings] == ["marketing-ratio"]
    response = client.post(_url(cast.plan, "channels.0", "check/"),
                           {**form, "marketing_share": "0.05", "owner": ""})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.slots["marketing_share"].findings == []
    assert [f.rule for f in page.slots["owner"].findings] == ["channel-owner"]
    html = response.content.decode()
    assert 'id="live-marketing_share" hx-swap-oob="true"' in html
    assert 'id="live-summary"' in html
    assert page.summary.whole["error"] == 1
    assert _version_count(cast.plan) == 1


def test_the_live_check_refreshes_the_lists_inside_an_item(cast: Cast) -> None:
    client = cast.client("lead")
    form = _posted(client.get(_url(cast.plan, "goals.0")).context["page"].form)
    response = client.post(_url(cast.plan, "goals.0", "check/"), {**form, "title": "Listen"})
    html = response.content.decode()
    assert 'id="live-list-kpis" hx-swap-oob="true"' in html
    assert _url(cast.plan, "goals.0.kpis.0") in html
    assert [p.label for p in response.context["page"].lists] == ["Measures (KPIs)"]


def test_the_live_check_speaks_the_users_language(cast: Cast) -> None:
    client = cast.client("lead")
    client.cookies["django_language"] = "sv"
    form = _posted(client.get(_url(cast.plan, "channels.0")).context["page"].form)
    response = client.post(_url(cast.plan, "channels.0", "check/"), {**form, "owner": ""})
    [finding] = response.context["page"].slots["owner"].findings
    assert finding.message == check(_latest_plan(cast.plan).model_copy(
        update={"channels": [_latest_plan(cast.plan).channels[0].model_copy(
            update={"owner": None})]}), lang="sv", only=["channel-owner"])[0].message
    assert finding.message != "Channel '@kuuraoutdoors on Instagram' has no owner."


def test_the_live_check_shows_bad_values_and_checks_the_rest(cast: Cast) -> None:
    client = cast.client("lead")
    form = _posted(client.get(_url(cast.plan, "channels.0")).context["page"].form)
    response = client.post(_url(cast.plan, "channels.0", "check/"),
                           {**form, "cadence__posts": "-1", "marketing_share": "0.05"})
    page = response.context["page"]
    assert page.summary.invalid
    assert page.slots["cadence__posts"].errors == ["The value -1 is out of range (> 0.0)."]
    assert page.slots["marketing_share"].findings == []


def test_the_live_check_of_a_new_item(cast: Cast) -> None:
    response = cast.client("lead").post(_url(cast.plan, "channels", "new/check/"),
                                        {"name": "Threads", "network": "threads"})
    page = response.context["page"]
    assert page.node.path == ("channels", len(_latest_plan(cast.plan).channels))
    assert [f.rule for f in page.slots["owner"].findings] == ["channel-owner"]
    assert _version_count(cast.plan) == 1


# --- the wizard -------------------------------------------------------------------------------

def test_a_lead_starts_a_plan_from_the_wizards_questions(cast: Cast) -> None:
    client = cast.client("lead")
    form = client.get("/o/acme/new-plan/").context["form"]
    assert form["organization"].value() == "Acme"
    response = client.post("/o/acme/new-plan/", {**_posted(form),
        "title": "Acme social media plan", "language": "en", "timezone": "Europe/Helsinki",
        "organization": "Acme", "organization_kind": "company", "who": "Hikers",
        "owner_name": "Leo Lead", "owner_email": "lead@example.org",
        "audiences__0__name": "Hikers", "audiences__0__kind": "customers",
        "audiences__0__scope": "external", "audiences__0__online": "instagram\nfacebook",
        "goal__title": "Answer within a day", "goal__objective": "listen",
        "goal__scope": "external",
        "channels__0__name": "Acme on Instagram", "channels__0__network": "instagram",
        "channels__0__purpose": "Show the trails.", "channels__0__posts_per_week": "3",
        "channels__0__audiences": "Hikers",
    })
    assert response.status_code == 302
    document = PlanDocument.objects.get(organization=cast.organization,
                                        title="Acme social media plan")
    assert response["Location"] == _url(document)
    plan = load_text(document.latest().text).plan
    assert [a.online for a in plan.audiences] == [["instagram", "facebook"]]
    assert plan.channels[0].audiences == ["hikers"]
    assert plan.channels[0].owner == plan.goals[0].owner == "leo-lead"
    assert "# The four questions" in document.latest().text


def test_the_wizard_reports_bad_answers_next_to_them(cast: Cast) -> None:
    client = cast.client("owner")
    response = client.post("/o/acme/new-plan/", {
        **_posted(client.get("/o/acme/new-plan/").context["form"]),
        "title": "", "timezone": "Mars/Olympus", "organization": "Acme", "owner_name": "O",
        "channels__0__name": "Somewhere", "channels__0__network": "x",
        "channels__0__purpose": "Talk.", "channels__0__audiences": "Nobody",
        "channels__0__posts_per_week": "often"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["title"] == ["This field is required."]
    assert errors["timezone"] == ["'Mars/Olympus' is not a time zone name such as "
                                  "Europe/Helsinki"]
    assert errors["channels__0__posts_per_week"] == ["Expected a number, got the text 'often'."]
    assert "not among the audiences" in errors["__all__"][0]
    assert "Mars/Olympus" in response.content.decode()
    assert PlanDocument.objects.filter(organization=cast.organization).count() == 1


# --- round trip -------------------------------------------------------------------------------

def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def test_a_plan_edited_in_the_browser_exports_and_checks_unchanged(
        cast: Cast, tmp_path: Path) -> None:
    """GIVEN the example plan WHEN a lead edits it in the browser and exports its YAML
    THEN the file keeps every comment, holds the edit, and `kanava plan check` agrees."""
    original = cast.plan.latest().text
    client = cast.client("lead")
    _submit(client, _url(cast.plan, "channels.0"), {"marketing_share": "0.05"})
    _submit(client, _url(cast.plan, "goals.0.kpis.0"), {"target": "81"})
    response = client.get(f"/o/acme/plans/{cast.plan.slug}/v3/export.yaml")
    assert response.status_code == 200
    exported = response.content.decode()

    assert _comments(exported) == _comments(original)
    loaded = load_text(exported)
    assert loaded.plan.channels[0].marketing_share == 0.05
    assert loaded.plan.goals[0].kpis[0].target == 81
    assert len([d for d in difflib.ndiff(original.splitlines(), exported.splitlines())
                if d.startswith("+")]) == 2

    path = tmp_path / "plan.yaml"
    path.write_text(exported, encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", "check", str(path), "--format", "json",
                                      "--lang", "en"])
    reported = [f["rule"] for f in json.loads(result.stdout)["findings"]]
    assert reported == [f.rule for f in check(loaded, lang="en")]
    assert "marketing-ratio" not in reported
    assert result.exit_code == (1 if any(f.severity == "error" for f in check(loaded)) else 0)

    upload = SimpleUploadedFile("plan.yaml", exported.encode())
    imported = client.post("/o/acme/plans/import/", {"file": upload})
    assert imported.status_code == 302
    copy = PlanDocument.objects.exclude(pk=cast.plan.pk).get(organization=cast.organization)
    assert copy.latest().text == exported


def test_a_plan_saved_outside_the_browser_is_edited_as_it_is(cast: Cast) -> None:
    """The other way round: a version saved as a file keeps its new comment through edits."""
    text = cast.plan.latest().text.replace("people:\n", "people:\n  # Added in git.\n", 1)
    do_save_version(cast.plan, cast.users["owner"], text, "from git")
    _submit(cast.client("lead"), _url(cast.plan, "general"), {"version": "3.2"})
    saved = cast.plan.latest().text
    assert "  # Added in git.\n" in saved
    assert load_text(saved).plan.version == "3.2"


# --- untrusted text ---------------------------------------------------------------------------

TEXT_KINDS = {"text", "longtext", "lines", "date_or_text"}


def test_script_in_every_text_field_is_escaped_everywhere(cast: Cast, full: PlanDocument) -> None:
    """GIVEN a script typed into every text field of the plan through the forms
    THEN no page shows it raw: the editor, the plan page and the organization's home."""
    client = cast.client("lead")
    plan = _latest_plan(full)
    typed = 0
    for node in _pages(plan):
        url = _url(full, node.where)
        form = client.get(url).context["page"].form
        changes = {spec.name: PAYLOAD for spec in editing.flatten(form.specs)
                   if spec.kind in TEXT_KINDS and spec.field != "currency"}
        typed += len(changes)
        response = _submit(client, url, changes)
        assert response.status_code == 302, (node.where, response.context["page"].slots)
    assert typed > 90
    stored = plan_data(_latest_plan(full))
    assert json.dumps(stored, default=str).count(PAYLOAD) == typed

    pages = [_url(full), f"/o/acme/plans/{full.slug}/", "/o/acme/", "/o/acme/plans/",
             *(_url(full, node.where) for node in _pages(_latest_plan(full))),
             *(_url(full, section.where) for section in editing.sections())]
    for address in pages:
        html = client.get(address).content.decode()
        assert PAYLOAD not in html, address
    for address in (f"/o/acme/plans/{full.slug}/", "/o/acme/", _url(full, "channels.0")):
        assert ESCAPED in client.get(address).content.decode(), address
    form = _posted(client.get(_url(full, "channels.0")).context["page"].form)
    live = client.post(_url(full, "channels.0", "check/"), form).content.decode()
    assert PAYLOAD not in live
