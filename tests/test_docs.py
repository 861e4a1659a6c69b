"""The plan-file reference and the JSON Schema are generated and cannot drift."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from kanava.plans.docs import EXAMPLE, fields, models, reference_markdown, type_text
from kanava.plans.loader import load_text, parse_text, to_plain
from kanava.plans.model import Plan
from kanava.plans.rules import check
from kanava.plans.schema import json_schema, schema_text
from kanava.plans.wizard import Answers, starter_plan

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def iso_dates(value: Any) -> Any:
    """YAML dates as the ISO strings JSON Schema expects."""
    if isinstance(value, dict):
        return {key: iso_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [iso_dates(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def schema_errors(text: str) -> list[str]:
    validator = Draft202012Validator(json_schema())
    data = iso_dates(to_plain(parse_text(text)))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(data)]


def test_every_field_of_the_plan_has_a_description() -> None:
    undocumented = [f"{model.__name__}.{name}" for model, name, info in fields()
                    if not (info.description or "").strip()]
    assert not undocumented, f"fields without a description: {', '.join(undocumented)}"


def test_every_section_has_a_docstring() -> None:
    missing = [model.__name__ for model in models() if not (model.__doc__ or "").strip()]
    assert not missing, f"sections without a docstring: {', '.join(missing)}"


def test_the_reference_names_every_field_of_every_section() -> None:
    text = reference_markdown()
    for model, name, _ in fields():
        assert f"## {model.__name__}\n" in text
        assert f"| `{name}` |" in text, f"{model.__name__}.{name} is not in the reference"


def test_plan_comes_first_and_nested_sections_follow_their_parent() -> None:
    order = [model.__name__ for model in models()]
    assert order[0] == "Plan"
    assert order.index("Kpi") == order.index("Goal") + 1
    assert models()[next(m for m in models() if m.__name__ == "Budget")] == [
        "channels[].budget", "resources.budget"]


@pytest.mark.parametrize(("annotation", "expected"), [
    (Plan.model_fields["language"].annotation, "one of: `en`, `fi`, `nb`, `nn`, `sv`"),
    (Plan.model_fields["channels"].annotation, "list of [Channel](#channel)"),
    (Plan.model_fields["kanava"].annotation, "always `1`"),
])
def test_types_are_named_for_people(annotation: Any, expected: str) -> None:
    assert type_text(annotation) == expected


def test_ids_dates_and_bounded_numbers_read_as_such() -> None:
    text = reference_markdown()
    assert "| `id` | id | **required** |" in text
    assert "| `deadline` | date (YYYY-MM-DD) | optional |" in text
    assert "| `marketing_share` | number (≥ 0, ≤ 1) | optional |" in text


def test_the_example_in_the_reference_is_a_plan_without_errors() -> None:
    findings = check(load_text(EXAMPLE), lang="en")
    assert [f for f in findings if f.severity == "error"] == []


def test_the_committed_reference_is_current() -> None:
    committed = (DOCS / "plan-reference.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), (
        "docs/plan-reference.md is out of date: run `make docs`")


def test_the_committed_schema_is_current() -> None:
    committed = (DOCS / "plan.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "docs/plan.schema.json is out of date: run `make docs`"
    assert json.loads(committed)["$schema"].endswith("2020-12/schema")


def test_the_schema_is_valid_json_schema() -> None:
    Draft202012Validator.check_schema(json_schema())


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_the_schema_accepts_every_example(path: Path) -> None:
    assert schema_errors(path.read_text(encoding="utf-8")) == []


def test_the_schema_accepts_the_reference_example_and_a_starter_plan() -> None:
    answers = Answers(title="Plan", organization="Org", owner_name="Anna Virtanen")
    assert schema_errors(EXAMPLE) == []
    assert schema_errors(starter_plan(answers)) == []


def test_the_schema_refuses_what_the_model_refuses() -> None:
    assert schema_errors("kanava: 1\ntitle: T\norganization: {name: O}\nbogus: 1\n")
    assert schema_errors("kanava: 1\ntitle: T\norganization: {name: O}\n"
                         "people: [{id: Not An Id, name: X}]\n")
