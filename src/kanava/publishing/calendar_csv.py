"""Reading a content calendar from CSV: every bad row reported, every good row kept.

One row is one post, or one channel's variant of a post when rows share a ``post`` key.
Columns (the header names them, in any order; only the first three are required):

- ``publish_at``: ``2026-12-01 09:30`` (in the organization's time zone) or ISO 8601
  with an offset;
- ``channels``: channel ids of the plan, separated by commas, semicolons or spaces;
- ``text``;
- ``link``, ``campaign``, ``theme``, ``title``, ``marketing`` (yes/no, kyllä/ei, ja/nei,
  ja/nej, true/false, 1/0) and ``post`` (a key grouping rows into one post).

Spreadsheets save CSV with commas or semicolons (Finnish and Norwegian Excel use
semicolons) and often with a byte order mark; both are handled.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kanava.i18n import N_, gettext

REQUIRED = ("publish_at", "channels", "text")
OPTIONAL = ("link", "campaign", "theme", "title", "marketing", "post")
MAX_BYTES = 5_000_000
MAX_ROWS = 10_000
YES = {"yes", "y", "true", "1", "kyllä", "k", "ja", "j", "x"}
NO = {"no", "n", "false", "0", "ei", "e", "nei", "nej", ""}


@dataclass(frozen=True)
class Problem:
    line: int
    column: str | None
    message: str  # a msgid of the kanava catalog
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, file: str, lang: str | None) -> str:
        where = f"{file}:{self.line}:" + (f" {self.column}:" if self.column else "")
        return f"{where} {gettext(self.message, lang, **self.params)}"


@dataclass
class PlannedVariant:
    channel: str
    text: str
    link: str = ""


@dataclass
class PlannedPost:
    """A post read from the file, ready to be created as a draft."""

    line: int
    publish_at: datetime
    variants: list[PlannedVariant]
    title: str = ""
    campaign: str = ""
    theme: str = ""
    marketing: bool = False


@dataclass
class Calendar:
    posts: list[PlannedPost]
    problems: list[Problem]


def read_calendar(
    data: bytes, *, channels: Mapping[str, str], themes: Iterable[str] = (),
    time_zone: str = "UTC",
) -> Calendar:
    """Posts and problems of a CSV file. ``channels`` maps the plan's channel ids to their
    networks; a row naming another channel is a problem, not a guess."""
    if len(data) > MAX_BYTES:
        return Calendar([], [Problem(0, None, N_("The file is larger than {limit} MB."),
                                     {"limit": MAX_BYTES // 1_000_000})])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Calendar([], [Problem(line, None, N_("Not UTF-8 text at byte {byte}: save the "
                                                    "file as CSV UTF-8."),
                                     {"byte": error.start + 1})])
    rows = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    header = [name.strip().lower() for name in next(rows, [])]
    problems = _header_problems(header)
    if problems:
        return Calendar([], problems)
    zone = ZoneInfo(time_zone)
    posts: dict[str, PlannedPost] = {}
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            problems.append(Problem(number, None, N_("Only the first {limit} rows are read."),
                                    {"limit": MAX_ROWS}))
            break
        if not any(cell.strip() for cell in row):
            continue
        values = dict(zip(header, (cell.strip() for cell in row), strict=False))
        found = _row(number, values, channels, set(themes), zone)
        if isinstance(found, list):
            problems.extend(found)
            continue
        key = values.get("post") or f"line {number}"
        if key in posts:
            _merge(posts[key], found, problems)
        else:
            posts[key] = found
    return Calendar(list(posts.values()), problems)


def _dialect(text: str) -> type[csv.Dialect]:
    sample = text[:10_000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _header_problems(header: list[str]) -> list[Problem]:
    problems = []
    for column in header:
        if column and column not in REQUIRED + OPTIONAL:
            problems.append(Problem(1, column, N_("Unknown column; the columns are {columns}."),
                                    {"columns": ", ".join(REQUIRED + OPTIONAL)}))
    for column in REQUIRED:
        if column not in header:
            problems.append(Problem(1, column, N_("The header lacks this required column.")))
    return problems


def _row(
    number: int, values: dict[str, str], channels: Mapping[str, str], themes: set[str],
    zone: ZoneInfo,
) -> PlannedPost | list[Problem]:
    problems = []
    when = _when(values.get("publish_at", ""), zone)
    if when is None:
        problems.append(Problem(number, "publish_at", N_("\"{value}\" is not a date and time "
                                                         "such as 2026-12-01 09:30."),
                                {"value": values.get("publish_at", "")}))
    named = values.get("channels", "").replace(";", " ").replace(",", " ").split()
    unknown = [c for c in named if c not in channels]
    if not named:
        problems.append(Problem(number, "channels", N_("Name at least one channel of the plan.")))
    if unknown:
        problems.append(Problem(number, "channels", N_("Not channels of the plan: {unknown}. "
                                                       "The plan's channels are {known}."),
                                {"unknown": ", ".join(unknown),
                                 "known": ", ".join(sorted(channels))}))
    if not values.get("text"):
        problems.append(Problem(number, "text", N_("The text is empty.")))
    theme = values.get("theme", "")
    if theme and themes and theme not in themes:
        problems.append(Problem(number, "theme", N_("\"{value}\" is not a theme of the plan."),
                                {"value": theme}))
    marketing = values.get("marketing", "").lower()
    if marketing not in YES | NO:
        problems.append(Problem(number, "marketing", N_("\"{value}\" is neither yes nor no."),
                                {"value": values.get("marketing", "")}))
    if problems or when is None:
        return problems
    text, link = values["text"], values.get("link", "")
    return PlannedPost(number, when, [PlannedVariant(c, text, link) for c in named],
                       values.get("title", ""), values.get("campaign", ""), theme,
                       marketing in YES)


def _when(value: str, zone: ZoneInfo) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("/", "-"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _merge(post: PlannedPost, other: PlannedPost, problems: list[Problem]) -> None:
    """Another channel's row of the same post."""
    if other.publish_at != post.publish_at:
        problems.append(Problem(other.line, "publish_at", N_("Rows of one post must share its "
                                                             "time (line {line} says "
                                                             "{when:%Y-%m-%d %H:%M})."),
                                {"line": post.line, "when": post.publish_at}))
        return
    taken = {v.channel for v in post.variants}
    for variant in other.variants:
        if variant.channel in taken:
            problems.append(Problem(other.line, "channels", N_("The post already has a text for "
                                                               "{channel}."),
                                    {"channel": variant.channel}))
        else:
            post.variants.append(variant)
