"""The contract of `kanava text analyse|eval|train|trends`."""

from __future__ import annotations

import json
import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kanava.cli.main import app
from kanava.cli.text import parse_window

runner = CliRunner()


def _records(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines()]


def test_analyse_writes_one_object_per_input_line(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("Kiitos, tämä on ihanaa!\n\nThis is awful, I hate it.\n🙂🙂\n", "utf-8")
    result = runner.invoke(app, ["text", "analyse", str(path)])
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    assert [r["line"] for r in records] == [1, 2, 3, 4]
    assert records[0]["lang"] == "fi"
    assert records[0]["tone"] == "positive"
    assert records[2]["lang"] == "en"
    assert records[2]["tone"] == "negative"
    assert records[1]["lang"] == "und"
    for record in records:
        assert 0 <= float(str(record["confidence"])) <= 1
        assert set(record) >= {"lang", "tone", "confidence", "probabilities"}


def test_analyse_reads_standard_input() -> None:
    result = runner.invoke(app, ["text", "analyse", "-"], input="Tack så mycket, underbart!\n")
    assert result.exit_code == 0, result.output
    [record] = _records(result.stdout)
    assert record["lang"] == "sv"


def test_analyse_reads_jsonl_and_keeps_ids(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": "a1", "text": "Hyvä päivä kaikille!"}),
             "{not json", json.dumps({"id": 7, "body": "no text"}),
             json.dumps({"text": "Dårlig service, veldig skuffende."})]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = runner.invoke(app, ["text", "analyse", str(path), "--format", "jsonl"])
    assert result.exit_code == 1
    records = _records(result.stdout)
    assert len(records) == 4  # nothing good is lost
    assert records[0]["id"] == "a1"
    assert records[0]["lang"] == "fi"
    assert f"{path}:2: not valid JSON" in result.stderr
    assert f"{path}:3: expected an object with a \"text\" string" in result.stderr
    assert records[3]["lang"] == "nb"


def test_analyse_survives_binary_junk(tmp_path: Path) -> None:
    path = tmp_path / "junk.bin"
    path.write_bytes(os.urandom(4096) + b"\nHello there, lovely day!\n")
    result = runner.invoke(app, ["text", "analyse", str(path)])
    assert result.exit_code == 0
    assert "not valid UTF-8" in result.stderr
    assert _records(result.stdout)[-1]["lang"] == "en"


def test_analyse_with_two_processes_keeps_the_order(tmp_path: Path) -> None:
    texts = ["Kiitos paljon!", "Tack så mycket!", "Thank you!"] * 1_500
    path = tmp_path / "many.txt"
    path.write_text("\n".join(texts) + "\n", "utf-8")
    result = runner.invoke(app, ["text", "analyse", str(path), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    assert [r["line"] for r in records] == list(range(1, len(texts) + 1))
    assert [r["lang"] for r in records[:3]] == ["fi", "sv", "en"]


def test_analyse_says_when_a_file_is_missing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["text", "analyse", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "Cannot read" in result.stderr


def test_keywords_of_a_collection_count_texts(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("Kirjaston aukioloajat muuttuvat #kirjasto\n"
                    "Kirjaston aukioloajat ovat huonot\n"
                    "Uimahalli on kiinni maanantaina\n"
                    "Kirjaston aukioloajat pidenevät ensi viikolla\n", "utf-8")
    result = runner.invoke(app, ["text", "keywords", str(path), "-n", "5"])
    assert result.exit_code == 0, result.output
    assert "kirjaston aukioloajat" in result.stdout
    assert "#kirjasto" in result.stdout


def test_keywords_per_text_as_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "Uimahallin #aukioloajat muuttuvat"}) + "\n"
                    + "[1, 2]\n", "utf-8")
    result = runner.invoke(app, ["text", "keywords", str(path), "--format", "jsonl",
                                 "--per-text"])
    assert result.exit_code == 1
    [record] = _records(result.stdout)
    assert record["id"] == "x"
    assert "#aukioloajat" in [k["term"] for k in record["keywords"]]
    assert f"{path}:2:" in result.stderr


def test_eval_prints_scores_per_language_and_split(tone_data: Path) -> None:
    result = runner.invoke(app, ["text", "eval", str(tone_data)])
    assert result.exit_code == 0, result.output
    for lang in ("en", "fi", "nb", "sv"):
        for split in ("train", "dev"):
            assert f"{lang} {split}: macro-F1" in result.stdout
    assert "texts/s" in result.stdout
    assert "rows: true tone, columns: predicted" in result.stdout


def test_eval_as_json(tone_data: Path) -> None:
    result = runner.invoke(app, ["text", "eval", str(tone_data), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]
    assert {(r["lang"], r["split"]) for r in rows} >= {("fi", "dev"), ("sv", "train")}
    assert all(len(r["confusion"]) == 3 for r in rows)


def test_eval_in_finnish(tone_data: Path) -> None:
    result = runner.invoke(app, ["text", "eval", str(tone_data), "--lang", "fi"])
    assert result.exit_code == 0, result.output
    assert "tekstiä/s" in result.stdout


def test_eval_refuses_a_folder_without_data(tmp_path: Path) -> None:
    result = runner.invoke(app, ["text", "eval", str(tmp_path)])
    assert result.exit_code == 2
    assert "no <lang>/<split>.tsv" in result.stderr


def test_train_writes_a_model_that_eval_reads(tone_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "model"
    command = ["text", "train", str(tone_data), "--out", str(out), "--bits", "14"]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert (out / "tone.npz").is_file()
    assert "fi dev: macro-F1" in result.stdout
    result = runner.invoke(app, ["text", "eval", str(tone_data), "--model", str(out)])
    assert result.exit_code == 0, result.output


def _trend_lines() -> list[str]:
    """Three days of varied routine chatter, then 25 different people on one new hashtag."""
    rng = random.Random(3)
    vocabulary = ["library", "opening", "hours", "school", "lunch", "menu", "park", "bench",
                  "snow", "plough", "road", "museum", "concert", "ticket", "swimming", "hall",
                  "bus", "timetable", "council", "meeting", "recycling", "bins", "playground",
                  "football", "pitch", "festival", "market"]
    start = datetime(2026, 11, 1, tzinfo=UTC)
    lines = []
    for hour in range(72):
        for n in range(20):
            when = start + timedelta(hours=hour, minutes=n * 3)
            text = " ".join(rng.sample(vocabulary, 6))
            lines.append(json.dumps({"time": when.isoformat(), "text": text,
                                     "lang": "en", "tone": "neutral"}))
    burst = start + timedelta(hours=60, minutes=5)
    for n in range(25):
        text = f"{' '.join(rng.sample(vocabulary, 5))} and now the #vesikatko, {rng.random()}"
        lines.append(json.dumps({"time": (burst + timedelta(minutes=n)).isoformat(),
                                 "text": text}))
    return lines


def test_trends_reports_an_injected_burst(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(_trend_lines()) + "\n", "utf-8")
    result = runner.invoke(app, ["text", "trends", str(path)])
    assert result.exit_code == 0, result.output
    assert "#vesikatko" in result.stdout
    result = runner.invoke(app, ["text", "trends", str(path), "--format", "json"])
    topics = json.loads(result.stdout)["topics"]
    assert any(t["term"] == "#vesikatko" for t in topics)


def test_trends_reports_bad_lines_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(["oops", *_trend_lines()]) + "\n", "utf-8")
    result = runner.invoke(app, ["text", "trends", str(path)])
    assert result.exit_code == 1
    assert f"{path}:1:" in result.stderr
    assert "#vesikatko" in result.stdout


@pytest.mark.parametrize(("text", "expected"), [("15m", timedelta(minutes=15)),
                                                ("1h", timedelta(hours=1)),
                                                ("2d", timedelta(days=2))])
def test_windows_are_read_from_short_forms(text: str, expected: timedelta) -> None:
    assert parse_window(text) == expected


@pytest.mark.parametrize("text", ["", "h", "0h", "1w", "-1h", "1.5h"])
def test_bad_windows_are_refused(text: str) -> None:
    with pytest.raises(typer.BadParameter):
        parse_window(text)
