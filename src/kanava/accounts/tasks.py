"""Background tasks of accounts."""

from __future__ import annotations

from huey import crontab

from kanava.accounts.services import prune_login_failures
from kanava.worker.queue import huey


@huey.periodic_task(crontab(minute="*/30"))
def prune_old_login_failures() -> None:
    """Sign-in failures older than the rate-limit window are of no use: drop them."""
    prune_login_failures()
