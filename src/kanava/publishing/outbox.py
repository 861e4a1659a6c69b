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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django import db
from django.db import close_old_connections, connections
from django.utils import timezone

from kanava.connectors.base import ConnectorError, Outgoing, Publisher, Receipt
from kanava.publishing import connections as network_accounts
from kanava.publishing import services
from kanava.publishing.models import Connection, Variant

log = logging.getLogger(__name__)

INTERVAL = 0.5  # seconds between looks at the outbox when it is idle
BATCH = 200  # variants claimed at once; a worker drains ~600 a second (decision 0007)
PUBLISHERS = 8  # network calls in flight at once
RECONCILE_EVERY = timedelta(minutes=1)
SWEEP_EVERY = timedelta(minutes=1)

PublisherFor = Callable[[Variant], Publisher]


def connected_publisher(variant: Variant) -> Publisher:
    """The publisher of the account connected to the variant's channel."""
    connection = Connection.objects.filter(organization_id=variant.post.organization_id,
                                           channel=variant.channel).first()
    if connection is None:
        raise ConnectorError(f"no account is connected to the channel {variant.channel}",
                             permanent=True)
    return network_accounts.publisher(connection)


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
    publisher_for: PublisherFor = connected_publisher
    clock: Callable[[], datetime] = timezone.now
    batch: int = BATCH
    threads: int = PUBLISHERS
    _reconciled: datetime | None = None
    _swept: datetime | None = None
    _threads: ThreadPoolExecutor | None = None

    def _pool(self) -> ThreadPoolExecutor:
        """The publishing threads, kept between ticks with their database connections:
        opening a connection per channel and tick cost more than the publishing."""
        if self._threads is None:
            self._threads = ThreadPoolExecutor(self.threads, thread_name_prefix="kanava-publish")
        return self._threads

    def close(self) -> None:
        if self._threads is not None:
            self._threads.shutdown()
            self._threads = None

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
            list(self._pool().map(self._publish, groups))
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
            if threading.current_thread() is not threading.main_thread() \
                    and db.connection.vendor != "sqlite":
                close_old_connections()  # a server's connections obey CONN_MAX_AGE

    def _reconcile(self, now: datetime) -> None:
        unconfirmed = Variant.objects.filter(outbox=Variant.Outbox.UNCONFIRMED).select_related(
            "post")[: self.batch]
        for variant in unconfirmed:
            publisher = self._publisher(variant)
            try:
                services.reconcile(variant, publisher, now)
            finally:
                publisher.close()

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
                    close_old_connections()
                if not busy:
                    stop.wait(interval)
        finally:
            self.close()
            connections.close_all()  # this thread's own connection


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
