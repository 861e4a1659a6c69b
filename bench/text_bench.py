"""Language + tone: quality on the dev splits, throughput, load time and memory.

    .venv/bin/python bench/text_bench.py [--data ../shared/data/tone] [--texts 100000]

Prints, per language, tone macro-F1 and accuracy on the dev split (routed by the known
language, and end to end by the detected language), then texts per second for language
and tone together in one process and in one process per core, the model load time in a
fresh process, and the peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from kanava.textanalysis import training
from kanava.textanalysis.analysis import analyse
from kanava.textanalysis.tone import LABELS, default_model

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "tone"
CHUNK = 2_000
LOAD = (
    "import time; t = time.perf_counter();"
    "from kanava.textanalysis.analysis import analyse; analyse(['Hei maailma!']);"
    "print(time.perf_counter() - t)"
)


def quality(data: Path) -> list[str]:
    rows = ["| lang | dev texts | macro-F1 (known lang) | accuracy | macro-F1 (detected lang) |",
            "|---|---|---|---|---|"]
    model = default_model()
    for lang in ("en", "fi", "nb", "sv"):
        split = training.read_split(data / lang / "dev.tsv")
        known = training.evaluate(model, lang, split)
        results = analyse(split.texts)
        predicted = [LABELS.index(r.tone) for r in results]
        import numpy as np

        detected = training.score(split.labels, np.array(predicted, dtype=np.int64))
        rows.append(f"| {lang} | {known.count} | {known.macro_f1:.3f} | {known.accuracy:.3f} "
                    f"| {detected.macro_f1:.3f} |")
    return rows


def _work(texts: list[str]) -> int:
    return len(analyse(texts))


def throughput(texts: list[str], processes: int) -> float:
    chunks = [texts[i : i + CHUNK] for i in range(0, len(texts), CHUNK)]
    if processes == 1:
        analyse(chunks[0])  # load the models outside the timing
        started = time.perf_counter()
        done = sum(map(_work, chunks))
        return done / (time.perf_counter() - started)
    with ProcessPoolExecutor(max_workers=processes) as pool:
        list(pool.map(_work, [chunks[0]] * processes))  # warm every worker
        started = time.perf_counter()
        done = sum(pool.map(_work, chunks))
        return done / (time.perf_counter() - started)


def load_seconds() -> list[float]:
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True,
                             check=True)
        runs.append(float(out.stdout.strip()))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--texts", type=int, default=100_000)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    print("\n".join(quality(args.data)))
    pool = [text for lang in ("en", "fi", "nb", "sv")
            for text in training.read_split(args.data / lang / "dev.tsv").texts]
    texts = (pool * (args.texts // len(pool) + 1))[: args.texts]
    mean_chars = sum(map(len, texts)) / len(texts)
    print(f"\nthroughput, language + tone, {len(texts):,} texts of {mean_chars:.0f} chars on "
          "average (the four dev splits, repeated):")
    for processes in sorted({1, os.cpu_count() or 1}):
        print(f"  {processes} process(es): {throughput(texts, processes):,.0f} texts/s")
    loads = load_seconds()
    print(f"load (import + both models + first text, fresh process): "
          f"{min(loads):.2f} s best, {max(loads):.2f} s worst of 3")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
