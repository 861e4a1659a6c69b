"""The batch API the rest of Kanava calls: language and tone of many texts at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from kanava.textanalysis.language import detect_languages
from kanava.textanalysis.text import clean
from kanava.textanalysis.tone import LABELS, ToneBackend, default_model

BATCH = 2_000  # large enough for numpy to pay off, small enough to stream


@dataclass(frozen=True)
class Analysis:
    """What Kanava knows about one text."""

    lang: str
    lang_confidence: float
    tone: str
    confidence: float
    probabilities: tuple[float, float, float]  # in the order of tone.LABELS

    def as_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "lang_confidence": self.lang_confidence,
            "tone": self.tone,
            "confidence": self.confidence,
            "probabilities": dict(zip(LABELS, self.probabilities, strict=True)),
        }


def analyse(texts: Sequence[str], *, tone_backend: ToneBackend | None = None) -> list[Analysis]:
    """Language and tone of each text, in order. Any string is accepted."""
    cleaned = [clean(text) for text in texts]
    guesses = detect_languages(cleaned)
    backend = tone_backend or default_model()
    tones = backend.predict(cleaned, [guess.lang for guess in guesses])
    return [
        Analysis(guess.lang, guess.confidence, tone.label, tone.confidence, tone.probabilities)
        for guess, tone in zip(guesses, tones, strict=True)
    ]


def analyse_stream(
    texts: Iterable[str], *, batch: int = BATCH, tone_backend: ToneBackend | None = None
) -> Iterator[Analysis]:
    """Analyse an endless stream in batches, yielding results in input order."""
    iterator = iter(texts)
    while chunk := list(islice(iterator, batch)):
        yield from analyse(chunk, tone_backend=tone_backend)
