"""Train and evaluate the tone model from labelled TSV files.

The data directory holds ``<lang>/<split>.tsv`` files with a header and the columns
``text``, ``label`` (negative | neutral | positive) and ``source`` — the layout of
Kanava's shared tone data. Training needs scikit-learn (``pip install 'kanava[train]'``);
evaluation needs only numpy.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kanava.textanalysis import features
from kanava.textanalysis.tone import CARD_FILE, LABELS, MODEL_FILE, ToneModel

BITS = 20
MIN_DF = 2
C = 1.0
# Which languages' training data each head learns from. English borrows the other
# languages' data: its dev split is half tweets, which the English subtitles lack.
TRAINING_LANGUAGES = {
    "en": ("en", "fi", "nb", "sv"),
    "fi": ("fi",),
    "nb": ("nb",),
    "sv": ("sv",),
}
MAX_ROW_CHARS = 10_000

Labels = npt.NDArray[np.int64]


class DataError(Exception):
    """A data file is missing or malformed; the message names the file and line."""


@dataclass(frozen=True)
class Split:
    """The labelled texts of one language and split."""

    texts: list[str]
    labels: Labels
    sources: list[str]


@dataclass
class Scores:
    """How well predictions match the labels."""

    macro_f1: float
    accuracy: float
    per_label_f1: dict[str, float]
    confusion: list[list[int]]  # rows: true label, columns: predicted, in LABELS order
    count: int
    texts_per_second: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "macro_f1": round(self.macro_f1, 4),
            "accuracy": round(self.accuracy, 4),
            "per_label_f1": {k: round(v, 4) for k, v in self.per_label_f1.items()},
            "confusion": self.confusion,
            "count": self.count,
            "texts_per_second": round(self.texts_per_second),
        }


@dataclass
class TrainReport:
    """What training did: the dev scores of every head and where the model went."""

    directory: Path
    dev: dict[str, Scores] = field(default_factory=dict)
    seconds: float = 0.0


def read_split(path: Path) -> Split:
    """Read one TSV file, refusing bad rows with their file and line."""
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    texts: list[str] = []
    labels: list[int] = []
    sources: list[str] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"text", "label"} - set(reader.fieldnames or ())
        if missing:
            columns = ", ".join(sorted(missing))
            raise DataError(f"{path}:1: the header lacks the column(s) {columns}")
        for row in reader:
            line = reader.line_num
            label = (row.get("label") or "").strip()
            if label not in LABELS:
                raise DataError(f"{path}:{line}: label {label!r} is not one of {', '.join(LABELS)}")
            texts.append((row.get("text") or "")[:MAX_ROW_CHARS])
            labels.append(LABELS.index(label))
            sources.append(row.get("source") or "")
    return Split(texts, np.array(labels, dtype=np.int64), sources)


def splits(directory: Path) -> list[tuple[str, str, Path]]:
    """Every ``<lang>/<split>.tsv`` under ``directory``, sorted."""
    found = sorted(directory.glob("*/*.tsv"))
    if not found:
        raise DataError(f"{directory}: no <lang>/<split>.tsv files here")
    return [(path.parent.name, path.stem, path) for path in found]


def score(truth: Labels, predicted: Labels) -> Scores:
    """Macro-F1 over the three labels, accuracy and the confusion matrix."""
    size = len(LABELS)
    confusion = np.bincount(truth * size + predicted, minlength=size * size).reshape(size, size)
    f1s = {}
    for index, label in enumerate(LABELS):
        true_positive = confusion[index, index]
        denominator = confusion[index, :].sum() + confusion[:, index].sum()
        f1s[label] = float(2 * true_positive / denominator) if denominator else 0.0
    count = int(truth.size)
    accuracy = float(np.trace(confusion) / count) if count else 0.0
    present = [f1s[label] for i, label in enumerate(LABELS) if confusion[i, :].sum() > 0]
    macro = float(np.mean(present)) if present else 0.0
    return Scores(macro, accuracy, f1s, confusion.tolist(), count)


def evaluate(model: ToneModel, lang: str, split: Split) -> Scores:
    """Score the model on one split, timing prediction."""
    started = time.perf_counter()
    probabilities = model.probabilities(split.texts, [lang] * len(split.texts))
    elapsed = time.perf_counter() - started
    result = score(split.labels, probabilities.argmax(axis=1))
    result.texts_per_second = len(split.texts) / elapsed if elapsed > 0 else 0.0
    return result


Blocks = tuple[features.Block, features.Block]


def _matrix(blocks: Blocks, idfs: tuple[Any, Any], count: int) -> Any:
    from scipy import sparse

    values = [features.tfidf(block, idf, count) for block, idf in zip(blocks, idfs, strict=True)]
    rows = np.concatenate([block.docs for block in blocks])
    columns = np.concatenate([block.buckets for block in blocks])
    size = idfs[0].size
    return sparse.csr_matrix((np.concatenate(values), (rows, columns)), shape=(count, size))


def _idfs(blocks: Blocks, count: int, bits: int) -> tuple[Any, Any]:
    size = 1 << bits
    result = []
    for block in blocks:
        frequency = np.bincount(block.buckets, minlength=size)
        idf = features.idf(block, count, size)
        idf[frequency < MIN_DF] = 0.0  # as a vocabulary with min_df would drop them
        result.append(idf)
    return result[0], result[1]


def tune_shift(logits: npt.NDArray[np.float64], truth: Labels) -> npt.NDArray[np.float64]:
    """Offsets for the negative and positive scores that maximise dev macro-F1."""
    grid = np.linspace(-1.5, 1.5, 31)
    best, shift = score(truth, logits.argmax(axis=1)).macro_f1, np.zeros(3)
    for negative in grid:
        for positive in grid:
            candidate = np.array([negative, 0.0, positive])
            value = score(truth, (logits + candidate).argmax(axis=1)).macro_f1
            if value > best + 1e-9:
                best, shift = value, candidate
    return shift


def _fit_head(
    data: dict[tuple[str, str], Split], lang: str, bits: int, c: float
) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    train = [data[(source, "train")] for source in TRAINING_LANGUAGES[lang]]
    texts = [text for split in train for text in split.texts]
    labels = np.concatenate([split.labels for split in train])
    blocks = features.blocks(texts, bits)
    idfs = _idfs(blocks, len(texts), bits)
    classifier = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    classifier.fit(_matrix(blocks, idfs, len(texts)), labels)
    weights = classifier.coef_.T.astype(np.float32)  # (buckets, labels)
    used = np.flatnonzero((idfs[0] > 0) | (idfs[1] > 0))
    head = {
        "buckets": used.astype(np.int32),
        "weights": weights[used].astype(np.float16),
        "idf": np.stack([idfs[0][used], idfs[1][used]], axis=1).astype(np.float16),
        "intercept": classifier.intercept_.astype(np.float32),
        "shift": np.zeros(3, dtype=np.float32),
    }
    dev = data.get((lang, "dev"))
    if dev is not None:
        matrix = _matrix(features.blocks(dev.texts, bits), idfs, len(dev.texts))
        logits = np.asarray(classifier.decision_function(matrix), dtype=np.float64)
        head["shift"] = tune_shift(logits, dev.labels).astype(np.float32)
    return head


def _fingerprint(paths: Sequence[Path]) -> dict[str, str]:
    return {f"{p.parent.name}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def train(
    data_dir: Path,
    out_dir: Path,
    *,
    bits: int = BITS,
    c: float = C,
    progress: Callable[[str], None] = lambda _: None,
) -> TrainReport:
    """Train every head from ``data_dir`` and write the model into ``out_dir``."""
    started = time.perf_counter()
    found = splits(data_dir)
    data = {(lang, split): read_split(path) for lang, split, path in found}
    langs = [lang for lang in TRAINING_LANGUAGES if (lang, "train") in data]
    if not langs:
        raise DataError(f"{data_dir}: no train.tsv for any of {', '.join(TRAINING_LANGUAGES)}")
    arrays: dict[str, Any] = {}
    for lang in langs:
        progress(lang)
        missing = [s for s in TRAINING_LANGUAGES[lang] if (s, "train") not in data]
        if missing:
            needed = ", ".join(f"{code}/train.tsv" for code in missing)
            raise DataError(f"{data_dir}: the {lang} model learns from {needed}, not found")
        for name, value in _fit_head(data, lang, bits, c).items():
            arrays[f"{lang}.{name}"] = value
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_dir / MODEL_FILE, **arrays)
    card = _card(langs, bits, c, found, data)
    (out_dir / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", "utf-8")
    report = TrainReport(out_dir)
    model = ToneModel.load(out_dir)
    for lang in langs:
        if (lang, "dev") in data:
            report.dev[lang] = evaluate(model, lang, data[(lang, "dev")])
    card["dev"] = {lang: scores.as_dict() for lang, scores in report.dev.items()}
    (out_dir / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", "utf-8")
    report.seconds = time.perf_counter() - started
    return report


def _card(
    langs: list[str],
    bits: int,
    c: float,
    found: list[tuple[str, str, Path]],
    data: dict[tuple[str, str], Split],
) -> dict[str, Any]:
    """The model card stored beside the weights: what it is and what it learnt from."""
    sources = sorted({s for split in data.values() for s in split.sources if s})
    return {
        "format": 1,
        "features": features.VERSION,
        "kind": "hashed char 1-5 + word 1-2 gram TF-IDF, multinomial logistic regression",
        "labels": list(LABELS),
        "heads": langs,
        "training_languages": {lang: list(TRAINING_LANGUAGES[lang]) for lang in langs},
        "bits": bits,
        "min_df": MIN_DF,
        "C": c,
        "sources": sources,
        "data": _fingerprint([path for _, _, path in found]),
        "trained": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }
