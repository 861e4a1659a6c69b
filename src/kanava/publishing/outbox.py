"""The worker's outbox loop: every second, settle what a crash left behind, claim what
is due and publish it; now and then, ask the networks about unconfirmed posts and tell
authors about posts that missed their time.

It runs as a thread beside the queue's consumer (``kanava serve`` and ``kanava worker``):
Huey's periodic tasks tick once a minute, too coarse for posts due on the second.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from kanava.connectors.base import ConnectorError, Outgoing, Publisher, Receipt
from kanava.publishing import connections as network_accounts
from kanava.publishing import services
from kanava.publishing.models import Attempt, Connection, Variant

log = logging.getLogger(__name__)

INTERVAL = 0.5  # seconds between looks at the outbox when it is idle
MIN_WAIT = 0.005  # but never a busy loop
BATCH = 200  # variants claimed at once; a worker drains ~600 a second (decision 0007)
PUBLISHERS = 8  # network calls in flight at once
RECONCILE_EVERY = timedelta(minutes=1)
SWEEP_EVERY = timedelta(minutes=1)
KEEP_SECONDS = 600  # a publisher is kept this long (a Bluesky session lasts two hours)

PublisherFor = Callable[[Variant], Publisher]


def connected_publisher(variant: Variant) -> Publisher:
    """The publisher of the account connected to the variant's channel."""
    return network_accounts.publisher(_connection(variant))


def _connection(variant: Variant) -> Connection:
    connection = Connection.objects.filter(organization_id=variant.post.organization_id,
                                           channel=variant.channel).first()
    if connection is None:
        raise ConnectorError(f"no account is connected to the channel {variant.channel}",
                             permanent=True)
    return connection


class ConnectedPublishers:
    """The outbox's publishers, each made once and kept while its connection is unchanged:
    making one (unsealing the tokens, opening an HTTP client, signing in) costs more than
    a publish. Accounts whose tokens run out are made afresh each time, so that the
    tokens are refreshed in time."""

    def __init__(self) -> None:
        self._made: dict[int, tuple[tuple[str, ...], float, Publisher]] = {}
        self._lock = threading.Lock()

    def __call__(self, variant: Variant) -> Publisher:
        connection = _connection(variant)
        if connection.network in network_accounts.REFRESHABLE:
            return network_accounts.publisher(connection)
        with self._lock:
            version = (connection.sealed, connection.status, connection.base_url,
                       connection.network, connection.account)
            known = self._made.pop(connection.pk, None)
            now = time.monotonic()
            if known is not None and known[0] == version and now - known[1] < KEEP_SECONDS:
                made, publisher = known[1], known[2]
            else:
                if known is not None:
                    known[2].close()
                made, publisher = now, network_accounts.publisher(connection)
            self._made[connection.pk] = (version, made, publisher)
            return _Kept(publisher)

    def close(self) -> None:
        with self._lock:
            for _version, _made, publisher in self._made.values():
                publisher.close()
            self._made.clear()


class _Kept:
    """A kept publisher lent out for one batch: closing it leaves it open for the next."""

    def __init__(self, publisher: Publisher) -> None:
        self.publisher = publisher

    def publish(self, post: Outgoing, *, key: str) -> Receipt:
        return self.publisher.publish(post, key=key)

    def find(self, post: Outgoing, *, key: str, since: datetime) -> Receipt | None:
        return self.publisher.find(post, key=key, since=since)

    def delete(self, external_id: str) -> None:
        self.publisher.delete(external_id)

    def close(self) -> None:
        pass


class _Unavailable:
    """Stands in for a channel whose publisher cannot be made: every call fails."""

    def __init__(self, error: ConnectorError) -> None:
        self.error = error

    def publish(self, post: Outgoing, *, key: str) -> Receipt:
        raise self.error

    def find(self, post: Outgoing, *, key: str, since: datetime) -> Receipt | None:
        raise self.error

    def delete(self, external_id: str) -> None:
        raise self.error

    def close(self) -> None:
        pass


@dataclass
class OutboxRunner:
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    publisher_for: PublisherFor = field(default_factory=ConnectedPublishers)
    clock: Callable[[], datetime] = timezone.now
    batch: int = BATCH
    threads: int = PUBLISHERS
    _reconciled: datetime | None = None
    _swept: datetime | None = None
    _threads: ThreadPoolExecutor | None = None

    def _pool(self) -> ThreadPoolExecutor:
        """The threads that make the network calls, kept between ticks."""
        if self._threads is None:
            self._threads = ThreadPoolExecutor(self.threads, thread_name_prefix="kanava-publish")
        return self._threads

    def close(self) -> None:
        if self._threads is not None:
            self._threads.shutdown()
            self._threads = None
        if isinstance(self.publisher_for, ConnectedPublishers):
            self.publisher_for.close()

    def tick(self) -> int:
        """One look at the outbox; returns how many variants it published or tried."""
        now = self.clock()
        recovered = services.recover(now)
        claimed = services.claim_due(now, self.name, self.batch)
        groups = _by_channel(claimed)
        if self.threads <= 1 or len(groups) == 1:
            for group in groups:
                self._publish(group)
        elif groups:
            self._publish_together(groups)
        services.settle_posts({variant.post_id for variant in claimed})
        if (recovered["unconfirmed"] or self._reconciled is None
                or now - self._reconciled >= RECONCILE_EVERY):
            self._reconcile(now)
            self._reconciled = now
        if self._swept is None or now - self._swept >= SWEEP_EVERY:
            services.sweep_missed(now)
            services.sweep_overdue_approvals(now)
            self._swept = now
        return len(claimed)

    def _publisher(self, variant: Variant) -> Publisher:
        try:
            return self.publisher_for(variant)
        except (ConnectorError, ValueError) as error:
            wrapped = error if isinstance(error, ConnectorError) else ConnectorError(
                str(error), permanent=True)
            return _Unavailable(wrapped)

    def _publish(self, variants: list[Variant]) -> None:
        """Publish one channel's claimed variants in order, through one connection."""
        publisher = self._publisher(variants[0])
        try:
            for variant in variants:
                services.publish_claimed(variant, publisher, self.name, self.clock,
                                         settle=False)
        finally:
            publisher.close()

    def _publish_together(self, groups: list[list[Variant]]) -> None:
        """Publish the channels side by side, each in order through its own connection.

        Only the network calls run in the pool; every database write stays on this
        thread, and the outcomes that arrive together are written in one transaction
        with the attempts of the calls that follow them. SQLite has one writer at a time
        and makes the others sleep and retry, so writes from many threads cost more than
        the calls they overlap. Each attempt is committed before its call is made.
        """
        pool = self._pool()
        queues = [deque(group) for group in groups]
        publishers = [self._publisher(group[0]) for group in groups]
        running: dict[Future[Receipt], tuple[int, Variant, Attempt]] = {}

        def begin(channels: Iterable[int]) -> list[tuple[int, Variant, Attempt]]:
            return [(channel, variant, services.begin(variant, self.name, self.clock))
                    for channel in channels if queues[channel]
                    for variant in [queues[channel].popleft()]]

        def start(begun: list[tuple[int, Variant, Attempt]]) -> None:
            for channel, variant, attempt in begun:  # committed: now the calls
                call = pool.submit(publishers[channel].publish, services.outgoing(variant),
                                   key=variant.key)
                running[call] = (channel, variant, attempt)

        try:
            with transaction.atomic():
                begun = begin(range(len(groups)))
            start(begun)
            while running:
                done, _pending = wait(running, return_when=FIRST_COMPLETED)
                with transaction.atomic():
                    freed = []
                    for call in done:
                        channel, variant, attempt = running.pop(call)
                        error = call.exception()
                        services.conclude(attempt, variant,
                                          error if error else call.result(), self.clock,
                                          settle=False)
                        freed.append(channel)
                    begun = begin(freed)
                start(begun)
        finally:
            wait(running)  # after a failure here: let the calls end before closing
            for publisher in publishers:
                publisher.close()

    def _reconcile(self, now: datetime) -> None:
        unconfirmed = Variant.objects.filter(outbox=Variant.Outbox.UNCONFIRMED).select_related(
            "post")[: self.batch]
        for variant in unconfirmed:
            publisher = self._publisher(variant)
            try:
                services.reconcile(variant, publisher, now)
            finally:
                publisher.close()

    def _until_due(self, interval: float) -> float:
        """Seconds to wait before the next look: ``interval``, or less when a post falls
        due sooner, so that it goes out on time rather than up to an interval late."""
        try:
            due = services.next_due()
        except Exception:  # the database is away; look again after the interval
            log.exception("cannot read the next due time")
            return interval
        if due is None:
            return interval
        return min(interval, max(MIN_WAIT, (due - self.clock()).total_seconds()))

    def run(self, stop: threading.Event, interval: float = INTERVAL) -> None:
        """Tick until ``stop`` is set; an error is logged and the loop goes on."""
        try:
            while not stop.is_set():
                try:
                    busy = self.tick()
                except Exception:
                    log.exception("the outbox tick failed; trying again")
                    busy = 0
                finally:
                    _tidy_connection()
                if not busy:
                    stop.wait(self._until_due(interval))
        finally:
            self.close()
            connections.close_all()  # this thread's own connection


def _tidy_connection() -> None:
    """Drop a broken or aged database connection between ticks. A healthy SQLite one is
    kept: the settings give SQLite no connection reuse (for requests), and opening the
    file again at every tick cost more than the tick."""
    connection = connections["default"]
    if connection.vendor == "sqlite" and connection.connection is not None \
            and not connection.errors_occurred:
        return
    close_old_connections()


def _by_channel(variants: list[Variant]) -> list[list[Variant]]:
    """Variants grouped by their organization's channel, in claim order within each."""
    groups: dict[tuple[int, str], list[Variant]] = {}
    for variant in variants:
        groups.setdefault((variant.post.organization_id, variant.channel), []).append(variant)
    return list(groups.values())


def start_thread(runner: OutboxRunner | None = None) -> tuple[threading.Thread, threading.Event]:
    """Run the outbox loop in a daemon thread; set the event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(target=(runner or OutboxRunner()).run, args=(stop,),
                              name="kanava-outbox", daemon=True)
    thread.start()
    return thread, stop
