"""``kanava text …``: language, tone and trends of texts, and the tone model itself."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, replace
from datetime import timedelta
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from kanava.cli.plan import Lang, LangOption, _lang
from kanava.i18n import N_, gettext

app = typer.Typer(help="Analyse texts: language, tone, keywords and trends.", no_args_is_help=True)

BATCH = 2_000
PROGRESS_BYTES = 1_000_000  # show a progress bar for inputs larger than this
MAX_LINE_BYTES = 1_000_000


class InputFormat(StrEnum):
    lines = "lines"
    jsonl = "jsonl"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def default_data_dir() -> Path:
    """Where the labelled tone data lies beside a Kanava checkout: ../shared/data/tone."""
    return Path.cwd().parent / "shared" / "data" / "tone"


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _open(file: str, language: str) -> IO[bytes]:
    """The input as bytes (stdin for -), or a message and exit status 2."""
    if file == "-":
        return sys.stdin.buffer
    try:
        return Path(file).open("rb")
    except OSError as error:
        typer.echo(gettext(N_("Cannot read {file}: {reason}"), language, file=file,
                           reason=error.strerror), err=True)
        raise typer.Exit(2) from error


# --- analyse ----------------------------------------------------------------------------


def _read_lines(stream: IO[bytes], name: str, language: str) -> Iterator[tuple[int, str | None]]:
    """(line number, text) for each line; undecodable bytes are replaced, with a warning."""
    for number, raw in enumerate(stream, start=1):
        data = raw[:MAX_LINE_BYTES].rstrip(b"\r\n")
        try:
            yield number, data.decode("utf-8")
        except UnicodeDecodeError as error:
            typer.echo(gettext(N_("{file}:{line}: not valid UTF-8 at byte {byte}; "
                                  "undecodable bytes were replaced."), language,
                               file=name, line=number, byte=error.start + 1), err=True)
            yield number, data.decode("utf-8", errors="replace")


def _parse(number: int, line: str, fmt: InputFormat, name: str, language: str) -> dict[str, Any]:
    """One input record: its text, or the problem that keeps it from having one."""
    if fmt is InputFormat.lines:
        return {"line": number, "text": line}
    try:
        value = json.loads(line)
    except ValueError as error:
        return {"line": number, "error": gettext(N_("{file}:{line}: not valid JSON: {reason}"),
                                                 language, file=name, line=number, reason=error)}
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        return {"line": number, "error": gettext(N_("{file}:{line}: expected an object with a "
                                                    "\"text\" string"), language,
                                                 file=name, line=number)}
    record: dict[str, Any] = {"line": number, "text": value["text"]}
    if isinstance(value.get("id"), str | int):
        record["id"] = value["id"]
    return record


def _analyse_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Analyse a chunk of records (in a worker process when --jobs > 1)."""
    from kanava.textanalysis.analysis import analyse

    good = [r for r in records if "text" in r]
    results = iter(analyse([r["text"] for r in good]))
    out = []
    for record in records:
        if "text" not in record:
            out.append(record)
            continue
        head = {k: v for k, v in record.items() if k != "text"}
        out.append(head | next(results).as_dict())
    return out


def _chunks(records: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(islice(records, BATCH)):
        yield chunk


def _progress(stream: IO[bytes], console: Console) -> Progress | None:
    try:
        size = os.fstat(stream.fileno()).st_size
    except (OSError, ValueError):
        return None
    if size < PROGRESS_BYTES or not console.is_terminal:
        return None
    return Progress(TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn(),
                    console=console, transient=True)


@app.command()
def analyse(
    file: Annotated[str, typer.Argument(help="One text per line, or - for stdin.")] = "-",
    fmt: Annotated[InputFormat, typer.Option("--format", help="lines: one text per line; "
                                             "jsonl: one JSON object with a \"text\" per line.")]
    = InputFormat.lines,
    jobs: Annotated[int, typer.Option(min=1, max=64, help="Processes to use.")] = 1,
    lang: LangOption = None,
) -> None:
    """Write each text's language, tone and confidence as one JSON object per line."""
    language = _lang(lang)
    name = "<stdin>" if file == "-" else file
    stream = _open(file, language)
    errors = 0
    console = _stderr()
    progress = _progress(stream, console)
    with stream:
        records = (_parse(n, line or "", fmt, name, language)
                   for n, line in _read_lines(stream, name, language))
        for chunk in _run(_chunks(records), jobs):
            for record in chunk:
                if "error" in record:
                    errors += 1
                    typer.echo(record["error"], err=True)
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            if progress is not None:
                _advance(progress, stream, language)
    if progress is not None:
        progress.stop()
    if errors:
        raise typer.Exit(1)


def _advance(progress: Progress, stream: IO[bytes], language: str) -> None:
    if not progress.task_ids:
        size = os.fstat(stream.fileno()).st_size
        progress.add_task(gettext(N_("Analysing"), language), total=size)
        progress.start()
    progress.update(progress.task_ids[0], completed=stream.tell())


def _run(chunks: Iterator[list[dict[str, Any]]], jobs: int) -> Iterator[list[dict[str, Any]]]:
    if jobs == 1:
        yield from map(_analyse_records, chunks)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_analyse_records, chunks)


# --- keywords ---------------------------------------------------------------------------


@app.command()
def keywords(
    file: Annotated[str, typer.Argument(help="One text per line, or - for stdin.")] = "-",
    fmt: Annotated[InputFormat, typer.Option("--format", help="lines or jsonl (with \"text\")")]
    = InputFormat.lines,
    top: Annotated[int, typer.Option("--top", "-n", min=1, max=1_000)] = 20,
    per_text: Annotated[bool, typer.Option(help="Each text's own keywords, as JSON lines.")]
    = False,
    lang: LangOption = None,
) -> None:
    """Print the keywords and keyphrases of a collection (or of each text)."""
    from kanava.textanalysis.keywords import collection_keywords
    from kanava.textanalysis.keywords import keywords as text_keywords
    from kanava.textanalysis.language import detect_languages

    language = _lang(lang)
    name = "<stdin>" if file == "-" else file
    stream = _open(file, language)
    with stream:
        records = [_parse(n, line or "", fmt, name, language)
                   for n, line in _read_lines(stream, name, language)]
    for record in records:
        if "error" in record:
            typer.echo(record["error"], err=True)
    good = [r for r in records if "text" in r and r["text"].strip()]
    langs = [guess.lang for guess in detect_languages([r["text"] for r in good])]
    if per_text:
        for record, code in zip(good, langs, strict=True):
            found = [{"term": k.term, "score": round(k.score, 4)}
                     for k in text_keywords(record["text"], code, top)]
            head = {k: v for k, v in record.items() if k != "text"}
            sys.stdout.write(json.dumps(head | {"lang": code, "keywords": found},
                                        ensure_ascii=False) + "\n")
    else:
        table = Table(title=gettext(N_("Keywords of {count} texts"), language, count=len(good)),
                      title_justify="left")
        table.add_column(gettext(N_("term"), language))
        table.add_column(gettext(N_("texts"), language), justify="right")
        for keyword in collection_keywords([r["text"] for r in good], langs, top):
            table.add_row(keyword.term, str(keyword.count))
        Console(highlight=False).print(table)
    if any("error" in record for record in records):
        raise typer.Exit(1)


# --- eval and train ---------------------------------------------------------------------


@app.command("eval")
def evaluate(
    directory: Annotated[Path, typer.Argument(help="A folder of <lang>/<split>.tsv files.")],
    model: Annotated[Path | None, typer.Option(help="A model folder (default: the shipped one).")]
    = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Print macro-F1, accuracy, a confusion matrix and texts/s per language and split."""
    from kanava.textanalysis import training
    from kanava.textanalysis.tone import ToneModel, ToneModelError, default_model

    language = _lang(lang)
    try:
        tone_model = ToneModel.load(model) if model else default_model()
        found = training.splits(directory)
        results = [(code, split, training.evaluate(tone_model, code, training.read_split(path)))
                   for code, split, path in found]
    except (training.DataError, ToneModelError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    if fmt is OutputFormat.json:
        rows = [{"lang": code, "split": split} | scores.as_dict()
                for code, split, scores in results]
        typer.echo(json.dumps({"results": rows}, ensure_ascii=False, indent=2))
        return
    out = Console(highlight=False)
    for code, split, scores in results:
        _print_scores(out, code, split, scores, language)


def _print_scores(out: Console, code: str, split: str, scores: Any, language: str) -> None:
    from kanava.textanalysis.tone import LABELS

    out.print(gettext(N_("{code} {split}: macro-F1 {f1:.3f}, accuracy {accuracy:.3f}, "
                         "{count} texts, {speed:,.0f} texts/s"), language, code=code, split=split,
                      f1=scores.macro_f1, accuracy=scores.accuracy, count=scores.count,
                      speed=scores.texts_per_second))
    table = Table(title=gettext(N_("rows: true tone, columns: predicted"), language),
                  title_justify="left")
    names = [_tone_name(label, language) for label in LABELS]
    table.add_column("")
    for label_name in names:
        table.add_column(label_name, justify="right")
    table.add_column("F1", justify="right")
    for label, label_name, row in zip(LABELS, names, scores.confusion, strict=True):
        table.add_row(label_name, *map(str, row), f"{scores.per_label_f1[label]:.3f}")
    out.print(table)


TONE_NAMES = {"negative": N_("negative"), "neutral": N_("neutral"), "positive": N_("positive")}


def _tone_name(label: str, language: str) -> str:
    return gettext(TONE_NAMES[label], language)


@app.command()
def train(
    data: Annotated[Path | None, typer.Argument(
        help="The labelled data: <lang>/train.tsv and dev.tsv "
             "(default: ../shared/data/tone).")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Where to write the model (default: the package's own model folder).")] = None,
    bits: Annotated[int, typer.Option(min=12, max=24, help="Hash space: 2**bits buckets.")] = 20,
    lang: LangOption = None,
) -> None:
    """Train the tone model from labelled data, reproducibly, and print its dev scores."""
    try:
        from kanava.textanalysis import training
    except ImportError as error:  # pragma: no cover - scikit-learn is an extra
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    language = _lang(lang)
    data_dir = data or default_data_dir()
    out_dir = out or _package_models()
    console = _stderr()

    def progress(code: str) -> None:
        console.print(gettext(N_("Training the {code} tone model…"), language, code=code))

    try:
        report = training.train(data_dir, out_dir, bits=bits, progress=progress)
    except (training.DataError, ImportError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    out_console = Console(highlight=False)
    for code, scores in report.dev.items():
        _print_scores(out_console, code, "dev", scores, language)
    out_console.print(gettext(N_("Wrote the model to {folder} in {seconds:.0f} s."), language,
                              folder=report.directory, seconds=report.seconds))


def _package_models() -> Path:
    import kanava.textanalysis

    return Path(kanava.textanalysis.__file__).parent / "models"


# --- trends -----------------------------------------------------------------------------


def parse_window(value: str) -> timedelta:
    """'15m', '1h', '2d' → a timedelta."""
    units = {"m": "minutes", "h": "hours", "d": "days"}
    number, unit = value[:-1], value[-1:]
    if unit not in units or not number.isdigit() or int(number) == 0:
        raise typer.BadParameter(f"{value!r}: use a number and m, h or d, such as 15m, 1h or 1d")
    return timedelta(**{units[unit]: int(number)})


@app.command()
def trends(
    file: Annotated[str, typer.Argument(help="JSON Lines with \"time\" and \"text\" (and "
                                              "optionally \"lang\", \"tone\", \"id\"), or -.")],
    window: Annotated[str, typer.Option(help="Window length: 15m, 1h, 1d…")] = "1h",
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
    lang: LangOption = None,
) -> None:
    """Print emerging topics, volume and negative-share spikes, and copy-paste campaigns."""
    from kanava.textanalysis import trends as found

    language = _lang(lang)
    name = "<stdin>" if file == "-" else file
    items, errors = _trend_items(file, name, language)
    for error in errors:
        typer.echo(error, err=True)
    report = found.detect_trends(items, found.TrendDetector(parse_window(window), history=None))
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(_trend_json(report), ensure_ascii=False, indent=2, default=str))
    else:
        _print_trends(Console(highlight=False, soft_wrap=True), report, language)
    if errors:
        raise typer.Exit(1)


def _trend_items(file: str, name: str, language: str) -> tuple[list[Any], list[str]]:
    """Items of a JSONL file, with tone and language filled in where missing."""
    from kanava.textanalysis.analysis import analyse
    from kanava.textanalysis.trends import TrendItem

    stream = _open(file, language)
    items: list[TrendItem] = []
    errors: list[str] = []
    with stream:
        for number, line in _read_lines(stream, name, language):
            if not line or not line.strip():
                continue
            try:
                value = json.loads(line)
                if not isinstance(value, dict):
                    raise ValueError("not a JSON object")
                item = TrendItem.from_mapping(value)
            except ValueError as error:
                errors.append(gettext(N_("{file}:{line}: {reason}"), language, file=name,
                                      line=number, reason=error))
                continue
            items.append(item if item.id else replace(item, id=str(number)))
    missing = [i for i, item in enumerate(items) if item.tone is None or item.lang is None]
    for start in range(0, len(missing), BATCH):
        chunk = missing[start:start + BATCH]
        for index, result in zip(chunk, analyse([items[i].text for i in chunk]), strict=True):
            item = items[index]
            items[index] = replace(item, lang=item.lang or result.lang,
                                   tone=item.tone or result.tone)
    return items, errors


def _trend_json(report: Any) -> dict[str, Any]:
    return {"topics": [asdict(t) for t in report.topics],
            "spikes": [asdict(s) for s in report.spikes],
            "campaigns": [asdict(c) for c in report.campaigns]}


def _when(moment: Any) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def _print_trends(out: Console, report: Any, language: str) -> None:
    if not (report.topics or report.spikes or report.campaigns):
        out.print(gettext(N_("Nothing stands out: no emerging topics, spikes or campaigns."),
                          language))
        return
    if report.topics:
        out.print(gettext(N_("Emerging topics"), language), style="bold")
    for topic in sorted(report.topics, key=lambda t: (t.window_start, -t.score)):
        out.print(gettext(N_("{start}  {term}: {count} voices, {expected:.1f} expected, "
                             "score {score:.1f}"), language, start=_when(topic.window_start),
                          term=topic.term, count=topic.count, expected=topic.expected,
                          score=topic.score), markup=False)
        _print_examples(out, topic.examples)
    if report.spikes:
        out.print(gettext(N_("Spikes"), language), style="bold")
    for spike in report.spikes:
        message = (N_("{start}  volume: {observed:.0f} voices, {expected:.1f} expected, "
                      "score {score:.1f}") if spike.kind == "volume" else
                   N_("{start}  negative share: {observed:.0%}, {expected:.0%} expected, "
                      "score {score:.1f}"))
        out.print(gettext(message, language, start=_when(spike.window_start),
                          observed=spike.observed, expected=spike.expected, score=spike.score),
                  markup=False)
        _print_examples(out, spike.examples)
    if report.campaigns:
        out.print(gettext(N_("Copy-paste campaigns"), language), style="bold")
    for campaign in report.campaigns:
        out.print(gettext(N_("{start}  {count} copies of one text"), language,
                          start=_when(campaign.window_start), count=campaign.count), markup=False)
        _print_examples(out, (campaign.example,))


def _print_examples(out: Console, examples: Any) -> None:
    for example in examples:
        text = example.text if len(example.text) <= 160 else example.text[:159] + "…"
        out.print(f"    {_when(example.time)}  {text}", markup=False, style="dim")


__all__ = ["Lang", "app", "parse_window"]
