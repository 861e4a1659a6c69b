"""How fast a plan is loaded, checked and rendered.

Run: .venv/bin/python bench/plan_bench.py [--channels 50] [--goals 200] [--runs 20]

Prints latency percentiles of each step for the example plans and for a generated
large plan (the size the web benchmark uses: 50 channels, 200 goals), and the peak
resident memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kanava.plans.loader import dump_text, load_text
from kanava.plans.model import Plan
from kanava.plans.render import render_plan
from kanava.plans.rules import check

ROOT = Path(__file__).resolve().parents[1]


def large_plan(channels: int, goals: int) -> str:
    """YAML text of a plan with the given number of channels and goals."""
    people = [{"id": f"p{i}", "name": f"Person {i}"} for i in range(20)]
    data: dict[str, Any] = {
        "title": "Large plan", "language": "fi", "organization": {"name": "Big org"},
        "people": people,
        "audiences": [{"id": f"a{i}", "name": f"Audience {i}", "needs": ["News"],
                       "online": ["facebook", "instagram"]} for i in range(10)],
        "goals": [{"id": f"g{i}", "title": f"Goal number {i}", "horizon": "short",
                   "objective": "listen", "owner": f"p{i % 20}", "customer_benefit": "Faster",
                   "kpis": [{"metric": "followers", "baseline": i, "target": i * 2,
                             "deadline": "2027-12-31"}]} for i in range(goals)],
        "channels": [{"id": f"c{i}", "name": f"Channel {i}", "network": "facebook",
                      "purpose": f"Purpose {i}", "goals": [f"g{i % goals}"],
                      "audiences": [f"a{i % 10}"], "content_types": ["text"],
                      "cadence": {"posts": 3, "per": "week"}, "owner": f"p{i % 20}",
                      "hours_per_week": 1} for i in range(channels)],
    }
    return dump_text(Plan.model_validate(data))


def measure(step: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"  {name:<12} p50 {statistics.median(ordered):8.1f} ms   p95 {p95:8.1f} ms"
          f"   ({len(times)} runs)")


def bench(label: str, text: str, runs: int, pdf_runs: int) -> None:
    loaded = load_text(text)
    print(f"{label}: {len(text.splitlines())} lines, {len(loaded.plan.channels)} channels, "
          f"{len(loaded.plan.goals)} goals")
    report("load", measure(lambda: load_text(text), runs))
    report("check", measure(lambda: check(loaded), runs))
    report("save", measure(lambda: dump_text(loaded), runs))
    report("html", measure(lambda: render_plan(loaded.plan, "html"), runs))
    report("markdown", measure(lambda: render_plan(loaded.plan, "md"), runs))
    report("pdf", measure(lambda: render_plan(loaded.plan, "pdf"), pdf_runs))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--goals", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pdf-runs", type=int, default=3)
    args = parser.parse_args(argv)
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        bench(path.name, path.read_text(encoding="utf-8"), args.runs, args.pdf_runs)
    bench("generated", large_plan(args.channels, args.goals), args.runs, args.pdf_runs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
