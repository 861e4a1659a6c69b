"""Background tasks of publishing (the outbox itself runs as its own loop: outbox.py)."""

from __future__ import annotations

from huey import crontab

from kanava.publishing import connections
from kanava.worker.queue import huey


@huey.periodic_task(crontab(minute="*/15"))
def refresh_tokens() -> dict[str, int]:
    """Refresh the access tokens that run out within a day, long before a post needs them."""
    return connections.refresh_due()
