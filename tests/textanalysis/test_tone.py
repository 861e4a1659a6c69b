"""The shipped tone model: loads from the package and reads the four languages."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kanava.textanalysis.tone import LABELS, ToneModel, ToneModelError, default_model

CLEAR = [
    ("en", "Thank you so much, this is wonderful news! I love it.", "positive"),
    ("en", "This is terrible. I hate it, worst service ever.", "negative"),
    ("fi", "Kiitos paljon, tämä on ihanaa! Rakastan tätä.", "positive"),
    ("fi", "Vihaan tätä, aivan kamalaa ja surullista.", "negative"),
    ("nb", "Dette er en fantastisk og veldig god bok, anbefales!", "positive"),
    ("nb", "Dårlig, kjedelig og skuffende. Svært svak.", "negative"),
    ("sv", "Tack så mycket, underbart och fantastiskt bra! ❤️", "positive"),
    ("sv", "Usch vad dåligt, jag hatar det här. Skämt.", "negative"),
]


def test_it_loads_the_model_shipped_in_the_package() -> None:
    model = default_model()
    assert set(model.heads) == {"en", "fi", "nb", "sv"}
    assert model.card["labels"] == list(LABELS)
    assert model.card["sources"]  # the data it learnt from is named


@pytest.mark.parametrize(("lang", "text", "tone"), CLEAR)
def test_it_reads_clear_tone_in_each_language(lang: str, text: str, tone: str) -> None:
    [result] = default_model().predict([text], [lang])
    assert result.label == tone
    assert result.confidence == pytest.approx(max(result.probabilities), abs=1e-4)


def test_probabilities_sum_to_one() -> None:
    texts = [text for _, text, _ in CLEAR] + ["", "🙂", "x" * 10_000]
    rows = default_model().probabilities(texts, ["en"] * len(texts))
    assert np.allclose(rows.sum(axis=1), 1.0)


def test_a_text_reads_the_same_alone_and_in_a_batch() -> None:
    model = default_model()
    texts = [text for _, text, _ in CLEAR]
    langs = [lang for lang, _, _ in CLEAR]
    together = model.probabilities(texts, langs)
    for index, (text, lang) in enumerate(zip(texts, langs, strict=True)):
        assert np.allclose(model.probabilities([text], [lang])[0], together[index])


def test_nynorsk_and_danish_borrow_bokmal_and_others_english() -> None:
    model = default_model()
    assert model.head_for("nn") == "nb"
    assert model.head_for("da") == "nb"
    assert model.head_for("other") == "en"
    assert model.head_for("und") == "en"


def test_it_refuses_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="same length"):
        default_model().predict(["a", "b"], ["en"])


def test_it_says_which_folder_holds_no_model(tmp_path: Path) -> None:
    with pytest.raises(ToneModelError, match=str(tmp_path)):
        ToneModel.load(tmp_path)


def test_it_refuses_a_model_trained_for_other_features(tmp_path: Path) -> None:
    shipped = default_model().directory / "tone.json"
    card = json.loads(shipped.read_text(encoding="utf-8"))
    card["features"] = -1
    (tmp_path / "tone.json").write_text(json.dumps(card), encoding="utf-8")
    (tmp_path / "tone.npz").write_bytes((shipped.parent / "tone.npz").read_bytes())
    with pytest.raises(ToneModelError, match="kanava text train"):
        ToneModel.load(tmp_path)
