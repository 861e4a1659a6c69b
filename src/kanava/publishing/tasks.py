"""Background tasks of publishing (the outbox itself runs as its own loop: outbox.py)."""

from __future__ import annotations

from huey import crontab

from kanava.publishing import connections, reminders
from kanava.worker.queue import huey


@huey.periodic_task(crontab(minute="*/15"))
def refresh_tokens() -> dict[str, int]:
    """Refresh the access tokens that run out within a day, long before a post needs them."""
    return connections.refresh_due()


@huey.periodic_task(crontab(hour="6", minute="0"))
def remind_stale_channels() -> int:
    """Each morning (06:00 UTC, 8 or 9 in the Nordics): tell channel owners whose planned
    interval runs out within two days with nothing planned."""
    return reminders.warn_stale_channels()
