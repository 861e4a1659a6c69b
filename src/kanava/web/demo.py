"""The demo organizations: the example plans, and a person in every role.

``kanava demo`` loads them (again and again, without duplicates) and prints the log-ins.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from kanava.accounts.models import Organization
from kanava.accounts.roles import Role
from kanava.accounts.services import do_create_organization, do_set_role
from kanava.planstore.services import do_import_plan

DEMO_PASSWORD = "kanava-demo-2026"  # noqa: S105 - a published demo password, on purpose


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    example: str
    timezone: str
    language: str


ORGANIZATIONS = (
    DemoOrganization("jarvela", "Järvelän kaupunki", "fi-kunta.yaml", "Europe/Helsinki", "fi"),
    DemoOrganization("husbanken", "Husbanken", "nb-husbanken.yaml", "Europe/Oslo", "nb"),
    DemoOrganization("kuura", "Kuura Outdoor Oy", "en-company.yaml", "Europe/Helsinki", "en"),
)
#: (user name, full name, role) — the same people in every demo organization.
PEOPLE = (
    ("owner", "Olivia Owner", Role.OWNER),
    ("lead", "Leo Lead", Role.LEAD),
    ("editor", "Edith Editor", Role.EDITOR),
    ("expert", "Esko Expert", Role.EXPERT),
    ("viewer", "Veera Viewer", Role.VIEWER),
)


def examples_dir() -> Path:
    """examples/ of a source checkout, or the copy packed into the wheel."""
    checkout = Path(__file__).resolve().parents[3] / "examples"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parents[1] / "examples"


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create what is missing of the demo; return (user name, password, role) to print."""
    users = {name: _user(name, full) for name, full, _role in PEOPLE}
    for demo in ORGANIZATIONS:
        organization = Organization.objects.filter(slug=demo.slug).first()
        if organization is None:
            organization = do_create_organization(users["owner"], demo.name, slug=demo.slug,
                                                  timezone_name=demo.timezone,
                                                  language=demo.language)
        for name, _full, role in PEOPLE:
            if organization.role_of(users[name]) is None:
                do_set_role(organization, users["owner"], users[name], role)
        if not organization.plans.exists():
            text = (examples_dir() / demo.example).read_text(encoding="utf-8")
            do_import_plan(organization, users["lead"], text, demo.example)
    return [(name, DEMO_PASSWORD, str(role.label)) for name, _full, role in PEOPLE]


def _user(username: str, full_name: str) -> object:
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    if user is None:
        first, last = full_name.split(" ", 1)
        user = model.objects.create_user(username=username, password=DEMO_PASSWORD,
                                         email=f"{username}@kanava.invalid",
                                         first_name=first, last_name=last)
    return user
