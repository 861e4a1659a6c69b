"""Posts through review and the outbox: published exactly once, never lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kanava.accounts.services import do_create_user
from kanava.connectors.base import ConnectorError, LookupUnsupported, Outgoing, Receipt
from kanava.publishing import services
from kanava.publishing.models import Attempt, Post, PostEvent, Variant
from kanava.publishing.services import EditConflict, VariantInput
from kanava.publishing.workflow import State, WorkflowError
from tests.publishing.conftest import FakeNetwork, Team

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
GOOD = [VariantInput("masto", "mastodon", "Kirjasto avaa uuden lukusalin. Mitä toivotte?"),
        VariantInput("bsky", "bluesky", "Uusi lukusali aukeaa maanantaina kirjastossa!")]


def _scheduled(team: Team, variants: list[VariantInput] = GOOD) -> Post:
    post = services.create_post(team.organization, team.editor, variants, publish_at=LATER)
    post = services.submit(post, team.editor)
    post = services.approve(post, team.lead, "lead", now=NOW)
    return services.schedule(post, team.lead, now=NOW)


def _publish_due(network: FakeNetwork, at: datetime = LATER) -> list[Attempt]:
    return [services.publish_claimed(v, network, "w1", clock=lambda: at)
            for v in services.claim_due(at, "w1")]


def test_a_post_goes_from_draft_to_published(team: Team, network: FakeNetwork) -> None:
    post = _scheduled(team)
    assert post.state == State.SCHEDULED
    assert services.claim_due(NOW, "w1") == []  # not due yet
    attempts = _publish_due(network)
    assert [a.outcome for a in attempts] == ["published", "published"]
    assert network.attempts_seen == [1, 1]  # each attempt was on record before its call
    post.refresh_from_db()
    assert post.state == State.PUBLISHED
    assert {v.external_url for v in post.variants.all()} == {
        f"https://social.example/{v.key[:8]}" for v in post.variants.all()}
    events = list(PostEvent.objects.filter(post=post).values_list("event", flat=True))
    assert events == ["created", "submit", "approve", "schedule"]


def test_a_due_variant_is_claimed_once(team: Team) -> None:
    _scheduled(team)
    first = services.claim_due(LATER, "w1")
    second = services.claim_due(LATER, "w2")
    assert len(first) == 2
    assert second == []


def test_an_editor_cannot_approve_their_own_post(team: Team) -> None:
    post = services.create_post(team.organization, team.editor, GOOD, publish_at=LATER)
    post = services.submit(post, team.editor)
    with pytest.raises(WorkflowError, match="Only a Lead"):
        services.approve(post, team.editor, "editor", now=NOW)


def test_a_blocking_finding_stops_approval(team: Team) -> None:
    post = services.create_post(team.organization, team.editor,
                                [VariantInput("bsky", "bluesky", "a" * 301)], publish_at=LATER)
    post = services.submit(post, team.editor)
    assert [f.check for f in services.findings(post, NOW)] == ["text-too-long"]
    with pytest.raises(WorkflowError, match="block publishing"):
        services.approve(post, team.lead, "lead", now=NOW)


def test_a_change_after_approval_sends_the_post_back(team: Team) -> None:
    post = _scheduled(team)
    changed = [VariantInput("masto", "mastodon", "Lukusali aukeaa tiistaina. Tuletko?")]
    post = services.edit_post(post, team.editor, revision=post.revision, variants=changed)
    assert post.state == State.IN_REVIEW
    assert post.approved_by is None
    assert list(post.variants.values_list("channel", "outbox")) == [("masto", "waiting")]
    assert services.claim_due(LATER, "w1") == []


def test_an_edit_on_a_stale_copy_is_refused(team: Team) -> None:
    post = services.create_post(team.organization, team.editor, GOOD)
    services.edit_post(post, team.editor, revision=post.revision, title="First")
    with pytest.raises(EditConflict):
        services.edit_post(post, team.lead, revision=post.revision, title="Second")


def test_a_failure_before_sending_is_retried_with_backoff(team: Team,
                                                          network: FakeNetwork) -> None:
    _scheduled(team, GOOD[:1])
    network.fail_with = ConnectorError("connection refused", permanent=False)
    [attempt] = _publish_due(network)
    assert attempt.outcome == "retry"
    variant = Variant.objects.get()
    assert (variant.outbox, variant.retries) == ("scheduled", 1)
    assert variant.due_at == LATER + services.RETRY_BACKOFF
    [attempt] = _publish_due(network, variant.due_at)
    assert attempt.outcome == "published"
    assert len(network.posts) == 1


def test_retries_are_bounded(team: Team, network: FakeNetwork) -> None:
    _scheduled(team, GOOD[:1])
    at = LATER
    for _ in range(services.MAX_RETRIES + 1):
        network.fail_with = ConnectorError("503", permanent=False)
        _publish_due(network, at)
        at += timedelta(days=1)
    variant = Variant.objects.get()
    assert variant.outbox == "failed"
    assert Post.objects.get().state == State.FAILED
    assert network.calls == services.MAX_RETRIES + 1


def test_a_permanent_refusal_fails_at_once(team: Team, network: FakeNetwork) -> None:
    _scheduled(team, GOOD[:1])
    network.fail_with = ConnectorError("token revoked", permanent=True)
    [attempt] = _publish_due(network)
    assert attempt.outcome == "failed"
    assert Variant.objects.get().error == "token revoked"


@pytest.mark.parametrize("error", [ConnectorError("read timeout", permanent=False, sent=True),
                                   RuntimeError("worker bug")])
def test_an_unknown_outcome_is_unconfirmed_then_reconciled(
    team: Team, network: FakeNetwork, error: Exception,
) -> None:
    _scheduled(team, GOOD[:1])
    network.fail_with = error
    [attempt] = _publish_due(network)
    assert attempt.outcome == "unconfirmed"
    variant = Variant.objects.get()
    assert variant.outbox == "unconfirmed"
    assert services.claim_due(LATER + timedelta(days=1), "w1") == []  # never sent blindly
    outcome = services.reconcile(variant, network, LATER)
    expected = "published" if isinstance(error, ConnectorError) else "rescheduled"
    assert outcome == expected
    if expected == "rescheduled":
        _publish_due(network, LATER + timedelta(days=1))
    assert Variant.objects.get().outbox == "published"
    assert len(network.posts) == 1


def test_a_worker_that_died_mid_call_leaves_an_unconfirmed_variant(team: Team) -> None:
    _scheduled(team, GOOD)
    masto, bsky = services.claim_due(LATER, "w1")
    Attempt.objects.create(variant=masto, worker="w1", started_at=LATER)  # then SIGKILL
    assert services.recover(LATER + timedelta(minutes=1)) == {"unconfirmed": 0,
                                                             "rescheduled": 0}
    counts = services.recover(LATER + timedelta(minutes=3))
    assert counts == {"unconfirmed": 1, "rescheduled": 1}
    assert Variant.objects.get(pk=masto.pk).outbox == "unconfirmed"
    assert Variant.objects.get(pk=bsky.pk).outbox == "scheduled"
    assert Attempt.objects.get().outcome == "unconfirmed"


def test_a_post_not_approved_in_time_is_reported_once(team: Team) -> None:
    from django.core import mail

    team.organization.language, team.organization.timezone = "fi", "Europe/Helsinki"
    team.organization.save()
    post = services.create_post(team.organization, team.editor, GOOD, publish_at=NOW,
                                title="Lukusali")
    services.submit(post, team.editor)
    assert services.sweep_missed(NOW + timedelta(minutes=1)) == [post]
    assert services.sweep_missed(NOW + timedelta(minutes=2)) == []
    assert Post.objects.get().state == State.IN_REVIEW  # kept, not published late
    [message] = mail.outbox  # the author is told, once, in the organization's language
    assert message.to == ["editor@example.org"]
    assert message.subject == "Ei julkaistu: Lukusali"
    assert "2026-11-23 11:00" in message.body


def test_a_partly_published_post_is_still_publishing(team: Team, network: FakeNetwork) -> None:
    _scheduled(team)
    masto, bsky = services.claim_due(LATER, "w1")
    services.publish_claimed(masto, network, "w1", clock=lambda: LATER)
    network.fail_with = ConnectorError("503", permanent=False)
    services.publish_claimed(bsky, network, "w1", clock=lambda: LATER)
    assert Post.objects.get().state == State.PUBLISHING


@pytest.mark.django_db(transaction=True)
def test_workers_claiming_at_once_never_share_a_variant(team: Team) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        # SQLite's in-memory test database locks whole tables between threads; the file
        # database Kanava runs on waits instead (timeout 20 s, IMMEDIATE transactions).
        pytest.skip("concurrent claims are exercised on PostgreSQL (make pytest-postgres)")
    for n in range(30):
        _scheduled(team, [VariantInput(f"c{n}", "mastodon", f"Tiedote {n}. Kysyttävää?")])

    def claim(worker: str) -> list[int]:
        try:
            return [v.pk for v in services.claim_due(LATER, worker, limit=30)]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        claimed = list(pool.map(claim, ["w1", "w2", "w3", "w4"]))
    everything = [pk for batch in claimed for pk in batch]
    assert len(everything) == len(set(everything)) == 30


def test_a_rate_limit_moves_the_retry_to_when_the_network_allows(
    team: Team, network: FakeNetwork,
) -> None:
    _scheduled(team, GOOD[:1])
    reset = LATER + timedelta(minutes=15)
    network.fail_with = ConnectorError("429", permanent=False, retry_after=reset)
    [attempt] = _publish_due(network)
    assert attempt.outcome == "retry"
    assert Variant.objects.get().due_at == reset


def test_a_csv_calendar_becomes_drafts_and_its_bad_rows_are_reported(team: Team) -> None:
    from pathlib import Path

    from kanava.planstore.services import do_import_plan

    example = Path(__file__).resolve().parents[2] / "examples" / "en-company.yaml"
    plan = do_import_plan(team.organization, team.lead, example.read_text(encoding="utf-8"))
    data = (b"publish_at,channels,text,theme\n"
            b"2026-12-01 09:30,facebook linkedin,New field test results. What do you think?,"
            b"field-tests\n"
            b"2026-12-02 09:30,tiktok,Not a channel of the plan,\n")
    drafts, problems = services.import_calendar(team.organization, team.editor, data,
                                                plan=plan)
    [draft] = drafts
    assert draft.state == State.DRAFT
    assert draft.theme == "field-tests"
    assert sorted(draft.variants.values_list("channel", "network")) == [
        ("facebook", "facebook"), ("linkedin", "linkedin")]
    assert [(p.line, p.column) for p in problems] == [(3, "channels")]


class Webhook(FakeNetwork):
    """A chat webhook: it cannot be asked whether a message arrived."""

    def find(self, post: Outgoing, *, key: str, since: datetime) -> Receipt | None:
        raise LookupUnsupported("a webhook cannot be read back")


def test_an_unconfirmed_webhook_post_goes_to_a_person_never_sent_again(
        team: Team, mailoutbox: list[Any]) -> None:
    _scheduled(team, [VariantInput("slack", "chat", "Henkilöstöinfo tänään klo 14.")])
    network = Webhook(fail_with=ConnectorError("no answer", permanent=False, sent=True))
    _publish_due(network)
    variant = Variant.objects.get()
    assert services.reconcile(variant, network, LATER) == "a person checks"
    variant.refresh_from_db()
    assert variant.outbox == "check"
    assert Post.objects.get().state == State.UNCONFIRMED
    assert services.reconcile(variant, network, LATER) == "a person checks"
    assert PostEvent.objects.filter(event="check_by_hand").count() == 1  # told once
    [mail] = mailoutbox
    assert mail.to == ["editor@example.org"]
    assert mail.subject.startswith("Tarkista itse")  # the organization speaks Finnish
    assert services.claim_due(LATER + timedelta(days=1), "w1") == []

    services.confirm_by_hand(variant, team.lead, published=True,
                             url="https://chat.example/m/1")
    variant.refresh_from_db()
    assert (variant.outbox, variant.external_url) == ("published", "https://chat.example/m/1")
    assert Post.objects.get().state == State.PUBLISHED
    with pytest.raises(WorkflowError):
        services.confirm_by_hand(variant, team.lead, published=False)


def test_a_person_who_finds_it_missing_sends_it_again(team: Team) -> None:
    _scheduled(team, [VariantInput("slack", "chat", "Henkilöstöinfo tänään klo 14.")])
    network = Webhook(fail_with=ConnectorError("no answer", permanent=False, sent=True))
    _publish_due(network)
    network.posts.clear()  # it never arrived
    variant = Variant.objects.get()
    services.reconcile(variant, network, LATER)
    services.confirm_by_hand(variant, team.lead, published=False, now=LATER)
    assert Variant.objects.get().outbox == "scheduled"
    _publish_due(network, LATER + timedelta(minutes=1))
    assert Variant.objects.get().outbox == "published"
    assert len(network.posts) == 1


def test_an_overdue_approval_reminds_the_approvers_and_the_author_once(
        team: Team, mailoutbox: list[Any]) -> None:
    post = services.create_post(team.organization, team.editor, GOOD, publish_at=LATER)
    post.approve_by = NOW
    post.save()
    services.submit(post, team.editor)
    assert services.sweep_overdue_approvals(NOW - timedelta(minutes=1)) == []
    assert services.sweep_overdue_approvals(NOW) == [post]
    assert services.sweep_overdue_approvals(NOW + timedelta(hours=1)) == []
    assert sorted(m.to[0] for m in mailoutbox) == ["editor@example.org", "lead@example.org"]
    assert all(m.subject.startswith("Hyväksyntä myöhässä") for m in mailoutbox)


def test_the_plans_channel_owner_may_approve(team: Team) -> None:
    from kanava.planstore.services import do_import_plan

    plan_text = (Path(__file__).parents[2] / "examples" / "en-company.yaml").read_text()
    plan = do_import_plan(team.organization, team.lead, plan_text)
    # The plan names saarinen (laura.saarinen@…) as the owner of its Facebook channel.
    owner = do_create_user("laura", "Laura.Saarinen@kuura-outdoor.example", "pw-123456789")
    facebook = services.create_post(team.organization, team.editor,
                                    [VariantInput("facebook", "facebook", "Uutta!")], plan=plan)
    assert services.owns_every_channel(facebook, owner)
    assert not services.owns_every_channel(facebook, team.editor)
    both = services.create_post(team.organization, team.editor,
                                [VariantInput("facebook", "facebook", "a"),
                                 VariantInput("linkedin", "linkedin", "b")], plan=plan)
    assert not services.owns_every_channel(both, owner)
