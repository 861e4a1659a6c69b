"""Running the background work: the queue's consumer and the publishing outbox loop,
inside ``kanava serve`` (threads) or as ``kanava worker``."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from huey.consumer import Consumer

from kanava.worker.queue import huey, load_tasks


@dataclass
class Background:
    """The running consumer and outbox loop, to stop together."""

    consumer: Consumer
    outbox: tuple[threading.Thread, threading.Event] | None

    def stop(self, graceful: bool = True) -> None:
        if self.outbox is not None:
            self.outbox[1].set()
        self.consumer.stop(graceful=graceful)
        if self.outbox is not None:
            self.outbox[0].join(timeout=30)


def start_in_process(workers: int = 1, *, outbox: bool = True) -> Background:
    """Start the consumer's threads (and the outbox loop) beside the web server.

    Huey's own start() would take over the process's signal handlers, which belong to
    the web server here; so only the scheduler and the worker threads are started.
    """
    load_tasks()
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.scheduler.start()
    for _worker, thread in consumer.worker_threads:
        thread.start()
    return Background(consumer, _start_outbox() if outbox else None)


def _start_outbox() -> tuple[threading.Thread, threading.Event]:
    from kanava.publishing.outbox import start_thread

    return start_thread()


def run_alone(workers: int = 2) -> None:
    """Run the consumer and the outbox in the foreground until Ctrl+C or SIGTERM
    (``kanava worker``)."""
    load_tasks()
    thread, stop = _start_outbox()
    try:
        huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()
    finally:
        stop.set()
        thread.join(timeout=30)
