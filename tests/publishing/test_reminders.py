"""Channel owners hear, in their language, when the plan's interval runs out unfilled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kanava.accounts.models import Profile
from kanava.accounts.services import do_create_user
from kanava.planstore.services import do_import_plan
from kanava.publishing import reminders, services
from kanava.publishing.services import VariantInput
from tests.publishing.conftest import Team

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
PLAN = (Path(__file__).parents[2] / "examples" / "en-company.yaml").read_text(encoding="utf-8")
LAURA = "laura.saarinen@kuura-outdoor.example"  # owns the plan's Facebook channel


def _post(team: Team, channel: str, when: datetime) -> None:
    plan = team.organization.plans.first()
    services.create_post(team.organization, team.editor,
                         [VariantInput(channel, channel, "Hello. What do you think?")],
                         publish_at=when, plan=plan)


@pytest.fixture
def planned(team: Team) -> Team:
    do_import_plan(team.organization, team.lead, PLAN)
    return team


def test_the_owner_of_a_channel_running_dry_is_told(planned: Team,
                                                    mailoutbox: list[Any]) -> None:
    _post(planned, "facebook", NOW - timedelta(days=3))  # three a week: overdue already
    _post(planned, "linkedin", NOW - timedelta(days=1))  # two a week: due in 2.5 days
    found = reminders.stale_channels(planned.organization, NOW)
    assert [(s.channel, s.owner_email) for s in found] == [("facebook", LAURA)]
    assert reminders.warn_stale_channels(NOW) == 1
    [mail] = mailoutbox
    assert mail.to == [LAURA]
    assert "Kuura Gear Talk" in mail.subject  # the plan's name of the channel


def test_a_planned_post_keeps_the_owner_in_peace(planned: Team,
                                                 mailoutbox: list[Any]) -> None:
    _post(planned, "facebook", NOW - timedelta(days=2))
    _post(planned, "facebook", NOW + timedelta(hours=6))
    _post(planned, "facebook", NOW + timedelta(days=2))
    assert reminders.warn_stale_channels(NOW) == 0
    assert mailoutbox == []


def test_channels_not_yet_used_here_and_owners_without_address_are_skipped(
        planned: Team, mailoutbox: list[Any]) -> None:
    assert reminders.stale_channels(planned.organization, NOW) == []  # nothing posted yet
    _post(planned, "linkedin", NOW - timedelta(days=10))  # its owner has no e-mail address
    assert [s.channel for s in reminders.stale_channels(planned.organization, NOW)] == [
        "linkedin"]
    assert reminders.warn_stale_channels(NOW) == 0


def test_a_member_owner_reads_it_in_their_language(planned: Team,
                                                   mailoutbox: list[Any]) -> None:
    laura = do_create_user("laura", LAURA, "pw-123456789")
    Profile.objects.update_or_create(user=laura, defaults={"language": "sv"})
    _post(planned, "facebook", NOW - timedelta(days=3))
    reminders.warn_stale_channels(NOW)
    [mail] = mailoutbox
    assert mail.subject.startswith("Inget planerat för")
