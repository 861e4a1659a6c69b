"""The example plans in examples/: they load, survive a round trip, and the check finds
exactly the gaps each example was written to show."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kanava.cli.main import app
from kanava.plans.loader import dump_text, load_plan
from kanava.plans.model import Plan
from kanava.plans.rules import check
from tests.conftest import TODAY

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCHEMA_LINE = "# yaml-language-server: $schema=../docs/plan.schema.json\n"

#: What `check` reports on each example: (rule, severity, path). Each one is a gap the
#: example keeps on purpose, and a comment in the file says so. A change in a rule that
#: alters these shows up here.
EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    "fi-kunta.yaml": [
        ("goal-measure", "warning", "goals[1].kpis[2]"),
        ("channel-resources", "warning", "channels[3]"),
    ],
    "nb-husbanken.yaml": [
        ("benchmark", "info", "benchmarks"),
        ("channel-cadence", "warning", "channels[3]"),
    ],
    "en-company.yaml": [
        ("marketing-ratio", "error", "channels[0].marketing_share"),
        ("channel-resources", "warning", "resources.hours_per_week"),
    ],
}
EXIT_CODES = {"fi-kunta.yaml": 0, "nb-husbanken.yaml": 0, "en-company.yaml": 1}
LANGUAGES = {"fi-kunta.yaml": "fi", "nb-husbanken.yaml": "nb", "en-company.yaml": "en"}
#: Sections an example leaves out on purpose (the seed it follows is silent on them).
LEFT_OUT = {"nb-husbanken.yaml": {"benchmarks"}}

FILES = sorted(p.name for p in EXAMPLES.glob("*.yaml"))
runner = CliRunner()


def test_every_example_has_its_expected_findings_listed() -> None:
    assert sorted(EXPECTED) == FILES


@pytest.mark.parametrize("name", FILES)
def test_it_loads_in_its_own_language(name: str) -> None:
    plan = load_plan(EXAMPLES / name).plan
    assert plan.language == LANGUAGES[name]


@pytest.mark.parametrize("name", FILES)
def test_it_starts_with_the_schema_comment(name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_LINE)


@pytest.mark.parametrize("name", FILES)
def test_it_round_trips_byte_for_byte(name: str) -> None:
    path = EXAMPLES / name
    assert dump_text(load_plan(path)) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", FILES)
def test_it_fills_every_section_of_the_plan(name: str) -> None:
    plan = load_plan(EXAMPLES / name).plan
    missing = set(Plan.model_fields) - plan.model_fields_set
    assert missing == LEFT_OUT.get(name, set())


@pytest.mark.parametrize("name", FILES)
def test_check_finds_exactly_the_gaps_the_example_keeps(name: str) -> None:
    findings = check(load_plan(EXAMPLES / name), today=TODAY)
    found = sorted((f.rule, f.severity, f.path) for f in findings)
    assert found == sorted(EXPECTED[name])


@pytest.mark.parametrize("name", FILES)
def test_each_kept_gap_is_explained_in_a_comment(name: str) -> None:
    lines = (EXAMPLES / name).read_text(encoding="utf-8").splitlines()
    comments = "\n".join(line for line in lines if line.lstrip().startswith("#"))
    for rule_id, _, _ in EXPECTED[name]:
        assert f"({rule_id})" in comments, rule_id


@pytest.mark.parametrize("name", FILES)
def test_the_cli_exit_code_says_whether_there_are_errors(name: str) -> None:
    result = runner.invoke(app, ["plan", "check", str(EXAMPLES / name)])
    assert result.exit_code == EXIT_CODES[name], result.output
