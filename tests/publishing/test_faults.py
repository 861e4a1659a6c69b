"""GIVEN 300 posts due at once and `kanava worker` processes killed (SIGKILL) at
random moments while they publish to a local Mastodon server,
WHEN a last worker is left to finish,
THEN every post is on the server exactly once and no variant is left unconfirmed."""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.publishing.outbox_world import World

POSTS = 300
MAX_KILLS = 12


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    started = World(tmp_path).start()
    yield started
    started.stop()


def _numbers(statuses: list[str]) -> Counter[int]:
    return Counter(int(m.group(1)) for text in statuses
                   if (m := re.search(r"post number (\d+)\.", text)))


def _published(world: World) -> int:
    return world.outbox().get("published", 0)


def test_killed_workers_lose_nothing_and_duplicate_nothing(world: World) -> None:
    rng = random.Random(20261122)
    world.seed(POSTS, datetime.now(UTC), channels=6)
    kills_mid_work = 0
    for _ in range(MAX_KILLS):
        before = _published(world)
        if before == POSTS:
            break
        worker = world.start_worker()
        deadline = time.monotonic() + 30
        while _published(world) == before and time.monotonic() < deadline:
            time.sleep(0.05)  # wait until this worker is publishing
        time.sleep(rng.uniform(0.0, 0.4))
        world.kill(worker)
        kills_mid_work += _published(world) < POSTS
    final = world.start_worker()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and world.outbox() != {"published": POSTS}:
        time.sleep(0.5)
    world.kill(final)
    assert world.outbox() == {"published": POSTS}, (world.root / "worker.log").read_text()
    published = _numbers(world.statuses())
    assert sorted(published) == list(range(POSTS))  # nothing lost
    assert max(published.values()) == 1  # nothing twice
    outcomes = dict(world.rows("SELECT outcome, count(*) FROM publishing_attempt "
                               "GROUP BY outcome"))
    assert outcomes.get("pending", 0) == 0  # every interrupted call was settled
    assert kills_mid_work >= 3, "the kills should land while posts are being published"
    print(f"kills while publishing: {kills_mid_work}; attempts: {outcomes}")
