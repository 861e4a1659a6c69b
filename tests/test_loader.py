"""Loading plan files: every problem in one run, with line, column and field path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from kanava.plans.loader import (
    MAX_FILE_BYTES,
    PlanLoadError,
    Problem,
    dump_text,
    load_plan,
    load_text,
    save_plan,
)
from kanava.plans.model import Plan
from tests.conftest import GOOD_PLAN

MINIMAL = "title: Plan\norganization:\n  name: Org\n"


def _problems(text: str, **kwargs: Any) -> list[tuple[int | None, int | None, str, str]]:
    with pytest.raises(PlanLoadError) as caught:
        load_text(text, "plan.yaml", **kwargs)
    return [(p.line, p.column, ".".join(map(str, p.path)), p.message)
            for p in caught.value.problems]


def test_a_minimal_plan_loads() -> None:
    loaded = load_text(MINIMAL)
    assert loaded.plan.title == "Plan"
    assert loaded.plan.organization.name == "Org"


def test_every_problem_is_reported_in_one_run() -> None:
    text = """\
title: Plan
langauge: fi
organization:
  name: Org
  kind: town
goals:
  - id: g1
    title: 42
    kpis:
      - metric: followers
        deadline: 31.12.2026
channels:
  - id: Facebook Page
    name: FB
"""
    problems = _problems(text)
    assert problems == [
        (2, 1, "langauge", "Unknown key 'langauge'; did you mean 'language'?"),
        (5, 9, "organization.kind",
         "'town' is not allowed here; expected one of: company, municipality, agency, "
         "university, school, nonprofit, other."),
        (8, 12, "goals.0.title", "Expected text, got the number 42."),
        (11, 19, "goals.0.kpis.0.deadline",
         "Expected a date written as YYYY-MM-DD, got '31.12.2026'."),
        (13, 5, "channels.0.network", "The required field 'network' is missing."),
        (13, 9, "channels.0.id",
         "'Facebook Page' is not a valid id: use lower-case letters, digits, '-' and '_', "
         "starting with a letter or digit."),
    ]


def test_an_unknown_key_lists_what_is_allowed_when_nothing_is_close() -> None:
    [(_, _, path, message)] = _problems(MINIMAL + "  zzz: 1\n")
    assert path == "organization.zzz"
    assert message == "Unknown key 'zzz'. Allowed here: name, kind, website, mission."


def test_a_misspelt_value_gets_a_suggestion() -> None:
    text = MINIMAL + "channels:\n  - id: fb\n    name: FB\n    network: facebok\n"
    [(line, col, _, message)] = _problems(text)
    assert (line, col) == (7, 14)
    assert message == "'facebok' is not allowed here; did you mean 'facebook'?"


def test_a_yaml_syntax_error_has_its_line_and_column() -> None:
    [(line, col, path, message)] = _problems("title: Plan\norganization: [unclosed\n")
    assert line == 3
    assert col is not None
    assert path == ""
    assert message.startswith("Invalid YAML:")


def test_an_impossible_date_is_a_located_problem() -> None:
    [(line, col, path, message)] = _problems(MINIMAL + "review:\n  next: 2027-13-01\n")
    assert (line, col, path) == (5, 9, "review.next")
    assert message == "Expected a date written as YYYY-MM-DD, got '2027-13-01'."


def test_a_control_character_in_a_text_is_a_located_problem() -> None:
    [(line, _, path, message)] = _problems('title: "Nul\\0here"\norganization:\n  name: O\n')
    assert (line, path) == (1, "title")
    assert message == "The text contains a control character (such as NUL); remove it."


def test_a_duplicate_key_is_an_error() -> None:
    [(line, _, _, message)] = _problems("title: A\ntitle: B\norganization:\n  name: O\n")
    assert line == 2
    assert "duplicate key" in message


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    [(line, _, _, message)] = _problems("- just\n- a list\n")
    assert line == 1
    assert message == "A plan file must be a mapping of keys (such as 'title:'), not a list."


def test_messages_come_in_the_asked_language_when_translated() -> None:
    [(_, _, _, message)] = _problems(MINIMAL + "  zzz: 1\n", lang="fi")
    assert "zzz" in message


def test_an_alias_bomb_is_stopped() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    [(_, _, _, message)] = _problems("\n".join(lines) + "\n")
    assert "too many aliases" in message


def test_json_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(GOOD_PLAN), encoding="utf-8")
    assert load_plan(path).plan.title == GOOD_PLAN["title"]


def test_a_json_error_has_its_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{\n  "title": "Plan",\n  "organization": {"name": "Org"},\n  "x": 1\n}\n')
    with pytest.raises(PlanLoadError) as caught:
        load_plan(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), 4, 3)


def test_a_utf8_bom_is_fine_and_latin1_is_pointed_at(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes("\ufeff".encode() + MINIMAL.encode())
    assert load_plan(path).plan.title == "Plan"
    path.write_bytes(MINIMAL.replace("Org", "Järvelä").encode("latin-1"))
    with pytest.raises(PlanLoadError) as caught:
        load_plan(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (3, 10)
    assert "not UTF-8" in problem.message


def test_a_missing_or_huge_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PlanLoadError, match="Cannot read the file"):
        load_plan(tmp_path / "nothing.yaml")
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(PlanLoadError, match="too large"):
        load_plan(huge)


def test_an_overlong_text_is_refused() -> None:
    [(_, _, path, message)] = _problems(MINIMAL.replace("title: Plan", "title: " + "x" * 600))
    assert path == "title"
    assert message == "The text is too long: at most 500 characters are allowed."


# --- round trip -------------------------------------------------------------------------

COMMENTED = """\
# Our plan. Comments must survive saving.
title: Plan   # the name on the cover
language: fi
organization:
  # who we are
  name: Org
  kind: municipality
channels:
  - id: fb      # the main channel
    name: Facebook
    network: facebook
    cadence: {posts: 3, per: week}
    purpose: |
      Dialogue with residents.
      Two lines kept as written.
"""


def test_saving_an_unchanged_plan_gives_the_same_text() -> None:
    assert dump_text(load_text(COMMENTED)) == COMMENTED


def test_saving_a_change_keeps_comments_and_key_order() -> None:
    loaded = load_text(COMMENTED)
    loaded.plan.title = "Better plan"
    loaded.plan.channels[0].name = "Facebook page"
    assert dump_text(loaded) == COMMENTED.replace("title: Plan  ", "title: Better plan").replace(
        "name: Facebook", "name: Facebook page")


def test_saving_adds_new_fields_and_drops_removed_ones() -> None:
    loaded = load_text(COMMENTED)
    loaded.plan.summary = "Short."
    loaded.plan.channels[0].cadence = None
    text = dump_text(loaded)
    assert "summary: Short." in text
    assert "# the main channel" in text
    reloaded = load_text(text).plan
    assert reloaded.summary == "Short."
    assert reloaded.channels[0].cadence is None


def test_save_and_load_agree_for_yaml_and_json(tmp_path: Path) -> None:
    plan = Plan.model_validate(GOOD_PLAN)
    for name in ("plan.yaml", "plan.json"):
        save_plan(plan, tmp_path / name)
        assert load_plan(tmp_path / name).plan == plan


# --- the loader never fails in any other way --------------------------------------------

@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=400))
def test_any_text_loads_or_gives_problems(text: str) -> None:
    try:
        load_text(text)
    except PlanLoadError as error:
        problems = error.problems
    else:
        problems = [Problem("loaded")]
    assert problems
    assert all(p.message for p in problems)


_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(
    max_size=20) | st.dates()
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["id", "name", "title", "network", "owner", "posts", "per", "x"]), inner,
    max_size=4), max_leaves=20)
_KEYS = ("title", "organization", "channels", "goals", "people", "review", "language",
         "audiences", "bogus")
_plans = st.fixed_dictionaries({}, optional=dict.fromkeys(_KEYS, _values))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_plans)
def test_any_structure_loads_or_gives_located_problems(data: dict[str, Any]) -> None:
    import io

    buffer = io.StringIO()
    YAML().dump(data, buffer)
    try:
        load_text(buffer.getvalue())
    except PlanLoadError as error:
        for problem in error.problems:
            assert problem.message
            assert problem.line is not None
