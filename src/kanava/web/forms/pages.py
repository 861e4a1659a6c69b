"""What each editor page shows: the form, the findings in their places, the lists, a summary.

The views resolve the plan and the part being edited and hand them here; these
functions only arrange what :mod:`kanava.planstore.editing` and the rule checks say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kanava.plans.loader import plan_data
from kanava.plans.model import Plan
from kanava.plans.rules import Finding, check, counts
from kanava.planstore.editing import (
    NODE_SLOT,
    Node,
    every_spec,
    initial,
    layout,
    node_at,
    node_value,
    place_findings,
    section_of,
    sections,
    slot_map,
    value_at,
    where_of,
)
from kanava.web.forms.labels import SECTION_HELP
from kanava.web.forms.plan import (
    Block,
    ListPart,
    PlanPartForm,
    Slot,
    breadcrumbs,
    list_part,
    new_item_label,
    node_label,
    slots_of,
)


@dataclass
class Summary:
    """Findings counted for the whole plan and for the part on the page."""

    whole: dict[str, int]
    part: dict[str, int]
    invalid: bool = False


def summary(findings: Iterable[Finding], placed: Mapping[str, list[Finding]],
            *, invalid: bool = False) -> Summary:
    mine = [f for found in placed.values() for f in found]
    return Summary(_count(findings), _count(mine), invalid)


def _count(findings: Iterable[Finding]) -> dict[str, int]:
    found = counts(findings)
    return {severity: found.get(severity, 0) for severity in ("error", "warning", "info")}


@dataclass
class EditPage:
    """An editor page of one part of the plan, or of a new item."""

    node: Node
    form: PlanPartForm
    blocks: list[Block]
    slots: dict[str, Slot]
    lists: list[ListPart]
    summary: Summary
    crumbs: list[tuple[str, str]]
    title: str
    help: str
    new: bool = False

    @property
    def node_slot(self) -> Slot:
        return self.slots[NODE_SLOT]

    @property
    def live_slots(self) -> list[Slot]:
        """The slots the live check refreshes: the form's own and each input's."""
        names = [NODE_SLOT, *(spec.name for spec in every_spec(self.form.specs))]
        return [self.slots.get(name) or Slot(name) for name in names]

    @property
    def form_where(self) -> str:
        """The part the form is posted to: a new item's list, or the part itself."""
        return where_of(self.node.path[:-1]) if self.new else self.node.where


def part_form(node: Node, plan: Plan, lang: str, base: int, *, new: bool = False,
              data: Mapping[str, Any] | None = None) -> PlanPartForm:
    """The form of ``node`` (of a new item of the list ``node`` when ``new``)."""
    specs = layout(node.model) if new else node.layout()
    shown = {} if new else value_at(plan_data(plan), node.path)
    return PlanPartForm(specs, plan=plan, lang=lang, data=data,
                        initial={**initial(specs, shown), "base": base})


def edit_page(node: Node, plan: Plan, form: PlanPartForm, lang: str, *,
              new: bool = False, errors: Mapping[str, list[str]] | None = None,
              checked: Plan | None = None) -> EditPage:
    """The page of ``node``; findings come from ``checked`` (the form applied) if given."""
    shown = checked or plan
    target = _target(node, plan, new)
    findings = check(shown, lang=lang)
    placed = place_findings(findings, target, slot_map(target, form.specs))
    slots = slots_of(placed, errors)
    lists = [] if new or not target.path else [
        _child_list(target, child.field, shown, findings, lang)
        for child in target.children() if child.is_list
    ]
    title = new_item_label(node, plan, lang) if new else node_label(node.path, plan, lang)
    return EditPage(target, form, form.blocks(slots), slots, lists,
                    summary(findings, placed, invalid=bool(errors)),
                    breadcrumbs(node.path, plan, lang), title,
                    str(SECTION_HELP.get(node.where, "")), new)


def _target(node: Node, plan: Plan, new: bool) -> Node:
    """The node whose findings a page shows: a new item's place is one past the list's end."""
    if not new:
        return node
    return node.item(len(node_value(plan, node)))


def _child_list(parent: Node, name: str, plan: Plan, findings: list[Finding],
                lang: str) -> ListPart:
    node = node_at((*parent.path, name))
    items = node_value(plan, node)
    placed = place_findings(findings, node, slot_map(node, (), len(items)))
    return list_part(node, items, plan, lang, placed, f"live-list-{name}")


@dataclass
class ListPage:
    """The page of a list of items."""

    node: Node
    part: ListPart
    summary: Summary
    crumbs: list[tuple[str, str]]
    title: str
    help: str


def list_page(node: Node, plan: Plan, lang: str) -> ListPage:
    items = node_value(plan, node)
    findings = check(plan, lang=lang)
    placed = place_findings(findings, node, slot_map(node, (), len(items)))
    return ListPage(node, list_part(node, items, plan, lang, placed, "live-list"),
                    summary(findings, placed), breadcrumbs(node.path, plan, lang),
                    node_label(node.path, plan, lang), str(SECTION_HELP.get(node.where, "")))


@dataclass
class SectionCard:
    """A section on the editor's first page, with its findings counted."""

    node: Node
    label: str
    help: str
    counts: dict[str, int]
    part: ListPart | None = None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Overview:
    cards: list[SectionCard]
    summary: Summary


def overview(plan: Plan, lang: str) -> Overview:
    """Every section of the plan with its findings; lists with their items."""
    nodes = sections()
    findings = check(plan, lang=lang)
    by_section: dict[str, list[Finding]] = {}
    for finding in findings:
        by_section.setdefault(section_of(finding, nodes), []).append(finding)
    cards = []
    for node in nodes:
        mine = by_section.get(node.where, [])
        part = None
        if node.is_list:
            items = node_value(plan, node)
            placed = place_findings(mine, node, slot_map(node, (), len(items)))
            part = list_part(node, items, plan, lang, placed, f"list-{node.where}")
        cards.append(SectionCard(node, node_label(node.path, plan, lang),
                                 str(SECTION_HELP.get(node.where, "")), _count(mine), part,
                                 mine))
    return Overview(cards, Summary(_count(findings), {}))
