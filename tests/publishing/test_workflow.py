"""A post's life, step by step, and who may approve it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kanava.publishing.workflow import (
    TRANSITIONS,
    Event,
    State,
    WorkflowError,
    after_edit,
    approve,
    missed,
    schedule,
    step,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def test_the_happy_path_reaches_published() -> None:
    state = State.DRAFT
    for event in (Event.SUBMIT, Event.APPROVE, Event.SCHEDULE, Event.CLAIM, Event.SUCCEED):
        state = step(state, event)
    assert state == State.PUBLISHED


def test_an_unknown_outcome_is_unconfirmed_until_reconciled() -> None:
    state = step(State.PUBLISHING, Event.LOSE)
    assert state == State.UNCONFIRMED
    assert step(state, Event.SUCCEED) == State.PUBLISHED
    assert step(state, Event.FAIL) == State.FAILED


def test_an_unconfirmed_post_is_never_claimed_again() -> None:
    with pytest.raises(WorkflowError):
        step(State.UNCONFIRMED, Event.CLAIM)


def test_a_published_post_cannot_be_changed() -> None:
    with pytest.raises(WorkflowError) as raised:
        after_edit(State.PUBLISHED)
    assert raised.value.render("fi") == ("Julkaisua, jonka tila on julkaistu, ei voi enää "
                                         "muuttaa.")


@pytest.mark.parametrize("state", [State.IN_REVIEW, State.APPROVED, State.SCHEDULED])
def test_a_change_after_review_started_sends_it_back(state: State) -> None:
    assert after_edit(state) == State.IN_REVIEW


def test_a_draft_stays_a_draft_when_edited() -> None:
    assert after_edit(State.DRAFT) == State.DRAFT


@pytest.mark.parametrize("role", ["owner", "lead"])
def test_a_lead_or_owner_approves_even_their_own_post(role: str) -> None:
    assert approve(State.IN_REVIEW, role, is_author=True,
                   owns_every_channel=False) == State.APPROVED


def test_a_channel_owner_approves_someone_elses_post() -> None:
    assert approve(State.IN_REVIEW, "editor", is_author=False,
                   owns_every_channel=True) == State.APPROVED


def test_an_editor_cannot_approve_their_own_post() -> None:
    with pytest.raises(WorkflowError, match="your own post"):
        approve(State.IN_REVIEW, "editor", is_author=True, owns_every_channel=True)


@pytest.mark.parametrize("role", ["editor", "expert", "viewer", None])
def test_others_cannot_approve(role: str | None) -> None:
    with pytest.raises(WorkflowError, match="Only a Lead"):
        approve(State.IN_REVIEW, role, is_author=False, owns_every_channel=False)


def test_blocking_findings_stop_approval() -> None:
    with pytest.raises(WorkflowError, match="block publishing"):
        approve(State.IN_REVIEW, "lead", is_author=False, owns_every_channel=False,
                blocking_findings=["text-too-long"])


def test_a_post_is_scheduled_only_for_the_future() -> None:
    assert schedule(State.APPROVED, NOW + timedelta(hours=1), NOW) == State.SCHEDULED
    with pytest.raises(WorkflowError, match="passed"):
        schedule(State.APPROVED, NOW - timedelta(minutes=1), NOW)


def test_a_post_not_approved_by_its_time_is_missed() -> None:
    past = NOW - timedelta(minutes=5)
    assert missed(State.IN_REVIEW, past, NOW)
    assert missed(State.APPROVED, past, NOW)
    assert not missed(State.SCHEDULED, past, NOW)
    assert not missed(State.IN_REVIEW, NOW + timedelta(hours=1), NOW)
    assert not missed(State.DRAFT, None, NOW)


def test_every_state_can_be_reached_from_a_draft() -> None:
    reached = {State.DRAFT}
    changed = True
    while changed:
        before = len(reached)
        reached |= {target for (source, _), target in TRANSITIONS.items() if source in reached}
        changed = len(reached) != before
    assert reached == set(State)
