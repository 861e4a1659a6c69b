"""Every rule fires on the plan it is about and stays quiet on a good plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kanava.plans.loader import load_text
from kanava.plans.model import Plan
from kanava.plans.rules import RULES, check
from tests.conftest import TODAY

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    """A mutation that sets a dotted path (``channels.0.owner``); ``...`` deletes it."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        key: Any = int(last) if last.isdigit() else last
        if value is ...:
            del node[key]
        else:
            node[key] = value

    return mutate


def _all(*mutations: Mutation) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        for mutation in mutations:
            mutation(data)

    return mutate


def _each_goal(key: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        for goal in data["goals"]:
            goal[key] = value

    return mutate


#: rule id → (mutation that breaks it, expected path of one finding)
CASES: dict[str, list[tuple[Mutation, str]]] = {
    "ref-unknown": [
        (_set("channels.0.owner", "nobody"), "channels[0].owner"),
        (_set("goals.0.audiences", ["aliens"]), "goals[0].audiences[0]"),
        (_set("channels.0.goals", ["fame"]), "channels[0].goals[0]"),
        (_set("content.calendar.0.theme", "nothing"), "content.calendar[0].theme"),
        (_set("monitoring.own", ["tiktok"]), "monitoring.own[0]"),
    ],
    "id-duplicate": [(_set("people.1.id", "anna"), "people[1].id")],
    "plan-four-questions": [(_set("questions.tools", "  "), "questions")],
    "plan-summary": [
        (_set("summary", ...), "summary"),
        (_set("summary", "word " * 121), "summary"),
    ],
    "review-cycle": [
        (_set("review", {}), "review"),
        (_set("review.next", "2026-01-01"), "review.next"),
    ],
    "audience-online": [(_set("audiences.0.online", []), "audiences[0].online")],
    "stakeholders": [
        (_set("audiences.1.kind", "customers"), "audiences"),
        (_set("audiences.0.needs", []), "audiences[0].needs"),
    ],
    "benchmark": [(_set("benchmarks", []), "benchmarks")],
    "internal-communication": [
        (_set("goals.2.scope", "external"), "goals"),
        (_set("channels.2.status", "retired"), "channels"),
    ],
    "goal-measure": [
        (_set("goals.0.kpis", []), "goals[0].kpis"),
        (_set("goals.1.kpis.0.deadline", ...), "goals[1].kpis[0]"),
    ],
    "goal-owner": [(_set("goals.0.owner", ...), "goals[0]")],
    "goal-objective": [(_set("goals.1.objective", ...), "goals[1]")],
    "goal-horizon": [
        (_set("goals.0.horizon", ...), "goals[0]"),
        (_each_goal("horizon", "long"), "goals"),
    ],
    "listening-goal": [
        (_all(_set("goals.0.objective", "talk"), _set("goals.0.category", "awareness"),
              _set("goals.1.category", "reputation")), "goals"),
    ],
    "customer-benefit": [(_set("goals.1.customer_benefit", ""), "goals[1]")],
    "gap-analysis": [
        (_set("gap_analysis", []), "gap_analysis"),
        (_set("gap_analysis.0.actions", []), "gap_analysis[0]"),
    ],
    "channel-goal": [
        (_set("channels.1.purpose", ...), "channels[1]"),
        (_set("channels.1.goals", []), "channels[1].goals"),
    ],
    "channel-audience": [(_set("channels.0.audiences", []), "channels[0]")],
    "channel-owner": [(_set("channels.1.owner", ...), "channels[1]")],
    "channel-cadence": [
        (_set("channels.0.cadence", ...), "channels[0]"),
        (_set("channels.0.cadence", {"posts": 1, "per": "quarter"}), "channels[0].cadence"),
    ],
    "channel-unused": [(_set("audiences.0.online", ["tiktok"]), "channels[1]")],
    "channel-distinct": [
        (_set("channels.1.purpose", "DIALOGUE with residents about services!"),
         "channels[1].purpose"),
    ],
    "channel-resources": [
        (_set("channels.0.hours_per_week", ...), "channels[0]"),
        (_set("resources.hours_per_week", 5), "resources.hours_per_week"),
        (_set("resources", {}), "resources"),
    ],
    "marketing-ratio": [(_set("channels.0.marketing_share", 0.1), "channels[0].marketing_share")],
    "content-media": [
        (_all(_set("channels.1.network", "youtube"), _set("audiences.0.online", ["youtube"])),
         "channels[1]"),
        (_set("channels.1.content_types", ["text"]), "channels[1]"),
        (_all(_set("channels.2.content_types", []), _set("content.formats", [])), "channels[2]"),
    ],
    "responsibility-press": [(_set("responsibilities.press", []), "responsibilities")],
    "responsibility-daily": [(_set("responsibilities.daily", []), "responsibilities")],
    "responsibility-expert": [
        (_set("responsibilities.experts", []), "responsibilities"),
        (_set("responsibilities.experts.0.people", []), "responsibilities.experts[0]"),
    ],
    "guideline-negative-feedback": [(_set("guidelines.negative_feedback", ...), "guidelines")],
    "guideline-staff": [
        (_set("guidelines.staff.why_not", ...), "guidelines.staff"),
        (_set("guidelines.expected_of_employees", ""), "guidelines"),
    ],
    "management-commitment": [(_set("management_commitment", {}), "management_commitment")],
    "skills-training": [
        (_set("starting_point.staff_skills", {}), "starting_point.staff_skills"),
        (_set("training", []), "training"),
    ],
    "monitoring-forums": [
        (_set("monitoring.own", []), "monitoring"),
        (_set("monitoring.external", []), "monitoring"),
        (_set("monitoring.keywords", []), "monitoring"),
    ],
}


def _findings(data: dict[str, Any], lang: str = "en") -> list[tuple[str, str]]:
    return [(f.rule, f.path) for f in check(Plan.model_validate(data), lang=lang, today=TODAY)]


def test_the_good_plan_has_no_findings(plan_data: dict[str, Any]) -> None:
    assert _findings(plan_data) == []


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize(
    ("rule_id", "mutation", "path"),
    [(rule_id, m, p) for rule_id, cases in CASES.items() for m, p in cases],
    ids=[f"{rule_id}-{i}" for rule_id, cases in CASES.items() for i in range(len(cases))],
)
def test_the_rule_fires_where_the_plan_breaks_it(
    plan_data: dict[str, Any], rule_id: str, mutation: Mutation, path: str
) -> None:
    mutation(plan_data)
    assert (rule_id, path) in _findings(plan_data)


def test_marketing_ratio_allows_exactly_one_in_twelve(plan_data: dict[str, Any]) -> None:
    plan_data["channels"][0]["marketing_share"] = 1 / 12
    assert _findings(plan_data) == []


def test_a_retired_channel_needs_nothing(plan_data: dict[str, Any]) -> None:
    plan_data["channels"].append({"id": "old", "name": "Old blog", "network": "blog",
                                  "status": "retired"})
    assert _findings(plan_data) == []


def test_the_review_date_today_has_not_passed(plan_data: dict[str, Any]) -> None:
    plan_data["review"]["next"] = TODAY.isoformat()
    assert _findings(plan_data) == []


def test_an_internal_channel_needs_no_cadence(plan_data: dict[str, Any]) -> None:
    assert "cadence" not in plan_data["channels"][2]
    assert not [f for f in _findings(plan_data) if f[0] == "channel-cadence"]


def test_guideline_staff_names_the_unanswered_questions(plan_data: dict[str, Any]) -> None:
    del plan_data["guidelines"]["staff"]["to_whom"]
    del plan_data["guidelines"]["staff"]["why_not"]
    [finding] = [f for f in check(Plan.model_validate(plan_data), today=TODAY)
                 if f.rule == "guideline-staff"]
    assert finding.message == "The staff guideline does not answer: to whom, why not."


def test_findings_point_at_the_line_of_the_field() -> None:
    text = """\
title: Plan
organization:
  name: Org
people:
  - id: anna
    name: Anna
channels:
  - id: fb
    name: Facebook
    network: facebook
    owner: bob
"""
    [finding] = [f for f in check(load_text(text), today=TODAY) if f.rule == "ref-unknown"]
    assert (finding.line, finding.column, finding.path) == (11, 12, "channels[0].owner")
    assert finding.severity == "error"
    assert finding.message == "'bob' is not a person of the plan (add it under 'people')."


def test_only_runs_the_named_rules(plan_data: dict[str, Any]) -> None:
    plan_data["channels"][0]["owner"] = "nobody"
    plan_data["benchmarks"] = []
    found = check(Plan.model_validate(plan_data), today=TODAY, only=["benchmark"])
    assert [f.rule for f in found] == ["benchmark"]


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_describes_itself(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.severity in {"error", "warning", "info"}
    assert rule.description.endswith(".")
