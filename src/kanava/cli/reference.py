"""The command reference (docs/cli.md), generated from the command itself."""

from __future__ import annotations

import enum
import sys
from typing import Any

import typer

from kanava.cli.main import app
from kanava.plans.rules import RULES


def _commands(group: Any, prefix: str) -> list[tuple[str, Any]]:
    """Every leaf command under ``group`` with its full name (duck-typed click objects)."""
    out: list[tuple[str, Any]] = []
    context = type(group).context_class(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is None or command.hidden:
            continue
        full = f"{prefix} {name}"
        if hasattr(command, "list_commands"):
            out.extend(_commands(command, full))
        else:
            out.append((full, command))
    return out


def _choices(param: Any) -> str:
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return f" One of: {', '.join(str(m.value) for m in annotation)}."
    return ""


def _parameter_rows(command: Any) -> list[str]:
    rows = []
    for param in command.params:
        if param.name == "help":
            continue
        is_argument = type(param).__name__.endswith("Argument")
        name = param.name.upper() if is_argument else ", ".join(param.opts)
        default = param.default
        if isinstance(default, enum.Enum):
            default = default.value
        shown = f" Default: `{default}`." if default not in (None, False, ()) else ""
        text = f"{(param.help or '').strip()}{_choices(param)}{shown}"
        rows.append(f"| `{name}` | {text.strip()} |")
    return rows


def cli_markdown() -> str:
    """Markdown reference of every `kanava` command."""
    root = typer.main.get_command(app)
    lines = ["# The `kanava` command", "",
             "Generated from the command by `make docs`; a test fails when it drifts.", ""]
    for name, command in _commands(root, "kanava"):
        lines += [f"## `{name}`", "", (command.help or "").strip(), ""]
        rows = _parameter_rows(command)
        if rows:
            lines += ["| argument or option | meaning |", "|---|---|", *rows, ""]
    return "\n".join(lines).rstrip() + "\n"


def rules_markdown() -> str:
    """Markdown table of every rule of `kanava plan check`."""
    lines = ["# Rules of `kanava plan check`", "",
             "Generated from the rule registry by `make docs`; a test fails when it drifts.",
             "Every rule's message exists in English, Finnish, Norwegian Bokmål and Swedish;",
             "`kanava plan rules --lang fi` lists them in Finnish.", "",
             "`error` findings make `kanava plan check` exit with 1; `warning` and `info` do not.",
             "", "| id | severity | what it checks |", "|---|---|---|"]
    lines += [f"| `{r.id}` | {r.severity} | {r.description} |" for r in RULES.values()]
    return "\n".join(lines) + "\n"


def checks_markdown() -> str:
    """Markdown table of every check a post passes before it is published."""
    from kanava.publishing.checks import CHECKS

    lines = ["# Checks before publishing", "",
             "Generated from the check registry by `make docs`; a test fails when it drifts.",
             "Every post variant is checked while it is written and again before it goes out;",
             "an `error` blocks approval and publishing, a `warning` is shown to the author and",
             "the approver. Messages exist in English, Finnish, Norwegian Bokmål and Swedish.",
             "", "| id | severity | what it checks |", "|---|---|---|"]
    lines += [f"| `{c.id}` | {c.severity} | {c.description} |" for c in CHECKS.values()]
    return "\n".join(lines) + "\n"


GENERATORS = {"cli": cli_markdown, "rules": rules_markdown, "checks": checks_markdown}

if __name__ == "__main__":  # pragma: no cover
    which = sys.argv[1] if len(sys.argv) > 1 else "cli"
    print(GENERATORS[which](), end="")
