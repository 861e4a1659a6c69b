"""A small world for the outbox's fault test and benchmark, made of real processes.

- a data folder with a migrated SQLite database, as `kanava serve` makes one;
- a mastodon-mock server process (Mastodon's REST API on loopback);
- `kanava worker` processes, started and killed (SIGKILL) at will.

Results are read straight from the SQLite file and the server's API, so the process
running this (pytest, a benchmark) needs no Django of its own.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

TOKEN = "mock_token"  # noqa: S105 - the mock server's default seed account

SEED = """
import sys
from datetime import datetime
import django
django.setup()
from django.db import transaction
from kanava.accounts.services import do_create_organization, do_create_user
from kanava.publishing import sealing
from kanava.publishing.models import Connection, Post, Variant

count, due = int(sys.argv[1]), datetime.fromisoformat(sys.argv[2])
server, channels = sys.argv[3], int(sys.argv[4])
user = do_create_user("bench", "bench@example.org", "bench-password-1")
organization = do_create_organization(user, "Bench", slug="bench")
for n in range(channels):
    Connection.objects.create(organization=organization, channel=f"c{n}", network="mastodon",
                              base_url=server, sealed=sealing.seal({"access_token": "mock_token"}))
with transaction.atomic():
    posts = Post.objects.bulk_create(
        Post(organization=organization, title=f"post {i}", state="scheduled", publish_at=due,
             author=user) for i in range(count))
    Variant.objects.bulk_create(
        Variant(post=post, channel=f"c{i % channels}", network="mastodon",
                text=f"Outbox test post number {i}. Questions?", outbox="scheduled",
                due_at=due) for i, post in enumerate(posts))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _when(text: str | None) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class World:
    root: Path
    stale_seconds: int = 3
    fast: bool = False  # the benchmark's fast stand-in instead of mastodon-mock
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    server: str = ""

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "KANAVA_DATA_DIR": str(self.root / "data"),
                "DJANGO_SETTINGS_MODULE": "kanava.web.settings",
                "KANAVA_OUTBOX_STALE_SECONDS": str(self.stale_seconds),
                "DATABASE_URL": "", "KANAVA_REDIS_URL": "", "PYTHONUNBUFFERED": "1"}

    def start(self) -> World:
        (self.root / "data").mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "kanava.cli.main", "migrate"], env=self.env,
                       check=True, capture_output=True)
        port = free_port()
        mock = Path(sys.executable).with_name("mastodon_mock")
        command = ([sys.executable, "-m", "tests.publishing.fast_mastodon", str(port)]
                   if self.fast else
                   [str(mock), "serve", "--in-memory", "--port", str(port), "--log-level",
                    "warning"])
        log = (self.root / "mastodon.log").open("wb")
        self.processes.append(subprocess.Popen(
            command, cwd=Path(__file__).resolve().parents[2] if self.fast else self.root,
            stdout=log, stderr=subprocess.STDOUT))
        self.server = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.server}/api/v1/instance", timeout=1).is_success:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"mastodon-mock did not start: {(self.root / 'mastodon.log')}")

    def seed(self, count: int, due: datetime, channels: int = 10) -> None:
        subprocess.run([sys.executable, "-c", SEED, str(count), due.isoformat(), self.server,
                        str(channels)], env=self.env, check=True, capture_output=True)

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = (self.root / "worker.log").open("ab")
        worker = subprocess.Popen([sys.executable, "-m", "kanava.cli.main", "worker"],
                                  env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        self.processes.append(worker)
        return worker

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.root / "data" / "kanava.sqlite3", timeout=30) as db:
            return db.execute(sql, params).fetchall()

    def outbox(self) -> dict[str, int]:
        return dict(self.rows("SELECT outbox, count(*) FROM publishing_variant GROUP BY outbox"))

    def timings(self) -> list[tuple[datetime, datetime]]:
        """(due, published) of every published variant."""
        rows = self.rows("SELECT due_at, published_at FROM publishing_variant "
                         "WHERE outbox = 'published'")
        return [(_when(due), _when(done)) for due, done in rows]  # type: ignore[misc]

    def statuses(self) -> list[str]:
        """The text of every status on the server's account, oldest last."""
        headers = {"Authorization": f"Bearer {TOKEN}"}
        me = httpx.get(f"{self.server}/api/v1/accounts/verify_credentials",
                       headers=headers, timeout=30).json()
        texts: list[str] = []
        max_id = None
        while True:
            params: dict[str, Any] = {"limit": 40}
            if max_id:
                params["max_id"] = max_id
            page = httpx.get(f"{self.server}/api/v1/accounts/{me['id']}/statuses",
                             params=params, headers=headers, timeout=30).json()
            if not page:
                return texts
            texts += [status["content"] for status in page]
            max_id = page[-1]["id"]
