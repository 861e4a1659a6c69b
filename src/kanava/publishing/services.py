"""The only code that changes posts: views, the API and the worker all call these.

Publishing happens exactly once: a due variant is claimed with one conditional UPDATE
(two workers cannot both win it), an Attempt row is committed before the network is
called, and an outcome that cannot be known (the worker died, the connection dropped
after sending) becomes *unconfirmed* and is settled by asking the network, never by
sending again blindly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from kanava.accounts.models import Organization
from kanava.connectors.base import (
    ConnectorError,
    LookupUnsupported,
    Outgoing,
    OutgoingMedia,
    Publisher,
    Receipt,
)
from kanava.i18n import N_, gettext
from kanava.planstore.models import PlanDocument
from kanava.publishing import calendar_csv, checks, links, workflow
from kanava.publishing.calendar import Cadence
from kanava.publishing.models import Attempt, Post, PostEvent, Variant
from kanava.publishing.workflow import State, WorkflowError

Outbox = Variant.Outbox
MAX_RETRIES = 5
RETRY_BACKOFF = timedelta(minutes=1)  # doubled at every retry
User = Any  # the project's user model


class EditConflict(WorkflowError):
    """Someone else saved the post since this copy was loaded."""


@dataclass(frozen=True)
class VariantInput:
    channel: str
    network: str
    text: str
    link: str = ""


# --- writing and reviewing --------------------------------------------------------------


def create_post(
    organization: Organization, author: User | None, variants: Sequence[VariantInput], *,
    title: str = "", campaign: str = "", theme: str = "", marketing: bool = False,
    publish_at: datetime | None = None, plan: PlanDocument | None = None,
    approve_by: datetime | None = None,
) -> Post:
    with transaction.atomic():
        post = Post.objects.create(
            organization=organization, plan=plan, title=title, campaign=campaign, theme=theme,
            marketing=marketing, publish_at=publish_at, approve_by=approve_by, author=author)
        Variant.objects.bulk_create(
            Variant(post=post, channel=v.channel, network=v.network, text=v.text, link=v.link)
            for v in variants)
        _event(post, "created", author)
        _queue_link_check(post.pk, variants)
    return post


def edit_post(
    post: Post, actor: User | None, *, revision: int,
    variants: Sequence[VariantInput] | None = None, **fields: Any,
) -> Post:
    """Change a post; after review started it goes back to review (and off the schedule)."""
    allowed = {"title", "campaign", "theme", "marketing", "publish_at", "approve_by"}
    if unknown := set(fields) - allowed:
        raise TypeError(f"edit_post got unknown fields {sorted(unknown)}")
    with transaction.atomic():
        locked = _locked(post, revision)
        before = State(locked.state)
        locked.state = workflow.after_edit(before)
        for name, value in fields.items():
            setattr(locked, name, value)
        if variants is not None:
            _replace_variants(locked, variants)
            _queue_link_check(locked.pk, variants)
        if before in (State.SCHEDULED, State.FAILED):
            locked.variants.update(outbox=Outbox.WAITING, due_at=None)
        if locked.state != before and before != State.DRAFT:
            locked.approved_by, locked.approved_at = None, None
        locked.revision += 1
        locked.updated = timezone.now()
        locked.save()
        _event(locked, "edited", actor)
    return locked


def _queue_link_check(post_id: int, variants: Sequence[VariantInput]) -> None:
    """Have the worker ask the post's links once it is saved (never inside a request)."""
    if links.has_links((v.text, v.link) for v in variants):
        transaction.on_commit(lambda: _enqueue_link_check(post_id))


def _enqueue_link_check(post_id: int) -> None:
    from kanava.publishing.tasks import check_links  # the queue is opened on first use

    check_links(post_id)


def _locked(post: Post, revision: int) -> Post:
    """The post, locked for this transaction, if it is still the revision the change was
    made on; else the change was made on a stale copy."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if locked.revision != revision:
        raise EditConflict(N_("Someone else saved this post meanwhile: reload it and "
                              "make your change again."))
    return locked


MOVABLE = (State.DRAFT, State.IN_REVIEW, State.APPROVED, State.SCHEDULED)
#: Moving these needs the right to approve: their time was part of what was approved.
APPROVED_TIMES = (State.APPROVED, State.SCHEDULED)


def reschedule(post: Post, actor: User | None, *, revision: int, publish_at: datetime,
               now: datetime | None = None) -> Post:
    """Move a post to another time (the calendar's drag and drop).

    Only the time changes, so an approval stands; a scheduled post's variants move in
    the outbox with it. A scheduled post cannot be moved into the past.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(post, revision)
        state = State(locked.state)
        if state not in MOVABLE:
            raise WorkflowError(N_("A post whose state is {state} can no longer be moved."),
                                state=state)
        if state == State.SCHEDULED and publish_at <= now:
            raise WorkflowError(N_("A scheduled post can only be moved to a time still "
                                   "ahead."))
        before = locked.publish_at
        locked.publish_at = publish_at
        locked.revision += 1
        locked.updated = now
        locked.save(update_fields=["publish_at", "revision", "updated"])
        if state == State.SCHEDULED:
            locked.variants.filter(outbox=Outbox.SCHEDULED).update(due_at=publish_at)
        _event(locked, "rescheduled", actor,
               f"{before.isoformat() if before else '—'} → {publish_at.isoformat()}")
    return locked


def owns_every_channel(post: Post, user: User | None) -> bool:
    """Whether the plan names this member (by e-mail address) as the owner of every
    channel of the post: the plan's responsibilities let them approve it."""
    email = (getattr(user, "email", "") or "").strip().lower()
    loaded = _latest_plan(post.plan)
    if not email or loaded is None:
        return False
    emails = {p.id: (p.email or "").strip().lower() for p in loaded.people}
    owners = {c.id: emails.get(c.owner or "", "") for c in loaded.channels}
    channels = [v.channel for v in post.variants.all()]
    return bool(channels) and all(owners.get(channel) == email for channel in channels)


def plan_cadences(plan: PlanDocument | None) -> list[Cadence]:
    """The planned interval of each active channel of the plan that has a cadence."""
    loaded = _latest_plan(plan)
    if loaded is None:
        return []
    return [Cadence.per_week(c.id, c.cadence.per_week()) for c in loaded.channels
            if c.cadence is not None and c.status == "active"]


def channel_times(organization: Organization, start: datetime,
                  end: datetime) -> dict[str, list[datetime]]:
    """Each channel's post times up to ``end``: in the span, and the last before it."""
    counted = (Variant.objects.filter(post__organization=organization)
               .exclude(outbox=Outbox.FAILED).exclude(post__state=State.FAILED)
               .exclude(post__publish_at=None))
    times: dict[str, list[datetime]] = {}
    for channel, moment in counted.filter(post__publish_at__gte=start,
                                          post__publish_at__lt=end).values_list(
            "channel", "post__publish_at"):
        if moment is not None:
            times.setdefault(channel, []).append(moment)
    before = (counted.filter(post__publish_at__lt=start).values("channel")
              .annotate(last=Max("post__publish_at")))
    for row in before:
        times.setdefault(row["channel"], []).append(row["last"])
    return times


def import_calendar(
    organization: Organization, author: User | None, data: bytes, *,
    plan: PlanDocument | None = None,
) -> tuple[list[Post], list[calendar_csv.Problem]]:
    """Create a draft for every good row of a CSV calendar; return the drafts and the
    problems of the bad rows (nothing good is dropped because of a bad row)."""
    channels, themes = plan_channels(plan)
    calendar = calendar_csv.read_calendar(data, channels=channels, themes=themes,
                                          time_zone=organization.timezone or "UTC")
    created = []
    with transaction.atomic():
        for planned in calendar.posts:
            variants = [VariantInput(v.channel, channels[v.channel], v.text, v.link)
                        for v in planned.variants]
            created.append(create_post(
                organization, author, variants, title=planned.title, campaign=planned.campaign,
                theme=planned.theme, marketing=planned.marketing,
                publish_at=planned.publish_at, plan=plan))
    return created, calendar.problems


def plan_channels(plan: PlanDocument | None) -> tuple[dict[str, str], list[str]]:
    """The plan's channels (id → network) and theme ids, from its latest version."""
    loaded = _latest_plan(plan)
    if loaded is None:
        return {}, []
    themes = [theme.id for theme in loaded.content.themes]
    return {c.id: c.network for c in loaded.channels}, themes


def plan_channel_names(plan: PlanDocument | None) -> dict[str, str]:
    """The plan's channels, id → the name the plan gives them."""
    loaded = _latest_plan(plan)
    return {c.id: c.name for c in loaded.channels} if loaded else {}


def latest_plan(plan: PlanDocument | None) -> Any:
    """The plan's latest version, loaded; None when there is none or it cannot be read."""
    return _latest_plan(plan)


def _latest_plan(plan: PlanDocument | None) -> Any:
    version = plan.latest() if plan else None
    if version is None:
        return None
    from kanava.plans.loader import PlanLoadError, load_text

    try:
        return load_text(version.text).plan
    except PlanLoadError:
        return None


def _replace_variants(post: Post, variants: Sequence[VariantInput]) -> None:
    wanted = {v.channel: v for v in variants}
    post.variants.exclude(channel__in=wanted).delete()
    existing = {v.channel: v for v in post.variants.all()}
    for channel, given in wanted.items():
        variant = existing.get(channel) or Variant(post=post, channel=channel)
        variant.network, variant.text, variant.link = given.network, given.text, given.link
        variant.save()


def _step(post: Post, actor: User | None, event: workflow.Event, note: str = "") -> Post:
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        locked.state = workflow.step(State(locked.state), event)
        locked.updated = timezone.now()
        locked.save(update_fields=["state", "updated"])
        _event(locked, event.value, actor, note)
    return locked


def submit(post: Post, actor: User | None) -> Post:
    return _step(post, actor, workflow.Event.SUBMIT)


def request_changes(post: Post, actor: User | None, note: str) -> Post:
    return _step(post, actor, workflow.Event.REQUEST_CHANGES, note)


def findings(post: Post, now: datetime | None = None) -> list[checks.Finding]:
    """Every check of the post against its networks and its channels' recent posts."""
    at = post.publish_at or now or timezone.now()
    variants = list(post.variants.prefetch_related("media"))
    checked = [_as_checked(v) for v in variants]
    return checks.check_post(checked, at=at, marketing=post.marketing,
                             sent=_history(post, variants, at),
                             link_status=links.known_status(checked))


def _as_checked(variant: Variant) -> checks.Variant:
    media = tuple(checks.Media(m.kind, m.size, m.alt)  # type: ignore[arg-type]
                  for m in variant.media.all())
    return checks.Variant(variant.channel, variant.network, variant.text, variant.link or None,
                          media)


def _history(post: Post, variants: Iterable[Variant], at: datetime) -> list[checks.Sent]:
    """The channels' other posts of the last 30 days, published or on the schedule."""
    return _sent(post.organization_id, [v.channel for v in variants], at, exclude=post.pk)


def _sent(organization_id: int, channels: list[str], at: datetime,
          exclude: int | None) -> list[checks.Sent]:
    since = at - checks.MARKETING_WINDOW
    rows = (Variant.objects
            .filter(post__organization_id=organization_id, channel__in=channels,
                    outbox__in=[Outbox.SCHEDULED, Outbox.PUBLISHING, Outbox.PUBLISHED])
            .filter(Q(published_at__gte=since) | Q(due_at__gte=since)).select_related("post"))
    if exclude is not None:
        rows = rows.exclude(post_id=exclude)
    return [checks.Sent(v.channel, v.published_at or v.due_at or at, v.text, v.post.marketing)
            for v in rows]


def findings_for_draft(
    organization: Organization, variants: Sequence[checks.Variant], marketing: bool,
    publish_at: datetime | None, exclude_post: Post | None = None,
    now: datetime | None = None,
) -> list[checks.Finding]:
    """The checks of a post as typed, not saved (the editor's live check): the same as
    ``findings`` of a saved post; ``exclude_post`` is the post being edited, whose own
    saved copy must not count as one of its channels' recent posts. Writes nothing."""
    at = publish_at or now or timezone.now()
    sent = _sent(organization.pk, [v.channel for v in variants], at,
                 exclude=exclude_post.pk if exclude_post else None)
    return checks.check_post(variants, at=at, marketing=marketing, sent=sent,
                             link_status=links.known_status(variants))


def approve(
    post: Post, actor: User | None, role: str | None, *, owns_every_channel: bool = False,
    now: datetime | None = None,
) -> Post:
    """Approve, if the actor may and no check blocks publishing."""
    blocking = checks.blocking(findings(post, now))
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        is_author = actor is not None and locked.author_id == actor.pk
        locked.state = workflow.approve(
            State(locked.state), role, is_author=is_author,
            owns_every_channel=owns_every_channel, blocking_findings=blocking)
        locked.approved_by = actor
        locked.approved_at = now or timezone.now()
        locked.save(update_fields=["state", "approved_by", "approved_at"])
        _event(locked, "approve", actor)
    return locked


def schedule(post: Post, actor: User | None, now: datetime | None = None) -> Post:
    """Put an approved post in the outbox for its publish time."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.publish_at is None:
            raise WorkflowError(N_("Choose a publish time first."))
        locked.state = workflow.schedule(State(locked.state), locked.publish_at, now)
        locked.save(update_fields=["state"])
        locked.variants.update(outbox=Outbox.SCHEDULED, due_at=locked.publish_at,
                               claimed_at=None, claimed_by="")
        _event(locked, "schedule", actor)
    return locked


def _event(post: Post, event: str, actor: User | None, note: str = "") -> None:
    PostEvent.objects.create(post=post, event=event, actor=actor, note=note)


# --- the outbox -------------------------------------------------------------------------


def claim_due(now: datetime, worker: str, limit: int = 50) -> list[Variant]:
    """Take up to ``limit`` due variants for this worker; each is won by one worker only.

    One conditional UPDATE claims them: a row another worker took meanwhile no longer
    matches ``outbox = scheduled``. The claim's own token tells which rows this one won.
    """
    candidates = list(Variant.objects.filter(outbox=Outbox.SCHEDULED, due_at__lte=now)
                      .order_by("due_at", "pk").values_list("pk", flat=True)[:limit])
    if not candidates:
        return []
    token = f"{worker}/{uuid.uuid4().hex[:12]}"[:100]
    Variant.objects.filter(pk__in=candidates, outbox=Outbox.SCHEDULED).update(
        outbox=Outbox.PUBLISHING, claimed_at=now, claimed_by=token)
    variants = list(Variant.objects.filter(claimed_by=token, outbox=Outbox.PUBLISHING)
                    .select_related("post").prefetch_related("media").order_by("due_at", "pk"))
    Post.objects.filter(pk__in={v.post_id for v in variants}, state=State.SCHEDULED).update(
        state=State.PUBLISHING)
    return variants


def next_due() -> datetime | None:
    """When the next scheduled variant falls due (the outbox waits until then)."""
    found: datetime | None = Variant.objects.filter(outbox=Outbox.SCHEDULED).aggregate(
        Min("due_at"))["due_at__min"]
    return found


def outgoing(variant: Variant) -> Outgoing:
    media = tuple(OutgoingMedia(m.file.path, m.kind, m.alt)  # type: ignore[arg-type]
                  for m in variant.media.all())
    return Outgoing(variant.text, variant.link, media)


def publish_claimed(
    variant: Variant, publisher: Publisher, worker: str,
    clock: Callable[[], datetime] = timezone.now, *, settle: bool = True,
) -> Attempt:
    """Publish one claimed variant: the attempt is on record before the network is called.

    ``settle=False`` leaves the post's state to a later :func:`settle_posts` (the outbox
    loop settles a whole batch at once).
    """
    attempt = begin(variant, worker, clock)
    try:
        result: Receipt | BaseException = publisher.publish(outgoing(variant), key=variant.key)
    except Exception as error:
        result = error
    return conclude(attempt, variant, result, clock, settle=settle)


def begin(variant: Variant, worker: str,
          clock: Callable[[], datetime] = timezone.now) -> Attempt:
    """The attempt on record, before the network is called (committed on return, or with
    the caller's transaction). One plain INSERT where the database can return the new
    row's id (PostgreSQL, SQLite 3.35+): the outbox's hot path, like _write_outcome."""
    attempt = Attempt(variant=variant, worker=worker, started_at=clock())
    if not connection.features.can_return_columns_from_insert:
        attempt.save(force_insert=True)
        return attempt
    quote, moment = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Attempt._meta.db_table)} "  # noqa: S608
            f"({quote('variant_id')}, {quote('worker')}, {quote('started_at')}, "
            f"{quote('outcome')}, {quote('detail')}) VALUES (%s, %s, %s, %s, %s) "
            f"RETURNING {quote('id')}",
            [variant.pk, worker[:100], moment(attempt.started_at), attempt.outcome, ""])
        row = cursor.fetchone()
    attempt.pk = row[0]
    attempt._state.adding = False
    return attempt


def conclude(attempt: Attempt, variant: Variant, result: Receipt | BaseException,
             clock: Callable[[], datetime] = timezone.now, *, settle: bool = True) -> Attempt:
    """Record what the network call gave: a receipt, or the error it raised."""
    if isinstance(result, Receipt):
        return finish(attempt, Attempt.Outcome.PUBLISHED, receipt=result, now=clock(),
                      variant=variant, settle=settle)
    if isinstance(result, ConnectorError):
        if result.permanent and not result.sent:
            outcome = Attempt.Outcome.FAILED
        elif result.sent:
            outcome = Attempt.Outcome.UNCONFIRMED
        else:
            outcome = Attempt.Outcome.RETRY
        return finish(attempt, outcome, detail=str(result), now=clock(), variant=variant,
                      settle=settle, not_before=result.retry_after)
    # Anything unexpected may have happened after sending.
    return finish(attempt, Attempt.Outcome.UNCONFIRMED, detail=repr(result), now=clock(),
                  variant=variant, settle=settle)


def finish(
    attempt: Attempt, outcome: Attempt.Outcome, *, now: datetime, receipt: Receipt | None = None,
    detail: str = "", variant: Variant | None = None, settle: bool = True,
    not_before: datetime | None = None,
) -> Attempt:
    """Record an attempt's outcome on the attempt and its variant.

    The variant changes only while it is still in the state and claim it was read in:
    if a recovery took it meanwhile, the recovery's outcome stands and reconciliation
    settles it.
    """
    with transaction.atomic(savepoint=False):  # within a caller's transaction: part of it
        if variant is None:
            variant = Variant.objects.select_for_update().get(pk=attempt.variant_id)
        attempt.outcome, attempt.finished_at, attempt.detail = outcome, now, detail[:5_000]
        seen = (variant.outbox, variant.claimed_by)
        _apply(variant, outcome, now, receipt, detail)
        if outcome == Attempt.Outcome.RETRY and not_before and variant.due_at:
            variant.due_at = max(variant.due_at, not_before)  # the network's own word
        _write_outcome(attempt, variant, seen)
    if settle:
        settle_posts({variant.post_id})
    return attempt


OUTBOX_FIELDS = ["outbox", "due_at", "claimed_at", "claimed_by", "retries", "external_id",
                 "external_url", "published_at", "error"]


def _write_outcome(attempt: Attempt, variant: Variant, seen: tuple[str, str]) -> None:
    """The attempt's outcome and the variant's outbox fields, in two plain statements.

    The hot path of the outbox: the ORM's per-statement work (building and compiling
    the query, signals) cost three times the statements themselves (decision 7). The
    variant changes only if it is still in the state and claim it was read in.
    """
    ops = connection.ops
    quote = ops.quote_name
    moment = ops.adapt_datetimefield_value
    attempts, variants = quote(Attempt._meta.db_table), quote(Variant._meta.db_table)
    values = [moment(v) if isinstance(v, datetime) else v
              for v in (getattr(variant, name) for name in OUTBOX_FIELDS)]
    assignments = ", ".join(f"{quote(name)} = %s" for name in OUTBOX_FIELDS)  # own columns
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {attempts} SET {quote('outcome')} = %s, "  # noqa: S608
                       f"{quote('finished_at')} = %s, {quote('detail')} = %s "
                       f"WHERE {quote('id')} = %s",
                       [attempt.outcome, moment(attempt.finished_at), attempt.detail,
                        attempt.pk])
        cursor.execute(f"UPDATE {variants} SET {assignments} "  # noqa: S608
                       f"WHERE {quote('id')} = %s AND {quote('outbox')} = %s "
                       f"AND {quote('claimed_by')} = %s", [*values, variant.pk, *seen])


def _apply(variant: Variant, outcome: str, now: datetime, receipt: Receipt | None,
           detail: str) -> None:
    variant.claimed_at, variant.claimed_by = None, ""
    if outcome == Attempt.Outcome.PUBLISHED and receipt is not None:
        variant.outbox, variant.published_at = Outbox.PUBLISHED, now
        variant.external_id, variant.external_url = receipt.external_id, receipt.url
        variant.error = ""
    elif outcome == Attempt.Outcome.UNCONFIRMED:
        variant.outbox, variant.error = Outbox.UNCONFIRMED, detail[:5_000]
    elif outcome == Attempt.Outcome.RETRY and variant.retries < MAX_RETRIES:
        variant.outbox = Outbox.SCHEDULED
        variant.due_at = now + RETRY_BACKOFF * (2 ** variant.retries)
        variant.retries += 1
        variant.error = detail[:5_000]
    else:
        variant.outbox, variant.error = Outbox.FAILED, detail[:5_000]


def reconcile(variant: Variant, publisher: Publisher, now: datetime) -> str:
    """Settle an unconfirmed variant by asking the network whether it has the post."""
    first = variant.attempts.order_by("started_at").first()
    since = first.started_at if first else now
    try:
        receipt = publisher.find(outgoing(variant), key=variant.key, since=since)
    except LookupUnsupported as error:
        _ask_a_person(variant, str(error))
        return "a person checks"
    except ConnectorError as error:
        return f"not yet: {error}"  # ask again on the next sweep
    attempt = Attempt.objects.create(variant=variant, worker="reconcile", started_at=now)
    if receipt is not None:
        finish(attempt, Attempt.Outcome.PUBLISHED, receipt=receipt, now=now,
               detail="found on the network")
        return "published"
    # The network does not have it: sending again (with the same key) cannot duplicate.
    finish(attempt, Attempt.Outcome.RETRY, now=now, detail="not found on the network")
    return "rescheduled"


def _ask_a_person(variant: Variant, reason: str) -> None:
    """The network cannot be asked whether it has the post: a person checks, and it is
    never sent again on a guess."""
    changed = Variant.objects.filter(pk=variant.pk, outbox=Outbox.UNCONFIRMED).update(
        outbox=Outbox.CHECK, error=reason[:5_000])
    if changed:
        post = variant.post
        _event(post, "check_by_hand", None, f"{variant.channel}: {reason}"[:5_000])
        _mail(post.author, post, N_("Check by hand: {title}"),
              N_("Kanava sent the post \"{title}\" to {channel} but did not hear back, and "
                 "that channel cannot be asked whether the post arrived. Look in the "
                 "channel, then tell Kanava on the post's page whether it is there."),
              channel=variant.channel)


def confirm_by_hand(variant: Variant, actor: User | None, *, published: bool, url: str = "",
                    now: datetime | None = None) -> Variant:
    """A person looked: the post is on the channel, or it is not and is sent again."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Variant.objects.select_for_update().get(pk=variant.pk)
        if locked.outbox not in (Outbox.UNCONFIRMED, Outbox.CHECK):
            raise WorkflowError(N_("Only a post whose publishing is unconfirmed can be "
                                   "confirmed by hand."))
        attempt = Attempt.objects.create(variant=locked, worker="by hand", started_at=now)
        if published:
            finish(attempt, Attempt.Outcome.PUBLISHED, receipt=Receipt("", url[:2_000]), now=now,
                   detail="confirmed by a person")
        else:
            finish(attempt, Attempt.Outcome.RETRY, now=now, detail="a person found it missing")
            Variant.objects.filter(pk=locked.pk).update(due_at=now)
        _event(locked.post, "confirmed" if published else "not_found", actor, locked.channel)
    settle_posts([locked.post_id])
    locked.refresh_from_db()
    return locked


def remove_published(variant: Variant, actor: User | None, publisher: Publisher,
                     now: datetime | None = None) -> Variant:
    """Delete a published variant from its network (a person asked for it)."""
    if variant.outbox != Outbox.PUBLISHED or not variant.external_id:
        raise WorkflowError(N_("Only a published post can be removed from its network."))
    try:
        publisher.delete(variant.external_id)
    except ConnectorError as error:
        raise WorkflowError(N_("The network did not remove the post: {error}"),
                            error=str(error)[:500]) from error
    Variant.objects.filter(pk=variant.pk, outbox=Outbox.PUBLISHED).update(
        outbox=Outbox.REMOVED, error="")
    _event(variant.post, "removed", actor, f"{variant.channel}: {variant.external_url}"[:5_000])
    variant.refresh_from_db()
    return variant


def recover(now: datetime) -> dict[str, int]:
    """After a crash: settle variants whose worker died while holding them."""
    stale_after = timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
    stale = Variant.objects.filter(outbox=Outbox.PUBLISHING, claimed_at__lt=now - stale_after)
    counts = {"unconfirmed": 0, "rescheduled": 0}
    for variant in stale:
        pending = variant.attempts.filter(outcome=Attempt.Outcome.PENDING).exists()
        # An attempt on record means the call may have been made: never send blindly.
        target = Outbox.UNCONFIRMED if pending else Outbox.SCHEDULED
        changed = Variant.objects.filter(pk=variant.pk, outbox=Outbox.PUBLISHING,
                                         claimed_at=variant.claimed_at).update(
            outbox=target, claimed_at=None, claimed_by="")
        if changed:
            variant.attempts.filter(outcome=Attempt.Outcome.PENDING).update(
                outcome=Attempt.Outcome.UNCONFIRMED, finished_at=now,
                detail="the worker stopped during the call")
            counts["unconfirmed" if pending else "rescheduled"] += changed
            settle_posts({variant.post_id})
    return counts


def sweep_missed(now: datetime) -> list[Post]:
    """Posts whose time came before they were approved and scheduled: tell their authors."""
    waiting = Post.objects.filter(state__in=[State.DRAFT, State.IN_REVIEW, State.APPROVED],
                                  publish_at__lte=now).exclude(events__event="missed")
    missed = []
    for post in waiting.select_related("author", "organization"):
        _event(post, "missed", None, f"not approved and scheduled by {post.publish_at}")
        _tell_author(post)
        missed.append(post)
    return missed


def _tell_author(post: Post) -> None:
    """E-mail the author, in their language, that the post did not go out."""
    if post.publish_at is None:
        return
    _mail(post.author, post, N_("Not published: {title}"),
          N_("The post \"{title}\" was due at {when:%Y-%m-%d %H:%M} but it was not "
             "approved and scheduled in time, so it was not published. Choose a new "
             "time and send it for approval again."))


def _mail(user: User | None, post: Post, subject: str, body: str, **params: Any) -> None:
    """E-mail a member about a post, in their language and the organization's time zone."""
    if user is None or not user.email:
        return
    profile = getattr(user, "profile", None)
    lang = (profile.language if profile else "") or post.organization.language
    zone = ZoneInfo(post.organization.timezone or "UTC")
    first = post.variants.first()
    values = {"title": post.title or (first.text[:60] if first else ""),
              "when": post.publish_at.astimezone(zone) if post.publish_at else None,
              "deadline": post.approve_by.astimezone(zone) if post.approve_by else None,
              **params}
    send_mail(gettext(subject, lang, **values), gettext(body, lang, **values), None,
              [user.email], fail_silently=True)


def sweep_overdue_approvals(now: datetime) -> list[Post]:
    """Posts still waiting for approval after their approval deadline: tell the people
    who may approve them, and the author, once."""
    overdue = Post.objects.filter(state=State.IN_REVIEW, approve_by__lte=now).exclude(
        events__event="approval_overdue").select_related("author", "organization")
    told = []
    for post in overdue:
        _event(post, "approval_overdue", None, f"not approved by {post.approve_by}")
        approvers = {m.user for m in post.organization.memberships.select_related("user")
                     if m.role in workflow.APPROVER_ROLES}
        for person in {*approvers, post.author} - {None}:
            _mail(person, post, N_("Approval overdue: {title}"),
                  N_("The post \"{title}\" should have been approved by "
                     "{deadline:%Y-%m-%d %H:%M}. It is due at {when:%Y-%m-%d %H:%M} and is "
                     "published only if it is approved and scheduled by then."))
        told.append(post)
    return told


def settle_posts(post_ids: Iterable[int]) -> None:
    """A post's state follows its variants' once it is in the outbox."""
    outboxes: dict[int, list[str]] = {}
    for post_id, outbox in Variant.objects.filter(post_id__in=list(post_ids)).values_list(
            "post_id", "outbox"):
        outboxes.setdefault(post_id, []).append(outbox)
    by_state: dict[State, list[int]] = {}
    for post_id, found in outboxes.items():
        if state := _post_state(found):
            by_state.setdefault(state, []).append(post_id)
    outbox_phase = [State.SCHEDULED, State.PUBLISHING, State.PUBLISHED, State.FAILED,
                    State.UNCONFIRMED]
    for state, ids in by_state.items():
        Post.objects.filter(pk__in=ids, state__in=outbox_phase).exclude(state=state).update(
            state=state)


def _post_state(outboxes: list[str]) -> State | None:
    if not outboxes:
        return None
    if all(o in (Outbox.PUBLISHED, Outbox.REMOVED) for o in outboxes):
        return State.PUBLISHED  # removed later by a person: it was published
    if Outbox.PUBLISHING in outboxes:
        return State.PUBLISHING
    if Outbox.UNCONFIRMED in outboxes or Outbox.CHECK in outboxes:
        return State.UNCONFIRMED
    if Outbox.FAILED in outboxes and Outbox.SCHEDULED not in outboxes:
        return State.FAILED
    if Outbox.PUBLISHED in outboxes:
        return State.PUBLISHING  # some channels done, others waiting for a retry
    return State.SCHEDULED
