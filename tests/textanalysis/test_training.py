"""Training the tone model from labelled TSV files, and scoring it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kanava.textanalysis import training
from kanava.textanalysis.tone import ToneModel


def test_it_trains_a_model_that_learns_the_signal(tone_data: Path, tmp_path: Path) -> None:
    report = training.train(tone_data, tmp_path / "model", bits=14)
    assert set(report.dev) == {"en", "fi", "nb", "sv"}
    for scores in report.dev.values():
        assert scores.macro_f1 > 0.9
    model = ToneModel.load(tmp_path / "model")
    [tone] = model.predict(["kello kaksitoista kamala"], ["fi"])
    assert tone.label == "negative"
    assert model.card["dev"]["fi"]["macro_f1"] > 0.9
    assert "synthetic" in model.card["sources"]


def test_training_twice_gives_the_same_weights(tone_data: Path, tmp_path: Path) -> None:
    training.train(tone_data, tmp_path / "a", bits=14)
    training.train(tone_data, tmp_path / "b", bits=14)
    with np.load(tmp_path / "a" / "tone.npz") as a, np.load(tmp_path / "b" / "tone.npz") as b:
        assert sorted(a.files) == sorted(b.files)
        for name in a.files:
            assert np.array_equal(a[name], b[name])


def test_a_bad_label_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "fi" / "train.tsv"
    path.parent.mkdir()
    path.write_text("text\tlabel\tsource\nhyvä\tpositive\tx\nhuono\tbad\tx\n", encoding="utf-8")
    with pytest.raises(training.DataError, match=r"train\.tsv:3: label 'bad'"):
        training.read_split(path)


def test_a_missing_column_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_text("text\tsource\nhyvä\tx\n", encoding="utf-8")
    with pytest.raises(training.DataError, match=r"x\.tsv:1: the header lacks the column"):
        training.read_split(path)


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(training.DataError, match=r"no <lang>/<split>\.tsv"):
        training.splits(tmp_path)


def test_a_head_without_its_training_languages_is_refused(tone_data: Path, tmp_path: Path) -> None:
    (tone_data / "nb" / "train.tsv").unlink()
    with pytest.raises(training.DataError, match=r"nb/train\.tsv, not found"):
        training.train(tone_data, tmp_path / "model", bits=14)


def test_scores_follow_the_usual_definitions() -> None:
    truth = np.array([0, 0, 1, 1, 2, 2])
    predicted = np.array([0, 1, 1, 1, 2, 0])
    scores = training.score(truth, predicted)
    assert scores.accuracy == pytest.approx(4 / 6)
    assert scores.confusion == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    # F1: negative 1/2, neutral 4/5, positive 2/3
    assert scores.macro_f1 == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)


def test_the_shift_only_moves_when_it_helps() -> None:
    logits = np.array([[2.0, 1.0, 0.0], [0.0, 2.0, 1.0], [0.0, 1.0, 2.0]])
    truth = np.array([0, 1, 2])
    assert np.array_equal(training.tune_shift(logits, truth), np.zeros(3))
