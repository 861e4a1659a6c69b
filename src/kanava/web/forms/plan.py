"""Django forms generated from the plan model, and what an editor page shows around them.

One input per :class:`~kanava.planstore.editing.FieldSpec`, chosen by the field's type:
short text → text input, long text → text area, a choice → a select with the choices'
translated labels, ids of the plan's people, goals, channels, audiences or themes → a
select (or checkboxes) of those items, numbers → number inputs, dates → date inputs,
yes/no → a checkbox, a list of texts → a text area with one per line, a nested model →
a fieldset. The fields accept whatever is posted: pydantic validates the edited plan
and its errors are shown next to the input, in the user's language.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pydantic import BaseModel

from kanava.i18n import LANGUAGE_NAMES
from kanava.plans import labels
from kanava.plans.model import Plan
from kanava.plans.rules import Finding, counts
from kanava.planstore.editing import (
    NODE_SLOT,
    FieldSpec,
    GroupSpec,
    Node,
    NotFound,
    Spec,
    flatten,
    node_at,
    node_value,
    where_of,
)
from kanava.web.forms.labels import FIELD_HELP, FIELD_LABELS, KIND_HELP, QUESTION_LABELS

#: Kinds of kanava.plans.labels a choice's values are looked up in, most specific first.
CHOICE_KINDS = (
    "objective", "horizon", "scope", "category", "network", "content_type", "period",
    "repeat", "skill_level", "review_cycle", "audience_kind", "organization_kind",
    "channel_status",
)
#: Languages a plan may be written in, named in their own language.
PLAN_LANGUAGES = {**LANGUAGE_NAMES, "nn": "norsk nynorsk"}
#: Fields that name an item, in the order they are tried for its title.
TITLE_FIELDS = ("title", "name", "metric", "area", "topic", "network", "channel", "date")


# --- labels ---------------------------------------------------------------------------

def field_label(model: type[BaseModel], name: str, lang: str) -> str:
    """The label of ``model.name``; KeyError for a field nobody has named yet."""
    kind = QUESTION_LABELS.get(model.__name__)
    if kind is not None:
        return labels.label(kind, name, lang)
    return str(FIELD_LABELS[f"{model.__name__}.{name}"])


def choice_kind(values: Sequence[str]) -> str | None:
    """The kind of kanava.plans.labels that names every value, if there is one."""
    wanted = set(values)
    return next((kind for kind in CHOICE_KINDS if wanted <= set(labels.LABELS[kind])), None)


def literal_choices(values: Sequence[str], lang: str) -> list[Any]:
    """(value, label) pairs of a choice; goal categories grouped as external and internal."""
    if set(values) <= set(PLAN_LANGUAGES):
        return [(v, PLAN_LANGUAGES[v]) for v in values]
    kind = choice_kind(values)
    if kind is None:
        return [(v, v) for v in values]
    if kind == "category":
        return [
            (_("External goals"), [(v, labels.label(kind, v, lang)) for v in values
                                   if v in labels.EXTERNAL_CATEGORIES]),
            (_("Internal goals"), [(v, labels.label(kind, v, lang)) for v in values
                                   if v in labels.INTERNAL_CATEGORIES]),
        ]
    return [(v, labels.label(kind, v, lang)) for v in values]


def reference_choices(kind: str, plan: Plan | None, current: Iterable[str]) -> list[Any]:
    """The plan's items of ``kind`` as (id, name) pairs, and ids in use that name nothing."""
    items: Sequence[Any] = []
    if plan is not None:
        lists: dict[str, Sequence[Any]] = {
            "person": plan.people, "goal": plan.goals, "channel": plan.channels,
            "audience": plan.audiences, "theme": plan.content.themes}
        items = lists[kind]
    pairs = [(item.id, _("%(name)s (%(id)s)") % {"name": _title(item), "id": item.id})
             for item in items]
    known = {item.id for item in items}
    pairs += [(value, _("%(id)s — not in the plan") % {"id": value})
              for value in dict.fromkeys(current) if value and value not in known]
    return pairs


def _title(item: Any) -> str:
    return str(getattr(item, "title", None) or getattr(item, "name", None) or item.id)


# --- the form ---------------------------------------------------------------------------

class LooseMultipleChoiceField(forms.MultipleChoiceField):
    """Checkboxes that accept any posted value: pydantic and the rules judge them."""

    def valid_value(self, value: str) -> bool:
        return True


WIDGET_ATTRS: dict[str, dict[str, Any]] = {
    "text": {"maxlength": 500},
    "longtext": {"rows": 4, "maxlength": 20_000},
    "lines": {"rows": 4},
    "id": {"maxlength": 63, "spellcheck": "false", "autocomplete": "off"},
    "number": {"step": "any", "inputmode": "decimal"},
    "integer": {"step": "1", "inputmode": "numeric"},
    "date": {"type": "date"},
    "date_or_text": {"maxlength": 500},
}


def form_field(spec: FieldSpec, plan: Plan | None, lang: str,
               current: Iterable[str] = ()) -> forms.Field:
    """The Django form field for one input of the plan."""
    key = f"{spec.model.__name__}.{spec.field}"
    help_text = FIELD_HELP.get(key) or KIND_HELP.get(spec.kind, "")
    described = f"id_{spec.name}_helptext live-{spec.name}" if help_text else f"live-{spec.name}"
    attrs: dict[str, Any] = {"aria-describedby": described, **WIDGET_ATTRS.get(spec.kind, {})}
    if spec.required:
        attrs["aria-required"] = "true"
    common: dict[str, Any] = {"required": False, "help_text": help_text,
                              "label": field_label(spec.model, spec.field, lang)}
    if spec.kind == "bool":
        return forms.BooleanField(widget=forms.CheckboxInput(attrs), **common)
    if spec.kind in {"refs", "choices"}:
        return LooseMultipleChoiceField(choices=_choices(spec, plan, lang, current),
                                        widget=forms.CheckboxSelectMultiple(attrs), **common)
    return forms.CharField(strip=False, widget=_widget(spec, plan, lang, current, attrs),
                           **common)


def _widget(spec: FieldSpec, plan: Plan | None, lang: str, current: Iterable[str],
            attrs: dict[str, Any]) -> forms.Widget:
    if spec.kind in {"choice", "ref"}:
        choices = _choices(spec, plan, lang, current)
        if spec.shape.nullable or spec.default is None:
            choices = [("", "—"), *choices]
        return forms.Select(attrs, choices=choices)
    if spec.kind in {"longtext", "lines"}:
        return forms.Textarea(attrs)
    if spec.kind in {"number", "integer"}:
        return forms.NumberInput(attrs)
    return forms.TextInput(attrs)


def _choices(spec: FieldSpec, plan: Plan | None, lang: str, current: Iterable[str]) -> list[Any]:
    if spec.ref is not None:
        return reference_choices(spec.ref, plan, current)
    return literal_choices(spec.shape.choices, lang)


class PlanPartForm(forms.Form):
    """A form for one part of the plan (or the wizard), generated from its specs."""

    base = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, specs: Iterable[Spec], *, plan: Plan | None, lang: str,
                 data: Mapping[str, Any] | None = None,
                 initial: Mapping[str, Any] | None = None) -> None:
        super().__init__(data=data, initial=dict(initial or {}), label_suffix="")
        self.specs = tuple(specs)
        for spec in flatten(self.specs):
            self.fields[spec.name] = form_field(spec, plan, lang, self._current(spec))

    def _current(self, spec: FieldSpec) -> list[str]:
        """Values shown or posted, so that an id naming nothing stays selectable."""
        if spec.ref is None:
            return []
        shown = self.initial.get(spec.name) or []
        values = [shown] if isinstance(shown, str) else list(shown)
        if self.data:
            getter = getattr(self.data, "getlist", None)
            values += getter(spec.name) if getter else [self.data.get(spec.name) or ""]
        return [str(v) for v in values]

    def raw(self) -> dict[str, Any]:
        """The posted values of the plan's inputs, as the form read them."""
        return {name: value for name, value in self.cleaned_data.items() if name != "base"}

    def input_errors(self) -> dict[str, list[str]]:
        """What the form itself refused (a null character, a bad base), by input ('' for none)."""
        return {("" if name in {NON_FIELD_ERRORS, "base"} else name):
                [str(m) for m in messages] for name, messages in self.errors.items()}

    def add_errors(self, errors: Mapping[str, list[str]]) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def blocks(self, slots: Mapping[str, Slot]) -> list[Block]:
        """The inputs and fieldsets in the model's order, each with its place for findings."""
        return [self._block(spec, slots) for spec in self.specs]

    def _block(self, spec: Spec, slots: Mapping[str, Slot]) -> Block:
        slot = slots.get(spec.name) or Slot(spec.name)
        if isinstance(spec, GroupSpec):
            legend = str(FIELD_LABELS[f"{spec.model.__name__}.{spec.field}"])
            if spec.index is not None:
                legend = f"{legend} {spec.index + 1}"
            return Block(spec.name, legend, slot,
                         children=[self._block(member, slots) for member in spec.members])
        bound = self[spec.name]
        return Block(spec.name, str(bound.label), slot, field=bound, required=spec.required,
                     kind=spec.kind)


# --- what an editor page shows ------------------------------------------------------------

@dataclass
class Slot:
    """A place on the page for the errors and findings of one input, fieldset or list."""

    name: str
    errors: list[str] = dataclasses.field(default_factory=list)
    findings: list[Finding] = dataclasses.field(default_factory=list)

    @property
    def id(self) -> str:
        return f"live-{self.name}"


@dataclass
class Block:
    """An input, or a fieldset of inputs, as the template lays it out."""

    name: str
    label: str
    slot: Slot
    field: forms.BoundField | None = None
    children: list[Block] = dataclasses.field(default_factory=list)
    required: bool = False
    kind: str = ""

    @property
    def is_group(self) -> bool:
        return self.field is None

    @property
    def is_multiple(self) -> bool:
        return self.kind in {"refs", "choices"}

    @property
    def is_checkbox(self) -> bool:
        return self.kind == "bool"


def slots_of(findings: Mapping[str, list[Finding]],
             errors: Mapping[str, list[str]] | None = None) -> dict[str, Slot]:
    """A slot per place, with its findings and (from a form that did not save) its errors."""
    names = set(findings) | set(errors or {})
    slots = {name: Slot(name, list((errors or {}).get(name, [])), list(findings.get(name, [])))
             for name in names}
    slots.setdefault(NODE_SLOT, Slot(NODE_SLOT))
    if errors and "" in errors:
        slots[NODE_SLOT].errors += errors[""]
    return slots


@dataclass
class Row:
    """An item of a list as its list shows it."""

    index: int
    where: str
    title: str
    slot: Slot
    first: bool
    last: bool

    @property
    def counts(self) -> dict[str, int]:
        return dict(counts(self.slot.findings))


@dataclass
class ListPart:
    """A list of items with its rows, shown on its own page or inside its parent's."""

    id: str
    where: str
    label: str
    rows: list[Row]
    slot: Slot


def list_part(node: Node, items: Sequence[Any], plan: Plan, lang: str,
              findings: Mapping[str, list[Finding]], element_id: str) -> ListPart:
    """The rows of the list at ``node``; their findings come from ``findings['item-N']``."""
    name = element_id.removeprefix("live-")
    rows = [Row(i, where_of((*node.path, i)), title_of(item, plan),
                Slot(f"{name}-item-{i}", findings=list(findings.get(f"item-{i}", []))),
                i == 0, i == len(items) - 1)
            for i, item in enumerate(items)]
    return ListPart(element_id, node.where, node_label(node.path, plan, lang), rows,
                    Slot(f"{name}-findings", findings=list(findings.get(NODE_SLOT, []))))


def title_of(item: Any, plan: Plan) -> str:
    """What names an item in a list: its title, name, metric, area, topic…"""
    for name in TITLE_FIELDS:
        value = getattr(item, name, None)
        if value in (None, ""):
            continue
        if name == "network":
            return labels.label("network", str(value), _lang())
        if name == "channel":
            channel = plan.channel(str(value))
            return channel.name if channel else str(value)
        if isinstance(value, dt.date):
            target = getattr(item, "target", None)
            shown = date_format(value, "SHORT_DATE_FORMAT")
            return f"{shown} → {number_format(target)}" if target is not None else shown
        return str(value)
    return _("(untitled)")


def _lang() -> str:
    return get_language() or "en"


def node_label(path: tuple[str | int, ...], plan: Plan, lang: str) -> str:
    """What a part of the plan is called: a section's or list's label, an item's title."""
    if not path:
        return _("General")
    if isinstance(path[-1], int):
        try:
            return title_of(node_value(plan, node_at(path)), plan)
        except NotFound:
            return _("New item")
    parent = node_at(path[:-1]).model if len(path) > 1 else Plan
    return field_label(parent, path[-1], lang)


def breadcrumbs(path: tuple[str | int, ...], plan: Plan,
                lang: str) -> list[tuple[str, str]]:
    """(label, where) of every part above and including ``path``."""
    if not path:
        return [(_("General"), where_of(()))]
    return [(node_label(path[:k], plan, lang), where_of(path[:k]))
            for k in range(1, len(path) + 1)]


def new_item_label(node: Node, plan: Plan, lang: str) -> str:
    """The heading of a new item's page."""
    return _("A new item in “%(list)s”") % {"list": node_label(node.path, plan, lang)}


__all__ = [
    "Block", "ListPart", "PlanPartForm", "Row", "Slot", "breadcrumbs", "choice_kind",
    "field_label", "form_field", "list_part", "literal_choices", "new_item_label",
    "node_label", "reference_choices", "slots_of", "title_of",
]
