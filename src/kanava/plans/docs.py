"""The plan-file reference (docs/plan-reference.md), generated from the plan model.

``python -m kanava.plans.docs > docs/plan-reference.md`` (``make docs``) writes it; a
test fails when the committed file differs from :func:`reference_markdown`, and when a
field of the model has no description, so the reference cannot drift from the code.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import sys
import types
import typing
from collections.abc import Iterator
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from kanava.plans.loader import ID_PATTERN
from kanava.plans.model import Plan
from kanava.plans.schema import SCHEMA_FILE

#: Texts up to this many characters are "short text" in the reference.
SHORT_TEXT = 500

INTRO = f"""\
# Plan file reference

<!-- Generated from src/kanava/plans/model.py by `make docs`; do not edit by hand. -->

A plan file is a YAML document (JSON works too). Its top level is a [Plan](#plan); this
page lists every key a plan may hold, section by section: its type, whether it is
required, and what it means.

- **Unknown keys are errors**, reported with the line and a "did you mean", so a typo
  never passes silently. Keys left out take their default.
- **People, audiences, goals, channels and themes have an `id`**: lower-case letters,
  digits, `-` and `_`. Other parts of the plan refer to them by it, and the
  `ref-unknown` rule reports an id that does not exist.
- This page describes the *shape* of a plan. Whether a plan is *good* — every channel
  has its own goal and an owner, at most one message in twelve is marketing — is
  decided by the rules: `kanava plan rules` lists them and `kanava plan check FILE`
  applies them.
- `kanava plan new` writes a commented starter plan and the schema beside it. For
  completion and checking while you type, the first line of the plan names the schema
  (editors with yaml-language-server read it; the path is relative to the plan). The
  schema is also in `docs/plan.schema.json` and printed by `kanava plan schema`:

  ```yaml
  # yaml-language-server: $schema={SCHEMA_FILE}
  ```
"""

EXAMPLE = f"""\
# yaml-language-server: $schema={SCHEMA_FILE}
kanava: 1
title: Social media plan 2026
language: en
organization:
  name: City of Example
  kind: municipality
questions:
  who: Residents, local businesses and our own staff.
  what: Residents find the services they need and talk with us.
  how: We answer every question within a day and show the work behind the services.
  tools: Facebook, Instagram and the intranet.
people:
  - id: anna
    name: Anna Virtanen
    role: Communications lead
audiences:
  - id: residents
    name: Residents
    kind: residents
    needs: [Current information about services]
    online: [facebook, instagram]
goals:
  - id: findability
    title: Residents find the services they need.
    horizon: short
    objective: support
    owner: anna
    customer_benefit: Less time spent searching.
    kpis:
      - metric: questions answered within a day
        unit: '%'
        baseline: 60
        target: 90
        deadline: 2026-12-31
channels:
  - id: facebook
    name: City of Example on Facebook
    network: facebook
    purpose: Service news and dialogue with residents.
    goals: [findability]
    audiences: [residents]
    cadence: {{posts: 3, per: week}}
    owner: anna
"""


def reference_markdown() -> str:
    """The whole reference as Markdown."""
    sections = [_section(model, paths) for model, paths in models().items()]
    contents = "\n".join(f"- [{model.__name__}](#{_anchor(model)})" for model in models())
    return "\n".join([
        INTRO,
        "## Example\n",
        "A small plan that passes `kanava plan check` without errors:\n",
        f"```yaml\n{EXAMPLE}```\n",
        "## Sections\n",
        contents + "\n",
        *sections,
    ])


def models() -> dict[type[BaseModel], list[str]]:
    """Every model reachable from Plan (Plan first, then depth-first in field order),
    with the paths at which it appears in a plan file."""
    found: dict[type[BaseModel], list[str]] = {Plan: []}
    _visit(Plan, "", found)
    return found


def _visit(model: type[BaseModel], prefix: str, found: dict[type[BaseModel], list[str]]) -> None:
    for name, info in model.model_fields.items():
        for child, is_list in _submodels(info.annotation):
            path = f"{prefix}{name}{'[]' if is_list else ''}"
            if child in found:
                found[child].append(path)
                continue
            found[child] = [path]
            _visit(child, f"{path}.", found)


def _submodels(annotation: Any, in_list: bool = False) -> Iterator[tuple[type[BaseModel], bool]]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _submodels(typing.get_args(annotation)[0], in_list)
    elif origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            yield from _submodels(arg, in_list or origin is list)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, in_list


def fields() -> Iterator[tuple[type[BaseModel], str, FieldInfo]]:
    """Every (model, field name, field) of the plan file."""
    for model in models():
        for name, info in model.model_fields.items():
            yield model, name, info


def _section(model: type[BaseModel], paths: list[str]) -> str:
    where = (", ".join(f"`{p}`" for p in paths) if paths else "the top level of the file")
    rows = [_row(name, info) for name, info in model.model_fields.items()]
    return "\n".join([
        f"## {model.__name__}\n",
        _doc(model) + "\n",
        f"Found at: {where}.\n",
        "| key | type | required / default | description |",
        "|---|---|---|---|",
        *rows,
        "",
    ])


def _row(name: str, info: FieldInfo) -> str:
    cells = [f"`{name}`", type_text(info.annotation, info.metadata), _requirement(info),
             info.description or ""]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _doc(model: type[BaseModel]) -> str:
    return inspect.cleandoc(model.__doc__ or "").split("\n\n")[0].replace("\n", " ")


def _anchor(model: type[BaseModel]) -> str:
    return model.__name__.lower()


def _requirement(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None or info.default is None:
        return "optional"
    default = info.default
    shown = str(default).lower() if isinstance(default, bool) else str(default)
    return f"default `{shown}`"


def type_text(annotation: Any, metadata: list[Any] | None = None) -> str:
    """A person's name for a field's type: 'text', 'list of id', 'one of: a, b'…"""
    metadata = metadata or []
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_text(args[0], [*metadata, *args[1:]])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_text(arg, metadata) for arg in args if arg is not type(None))
    if origin is list:
        item = type_text(args[0])
        return f"list, each {item}" if item.startswith("one of") else f"list of {item}"
    if origin is typing.Literal:
        values = ", ".join(f"`{value}`" for value in args)
        return f"always {values}" if len(args) == 1 else f"one of: {values}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{_anchor(annotation)})"
    return _scalar_text(annotation, metadata)


def _scalar_text(annotation: Any, metadata: list[Any]) -> str:
    if annotation is str:
        return _text_kind(metadata)
    if annotation is bool:
        return "true or false"
    if annotation in (int, float):
        name = "whole number" if annotation is int else "number"
        bounds = _bounds(metadata)
        return f"{name} ({bounds})" if bounds else name
    if annotation is dt.date:
        return "date (YYYY-MM-DD)"
    return getattr(annotation, "__name__", str(annotation))


def _text_kind(metadata: list[Any]) -> str:
    pattern = next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)
    if pattern == ID_PATTERN:
        return "id"
    if pattern:
        return f"text matching `{pattern}`"
    limit = next((m.max_length for m in metadata if getattr(m, "max_length", None)), None)
    return "short text" if limit is not None and limit <= SHORT_TEXT else "text"


_BOUND_SIGNS = ((annotated_types.Ge, "ge", "≥"), (annotated_types.Gt, "gt", ">"),
                (annotated_types.Le, "le", "≤"), (annotated_types.Lt, "lt", "<"))


def _bounds(metadata: list[Any]) -> str:
    parts = [f"{sign} {_number(getattr(m, attr))}" for m in metadata
             for kind, attr, sign in _BOUND_SIGNS if isinstance(m, kind)]
    return ", ".join(parts)


def _number(value: Any) -> str:
    return re.sub(r"\.0$", "", str(value))


if __name__ == "__main__":
    sys.stdout.write(reference_markdown())
