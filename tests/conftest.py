"""Shared fixtures: a complete plan on which no rule fires, to mutate in tests."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

TODAY = dt.date(2026, 11, 22)

GOOD_PLAN: dict[str, Any] = {
    "kanava": 1,
    "title": "Social media plan 2026–2027",
    "language": "en",
    "summary": "We listen to residents where they are and answer within a day.",
    "organization": {"name": "Town of Testby", "kind": "municipality"},
    "questions": {
        "who": "Residents, local businesses and our own staff.",
        "what": "Faster answers and more participation.",
        "how": "Daily follow-up and a content calendar.",
        "tools": "Facebook, Instagram and the intranet.",
    },
    "people": [
        {"id": "anna", "name": "Anna Lind", "role": "Communications director"},
        {"id": "ben", "name": "Ben Ek", "role": "Community manager"},
        {"id": "cia", "name": "Cia Berg", "role": "Mayor"},
    ],
    "starting_point": {"staff_skills": {"level": "basic"}},
    "audiences": [
        {"id": "residents", "name": "Residents", "kind": "residents", "needs": ["Service news"],
         "online": ["facebook", "instagram"]},
        {"id": "partners", "name": "Partners", "kind": "partners", "needs": ["Cooperation"],
         "online": ["facebook"]},
        {"id": "staff", "name": "Staff", "kind": "employees", "scope": "internal",
         "needs": ["Shared news"]},
    ],
    "benchmarks": [{"name": "Neighbour town", "channels": [{"network": "facebook"}]}],
    "goals": [
        {"id": "answers", "title": "Answer residents within a day", "horizon": "short",
         "category": "customer_service", "objective": "listen", "owner": "ben",
         "customer_benefit": "Residents get answers quickly.", "audiences": ["residents"],
         "kpis": [{"metric": "median answer time", "unit": "hours", "baseline": 48,
                   "target": 24, "deadline": "2027-06-30"}]},
        {"id": "participation", "title": "More residents take part", "horizon": "long",
         "category": "cooperation", "objective": "embrace", "owner": "anna",
         "customer_benefit": "Residents shape their town.",
         "kpis": [{"metric": "comments per month", "baseline": 100, "target": 300,
                   "deadline": "2027-12-31"}]},
        {"id": "sharing", "title": "Staff share what they know", "horizon": "long",
         "scope": "internal", "category": "shared_content", "objective": "support",
         "owner": "anna",
         "kpis": [{"metric": "intranet posts", "baseline": 5, "target": 20,
                   "deadline": "2027-12-31"}]},
    ],
    "gap_analysis": [
        {"area": "Answer time", "today": "Two days", "target": "One day",
         "actions": ["Daily rota"]},
    ],
    "channels": [
        {"id": "fb", "name": "Testby on Facebook", "network": "facebook",
         "purpose": "Dialogue with residents about services.", "goals": ["answers"],
         "audiences": ["residents", "partners"], "content_types": ["text", "image"],
         "cadence": {"posts": 5, "per": "week"}, "owner": "ben", "marketing_share": 0.05,
         "hours_per_week": 6},
        {"id": "ig", "name": "Testby on Instagram", "network": "instagram",
         "purpose": "Show everyday life in town in pictures.", "goals": ["participation"],
         "audiences": ["residents"], "content_types": ["image", "story"],
         "cadence": {"posts": 3, "per": "week"}, "owner": "ben", "hours_per_week": 3},
        {"id": "intra", "name": "Intranet", "network": "intranet",
         "purpose": "Share news and know-how between units.", "goals": ["sharing"],
         "audiences": ["staff"], "content_types": ["text"], "owner": "anna",
         "hours_per_week": 2},
    ],
    "content": {
        "themes": [{"id": "services", "name": "Services", "goals": ["answers"],
                    "channels": ["fb"]}],
        "formats": [{"channel": "fb", "types": ["text", "image"]}],
        "calendar": [{"when": "2027-05", "title": "Town festival", "theme": "services",
                      "channels": ["fb", "ig"]}],
    },
    "responsibilities": {
        "press": ["cia"], "daily": ["ben"],
        "experts": [{"topic": "Schools", "people": ["anna"]}],
        "representatives": ["cia", "anna"],
    },
    "resources": {"hours_per_week": 12},
    "guidelines": {
        "staff": {q: f"Answer to {q}." for q in
                  ("what", "what_not", "how", "where", "who", "to_whom", "why", "why_not")},
        "expected_of_employees": "Follow the town's channels and share what you can.",
        "negative_feedback": "Thank, correct facts politely, move personal cases to e-mail.",
    },
    "training": [{"topic": "Writing for social media", "owner": "anna"}],
    "management_commitment": {"statement": "We want to be where residents are.", "by": "cia"},
    "monitoring": {"own": ["fb", "ig"], "external": [{"name": "Local news comments"}],
                   "keywords": ["Testby"]},
    "review": {"cycle": "quarterly", "next": "2027-02-01", "owner": "anna"},
}


@pytest.fixture
def plan_data() -> dict[str, Any]:
    """A deep copy of a plan that passes every rule, to be broken one way per test."""
    return copy.deepcopy(GOOD_PLAN)
