"""``kanava plan …``: check, render, start and describe plan files."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kanava.i18n import N_, default_language, gettext, normalize
from kanava.plans.loader import PlanLoadError, load_plan
from kanava.plans.rules import RULES, check, counts
from kanava.plans.schema import schema_text

app = typer.Typer(help="Work with plan files.", no_args_is_help=True)

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


class Format(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    en = "en"
    fi = "fi"
    nb = "nb"
    sv = "sv"


LangOption = Annotated[
    Lang | None,
    typer.Option("--lang", help="Language of messages (default: KANAVA_LANG or the locale)."),
]


def _lang(lang: Lang | None) -> str:
    return lang.value if lang else default_language()


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def report_load_error(error: PlanLoadError) -> None:
    """Print every problem as FILE:LINE:COL: message, on stderr."""
    for problem in error.problems:
        typer.echo(str(problem), err=True)


@app.command("check")
def check_command(
    file: Annotated[Path, typer.Argument(help="The plan file (YAML or JSON).")],
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    lang: LangOption = None,
) -> None:
    """Check a plan against the seed rules. Exit 0: no errors, 1: errors, 2: unreadable."""
    language = _lang(lang)
    try:
        loaded = load_plan(file, language)
    except PlanLoadError as error:
        report_load_error(error)
        raise typer.Exit(EXIT_UNREADABLE) from None
    findings = check(loaded, lang=language)
    if fmt is Format.json:
        typer.echo(json.dumps({"file": str(file),
                               "findings": [f.as_dict() for f in findings]},
                              ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            severity = gettext(SEVERITY_NAMES[finding.severity], language)
            typer.echo(f"{file}:{finding.line or 0}:{finding.column or 0}: {severity} "
                       f"[{finding.rule}] {finding.message} ({finding.path})")
        tally = counts(findings)
        typer.echo(gettext(N_("{errors} errors, {warnings} warnings, {infos} notes."), language,
                           errors=tally["error"], warnings=tally["warning"],
                           infos=tally["info"]), err=True)
    raise typer.Exit(EXIT_FINDINGS if counts(findings)["error"] else EXIT_OK)


SEVERITY_NAMES = {"error": N_("error"), "warning": N_("warning"), "info": N_("note")}


@app.command("rules")
def rules_command(
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    lang: LangOption = None,
) -> None:
    """List every rule with its id, severity and a one-line description."""
    language = _lang(lang)
    rows = [{"id": r.id, "severity": r.severity, "description": r.describe(language)}
            for r in RULES.values()]
    if fmt is Format.json:
        typer.echo(json.dumps({"rules": rows}, ensure_ascii=False, indent=2))
        return
    width = max(len(r["id"]) for r in rows)
    for row in rows:
        typer.echo(f"{row['id']:<{width}}  {row['severity']:<7}  {row['description']}")


@app.command("schema")
def schema_command() -> None:
    """Print the plan file's JSON Schema (for yaml-language-server and other editors)."""
    sys.stdout.write(schema_text())


def normalized_lang(lang: Lang | None, fallback: str) -> str:
    return lang.value if lang else normalize(fallback)
