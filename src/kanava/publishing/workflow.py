"""A post's life: draft → in review → approved → scheduled → publishing → published,
failed or unconfirmed. Pure rules; the services store the result.

Who may approve comes from the plan: a Lead or an Owner, or the person the plan makes
owner of every channel the post goes to. An author who is neither cannot approve their
own post. A change to the content after review started sends the post back to review.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from kanava.i18n import N_, gettext


class State(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"  # the network was called; whether it published is unknown


class Event(StrEnum):
    SUBMIT = "submit"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    CLAIM = "claim"  # the worker takes a due post
    SUCCEED = "succeed"
    FAIL = "fail"
    LOSE = "lose"  # the call's outcome is unknown (timeout after sending)
    RETRY = "retry"  # a failed post goes back to the schedule, unchanged


STATE_NAMES = {
    State.DRAFT: N_("draft"), State.IN_REVIEW: N_("in review"), State.APPROVED: N_("approved"),
    State.SCHEDULED: N_("scheduled"), State.PUBLISHING: N_("publishing"),
    State.PUBLISHED: N_("published"), State.FAILED: N_("failed"),
    State.UNCONFIRMED: N_("unconfirmed"),
}

TRANSITIONS: dict[tuple[State, Event], State] = {
    (State.DRAFT, Event.SUBMIT): State.IN_REVIEW,
    (State.IN_REVIEW, Event.REQUEST_CHANGES): State.DRAFT,
    (State.IN_REVIEW, Event.APPROVE): State.APPROVED,
    (State.APPROVED, Event.SCHEDULE): State.SCHEDULED,
    (State.SCHEDULED, Event.UNSCHEDULE): State.APPROVED,
    (State.SCHEDULED, Event.CLAIM): State.PUBLISHING,
    (State.PUBLISHING, Event.SUCCEED): State.PUBLISHED,
    (State.PUBLISHING, Event.FAIL): State.FAILED,
    (State.PUBLISHING, Event.LOSE): State.UNCONFIRMED,
    # Reconciliation reads the network and settles an unknown outcome either way.
    (State.UNCONFIRMED, Event.SUCCEED): State.PUBLISHED,
    (State.UNCONFIRMED, Event.FAIL): State.FAILED,
    (State.FAILED, Event.RETRY): State.SCHEDULED,
}

EDITABLE = frozenset({State.DRAFT, State.IN_REVIEW, State.APPROVED, State.SCHEDULED,
                      State.FAILED})
APPROVER_ROLES = frozenset({"owner", "lead"})


class WorkflowError(Exception):
    """A step the rules refuse; ``message`` is a msgid of the kanava catalog."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params

    def render(self, lang: str | None) -> str:
        params = {key: gettext(STATE_NAMES[value], lang) if isinstance(value, State) else value
                  for key, value in self.params.items()}
        return gettext(self.message, lang, **params)


def step(state: State, event: Event) -> State:
    """The state after ``event``, or WorkflowError when the rules have no such step."""
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise WorkflowError(N_("That cannot be done to a post whose state is {state}."),
                            state=state) from None


def after_edit(state: State) -> State:
    """The state after the content changed: back to review once review has started."""
    if state not in EDITABLE:
        raise WorkflowError(N_("A post whose state is {state} can no longer be changed."),
                            state=state)
    return State.DRAFT if state == State.DRAFT else State.IN_REVIEW


def may_approve(role: str | None, *, is_author: bool, owns_every_channel: bool) -> bool:
    """Whether this member may approve the post."""
    if role in APPROVER_ROLES:
        return True
    return owns_every_channel and not is_author and role is not None


def approve(
    state: State, role: str | None, *, is_author: bool, owns_every_channel: bool,
    blocking_findings: Iterable[object] = (),
) -> State:
    """The state after approval, or the reason it is refused."""
    if not may_approve(role, is_author=is_author, owns_every_channel=owns_every_channel):
        if is_author and owns_every_channel:
            raise WorkflowError(N_("You cannot approve your own post: ask a Lead or another "
                                   "channel owner."))
        raise WorkflowError(N_("Only a Lead, an Owner or the owner of every channel of the "
                               "post can approve it."))
    if any(True for _ in blocking_findings):
        raise WorkflowError(N_("The post has errors that block publishing: fix them first."))
    return step(state, Event.APPROVE)


def schedule(state: State, publish_at: datetime, now: datetime) -> State:
    """The state once an approved post has its time in the calendar."""
    if publish_at <= now:
        raise WorkflowError(N_("The publish time has passed: choose a later one."))
    return step(state, Event.SCHEDULE)


def missed(state: State, publish_at: datetime | None, now: datetime) -> bool:
    """A post whose time came before it was approved and scheduled: it is not published,
    and its author must be told (never dropped silently)."""
    waiting = state in (State.DRAFT, State.IN_REVIEW, State.APPROVED)
    return waiting and publish_at is not None and publish_at <= now
