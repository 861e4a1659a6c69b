"""The one Huey instance every task module decorates its tasks with."""

from __future__ import annotations

from huey import Huey, RedisHuey, SqliteHuey

from kanava.web.config import data_dir, env_str

#: The modules whose tasks the consumer runs (imported by :func:`load_tasks`).
TASK_MODULES = ("kanava.accounts.tasks", "kanava.planstore.tasks", "kanava.publishing.tasks")


def make_huey() -> Huey:
    """Redis when KANAVA_REDIS_URL is set (several machines), else SQLite in the data folder."""
    redis_url = env_str("KANAVA_REDIS_URL")
    if redis_url:
        return RedisHuey("kanava", url=redis_url)
    return SqliteHuey("kanava", filename=str(data_dir() / "queue.sqlite3"))


huey = make_huey()


@huey.post_execute()
def _close_database_connections(task: object, task_value: object, exc: object) -> None:
    """A worker thread's database connection is closed after each task, so none lingers
    (PostgreSQL counts them) when the thread goes idle or stops. A connection inside a
    transaction is left alone: that is a caller running the task at once (Huey's
    immediate mode), whose transaction goes on after the task."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def load_tasks() -> None:
    import importlib

    for module in TASK_MODULES:
        importlib.import_module(module)
