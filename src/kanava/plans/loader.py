"""Load and save plan files (YAML, or JSON) with line-accurate errors.

Loading reports *every* problem of a file in one run — YAML syntax, unknown keys
(with a "did you mean"), wrong types — each with file, line, column and the field
path. Saving writes back into the document the plan was loaded from, so the user's
comments, key order and quoting survive a round trip.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import json
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from kanava.i18n import N_, gettext
from kanava.plans.model import Plan

#: Plan files larger than this are refused before parsing.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Nodes a plan may expand to (guards against alias "billion laughs" bombs).
MAX_NODES = 200_000

PathPart = str | int
FieldPath = tuple[PathPart, ...]


def format_path(path: FieldPath) -> str:
    """``('channels', 2, 'owner')`` → ``channels[2].owner``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan file, and where."""

    message: str
    path: FieldPath = ()
    line: int | None = None
    column: int | None = None
    file: str = "<plan>"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line or 0}:{self.column or 0}"
        field_path = f" [{format_path(self.path)}]" if self.path else ""
        return f"{where}: {self.message}{field_path}"


class PlanLoadError(Exception):
    """The file could not be read, parsed or validated; ``problems`` says every why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class LoadedPlan:
    """A validated plan with the document it came from, for locating and saving."""

    plan: Plan
    document: CommentedMap = field(default_factory=CommentedMap)
    file: str = "<plan>"

    def locate(self, path: FieldPath) -> tuple[int | None, int | None]:
        """1-based (line, column) of the deepest part of ``path`` found in the document."""
        return locate(self.document, path)


class _Constructor(RoundTripConstructor):
    """Reads an impossible date (2027-13-01) as text, so validation reports it with its line."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.allow_duplicate_keys = False
    return yaml


def locate(document: Any, path: FieldPath, *, key: bool = False) -> tuple[int | None, int | None]:
    """1-based (line, column) of ``path`` in a ruamel document.

    Walks as deep as the document goes: a missing field is reported at its parent.
    With ``key=True`` the position of the last key itself is given (unknown keys).
    """
    node = document
    position: tuple[int | None, int | None] = _node_position(node)
    for index, part in enumerate(path):
        last = index == len(path) - 1
        if isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
            line, col = node.lc.key(part) if (key and last) else node.lc.value(part)
            position = (line + 1, col + 1)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, col = node.lc.item(part)
            position = (line + 1, col + 1)
            node = node[part]
        else:
            break
        if isinstance(node, CommentedMap | CommentedSeq) and not (key and last):
            inner = _node_position(node)
            if inner[0] is not None and inner[0] > (position[0] or 0):
                position = inner
    return position


def _node_position(node: Any) -> tuple[int | None, int | None]:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return (None, None)
    return (lc.line + 1, lc.col + 1)


def to_plain(node: Any, budget: list[int] | None = None) -> Any:
    """ruamel's comment-keeping types → plain dicts, lists and scalars."""
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if isinstance(node, Mapping):
        return {str(k): to_plain(v, budget) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [to_plain(v, budget) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return node
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    return node


class _TooLarge(Exception):
    pass


def parse_text(text: str, file: str = "<plan>", lang: str | None = None) -> CommentedMap:
    """Parse YAML or JSON text into a round-trip document, or raise PlanLoadError."""
    try:
        document = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(filter(None, [exc.context, exc.problem])) or str(exc)
        raise PlanLoadError([Problem(
            gettext(N_("Invalid YAML: {problem}"), lang, problem=problem.strip()),
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            file=file,
        )]) from exc
    except YAMLError as exc:
        raise PlanLoadError([Problem(
            gettext(N_("Invalid YAML: {problem}"), lang, problem=str(exc).strip()), file=file
        )]) from exc
    if not isinstance(document, CommentedMap):
        raise PlanLoadError([Problem(
            gettext(N_("A plan file must be a mapping of keys (such as 'title:'), not {kind}."),
                    lang, kind=_kind(document, lang)),
            line=1, column=1, file=file,
        )])
    return document


def load_text(text: str, file: str = "<plan>", lang: str | None = None) -> LoadedPlan:
    """Validate plan text; every problem is collected into one PlanLoadError."""
    document = parse_text(text, file, lang)
    try:
        data = to_plain(document)
    except _TooLarge:
        raise PlanLoadError([Problem(
            gettext(N_("The plan expands to more than {limit} values (too many aliases)."),
                    lang, limit=MAX_NODES),
            line=1, column=1, file=file,
        )]) from None
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(error, document, file, lang) for error in exc.errors()]
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise PlanLoadError(problems) from None
    return LoadedPlan(plan=plan, document=document, file=file)


def load_plan(path: str | Path, lang: str | None = None) -> LoadedPlan:
    """Read and validate a plan file (.yaml, .yml or .json)."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PlanLoadError([Problem(
                gettext(N_("The file is too large: {size} bytes, at most {limit} allowed."),
                        lang, size=size, limit=MAX_FILE_BYTES),
                file=name,
            )])
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanLoadError([Problem(
            gettext(N_("Cannot read the file: {reason}"), lang, reason=exc.strerror or str(exc)),
            file=name,
        )]) from exc
    return load_text(decode(raw, name, lang), name, lang)


def decode(raw: bytes, file: str, lang: str | None = None) -> str:
    """UTF-8 text of ``raw`` (a BOM is allowed), or a problem at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise PlanLoadError([Problem(
            gettext(N_("The file is not UTF-8 text (byte {byte} cannot be read)."),
                    lang, byte=f"0x{raw[exc.start]:02x}"),
            line=line, column=column, file=file,
        )]) from None


# --- turning pydantic errors into problems a person understands -----------------------

ID_PATTERN = "^[a-z0-9][a-z0-9_-]{0,62}$"
BOUND_SIGNS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


def _problem(error: Mapping[str, Any], document: CommentedMap, file: str,
             lang: str | None) -> Problem:
    path: FieldPath = tuple(p for p in error["loc"] if isinstance(p, str | int))
    kind = error["type"]
    line, column = locate(document, path, key=kind == "extra_forbidden")
    return Problem(describe_error(error, path, lang), path, line, column, file)


def describe_error(error: Mapping[str, Any], path: FieldPath, lang: str | None,
                   root: type[BaseModel] = Plan) -> str:
    """A pydantic error of the model ``root`` as a sentence a person understands."""
    kind: str = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    last = str(path[-1]) if path else ""
    if kind == "missing":
        return gettext(N_("The required field '{field}' is missing."), lang, field=last)
    if kind == "extra_forbidden":
        allowed = fields_at(path[:-1], root)
        close = difflib.get_close_matches(last, allowed, n=1, cutoff=0.6)
        if close:
            return gettext(N_("Unknown key '{key}'; did you mean '{suggestion}'?"),
                           lang, key=last, suggestion=close[0])
        return gettext(N_("Unknown key '{key}'. Allowed here: {allowed}."),
                       lang, key=last, allowed=", ".join(allowed))
    if kind == "literal_error":
        expected = literal_values(path, root)
        close = difflib.get_close_matches(str(value), expected, n=1, cutoff=0.6)
        if close:
            return gettext(N_("'{value}' is not allowed here; did you mean '{suggestion}'?"),
                           lang, value=value, suggestion=close[0])
        return gettext(N_("'{value}' is not allowed here; expected one of: {expected}."),
                       lang, value=value, expected=", ".join(expected))
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        return gettext(N_("'{value}' is not a valid id: use lower-case letters, digits, "
                          "'-' and '_', starting with a letter or digit."), lang, value=value)
    if kind == "text_control":
        return gettext(N_("The text contains a control character (such as NUL); remove it."),
                       lang)
    if kind == "string_too_long":
        return gettext(N_("The text is too long: at most {limit} characters are allowed."),
                       lang, limit=ctx.get("max_length"))
    if kind == "string_type":
        return gettext(N_("Expected text, got {kind}."), lang, kind=_kind(value, lang))
    if kind in {"int_type", "int_parsing", "float_type", "float_parsing", "int_from_float"}:
        return gettext(N_("Expected a number, got {kind}."), lang, kind=_kind(value, lang))
    if kind in {"bool_type", "bool_parsing"}:
        return gettext(N_("Expected true or false, got {kind}."), lang, kind=_kind(value, lang))
    if kind.startswith("date"):
        return gettext(N_("Expected a date written as YYYY-MM-DD, got '{value}'."),
                       lang, value=value)
    if kind in {"list_type"}:
        return gettext(N_("Expected a list, got {kind}."), lang, kind=_kind(value, lang))
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return gettext(N_("Expected a mapping of keys, got {kind}."),
                       lang, kind=_kind(value, lang))
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        bounds = " ".join(f"{BOUND_SIGNS.get(k, k)} {v}" for k, v in ctx.items())
        return gettext(N_("The value {value} is out of range ({rule})."), lang, value=value,
                       rule=bounds)
    return str(error.get("msg", kind))


def _kind(value: Any, lang: str | None = None) -> str:
    if value is None:
        return gettext(N_("nothing"), lang)
    if isinstance(value, bool):
        return gettext(N_("true/false"), lang)
    if isinstance(value, int | float):
        return gettext(N_("the number {value}"), lang, value=value)
    if isinstance(value, str):
        return gettext(N_("the text '{value}'"), lang, value=value[:40])
    if isinstance(value, Mapping):
        return gettext(N_("a mapping"), lang)
    if isinstance(value, list):
        return gettext(N_("a list"), lang)
    return type(value).__name__


def _unwrap(annotation: Any) -> Iterator[Any]:
    """The model and literal types inside an annotation (through Optional, list, Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _unwrap(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType, list, Sequence):
        for arg in typing.get_args(annotation):
            yield from _unwrap(arg)
    else:
        yield annotation


def _model_at(path: FieldPath, root: type[BaseModel]) -> tuple[type[BaseModel] | None, Any]:
    model: type[BaseModel] | None = root
    annotation: Any = root
    for part in path:
        if isinstance(part, int):
            continue
        if model is None or part not in model.model_fields:
            return None, None
        annotation = model.model_fields[part].annotation
        model = next((t for t in _unwrap(annotation)
                      if isinstance(t, type) and issubclass(t, BaseModel)), None)
    return model, annotation


def fields_at(path: FieldPath, root: type[BaseModel] = Plan) -> list[str]:
    """The keys allowed in the mapping at ``path``."""
    model, _ = _model_at(path, root)
    return list(model.model_fields) if model else []


def literal_values(path: FieldPath, root: type[BaseModel] = Plan) -> list[str]:
    """The values allowed for the literal field at ``path``."""
    _, annotation = _model_at(path, root)
    values: list[str] = []
    for arm in _unwrap(annotation):
        if typing.get_origin(arm) is typing.Literal:
            values.extend(_literal_args(arm))
    return values


def _literal_args(literal: Any) -> list[str]:
    out: list[str] = []
    for arg in typing.get_args(literal):
        if typing.get_origin(arg) is typing.Literal:
            out.extend(_literal_args(arg))
        else:
            out.append(str(arg))
    return out


# --- saving -------------------------------------------------------------------------

def plan_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data, only with the fields that were set (defaults stay implicit)."""
    return plan.model_dump(mode="python", exclude_unset=True)


def dump_text(loaded: LoadedPlan | Plan, fmt: str = "yaml") -> str:
    """The plan as YAML (keeping the loaded document's comments and order) or JSON."""
    plan = loaded.plan if isinstance(loaded, LoadedPlan) else loaded
    data = plan_data(plan)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    document = loaded.document if isinstance(loaded, LoadedPlan) else CommentedMap()
    merged = merge(document, data)
    buffer = io.StringIO()
    _yaml().dump(merged, buffer)
    return strip_fold_spaces(buffer.getvalue())


_BLOCK_START = re.compile(r"""[:-]\s+[|>][0-9+-]*\s*(#.*)?$""")


def strip_fold_spaces(text: str) -> str:
    """Drop the trailing spaces ruamel leaves where it folds a long plain scalar.

    Trailing spaces on a folded line of a plain scalar carry no meaning in YAML, so
    dropping them changes no value; inside ``|`` and ``>`` blocks they do, so those
    lines are left alone.
    """
    out: list[str] = []
    block_indent: int | None = None
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            out.append(line)
            continue
        block_indent = indent if _BLOCK_START.search(line) else None
        out.append(line.rstrip(" "))
    return "\n".join(out)


def save_plan(loaded: LoadedPlan | Plan, path: str | Path) -> None:
    """Write the plan to ``path``; JSON when the name ends in .json, YAML otherwise."""
    path = Path(path)
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    path.write_text(dump_text(loaded, fmt), encoding="utf-8")


def merge(old: Any, new: Any) -> Any:
    """``new`` written into ``old`` in place where their shapes agree, keeping comments."""
    if isinstance(new, Mapping):
        target = old if isinstance(old, CommentedMap) else CommentedMap()
        for key in [k for k in target if k not in new]:
            del target[key]
        for key, value in new.items():
            target[key] = merge(target.get(key), value)
        return target
    if isinstance(new, list):
        target_seq = old if isinstance(old, CommentedSeq) else CommentedSeq()
        del target_seq[len(new):]
        for index, value in enumerate(new):
            if index < len(target_seq):
                target_seq[index] = merge(target_seq[index], value)
            else:
                target_seq.append(merge(None, value))
        return target_seq
    if _same_scalar(old, new):
        return old
    if isinstance(new, float) and new.is_integer() and not isinstance(old, float):
        return int(new)  # 'posts: 3' stays 3, not 3.0
    if isinstance(new, str) and "\n" in new.rstrip("\n"):
        return LiteralScalarString(new)  # several lines stay readable as a | block
    return new


def _same_scalar(old: Any, new: Any) -> bool:
    if old is None or isinstance(old, Mapping | list):
        return False
    if isinstance(old, bool) != isinstance(new, bool):
        return False
    if isinstance(new, str) or isinstance(old, str):
        return isinstance(new, str) and isinstance(old, str) and str(old) == new
    try:
        return bool(old == new)
    except Exception:
        return False
