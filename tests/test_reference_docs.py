"""The generated command and rule references match the code (run `make docs` to update)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kanava.cli.reference import checks_markdown, cli_markdown, rules_markdown
from kanava.plans.rules import RULES

DOCS = Path(__file__).parents[1] / "docs"


@pytest.mark.parametrize(("name", "generate"), [("cli.md", cli_markdown),
                                                ("rules.md", rules_markdown),
                                                ("publishing-checks.md", checks_markdown)])
def test_the_committed_reference_is_current(name: str, generate: object) -> None:
    assert callable(generate)
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == generate(), f"docs/{name} is out of date: run `make docs`"


def test_every_rule_is_in_the_rules_reference() -> None:
    text = rules_markdown()
    assert all(f"`{rule_id}`" in text for rule_id in RULES)


def test_every_plan_command_is_in_the_cli_reference() -> None:
    text = cli_markdown()
    for command in ("check", "rules", "schema"):
        assert f"## `kanava plan {command}`" in text
