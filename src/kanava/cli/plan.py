"""``kanava plan …``: check, render, start and describe plan files."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kanava.i18n import N_, default_language, gettext, normalize
from kanava.plans import wizard
from kanava.plans.loader import LoadedPlan, PlanLoadError, load_plan
from kanava.plans.rules import RULES, check, counts
from kanava.plans.schema import SCHEMA_FILE, schema_text

app = typer.Typer(help="Work with plan files.", no_args_is_help=True)

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


class Format(StrEnum):
    text = "text"
    json = "json"


class Lang(StrEnum):
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


def load_or_exit(file: Path, language: str) -> LoadedPlan:
    """The plan in ``file``, or every problem printed and exit status 2."""
    try:
        return load_plan(file, language)
    except PlanLoadError as error:
        report_load_error(error)
        raise typer.Exit(EXIT_UNREADABLE) from None


@app.command("check")
def check_command(
    file: Annotated[Path, typer.Argument(help="The plan file (YAML or JSON).")],
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    lang: LangOption = None,
) -> None:
    """Check a plan against the seed rules. Exit 0: no errors, 1: errors, 2: unreadable."""
    language = _lang(lang)
    loaded = load_or_exit(file, language)
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
        typer.echo(gettext(N_("Errors: {errors}, warnings: {warnings}, notes: {infos}."), language,
                           errors=tally["error"], warnings=tally["warning"],
                           infos=tally["info"]))
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
    names = {key: gettext(name, language) for key, name in SEVERITY_NAMES.items()}
    severity_width = max(len(name) for name in names.values())
    for row in rows:
        severity = names[row["severity"]]
        typer.echo(f"{row['id']:<{width}}  {severity:<{severity_width}}  {row['description']}")


@app.command("schema")
def schema_command() -> None:
    """Print the plan file's JSON Schema (for yaml-language-server and other editors)."""
    sys.stdout.write(schema_text())


def normalized_lang(lang: Lang | None, fallback: str) -> str:
    return lang.value if lang else normalize(fallback)


# --- kanava plan new ----------------------------------------------------------------

@app.command("new")
def new_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the plan.")] = (
        Path("plan.yaml")),
    answers: Annotated[Path | None, typer.Option(
        "--answers", help="Answer the questions from this YAML or JSON file instead of asking."
    )] = None,
    lang: LangOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Start a plan: answer a few questions and get a valid, commented starter plan."""
    language = _lang(lang)
    if output.exists() and not force:
        typer.echo(gettext(N_("{file} exists already; use --force to overwrite it."), language,
                           file=output), err=True)
        raise typer.Exit(EXIT_UNREADABLE)
    try:
        given = (_read_answers(answers, language) if answers else
                 wizard.ask(_typer_prompt, language, _WizardConsole(), language))
        output.write_text(wizard.starter_plan(given), encoding="utf-8")
        schema = output.parent / SCHEMA_FILE
        if not schema.exists():
            schema.write_text(schema_text(), encoding="utf-8")
    except wizard.WizardError as error:
        for problem in error.problems:
            typer.echo(problem, err=True)
        raise typer.Exit(EXIT_UNREADABLE) from None
    except OSError as error:
        typer.echo(gettext(N_("Cannot write {file}: {reason}"), language, file=output,
                           reason=error.strerror or str(error)), err=True)
        raise typer.Exit(EXIT_UNREADABLE) from None
    typer.echo(gettext(N_("Wrote {file}. Next: fill in the empty fields, then run\n"
                          "  kanava plan check {file}\nand fix what it reports."),
                       language, file=output))


def _read_answers(path: Path, language: str) -> wizard.Answers:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise wizard.WizardError([gettext(N_("{file}: cannot read the answers: {reason}"),
                                          language, file=path, reason=str(error))]) from None
    return wizard.load_answers(text, str(path), language)


def _typer_prompt(question: str, default: str) -> str:
    return str(typer.prompt(question, default=default, show_default=bool(default)))


class _WizardConsole:
    """Shows the questionnaire's headings and problems with Rich."""

    def __init__(self) -> None:
        self.out = Console(highlight=False, soft_wrap=True)
        self.err = _stderr()

    def __call__(self, text: str, kind: str) -> None:
        if kind == "heading":
            self.out.print(f"\n{text}", style="bold", markup=False)
        elif kind == "problem":
            self.err.print(text, style="red", markup=False)
        else:
            self.out.print(text, markup=False)


# --- kanava plan render ---------------------------------------------------------------

class DocumentFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    md = "md"


@app.command("render")
def render_command(
    file: Annotated[Path, typer.Argument(help="The plan file (YAML or JSON).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the document.")],
    fmt: Annotated[DocumentFormat, typer.Option(
        "--format", help="html: one self-contained file; pdf: A4; md: GitHub Markdown."
    )] = DocumentFormat.html,
    lang: Annotated[Lang | None, typer.Option(
        "--lang", help="Language of the document (default: the plan's own language)."
    )] = None,
) -> None:
    """Render a plan as a short document to share. Exit 0: written, 2: unreadable or unwritable."""
    # Imported here: rendering pulls in Jinja and Babel, which `check` never needs.
    from kanava.plans.render import render_plan

    language = _lang(lang)
    loaded = load_or_exit(file, language)
    document = render_plan(loaded.plan, fmt.value, lang.value if lang else None)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(document)
    except OSError as error:
        typer.echo(gettext(N_("Cannot write {file}: {reason}"), language, file=output,
                           reason=error.strerror or str(error)), err=True)
        raise typer.Exit(EXIT_UNREADABLE) from None
    typer.echo(str(output))
