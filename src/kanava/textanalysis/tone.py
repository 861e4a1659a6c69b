"""Tone of short texts: negative, neutral or positive, with a confidence.

The default model ships inside the package (``models/tone.npz``): one multinomial
logistic regression per language over hashed character and word n-grams (see
:mod:`kanava.textanalysis.features`), trained by ``kanava text train`` from the labelled
data named in ``models/tone.json`` and in NOTICE. Prediction needs only numpy.

Languages without a model of their own borrow a neighbour's: Nynorsk and Danish use
the Norwegian Bokmål model, everything else the English one, which was trained on
all four languages' data and so knows emoji and punctuation that cross languages.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from kanava.textanalysis import features

LABELS = ("negative", "neutral", "positive")
MODEL_LANGUAGES = ("en", "fi", "nb", "sv")
BORROWED = {"nn": "nb", "da": "nb", "no": "nb"}
FALLBACK = "en"
MODEL_FILE = "tone.npz"
CARD_FILE = "tone.json"

Floats = npt.NDArray[np.float64]


class ToneModelError(Exception):
    """The tone model file is missing, unreadable or of another format."""


@dataclass(frozen=True)
class Tone:
    """One text's tone: the most likely label and the probability of each label."""

    label: str
    confidence: float
    probabilities: tuple[float, float, float]  # in the order of LABELS


class ToneBackend(Protocol):
    """What any tone model offers; a heavier backend can stand in for the default."""

    def predict(self, texts: Sequence[str], langs: Sequence[str]) -> list[Tone]: ...


@dataclass(frozen=True)
class Head:
    """The weights for one language, expanded over all hash buckets."""

    bits: int
    weights: npt.NDArray[np.float32]  # (2**bits, 3)
    char_idf: npt.NDArray[np.float32]  # 0 where training never saw the bucket
    word_idf: npt.NDArray[np.float32]
    intercept: Floats  # (3,)
    shift: Floats  # (3,) class offsets tuned for macro-F1 on the dev split

    def logits(self, texts: Sequence[str]) -> Floats:
        """Unnormalised log-probabilities, one row per text."""
        chars, words = features.blocks(texts, self.bits)
        count = len(texts)
        scores = np.tile(self.intercept + self.shift, (count, 1))
        for block, idf in ((chars, self.char_idf), (words, self.word_idf)):
            values = features.tfidf(block, idf.astype(np.float64), count)
            rows = self.weights[block.buckets]
            for label in range(len(LABELS)):
                scores[:, label] += np.bincount(
                    block.docs, weights=values * rows[:, label], minlength=count
                )
        return scores


def softmax(logits: Floats) -> Floats:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    result: Floats = shifted / shifted.sum(axis=1, keepdims=True)
    return result


class ToneModel:
    """The default tone backend: a linear head per language, routed by language."""

    def __init__(self, heads: dict[str, Head], card: dict[str, Any], directory: Path) -> None:
        self.heads = heads
        self.card = card
        self.directory = directory

    @classmethod
    def load(cls, directory: Path | None = None) -> ToneModel:
        """Load the model from ``directory``, or the one shipped in the package."""
        if directory is None:
            with resources.as_file(resources.files("kanava.textanalysis") / "models") as path:
                return cls._read(Path(path))
        return cls._read(directory)

    @classmethod
    def _read(cls, directory: Path) -> ToneModel:
        try:
            card = json.loads((directory / CARD_FILE).read_text(encoding="utf-8"))
            if card.get("features") != features.VERSION:
                raise ValueError(
                    f"it was trained for features version {card.get('features')}, "
                    f"this Kanava reads version {features.VERSION}: run kanava text train"
                )
            with np.load(directory / MODEL_FILE, allow_pickle=False) as arrays:
                heads = {lang: _expand(arrays, lang, int(card["bits"])) for lang in card["heads"]}
        except (OSError, ValueError, KeyError) as error:
            raise ToneModelError(f"{directory}: cannot read the tone model: {error}") from error
        return cls(heads, card, directory)

    def head_for(self, lang: str) -> str:
        """Which language's head reads texts in ``lang``."""
        lang = BORROWED.get(lang, lang)
        return lang if lang in self.heads else FALLBACK

    def probabilities(self, texts: Sequence[str], langs: Sequence[str]) -> Floats:
        """Probabilities of LABELS, one row per text, each text read by its language's head."""
        if len(texts) != len(langs):
            raise ValueError("texts and langs must have the same length")
        result = np.zeros((len(texts), len(LABELS)))
        routes = np.array([self.head_for(lang) for lang in langs], dtype=object)
        for head in set(routes.tolist()):
            chosen = np.flatnonzero(routes == head)
            batch = [texts[int(i)] for i in chosen]
            result[chosen] = softmax(self.heads[head].logits(batch))
        return result

    def predict(self, texts: Sequence[str], langs: Sequence[str]) -> list[Tone]:
        rows = self.probabilities(texts, langs)
        return [_tone(row) for row in rows]


def _tone(row: Floats) -> Tone:
    best = int(row.argmax())
    probabilities = (float(row[0]), float(row[1]), float(row[2]))
    return Tone(LABELS[best], round(float(row[best]), 4), probabilities)


def _expand(arrays: Any, lang: str, bits: int) -> Head:
    """Spread a head's stored non-empty buckets over the full hash space."""
    size = 1 << bits
    buckets = arrays[f"{lang}.buckets"].astype(np.int64)
    weights = np.zeros((size, len(LABELS)), dtype=np.float32)
    weights[buckets] = arrays[f"{lang}.weights"]
    idf = np.zeros((size, 2), dtype=np.float32)
    idf[buckets] = arrays[f"{lang}.idf"]
    return Head(
        bits=bits,
        weights=weights,
        char_idf=np.ascontiguousarray(idf[:, 0]),
        word_idf=np.ascontiguousarray(idf[:, 1]),
        intercept=arrays[f"{lang}.intercept"].astype(np.float64),
        shift=arrays[f"{lang}.shift"].astype(np.float64),
    )


_default: ToneModel | None = None
_lock = threading.Lock()


def default_model() -> ToneModel:
    """The shipped model, loaded once per process."""
    global _default
    with _lock:
        if _default is None:
            _default = ToneModel.load()
        return _default
