"""The fixed cast of the web tests: one person in every role of 'acme', and an outsider
who is the owner of another organization."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kanava.accounts.models import Organization
from kanava.accounts.roles import Role
from kanava.accounts.services import do_create_organization, do_create_user, do_set_role
from kanava.planstore.models import PlanDocument
from kanava.planstore.services import do_import_plan

PASSWORD = "correct horse battery 9"  # noqa: S105 - test password
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ROLES = ("owner", "lead", "editor", "expert", "viewer")


@dataclass
class Cast:
    organization: Organization
    other: Organization
    plan: PlanDocument
    other_plan: PlanDocument
    users: dict[str, Any]

    def client(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            client.force_login(self.users[who])
        return client


@pytest.fixture
def cast(db: None) -> Cast:
    users = {name: do_create_user(name, f"{name}@example.org", PASSWORD,
                                  first_name=name.title())
             for name in (*ROLES, "outsider")}
    acme = do_create_organization(users["owner"], "Acme", slug="acme", language="en")
    for name in ROLES[1:]:
        do_set_role(acme, users["owner"], users[name], Role(name))
    other = do_create_organization(users["outsider"], "Other", slug="other")
    text = (EXAMPLES / "en-company.yaml").read_text(encoding="utf-8")
    plan = do_import_plan(acme, users["lead"], text)
    other_plan = do_import_plan(other, users["outsider"],
                                (EXAMPLES / "fi-kunta.yaml").read_text(encoding="utf-8"))
    return Cast(acme, other, plan, other_plan, users)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Hashing with MD5 in tests only: the real hasher takes a third of a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
