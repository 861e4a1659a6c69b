"""A small labelled data set in the layout of the shared tone data, written per test."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

WORDS = {
    "en": (["great", "lovely", "thanks", "wonderful"], ["awful", "hate", "terrible", "sad"],
           ["the", "bus", "leaves", "at", "noon", "today"]),
    "fi": (["upea", "kiitos", "ihana", "hyvä"], ["kamala", "vihaan", "huono", "surullinen"],
           ["bussi", "lähtee", "kello", "kaksitoista", "tänään"]),
    "nb": (["flott", "takk", "herlig", "god"], ["forferdelig", "hater", "dårlig", "trist"],
           ["bussen", "går", "klokka", "tolv", "i", "dag"]),
    "sv": (["underbar", "tack", "härlig", "bra"], ["hemsk", "hatar", "dålig", "ledsen"],
           ["bussen", "går", "klockan", "tolv", "idag"]),
}


def write_tone_data(root: Path, rows_per_label: int = 40, seed: int = 7) -> Path:
    """<lang>/{train,dev}.tsv with a clear signal: tone words decide the label."""
    rng = random.Random(seed)
    for lang, (good, bad, plain) in WORDS.items():
        (root / lang).mkdir(parents=True, exist_ok=True)
        for split, count in (("train", rows_per_label), ("dev", rows_per_label // 4)):
            lines = ["text\tlabel\tsource"]
            for _ in range(count):
                filler = " ".join(rng.sample(plain, 3))
                lines.append(f"{filler} {rng.choice(good)}\tpositive\tsynthetic")
                lines.append(f"{rng.choice(bad)} {filler}\tnegative\tsynthetic")
                lines.append(f"{filler}\tneutral\tsynthetic")
            (root / lang / f"{split}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture
def tone_data(tmp_path: Path) -> Path:
    return write_tone_data(tmp_path / "tone")
