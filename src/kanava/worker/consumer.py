"""Running the queue's consumer: inside ``kanava serve`` (threads) or as ``kanava worker``."""

from __future__ import annotations

from huey.consumer import Consumer

from kanava.worker.queue import huey, load_tasks


def start_in_process(workers: int = 1) -> Consumer:
    """Start the consumer's threads beside the web server and return it (to stop it).

    Huey's own start() would take over the process's signal handlers, which belong to
    the web server here; so only the scheduler and the worker threads are started.
    """
    load_tasks()
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.scheduler.start()
    for _worker, thread in consumer.worker_threads:
        thread.start()
    return consumer


def run_alone(workers: int = 2) -> None:
    """Run the consumer in the foreground until Ctrl+C or SIGTERM (``kanava worker``)."""
    load_tasks()
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()
