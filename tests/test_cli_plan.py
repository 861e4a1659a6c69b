"""The contract of `kanava plan check`, `kanava plan rules` and `kanava plan schema`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from kanava.cli.main import app
from kanava.plans.rules import RULES
from tests.conftest import GOOD_PLAN

runner = CliRunner()


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "plan.yaml"
    with path.open("w", encoding="utf-8") as handle:
        YAML().dump(data, handle)
    return path


def test_a_good_plan_exits_0(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_PLAN)
    result = runner.invoke(app, ["plan", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "Errors: 0, warnings: 0, notes: 0." in result.output


def test_an_error_finding_exits_1_with_file_line_and_rule(tmp_path: Path) -> None:
    data = json.loads(json.dumps(GOOD_PLAN))
    data["channels"][0]["owner"] = "nobody"
    path = _write(tmp_path, data)
    result = runner.invoke(app, ["plan", "check", str(path)])
    assert result.exit_code == 1
    [line] = [ln for ln in result.output.splitlines() if "[ref-unknown]" in ln]
    assert line.startswith(f"{path}:")
    assert "error [ref-unknown] 'nobody' is not a person" in line
    assert line.endswith("(channels[0].owner)")


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    data = json.loads(json.dumps(GOOD_PLAN))
    data["benchmarks"] = []
    result = runner.invoke(app, ["plan", "check", str(_write(tmp_path, data))])
    assert result.exit_code == 0
    assert "[benchmark]" in result.output


def test_json_output_has_the_contracted_fields(tmp_path: Path) -> None:
    data = json.loads(json.dumps(GOOD_PLAN))
    data["channels"][0]["marketing_share"] = 0.5
    result = runner.invoke(app, ["plan", "check", str(_write(tmp_path, data)),
                                 "--format", "json"])
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert set(finding) >= {"rule", "severity", "path", "line", "message"}
    assert finding["rule"] == "marketing-ratio"
    assert finding["severity"] == "error"
    assert finding["path"] == "channels[0].marketing_share"
    assert isinstance(finding["line"], int)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: [\n", ":2:1: Invalid YAML"),
        ("title: Plan\norganization:\n  name: O\n  nmae: x\n",
         ":4:3: Unknown key 'nmae'; did you mean 'name'?"),
        ("title: 5\norganization:\n  name: O\n", ":1:8: Expected text, got the number 5."),
    ],
)
def test_an_unreadable_plan_exits_2_with_file_line_col(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["plan", "check", str(path)])
    assert result.exit_code == 2
    assert f"{path}{expected}" in result.output


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", "check", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "Cannot read the file" in result.output


def test_rules_lists_every_rule_as_json() -> None:
    result = runner.invoke(app, ["plan", "rules", "--format", "json"])
    assert result.exit_code == 0
    rules = json.loads(result.stdout)["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    assert all(r["severity"] and r["description"] for r in rules)


def test_rules_as_text_has_one_line_per_rule() -> None:
    result = runner.invoke(app, ["plan", "rules"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == len(RULES)


def test_schema_is_json_schema_of_the_plan() -> None:
    result = runner.invoke(app, ["plan", "schema"])
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "channels" in schema["properties"]
    assert schema["additionalProperties"] is False
