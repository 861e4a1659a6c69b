"""Background tasks of stored plans."""

from __future__ import annotations

from huey import crontab

from kanava.planstore.models import PlanVersion
from kanava.planstore.services import export, prune_exports
from kanava.worker.queue import huey


@huey.task()
def prerender_pdf(version_id: int, lang: str | None = None) -> bool:
    """Render a new version's PDF ahead of the first export (seconds of CPU, off the request).

    Idempotent: the rendered file is kept by content, so running twice renders once.
    """
    version = PlanVersion.objects.filter(pk=version_id).select_related("plan").first()
    if version is None:
        return False  # deleted meanwhile: nothing to do
    export(version, "pdf", lang)
    return True


@huey.periodic_task(crontab(hour="3", minute="17"))
def prune_kept_exports() -> None:
    """Kept PDFs show the day they were made; after two days they are made again."""
    prune_exports()
