"""The plan file's JSON Schema, for editors (yaml-language-server) and validators."""

from __future__ import annotations

import json
from typing import Any

from kanava.plans.model import Plan

SCHEMA_ID = "urn:kanava:schema:plan:1"
#: The schema's file name beside a plan; `kanava plan new` writes it there.
SCHEMA_FILE = "plan.schema.json"


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a plan file."""
    schema = Plan.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
