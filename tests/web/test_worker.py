"""The background worker: new versions get their PDF rendered off the request, old rows
and files are pruned, the in-process consumer runs tasks, and a Redis queue works."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import pytest
from django.utils import timezone

from kanava.accounts.models import LoginFailure
from kanava.accounts.services import prune_login_failures
from kanava.planstore import services
from kanava.planstore.services import exports_dir, prune_exports
from kanava.worker import queue
from kanava.worker.consumer import start_in_process
from tests.web.conftest import EXAMPLES, Cast

pytestmark = pytest.mark.django_db


def test_a_saved_version_has_its_pdf_made_by_the_worker(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    queue.huey.immediate = True  # run the task at once, as a worker would
    try:
        text = (EXAMPLES / "nb-husbanken.yaml").read_text(encoding="utf-8")
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            version = services.do_save_version(cast.plan, cast.users["lead"], text)
    finally:
        queue.huey.immediate = False
    assert len(callbacks) == 1
    digest = services.hashlib.sha256(text.encode()).hexdigest()[:32]
    kept = list(exports_dir().glob(f"{digest}-*.pdf"))
    assert len(kept) == 1
    content, content_type, name = services.export(version, "pdf")
    assert content == kept[0].read_bytes()
    assert content.startswith(b"%PDF")
    assert (content_type, name) == ("application/pdf", f"{cast.plan.slug}-v2.pdf")


def test_old_sign_in_failures_are_pruned(cast: Cast) -> None:
    LoginFailure.objects.create(username="old", at=timezone.now() - dt.timedelta(hours=2))
    LoginFailure.objects.create(username="new")
    assert prune_login_failures() == 1
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["new"]


def test_old_kept_exports_are_pruned(cast: Cast) -> None:
    old, new = exports_dir() / "old-test.pdf", exports_dir() / "new-test.pdf"
    old.write_bytes(b"%PDF old")
    new.write_bytes(b"%PDF new")
    three_days_ago = (timezone.now() - dt.timedelta(days=3)).timestamp()
    os.utime(old, (three_days_ago, three_days_ago))
    prune_exports()
    assert not old.exists()
    assert new.exists()
    new.unlink()


@pytest.mark.django_db(transaction=True)
def test_the_in_process_consumer_runs_queued_tasks(cast: Cast) -> None:
    from kanava.planstore.tasks import prerender_pdf

    queue.huey.flush()
    consumer = start_in_process(outbox=False)
    try:
        result = prerender_pdf(cast.plan.latest().pk)
        assert result.get(blocking=True, timeout=60) is True
    finally:
        consumer.stop(graceful=True)
    text = cast.plan.latest().text
    digest = services.hashlib.sha256(text.encode()).hexdigest()[:32]
    assert list(exports_dir().glob(f"{digest}-*.pdf"))


def _redis_url() -> str | None:
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail("Redis is required in CI but is not reachable at 127.0.0.1:6379")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    return url


def test_with_kanava_redis_url_the_queue_lives_in_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    from huey import RedisHuey

    url = _redis_url()
    monkeypatch.setenv("KANAVA_REDIS_URL", url or "")
    redis_huey = queue.make_huey()
    assert isinstance(redis_huey, RedisHuey)
    redis_huey.name = f"kanava-test-{uuid.uuid4().hex}"  # a queue of this test's own

    @redis_huey.task()
    def add(a: int, b: int) -> int:
        return a + b

    result = add(2, 3)
    assert redis_huey.pending_count() == 1
    redis_huey.execute(redis_huey.dequeue())
    assert result.get() == 5
    redis_huey.flush()
