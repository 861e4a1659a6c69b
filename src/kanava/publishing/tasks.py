"""Background tasks of publishing (the outbox itself runs as its own loop: outbox.py)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone
from huey import crontab

from kanava.publishing import checks, connections, links
from kanava.publishing.models import Variant
from kanava.publishing.workflow import State
from kanava.worker.queue import huey

#: Posts going out within this time have their links asked again every six hours.
UPCOMING = timedelta(days=7)
#: Shorter than the six hours between rechecks, so that no link waits twelve.
RECHECK_AGE = links.FRESH - timedelta(minutes=30)


@huey.periodic_task(crontab(minute="*/15"))
def refresh_tokens() -> dict[str, int]:
    """Refresh the access tokens that run out within a day, long before a post needs them."""
    return connections.refresh_due()


@huey.task()
def check_links(post_id: int) -> dict[str, int]:
    """Ask the links of a post just written or changed (off the request: each may take
    seconds), so that its page shows the ones that do not open."""
    variants = Variant.objects.filter(post_id=post_id)
    return dict(links.check_stored(_urls(variants)))


@huey.periodic_task(crontab(minute="40", hour="*/6"))
def recheck_upcoming_links() -> dict[str, int]:
    """A page can vanish after the post was written: ask again before the post goes out."""
    now = timezone.now()
    variants = Variant.objects.filter(
        post__state__in=[State.IN_REVIEW, State.APPROVED, State.SCHEDULED],
        post__publish_at__gte=now, post__publish_at__lte=now + UPCOMING)
    return dict(links.check_stored(_urls(variants), max_age=RECHECK_AGE, now=now))


def _urls(variants: QuerySet[Variant]) -> list[str]:
    return [url for text, link in variants.values_list("text", "link")
            for url in links.links_of(checks.Variant("", "", text, link or None))]
