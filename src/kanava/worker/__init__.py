"""Background work (Huey): the queue, and running its consumer in-process or alone.

The queue lives in SQLite in the data folder by default, so a laptop needs no extra
server; with ``KANAVA_REDIS_URL`` it lives in Redis, so that workers on several machines
share it. Tasks are defined in the capability packages (``kanava.<package>.tasks``) and
are idempotent: the database row is the truth, never the queue.
"""
