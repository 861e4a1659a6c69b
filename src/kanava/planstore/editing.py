"""Editing a plan part by part: the forms' shape, applying what was typed, and saving.

The plan model decides everything here, so a field added to :mod:`kanava.plans.model`
appears in the editor without touching this module:

- a *node* is a part of the plan edited on one page: the plan's own fields
  (``general``), a section (``organization``), a list (``goals``) or an item of a list
  (``goals.0``, ``goals.0.kpis.1``);
- :func:`layout` turns the node's model into :class:`FieldSpec` s (one input each) and
  :class:`GroupSpec` s (a nested model such as a channel's cadence, shown as a fieldset);
- :func:`apply` writes the raw form values into a copy of the plan and validates it with
  pydantic. A field whose value is as it was shown keeps its stored value exactly, and
  a field left empty that the file never had stays out of the file, so saving an
  untouched form changes nothing;
- :func:`place_findings` sorts the rule checks' findings to the fields they concern;
- :func:`do_edit`, :func:`do_delete` and :func:`do_move` save a new version through
  :func:`kanava.planstore.services.do_save_plan`, refusing when the plan changed since
  the form was shown (the form's ``base`` version).

Nothing here knows about HTTP or Django forms; the web layer builds its forms from the
specs and passes the posted values back.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import math
import re
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from django.db import transaction
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticUndefined
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kanava.accounts.models import Organization
from kanava.i18n import gettext
from kanava.plans.loader import (
    ID_PATTERN,
    FieldPath,
    LoadedPlan,
    describe_error,
    plan_data,
)
from kanava.plans.model import (
    CalendarEntry,
    Channel,
    Commitment,
    ContentFormat,
    ExpertTopic,
    GapItem,
    Goal,
    Kpi,
    Monitoring,
    Plan,
    Responsibilities,
    Review,
    Theme,
    Training,
)
from kanava.plans.rules import Finding, check
from kanava.plans.wizard import REASONS, Answers, make_id, starter_plan
from kanava.planstore import services
from kanava.planstore.models import PlanDocument, PlanVersion

NodePath = tuple[str | int, ...]
Kind = Literal[
    "text", "longtext", "id", "number", "integer", "date", "date_or_text", "bool",
    "choice", "choices", "ref", "refs", "lines", "model", "models",
]
#: Fields no form shows: the file format's version is not the user's to change.
FIXED: frozenset[tuple[type[BaseModel], str]] = frozenset({(Plan, "kanava")})
#: The name of the node holding the plan's own fields (title, language, summary…).
GENERAL = "general"
#: Short texts are single-line inputs; longer ones are text areas.
SHORT_TEXT = 500

#: Which kind of item each reference field names (mirrors the ``ref-unknown`` rule).
REFERENCES: dict[tuple[type[BaseModel], str], str] = {
    (Goal, "owner"): "person", (Goal, "audiences"): "audience",
    (Kpi, "channel"): "channel",
    (GapItem, "goal"): "goal",
    (Channel, "owner"): "person", (Channel, "goals"): "goal",
    (Channel, "audiences"): "audience",
    (Theme, "goals"): "goal", (Theme, "channels"): "channel",
    (ContentFormat, "channel"): "channel",
    (CalendarEntry, "theme"): "theme", (CalendarEntry, "channels"): "channel",
    (ExpertTopic, "people"): "person",
    (Responsibilities, "press"): "person", (Responsibilities, "daily"): "person",
    (Responsibilities, "representatives"): "person",
    (Training, "owner"): "person",
    (Commitment, "by"): "person",
    (Review, "owner"): "person",
    (Monitoring, "own"): "channel",
}
#: Where the items of each reference kind live in the plan.
ID_LISTS: dict[str, NodePath] = {
    "person": ("people",), "goal": ("goals",), "channel": ("channels",),
    "audience": ("audiences",), "theme": ("content", "themes"),
}
#: Rules that report on a whole item but are about one of its fields.
RULE_FIELDS: dict[str, str] = {
    "channel-goal": "purpose", "channel-audience": "audiences", "channel-owner": "owner",
    "channel-cadence": "cadence", "channel-resources": "hours_per_week",
    "channel-unused": "network", "content-media": "content_types",
    "goal-owner": "owner", "goal-objective": "objective", "goal-horizon": "horizon",
    "customer-benefit": "customer_benefit", "management-commitment": "statement",
    "guideline-negative-feedback": "negative_feedback",
    "guideline-staff": "expected_of_employees", "responsibility-press": "press",
    "responsibility-daily": "daily", "responsibility-expert": "experts",
    "channel-distinct": "purpose",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- the shape of a field ------------------------------------------------------------

@dataclass(frozen=True)
class Shape:
    """What a field holds, as far as a form cares."""

    kind: Kind
    nullable: bool = False
    choices: tuple[str, ...] = ()
    model: type[BaseModel] | None = None
    max_length: int | None = None


def shape_of(annotation: Any, metadata: Sequence[Any] = ()) -> Shape:
    """The :class:`Shape` of a pydantic field's annotation (through Annotated, Optional, list)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        return shape_of(inner, (*metadata, *extra))
    if origin in (typing.Union, types.UnionType):
        return _union_shape(typing.get_args(annotation), metadata)
    if origin is list:
        return _list_shape(shape_of(typing.get_args(annotation)[0]))
    if origin is typing.Literal:
        return Shape("choice", choices=tuple(literal_values(annotation)))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape("model", model=annotation)
    return _scalar_shape(annotation, metadata)


def _union_shape(args: Sequence[Any], metadata: Sequence[Any]) -> Shape:
    arms = [a for a in args if a is not type(None)]
    nullable = len(arms) < len(args)
    if len(arms) == 1:
        return replace(shape_of(arms[0], metadata), nullable=nullable)
    kinds = {shape_of(a).kind for a in arms}
    if kinds == {"date", "text"}:
        return Shape("date_or_text", nullable=nullable, max_length=SHORT_TEXT)
    raise TypeError(f"no form input for the union {args}")


def _list_shape(inner: Shape) -> Shape:
    kinds: dict[str, Kind] = {"model": "models", "choice": "choices", "id": "refs",
                              "text": "lines", "longtext": "lines"}
    if inner.kind not in kinds:
        raise TypeError(f"no form input for a list of {inner.kind}")
    return replace(inner, kind=kinds[inner.kind])


def _scalar_shape(annotation: Any, metadata: Sequence[Any]) -> Shape:
    simple: dict[Any, Kind] = {bool: "bool", int: "integer", float: "number", dt.date: "date"}
    if annotation in simple:
        return Shape(simple[annotation])
    if annotation is not str:
        raise TypeError(f"no form input for {annotation!r}")
    pattern = next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)
    limit = next((m.max_length for m in metadata if getattr(m, "max_length", None)), None)
    if pattern == ID_PATTERN:
        return Shape("id", max_length=63)
    return Shape("longtext" if limit and limit > SHORT_TEXT else "text", max_length=limit)


def literal_values(literal: Any) -> list[str]:
    out: list[str] = []
    for arg in typing.get_args(literal):
        out.extend(literal_values(arg) if typing.get_origin(arg) is typing.Literal
                   else [str(arg)])
    return out


def field_shape(model: type[BaseModel], name: str) -> Shape:
    info = model.model_fields[name]
    return shape_of(info.annotation, info.metadata)


# --- the layout of a form ------------------------------------------------------------

@dataclass(frozen=True)
class FieldSpec:
    """One input of a form: the field ``field`` of ``model`` at ``path`` in the node."""

    path: FieldPath
    model: type[BaseModel]
    field: str
    shape: Shape
    required: bool
    default: Any
    ref: str | None = None

    @property
    def name(self) -> str:
        """The input's name, e.g. ``cadence__posts``."""
        return "__".join(str(p) for p in self.path)

    @property
    def kind(self) -> Kind:
        return self.shape.kind

    def empty(self) -> Any:
        return [] if self.kind in {"refs", "choices", "lines"} else None


@dataclass(frozen=True)
class GroupSpec:
    """A nested model shown as a fieldset: a channel's cadence, a row of the wizard."""

    path: FieldPath
    model: type[BaseModel]
    field: str
    inner: type[BaseModel]
    nullable: bool
    members: tuple[Spec, ...]
    index: int | None = None

    @property
    def name(self) -> str:
        return "__".join(str(p) for p in self.path)


Spec = FieldSpec | GroupSpec


def layout(model: type[BaseModel], *, top: bool = False,
           rows: Mapping[str, int] | None = None, prefix: FieldPath = ()) -> tuple[Spec, ...]:
    """The inputs of a form for ``model``.

    ``top``: the plan itself, whose sections get pages of their own rather than
    fieldsets. ``rows``: lists of models shown as that many fieldsets (the wizard).
    Lists of models are otherwise left out: they are edited item by item.
    """
    specs: list[Spec] = []
    for name, info in model.model_fields.items():
        if (model, name) in FIXED:
            continue
        shape = field_shape(model, name)
        path = (*prefix, name)
        if shape.model is not None and shape.kind == "models" and rows and name in rows:
            specs += [GroupSpec((*path, i), model, name, shape.model, True,
                                layout(shape.model, prefix=(*path, i)), index=i)
                      for i in range(rows[name])]
        elif shape.model is not None and shape.kind == "model" and not top:
            specs.append(GroupSpec(path, model, name, shape.model, shape.nullable,
                                   layout(shape.model, prefix=path)))
        elif shape.kind not in {"model", "models"}:
            specs.append(_field_spec(model, name, path, shape, info.is_required(),
                                     _default(info)))
    return tuple(specs)


def _default(info: Any) -> Any:
    if info.default_factory is not None:
        return info.default_factory()
    return None if info.default is PydanticUndefined else info.default


def _field_spec(model: type[BaseModel], name: str, path: FieldPath, shape: Shape,
                required: bool, default: Any) -> FieldSpec:
    ref = None
    if shape.kind in {"id", "refs"} and name != "id":
        ref = REFERENCES.get((model, name))
        if ref is None:
            raise TypeError(f"{model.__name__}.{name} names ids but is not in REFERENCES")
        shape = replace(shape, kind="ref" if shape.kind == "id" else "refs")
    return FieldSpec(path, model, name, shape, required, default, ref)


def flatten(specs: Iterable[Spec]) -> Iterator[FieldSpec]:
    for spec in specs:
        if isinstance(spec, GroupSpec):
            yield from flatten(spec.members)
        else:
            yield spec


def every_spec(specs: Iterable[Spec]) -> list[Spec]:
    """Every group and field, groups first."""
    specs = tuple(specs)
    return [*groups(specs), *flatten(specs)]


def groups(specs: Iterable[Spec]) -> Iterator[GroupSpec]:
    for spec in specs:
        if isinstance(spec, GroupSpec):
            yield spec
            yield from groups(spec.members)


# --- nodes: the parts of a plan edited on one page -------------------------------------

class NotFound(LookupError):
    """No such part of the plan."""


@dataclass(frozen=True)
class Child:
    """A part of a node edited on its own page: a list of items or a whole section."""

    field: str
    model: type[BaseModel]
    is_list: bool


@dataclass(frozen=True)
class Node:
    """A part of the plan: the path to it, its model, and whether it is a list."""

    path: NodePath
    model: type[BaseModel]
    is_list: bool = False

    @property
    def where(self) -> str:
        return where_of(self.path)

    @property
    def field(self) -> str:
        """The model field this node is (or whose item it is); '' for the plan itself."""
        return next((p for p in reversed(self.path) if isinstance(p, str)), "")

    @property
    def is_item(self) -> bool:
        return bool(self.path) and isinstance(self.path[-1], int)

    def layout(self) -> tuple[Spec, ...]:
        return () if self.is_list else layout(self.model, top=not self.path)

    def children(self) -> list[Child]:
        """Lists (and, for the plan, sections) that have pages of their own."""
        if self.is_list:
            return []
        out: list[Child] = []
        for name in self.model.model_fields:
            shape = field_shape(self.model, name)
            if shape.model is None or (shape.kind == "model" and self.path):
                continue
            out.append(Child(name, shape.model, shape.kind == "models"))
        return out

    def item(self, index: int) -> Node:
        return Node((*self.path, index), self.model)


def parse_where(where: str) -> NodePath:
    """``'goals.0.kpis'`` → ``('goals', 0, 'kpis')``; ``'general'`` → ``()``."""
    if where == GENERAL:
        return ()
    return tuple(int(p) if p.isdigit() else p for p in where.split("."))


def where_of(path: NodePath) -> str:
    return ".".join(str(p) for p in path) if path else GENERAL


_FINDING_PART = re.compile(r"\[(\d+)\]|\.?([A-Za-z_][A-Za-z0-9_]*)")


def parse_finding_path(text: str) -> NodePath:
    """``'channels[2].owner'`` → ``('channels', 2, 'owner')`` (inverse of format_path)."""
    return tuple(int(m.group(1)) if m.group(1) else m.group(2)
                 for m in _FINDING_PART.finditer(text))


def node_at(path: NodePath, root: type[BaseModel] = Plan) -> Node:
    """The node at ``path`` of a plan's *shape*; :class:`NotFound` when there is none.

    Nested sections are nodes only at the top (``organization``); deeper ones are
    fieldsets of their item's form (a channel's cadence).
    """
    model, is_list = root, False
    for index, part in enumerate(path):
        if is_list:
            if not isinstance(part, int):
                raise NotFound(path)
            is_list = False
            continue
        if not isinstance(part, str) or part not in model.model_fields:
            raise NotFound(path)
        shape = field_shape(model, part)
        if shape.model is None or (shape.kind == "model" and index > 0):
            raise NotFound(path)
        model, is_list = shape.model, shape.kind == "models"
    return Node(path, model, is_list)


def value_at(data: Any, path: NodePath) -> Any:
    """The plain data at ``path`` (None where a section was left out); NotFound past a list."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or not 0 <= part < len(data):
                raise NotFound(path)
            data = data[part]
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


def node_value(plan: Plan, node: Node) -> Any:
    """The model instance (or list) at ``node`` in ``plan``; NotFound past a list."""
    value: Any = plan
    for part in node.path:
        if isinstance(part, int):
            if not isinstance(value, list) or not 0 <= part < len(value):
                raise NotFound(node.path)
            value = value[part]
        else:
            value = getattr(value, part)
    return value


def sections() -> list[Node]:
    """The plan's parts in the order of the model: its own fields, then every section."""
    out = [Node((), Plan)]
    for child in Node((), Plan).children():
        section = node_at((child.field,))
        if not child.is_list and not section.layout():  # only lists: the content plan
            out += [node_at((child.field, c.field)) for c in section.children()]
        else:
            out.append(section)
    return out


# --- values shown in a form ------------------------------------------------------------

def initial(specs: Iterable[Spec], data: Mapping[str, Any] | None) -> dict[str, Any]:
    """The raw form values showing ``data`` (plain data of the node; defaults where unset)."""
    out: dict[str, Any] = {}
    for spec in flatten(specs):
        out[spec.name] = render(spec, _get(data, spec))
    return out


def _get(data: Mapping[str, Any] | None, spec: FieldSpec) -> Any:
    value: Any = data
    for part in spec.path:
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and part < len(value) else None
        else:
            value = value.get(part, _MISSING) if isinstance(value, Mapping) else _MISSING
        if value is _MISSING:
            return spec.default
    return value


_MISSING = object()


def render(spec: FieldSpec, value: Any) -> Any:
    """A stored value as the form shows it."""
    if spec.kind == "bool":
        return bool(value)
    if spec.kind in {"refs", "choices"}:
        return [str(v) for v in value or []]
    if spec.kind == "lines":
        return "\n".join(str(v) for v in value or [])
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _same(spec: FieldSpec, raw: Any, shown: Any) -> bool:
    """Whether the posted ``raw`` is what the form showed (ignoring line ends and spaces)."""
    if spec.kind == "bool":
        return bool(raw) == bool(shown)
    if spec.kind in {"refs", "choices"}:
        return set(raw or []) == set(shown or [])
    if spec.kind in {"lines", "longtext"}:
        return _lines(raw) == _lines(shown) if spec.kind == "lines" else \
            _text(raw) == _text(shown)
    # a browser drops line breaks from a one-line input's value
    return _text(raw).replace("\n", "") == _text(shown).replace("\n", "")


def _text(raw: Any) -> str:
    return str(raw or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _lines(raw: Any) -> list[str]:
    return [line.strip() for line in _text(raw).split("\n") if line.strip()]


# --- from posted values to plan data -----------------------------------------------------

class BadValue(ValueError):
    """A value the form cannot even hand to pydantic; ``error`` is in pydantic's shape."""

    def __init__(self, error: dict[str, Any]) -> None:
        self.error = error
        super().__init__(error["type"])


def convert(spec: FieldSpec, raw: Any, original: Any = None) -> Any:
    """A posted value as plan data (empty → None or [])."""
    kind = spec.kind
    if kind == "bool":
        return bool(raw)
    if kind in {"refs", "choices"}:
        chosen = list(dict.fromkeys(str(v) for v in raw or [] if str(v).strip()))
        kept = [v for v in original or [] if v in chosen]  # the stored order stays
        return kept + [v for v in chosen if v not in kept]
    if kind == "lines":
        return _lines(raw)
    text = _text(raw)
    if not text:
        return None
    if kind in {"number", "integer"}:
        return _number(text, integer=kind == "integer")
    if kind == "date_or_text" and _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _number(text: str, *, integer: bool) -> float | int:
    """'2,5' → 2.5: a decimal comma is how fi, nb and sv write numbers."""
    try:
        number = float(text.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        raise BadValue({"type": "float_parsing", "input": text}) from None
    if not math.isfinite(number):
        raise BadValue({"type": "float_parsing", "input": text})
    if integer and not number.is_integer():
        raise BadValue({"type": "int_from_float", "input": text})
    return int(number) if number.is_integer() else number


@dataclass
class Built:
    """Plain data built from a form, and the values that could not be read."""

    data: dict[str, Any]
    bad: dict[str, dict[str, Any]] = field(default_factory=dict)


def build(specs: Iterable[Spec], raw: Mapping[str, Any],
          original: Mapping[str, Any] | None) -> Built:
    """The node's plain data: ``original`` with the form's values written in.

    A value as it was shown keeps the stored value; an empty field the data never had
    stays out, as does a new value equal to the default. Keys no form shows (lists of
    items, the format version) are kept as they are.
    """
    built = Built({})
    built.data = _build(tuple(specs), raw, dict(original or {}), built)
    return built


def _build(specs: tuple[Spec, ...], raw: Mapping[str, Any], original: dict[str, Any],
           built: Built) -> dict[str, Any]:
    out = dict(original)
    rows: dict[str, list[Any]] = {}
    for spec in specs:
        key = spec.field
        if isinstance(spec, GroupSpec) and spec.index is not None:
            row = _build(spec.members, raw, {}, built)
            if not _empty(row, spec.members):
                rows.setdefault(key, []).append(row)
            rows.setdefault(key, [])
        elif isinstance(spec, GroupSpec):
            _put_group(out, spec, raw, original, built)
        else:
            _put_field(out, spec, raw, original, built)
    out.update(rows)
    return out


def _put_group(out: dict[str, Any], spec: GroupSpec, raw: Mapping[str, Any],
               original: dict[str, Any], built: Built) -> None:
    before = original.get(spec.field)
    sub = _build(spec.members, raw, dict(before or {}), built)
    if not _empty(sub, spec.members):
        out[spec.field] = sub
    elif spec.nullable and spec.field in original:
        out[spec.field] = None
    elif spec.field in original:
        out[spec.field] = sub


def _put_field(out: dict[str, Any], spec: FieldSpec, raw: Mapping[str, Any],
               original: dict[str, Any], built: Built) -> None:
    key, present = spec.field, spec.field in original
    posted = raw.get(spec.name)
    if _same(spec, posted, render(spec, original.get(key, spec.default))):
        return  # as shown: the stored value (or its absence) stays
    try:
        value = convert(spec, posted, original.get(key))
    except BadValue as bad:
        built.bad[spec.name] = bad.error
        return
    if value is None or value == []:
        if present and spec.kind in {"refs", "choices", "lines"}:
            out[key] = []
        elif present and spec.shape.nullable and not spec.required:
            out[key] = None  # the key stays in the file, empty, with its comments
        else:
            out.pop(key, None)  # required: reported as missing; otherwise the default
    elif present or value != spec.default:
        out[key] = value


def _empty(data: Mapping[str, Any], specs: tuple[Spec, ...]) -> bool:
    """Whether a nested model or row holds nothing but empty values and defaults."""
    for spec in specs:
        value = data.get(spec.field)
        if isinstance(spec, GroupSpec):
            if isinstance(value, Mapping) and not _empty(value, spec.members):
                return False
        elif value not in (None, [], "") and value != spec.default:
            return False
    return True


# --- applying a form to a plan ---------------------------------------------------------

class EditInvalid(Exception):
    """The edited plan does not validate: ``errors`` by input name ('' for the form)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(errors)


@dataclass(frozen=True)
class Applied:
    """An edited plan and the path of the node in it (a new item's index is known now)."""

    plan: Plan
    path: NodePath


def apply(plan: Plan, node: Node, raw: Mapping[str, Any], lang: str | None,
          *, new: bool = False, required: str = "") -> Applied:
    """``plan`` with the form ``raw`` written into ``node`` (a new item when ``new``).

    The stored plan is not changed. A blank id is made from the item's name; a changed
    id is changed wherever the plan refers to it. Raises :class:`EditInvalid` with
    translated messages per input (``required`` is the message for a missing value).
    """
    data = plan_data(plan)
    specs = node.layout() if not new else layout(node.model)
    path = (*node.path, len(value_at(data, node.path) or [])) if new else node.path
    original = {} if new else (value_at(data, path) or {})
    built = build(specs, raw, original)
    if path and isinstance(path[-1], int):
        siblings = value_at(data, path[:-1]) or []
        _fill_id(built.data, node.model, siblings, path[-1])
        _rename(data, path, original, built.data)
    data = _put(data, path, built.data)
    by_name = {spec.name: spec for spec in flatten(specs)}
    errors = {name: [describe_error(error, (*path, *by_name[name].path), lang)]
              for name, error in built.bad.items()}
    try:
        edited = Plan.model_validate(data)
    except ValidationError as exc:
        errors = merge_errors(errors, errors_by_input(exc.errors(), path, specs, lang,
                                                      required=required))
    if errors:
        raise EditInvalid(errors)
    return Applied(edited, path)


@dataclass(frozen=True)
class Preview:
    """What the live check shows: the plan as edited so far, and the inputs to fix."""

    plan: Plan
    errors: dict[str, list[str]]


def preview(plan: Plan, node: Node, raw: Mapping[str, Any], shown: Mapping[str, Any],
            lang: str | None, *, new: bool = False, required: str = "") -> Preview:
    """The form applied to a copy of ``plan``, for checking only.

    Inputs that do not validate are checked with the values they were ``shown`` with,
    so the findings follow every other edit while the user fixes them.
    """
    try:
        return Preview(apply(plan, node, raw, lang, new=new, required=required).plan, {})
    except EditInvalid as invalid:
        errors = invalid.errors
    reverted = {**raw, **{name: shown[name] for name in errors if name in shown}}
    try:
        return Preview(apply(plan, node, reverted, lang, new=new, required=required).plan,
                       errors)
    except EditInvalid:
        return Preview(plan, errors)


def _put(data: dict[str, Any], path: NodePath, value: dict[str, Any]) -> dict[str, Any]:
    """``value`` written at ``path`` of ``data``; an index one past a list's end appends."""
    if not path:
        return value
    container: Any = data
    for part, after in itertools.pairwise(path):
        if isinstance(part, int):
            container = container[part]
        else:
            if container.get(part) is None:
                container[part] = [] if isinstance(after, int) else {}
            container = container[part]
    last = path[-1]
    if isinstance(last, int):
        if last == len(container):
            container.append(value)
        else:
            container[last] = value
    elif value or last in container:
        container[last] = value
    return data


def _fill_id(item: dict[str, Any], model: type[BaseModel], siblings: list[Any],
             index: int | str) -> None:
    """A blank id of an item is made from its name or title, unique among its siblings."""
    name = item.get("name") or item.get("title")
    if "id" not in model.model_fields or "id" in item or not isinstance(name, str):
        return
    taken = {s.get("id") for i, s in enumerate(siblings) if i != index and isinstance(s, dict)}
    base = candidate = make_id(name, "item")
    number = 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    item["id"] = candidate


def _rename(data: dict[str, Any], path: NodePath, original: Mapping[str, Any],
            item: Mapping[str, Any]) -> None:
    """When an item's id changes, every reference to the old id follows it."""
    kind = next((k for k, where in ID_LISTS.items() if where == path[:-1]), None)
    old, new = original.get("id"), item.get("id")
    if kind is None or not old or not new or old == new:
        return
    siblings = value_at(data, ID_LISTS[kind]) or []
    if any(isinstance(s, dict) and s.get("id") == new for s in siblings):
        return  # the new id is taken: the id-duplicate rule says so, references stay
    rename_references(data, Plan, kind, str(old), str(new))


def rename_references(data: dict[str, Any], model: type[BaseModel], kind: str, old: str,
                      new: str) -> None:
    """Replace references of ``kind`` to ``old`` with ``new`` in plain plan data."""
    for name, value in data.items():
        if name not in model.model_fields:
            continue
        if REFERENCES.get((model, name)) == kind:
            if value == old:
                data[name] = new
            elif isinstance(value, list):
                data[name] = [new if v == old else v for v in value]
            continue
        shape = field_shape(model, name)
        if shape.model is None:
            continue
        for sub in value if isinstance(value, list) else [value]:
            if isinstance(sub, dict):
                rename_references(sub, shape.model, kind, old, new)


def errors_by_input(errors: Iterable[Mapping[str, Any]], node_path: NodePath,
                    specs: Iterable[Spec], lang: str | None, *, required: str = "",
                    value_error: str = "", root: type[BaseModel] = Plan) -> dict[str, list[str]]:
    """pydantic's errors as translated sentences, by the input they concern ('' for none).

    ``required`` is said of a missing value and ``value_error`` of a failed check across
    fields (the wizard's audiences); the wizard's own reasons are translated too.
    """
    specs = tuple(specs)
    names: dict[FieldPath, Spec] = {s.path: s for s in every_spec(specs)}
    out: dict[str, list[str]] = {}
    for error in errors:
        loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
        name, spec_path = _input_of(loc, node_path, names)
        spec = names.get(spec_path)
        if isinstance(spec, FieldSpec) and spec.kind == "date_or_text" \
                and str(error["type"]).startswith("date"):
            continue  # the text arm's error says more than "not a date"
        rest = loc[len(node_path) + len(spec_path):]
        where = (*node_path, *spec_path, *(p for p in rest if isinstance(p, int))) \
            if name else loc
        message = _message(error, where, lang, root, required, value_error)
        out.setdefault(name, [])
        if message not in out[name]:
            out[name].append(message)
    return out


def _message(error: Mapping[str, Any], where: NodePath, lang: str | None,
             root: type[BaseModel], required: str, value_error: str) -> str:
    kind = str(error["type"])
    if kind in {"missing", "required"} and required:
        return required
    if kind in REASONS:
        return gettext(REASONS[kind], lang, **(error.get("ctx") or {}))
    if kind == "value_error" and value_error:
        return value_error
    return describe_error(error, where, lang, root=root)


def _input_of(loc: NodePath, node_path: NodePath,
              names: Mapping[FieldPath, Spec]) -> tuple[str, FieldPath]:
    if loc[:len(node_path)] != node_path:
        return "", ()
    rel = loc[len(node_path):]
    for k in range(len(rel), 0, -1):
        spec = names.get(rel[:k])
        if spec is not None:
            return spec.name, rel[:k]
    return "", ()


def merge_errors(*many: Mapping[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for errors in many:
        for name, messages in errors.items():
            out.setdefault(name, []).extend(m for m in messages if m not in out[name])
    return out


# --- deleting and moving items -----------------------------------------------------------

def delete_item(plan: Plan, node: Node) -> Plan:
    """``plan`` without the item at ``node``."""
    data = plan_data(plan)
    items = value_at(data, node.path[:-1])
    index = _index(node)
    if not isinstance(items, list) or not 0 <= index < len(items):
        raise NotFound(node.path)
    del items[index]
    return Plan.model_validate(data)


def move_item(plan: Plan, node: Node, offset: int) -> Plan:
    """``plan`` with the item at ``node`` moved ``offset`` places (-1: up, 1: down)."""
    data = plan_data(plan)
    items = value_at(data, node.path[:-1])
    index = _index(node)
    target = index + offset
    if not isinstance(items, list) or not (0 <= index < len(items) and 0 <= target < len(items)):
        raise NotFound(node.path)
    items.insert(target, items.pop(index))
    return Plan.model_validate(data)


def _index(node: Node) -> int:
    if not node.is_item:
        raise NotFound(node.path)
    return int(node.path[-1])


def broken_references(before: Plan, after: Plan, lang: str | None) -> list[str]:
    """Messages of references that ``after`` leaves pointing at nothing, new since ``before``."""
    old = {f.message for f in check(before, lang=lang, only=["ref-unknown"])}
    return [f.message for f in check(after, lang=lang, only=["ref-unknown"])
            if f.message not in old]


# --- findings next to the fields they concern ---------------------------------------------

NODE_SLOT = "node"


def slot_map(node: Node, specs: Iterable[Spec], count: int = 0) -> dict[NodePath, str]:
    """Path of each place on the node's page that shows findings → the place's name."""
    specs = tuple(specs)
    places: dict[NodePath, str] = {}
    for spec in every_spec(specs):
        places[(*node.path, *spec.path)] = spec.name
    for child in node.children() if node.path else ():  # the plan's sections have pages
        places[(*node.path, child.field)] = f"list-{child.field}"
    if node.is_list:
        places.update({(*node.path, i): f"item-{i}" for i in range(count)})
    return places


def place_findings(findings: Iterable[Finding], node: Node,
                   places: Mapping[NodePath, str]) -> dict[str, list[Finding]]:
    """The findings concerning ``node``, by the place on its page nearest to what they are about.

    A finding about the whole item whose rule is about one field (a channel without an
    owner) goes next to that field. Findings about other parts of the plan are left out.
    """
    out: dict[str, list[Finding]] = {name: [] for name in places.values()}
    out[NODE_SLOT] = []
    depth = len(node.path)
    for finding in findings:
        path = parse_finding_path(finding.path)
        if path[:depth] != node.path:
            continue
        if path == node.path and finding.rule in RULE_FIELDS:
            path = (*path, RULE_FIELDS[finding.rule])
        place = next((places[path[:k]] for k in range(len(path), depth, -1)
                      if path[:k] in places), None)
        if place is not None:
            out[place].append(finding)
        elif node.path:  # the plan's own page shows only its own fields' findings
            out[NODE_SLOT].append(finding)
    return out


def section_of(finding: Finding, nodes: Sequence[Node]) -> str:
    """The ``where`` of the section (of :func:`sections`) a finding belongs to."""
    path = parse_finding_path(finding.path)
    best = max((n for n in nodes if n.path and path[:len(n.path)] == n.path),
               key=lambda n: len(n.path), default=None)
    if best is None:
        return GENERAL if path and path[0] in Plan.model_fields else ""
    return best.where


# --- saving ---------------------------------------------------------------------------------

class EditConflict(Exception):
    """The plan changed since the form was shown; ``latest`` is its number now."""

    def __init__(self, latest: int) -> None:
        self.latest = latest
        super().__init__(f"the plan is at version {latest} now")


StructuralOp = Callable[[CommentedMap], None]
Change = Callable[[Plan], tuple[Plan, StructuralOp | None]]


def _save(document: PlanDocument, user: Any, base: int, change: Change,
          message: str) -> PlanVersion:
    """Save ``change(plan of version base)`` as the next version of ``document``.

    Refused with :class:`EditConflict` when another version was saved since ``base``:
    list positions in the form would no longer mean the same items. ``change`` may also
    return an operation on the YAML document (moving or deleting an item) so that the
    comments inside an item travel with it.
    """
    with transaction.atomic():
        locked = PlanDocument.objects.select_for_update().get(pk=document.pk)
        latest = locked.latest()
        if latest is None or latest.number != base:
            raise EditConflict(latest.number if latest else 0)
        stored = services.loaded(latest)
        edited, structural = change(stored.plan)
        if structural is None and plan_data(edited) == plan_data(stored.plan):
            return latest  # nothing changed: no version, no parsing
        yaml_document = copy.deepcopy(stored.document)  # the cached one is shared
        if structural is not None:
            structural(yaml_document)
        return services.do_save_plan(locked, user, LoadedPlan(edited, yaml_document), message)


def do_save_node(document: PlanDocument, user: Any, base: int, node: Node,
                 raw: Mapping[str, Any], lang: str | None, message: str, *,
                 new: bool = False, required: str = "") -> tuple[PlanVersion, NodePath]:
    """Save the form ``raw`` of ``node`` (a new item when ``new``): the version and the path
    of what was saved. Raises :class:`EditInvalid` or :class:`EditConflict`."""
    saved: list[NodePath] = []

    def change(plan: Plan) -> tuple[Plan, StructuralOp | None]:
        applied = apply(plan, node, raw, lang, new=new, required=required)
        saved.append(applied.path)
        return applied.plan, None

    version = _save(document, user, base, change, message)
    return version, saved[0]


def do_delete_item(document: PlanDocument, user: Any, base: int, node: Node,
                   message: str) -> PlanVersion:
    return _save(document, user, base,
                 lambda plan: (delete_item(plan, node), delete_in_document(node.path)),
                 message)


def do_move_item(document: PlanDocument, user: Any, base: int, node: Node, offset: int,
                 message: str) -> PlanVersion:
    return _save(document, user, base,
                 lambda plan: (move_item(plan, node, offset),
                               move_in_document(node.path, offset)),
                 message)


def delete_in_document(path: NodePath) -> StructuralOp:
    def run(document: CommentedMap) -> None:
        items = _document_at(document, path[:-1])
        if isinstance(items, CommentedSeq) and 0 <= int(path[-1]) < len(items):
            del items[int(path[-1])]
    return run


def move_in_document(path: NodePath, offset: int) -> StructuralOp:
    def run(document: CommentedMap) -> None:
        items = _document_at(document, path[:-1])
        index = int(path[-1])
        if isinstance(items, CommentedSeq) and 0 <= index < len(items) \
                and 0 <= index + offset < len(items):
            items.insert(index + offset, items.pop(index))
    return run


def _document_at(document: Any, path: NodePath) -> Any:
    for part in path:
        if isinstance(part, int) and isinstance(document, CommentedSeq) \
                and 0 <= part < len(document):
            document = document[part]
        elif isinstance(part, str) and isinstance(document, CommentedMap):
            document = document.get(part)
        else:
            return None
    return document


# --- a new plan from the wizard's questions ------------------------------------------------

#: The wizard's form: its questions, three audiences, a goal and three channels.
WIZARD_ROWS = {"audiences": 3, "channels": 3}


def wizard_layout() -> tuple[Spec, ...]:
    return layout(Answers, rows=WIZARD_ROWS)


def answers_from(raw: Mapping[str, Any], lang: str | None, *, required: str = "",
                 unknown_audience: str = "") -> Answers:
    """The wizard's answers from its form; :class:`EditInvalid` names every bad answer."""
    specs = wizard_layout()
    built = build(specs, raw, {})
    by_name = {spec.name: spec for spec in flatten(specs)}
    errors = {name: [describe_error(error, by_name[name].path, lang, root=Answers)]
              for name, error in built.bad.items()}
    try:
        answers = Answers.model_validate(built.data)
    except ValidationError as exc:
        errors = merge_errors(errors, errors_by_input(
            exc.errors(), (), specs, lang, required=required, value_error=unknown_audience,
            root=Answers))
    if errors:
        raise EditInvalid(errors)
    return answers


def do_start_plan(organization: Organization, user: Any, answers: Answers) -> PlanDocument:
    """A new plan document made from the wizard's answers (its commented starter plan)."""
    return services.do_import_plan(organization, user, starter_plan(answers), "plan.yaml",
                                   answers.language)
