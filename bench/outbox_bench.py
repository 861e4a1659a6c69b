"""Publishing lateness: 1,000 posts due in the same minute, one `kanava worker`, SQLite.

    .venv/bin/python bench/outbox_bench.py [--posts 1000] [--spread 60] [--channels 10]

A fresh data folder with the default SQLite database, a local Mastodon server
(mastodon-mock, in its own process) and one `kanava worker` process started before the
posts fall due. Prints the lateness of publication (published_at - due_at) at p50, p90,
p99 and max, the throughput, and the worker's peak memory.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.publishing.outbox_world import World  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000)
    parser.add_argument("--spread", type=float, default=0.0,
                        help="seconds over which the due times are spread (0: all at once)")
    parser.add_argument("--channels", type=int, default=10)
    parser.add_argument("--server", choices=["fast", "mastodon-mock"], default="fast",
                        help="fast: a minimal Mastodon stand-in (the default); mastodon-mock: "
                             "the full stand-in, which itself takes about 90 statuses/s")
    args = parser.parse_args()
    world = World(Path(tempfile.mkdtemp(prefix="kanava-outbox-")), stale_seconds=120,
                  fast=args.server == "fast").start()
    try:
        worker = world.start_worker()
        time.sleep(3)  # the worker is up before anything is due
        first_due = datetime.now(UTC) + timedelta(seconds=5)
        world.seed(args.posts, first_due, channels=args.channels)
        if args.spread:
            rng = random.Random(7)
            for (pk,) in world.rows("SELECT id FROM publishing_variant"):
                due = first_due + timedelta(seconds=rng.uniform(0, args.spread))
                world.rows("UPDATE publishing_variant SET due_at = ? WHERE id = ?",
                           due.strftime("%Y-%m-%d %H:%M:%S.%f"), pk)
        server = world.processes[0].pid
        cpu_before = cpu_seconds(worker.pid), cpu_seconds(server)
        deadline = time.monotonic() + 600
        while world.outbox().get("published", 0) < args.posts and time.monotonic() < deadline:
            time.sleep(0.2)
        rss = peak_rss_mb(worker.pid)
        cpu = cpu_seconds(worker.pid) - cpu_before[0], cpu_seconds(server) - cpu_before[1]
        world.kill(worker)
        timings = world.timings()
        late = [(done - due).total_seconds() for due, done in timings]
        span = (max(done for _, done in timings) - min(due for due, _ in timings))
        print(f"server: {args.server}; posts: {args.posts} due within {args.spread:.0f} s, "
              f"{args.channels} channels; "
              f"published: {len(timings)}; outbox: {world.outbox()}")
        print(f"lateness p50 {percentile(late, 0.5):.2f} s, p90 {percentile(late, 0.9):.2f} s, "
              f"p99 {percentile(late, 0.99):.2f} s, max {max(late):.2f} s, "
              f"mean {statistics.mean(late):.2f} s")
        print(f"throughput: {len(timings) / span.total_seconds():.0f} posts/s from the first "
              f"due time to the last publication")
        print(f"worker peak RSS: {rss:.0f} MB; CPU while publishing: worker {cpu[0]:.2f} s, "
              f"stand-in server {cpu[1]:.2f} s (on {os.cpu_count()} cores)")
    finally:
        world.stop()


if __name__ == "__main__":
    main()
