"""An organization with a lead and an editor, and an in-memory network for the outbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from kanava.accounts.models import Organization
from kanava.accounts.roles import Role
from kanava.accounts.services import do_create_organization, do_create_user, do_set_role
from kanava.connectors.base import ConnectorError, Outgoing, Receipt
from kanava.publishing.models import Attempt


@dataclass
class Team:
    organization: Organization
    lead: Any
    editor: Any


@pytest.fixture
def team(db: None, settings: Any) -> Team:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    lead = do_create_user("lead", "lead@example.org", "pw-123456789")
    editor = do_create_user("editor", "editor@example.org", "pw-123456789")
    organization = do_create_organization(lead, "Testby", slug="testby")
    do_set_role(organization, lead, editor, Role.EDITOR)
    return Team(organization, lead, editor)


@dataclass
class FakeNetwork:
    """Publishes into a dict, keyed as a real network keys idempotent requests.

    ``fail_with`` raises on the next publish (after "sending" when ``sent`` is set).
    """

    posts: dict[str, Outgoing] = field(default_factory=dict)
    calls: int = 0
    fail_with: ConnectorError | Exception | None = None
    attempts_seen: list[int] = field(default_factory=list)

    def publish(self, post: Outgoing, *, key: str) -> Receipt:
        self.calls += 1
        # The attempt must be on record before the network is called.
        self.attempts_seen.append(Attempt.objects.filter(outcome="pending").count())
        error, self.fail_with = self.fail_with, None
        if isinstance(error, ConnectorError) and error.sent:
            self.posts.setdefault(key, post)
        if error is not None:
            raise error
        self.posts.setdefault(key, post)
        return Receipt(f"id-{key[:8]}", f"https://social.example/{key[:8]}")

    def find(self, post: Outgoing, *, key: str, since: datetime) -> Receipt | None:
        return Receipt(f"id-{key[:8]}") if key in self.posts else None

    def close(self) -> None:
        pass

    def delete(self, external_id: str) -> None:
        self.posts = {k: v for k, v in self.posts.items() if not external_id.endswith(k[:8])}


@pytest.fixture
def network() -> FakeNetwork:
    return FakeNetwork()
