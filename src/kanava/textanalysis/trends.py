"""Emerging topics and spikes in a stream of timestamped texts.

Items are counted in fixed windows (an hour by default). When a window closes, every
term (word, hashtag, mention or two-word phrase) used by enough distinct voices is
compared with its own baseline: an exponentially weighted average of its share of the
voices in past windows, so a quiet night and a busy morning are judged alike. The
question asked is "how unlikely is this many mentions if nothing has changed?", answered
with a negative binomial tail probability: Poisson chance, widened by how much the term
has fluctuated before (and a little more for every term). The score is -log10 of that
probability. Terms that rise together in the same texts form one topic.

A near-duplicate cluster (retweets, a copy-paste campaign) is one voice per window, and
a large cluster is reported as a campaign instead. Volume (distinct voices) is compared
with the same time of day on earlier days; the share of negative texts with its
average. Memory is bounded: rare terms are forgotten, and only a number of closed
windows is kept. See docs/decisions/0003-keywords-and-trends.md.
"""

from __future__ import annotations

import json
import math
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

from kanava.textanalysis.duplicates import DuplicateIndex
from kanava.textanalysis.keywords import phrase_runs
from kanava.textanalysis.text import clean

TONES = ("positive", "neutral", "negative")
_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday midnight: windows align to the clock
_MAX_SCORE = 300.0  # -log10 of the smallest probability we tell apart
_MAX_GAP = 10_000  # empty windows replayed after a pause; beyond that, history is stale


@dataclass(frozen=True, slots=True)
class TrendItem:
    """One text of the stream; `time` must be timezone-aware."""

    time: datetime
    text: str
    lang: str | None = None
    tone: str | None = None
    id: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> TrendItem:
        """An item from a JSON object: `time` (ISO 8601; no offset means UTC), `text`,
        and optionally `lang`, `tone` and `id`."""
        raw_time, text = data.get("time"), data.get("text")
        if not isinstance(raw_time, str) or not isinstance(text, str):
            raise ValueError("an item needs a string 'time' and a string 'text'")
        moment = datetime.fromisoformat(raw_time)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return cls(moment, text, _optional_str(data, "lang"), _optional_str(data, "tone"),
                   _optional_str(data, "id"))


def _optional_str(data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


def read_jsonl(lines: Iterable[str]) -> Iterator[TrendItem]:
    """Items from JSON Lines; blank lines are skipped, a bad line raises ValueError."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            yield TrendItem.from_mapping(data)
        except ValueError as error:
            raise ValueError(f"line {number}: {error}") from error


@dataclass(frozen=True, slots=True)
class Example:
    """A text behind a finding."""

    id: str
    time: datetime
    text: str


@dataclass(frozen=True, slots=True)
class EmergingTopic:
    """A term used by far more voices in a window than its baseline expects.

    `count` distinct voices used `term` where `expected` were expected; `score` is
    -log10 of the chance of that many or more if nothing had changed (6 = one in a
    million). `related` are terms that rose in the same texts.
    """

    term: str
    related: tuple[str, ...]
    window_start: datetime
    window_end: datetime
    count: int
    expected: float
    score: float
    first_seen: datetime
    examples: tuple[Example, ...]


@dataclass(frozen=True, slots=True)
class Spike:
    """A window whose volume or negative share is far above its baseline.

    volume: `observed` and `expected` are distinct voices, `count` the voices and
    `total` all items. negative_share: `observed` and `expected` are shares (0–1),
    `count` the negative voices and `total` the voices with a tone.
    """

    kind: Literal["volume", "negative_share"]
    window_start: datetime
    window_end: datetime
    observed: float
    expected: float
    count: int
    total: int
    score: float
    examples: tuple[Example, ...]


@dataclass(frozen=True, slots=True)
class Campaign:
    """A near-duplicate cluster posted `count` times in one window: one voice, many copies.

    `cluster` stays the same for the same campaign in later windows.
    """

    cluster: str
    window_start: datetime
    window_end: datetime
    count: int
    example: Example


@dataclass(frozen=True, slots=True)
class WindowReport:
    """What one closed window held and what stood out in it."""

    start: datetime
    end: datetime
    items: int
    voices: int
    topics: tuple[EmergingTopic, ...]
    spikes: tuple[Spike, ...]
    campaigns: tuple[Campaign, ...]


@dataclass(frozen=True, slots=True)
class TrendReport:
    """The windows a detector still holds, oldest first."""

    windows: tuple[WindowReport, ...]

    @property
    def topics(self) -> list[EmergingTopic]:
        return [topic for window in self.windows for topic in window.topics]

    @property
    def spikes(self) -> list[Spike]:
        return [spike for window in self.windows for spike in window.spikes]

    @property
    def campaigns(self) -> list[Campaign]:
        return [campaign for window in self.windows for campaign in window.campaigns]


# --- Tail probabilities, as -log10 scores --------------------------------------------


def count_score(observed: int, mean: float, variance: float) -> float:
    """-log10 P(X >= observed) for a count with this mean and variance.

    Poisson when the variance is the mean, negative binomial when it is larger.
    """
    if observed <= 0 or mean <= 0:
        return 0.0 if observed <= 0 else _MAX_SCORE
    if observed <= mean:
        return 0.0
    if variance <= mean * (1 + 1e-9):
        log_pmf = observed * math.log(mean) - mean - math.lgamma(observed + 1)

        def ratio(k: int) -> float:
            return mean / (k + 1)
    else:
        size, p = mean * mean / (variance - mean), mean / variance
        log_pmf = (
            math.lgamma(observed + size) - math.lgamma(size) - math.lgamma(observed + 1)
            + size * math.log(p) + observed * math.log1p(-p)
        )

        def ratio(k: int) -> float:
            return (k + size) / (k + 1) * (1 - p)

    log_tail = log_pmf + math.log(_relative_tail(observed, ratio))
    return min(_MAX_SCORE, max(0.0, -log_tail / math.log(10)))


def _relative_tail(start: int, ratio: Callable[[int], float]) -> float:
    """Sum of pmf(k) / pmf(start) for k >= start, given pmf(k + 1) / pmf(k)."""
    total, term, k = 1.0, 1.0, start
    for _ in range(100_000):
        step = ratio(k)
        term *= step
        total += term
        k += 1
        if term < total * 1e-12:
            break
        if step < 1 and term / (1 - step) < total * 1e-9:  # a geometric bound on the rest
            break
    return total


def normal_score(z: float) -> float:
    """-log10 of the upper tail of the standard normal beyond z."""
    if z <= 0:
        return 0.0
    tail = 0.5 * math.erfc(z / math.sqrt(2))
    if tail > 0:
        return min(_MAX_SCORE, -math.log10(tail))
    # Far out, the tail is about the density over z.
    log_tail = -z * z / 2 - math.log(z * math.sqrt(2 * math.pi))
    return min(_MAX_SCORE, -log_tail / math.log(10))


# --- Baselines ---------------------------------------------------------------------


class _TermTable:
    """Per-term baselines in arrays: the average share of voices, and the average of
    x(x - 1) / voices² (x the term's count), whose excess over the squared share is what
    the share varies beyond sampling chance (the factorial moment: a term said once per
    window adds nothing to it).

    A term's numbers are "as of the end of window `last`"; windows it missed are zeros,
    applied lazily as a decay when it is next seen.
    """

    def __init__(self, decay: float) -> None:
        self.decay = decay
        self.ids: dict[str, int] = {}
        self.terms: list[str] = []
        self.free: list[int] = []
        self.mean = np.zeros(1024)
        self.square = np.zeros(1024)
        self.last = np.zeros(1024, dtype=np.int64)
        self.first = np.zeros(1024)  # POSIX time first seen

    def __len__(self) -> int:
        return len(self.ids)

    def lookup(self, terms: list[str]) -> NDArray[np.int64]:
        """Rows of the terms; -1 for a term without a baseline."""
        return np.fromiter((self.ids.get(term, -1) for term in terms), np.int64, len(terms))

    def decayed(self, rows: NDArray[np.int64], window: int) -> tuple[NDArray[np.float64], ...]:
        """(mean, square) of the rows as of the end of window - 1; zeros for -1 rows."""
        known = rows >= 0
        safe = np.where(known, rows, 0)
        factor = np.where(known, self.decay ** (window - 1 - self.last[safe]), 0.0)
        return self.mean[safe] * factor, self.square[safe] * factor

    def update(self, terms: list[str], counts: NDArray[np.float64], steady: NDArray[np.float64],
               voices: int, window: int, first_seen: Callable[[str], float]) -> None:
        """Fold this window's counts into the baselines of the terms used in it; the
        variation is learnt from `steady`, the counts with outliers clipped."""
        rows = self.lookup(terms)
        mean, square = self.decayed(rows, window)
        for position in np.flatnonzero(rows < 0).tolist():
            rows[position] = self._new_row(terms[position], first_seen(terms[position]))
        self.mean[rows] = self.decay * mean + (1 - self.decay) * counts / voices
        moment = np.maximum(0.0, steady * (steady - 1)) / voices**2
        self.square[rows] = self.decay * square + (1 - self.decay) * moment
        self.last[rows] = window

    def _new_row(self, term: str, first_seen: float) -> int:
        if self.free:
            row = self.free.pop()
        else:
            row = len(self.terms)
            self.terms.append("")
            if row >= len(self.mean):
                self._grow()
        self.ids[term], self.terms[row], self.first[row] = row, term, first_seen
        return row

    def _grow(self) -> None:
        size = 2 * len(self.mean)
        for name in ("mean", "square", "last", "first"):
            old = getattr(self, name)
            new = np.zeros(size, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def prune(self, window: int, below: float, keep: int) -> None:
        """Forget terms whose decayed mean share fell below `below`, and the rarest
        beyond `keep` terms: a forgotten term is judged as a new one again."""
        rows = np.fromiter(self.ids.values(), np.int64, len(self.ids))
        mean = self.mean[rows] * self.decay ** (window - self.last[rows])
        drop = rows[mean < below]
        if len(rows) - len(drop) > keep:
            kept = rows[mean >= below]
            order = np.argsort(mean[mean >= below])
            drop = np.concatenate([drop, kept[order[: len(kept) - keep]]])
        for row in drop.tolist():
            del self.ids[self.terms[row]]
            self.terms[row] = ""
            self.free.append(row)


@dataclass(slots=True)
class _Average:
    """An exponentially weighted average with the start-up bias corrected."""

    decay: float
    value: float = 0.0
    weight: float = 0.0

    def add(self, x: float) -> None:
        self.value = self.decay * self.value + (1 - self.decay) * x
        self.weight = self.decay * self.weight + (1 - self.decay)

    def get(self, default: float = 0.0) -> float:
        return self.value / self.weight if self.weight > 1e-9 else default


@dataclass(slots=True)
class _Pooled:
    """An exponentially weighted ratio of sums, so that big windows weigh more than
    small ones (a night's three posts say little about variation)."""

    decay: float
    numerator: float = 0.0
    denominator: float = 0.0

    def add(self, numerator: float, denominator: float) -> None:
        self.numerator = self.decay * self.numerator + (1 - self.decay) * numerator
        self.denominator = self.decay * self.denominator + (1 - self.decay) * denominator

    def get(self, default: float) -> float:
        return self.numerator / self.denominator if self.denominator > 1e-12 else default


# --- The open window ---------------------------------------------------------------

_POSTINGS_CAP = 60  # voices remembered per term: enough for examples and grouping


@dataclass(slots=True)
class _Window:
    index: int
    items: int = 0
    voices: list[Example] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # clusters already counted
    counts: Counter[str] = field(default_factory=Counter)
    postings: dict[str, list[int]] = field(default_factory=dict)
    negatives: list[int] = field(default_factory=list)
    toned: int = 0
    copies: Counter[str] = field(default_factory=Counter)
    first_copy: dict[str, Example] = field(default_factory=dict)


class _Finding(NamedTuple):
    """A term that passed the test in a window; `row` is -1 for a term without history."""

    term: str
    mentions: int  # distinct voices using the term in the window
    expected: float
    score: float
    row: int


# --- The detector ------------------------------------------------------------------


class TrendDetector:
    """Finds emerging topics, volume and negative-share spikes, and campaigns in a stream.

    Feed items in time order with `add`; it returns the reports of the windows that the
    item closed. An item older than the open window is counted in it (it arrived late).
    Nothing is reported during the `warmup`, while baselines form, except campaigns.
    `history` is how many closed windows `report` keeps (None: all, for a batch).
    """

    def __init__(
        self,
        window: timedelta = timedelta(hours=1),
        *,
        half_life: timedelta = timedelta(days=1),
        warmup: timedelta = timedelta(days=1),
        min_count: int = 5,
        min_ratio: float = 3.0,
        min_score: float = 5.0,
        spike_min_score: float = 3.0,
        prior_count: float = 0.5,
        prior_share: float = 0.0003,
        dispersion: float = 0.1,
        max_terms: int = 200_000,
        history: int | None = 24 * 7,
        examples: int = 3,
        campaign_size: int = 10,
        duplicates: DuplicateIndex | None = None,
    ) -> None:
        if window <= timedelta(0) or half_life <= timedelta(0):
            raise ValueError("window and half_life must be positive")
        self.window = window
        self.min_count, self.min_ratio, self.min_score = min_count, min_ratio, min_score
        self.spike_min_score = spike_min_score
        self.prior_count, self.prior_share, self.dispersion = prior_count, prior_share, dispersion
        self.max_terms, self.examples, self.campaign_size = max_terms, examples, campaign_size
        self.decay = 0.5 ** (window / half_life)
        self.warmup_windows = math.ceil(warmup / window)
        day = timedelta(days=1)
        self.period = round(day / window) if window < day and (day % window) == timedelta(0) else 1
        self.duplicates = duplicates if duplicates is not None else DuplicateIndex()
        self._terms = _TermTable(self.decay)
        self._voices = _Average(self.decay)
        self._phase_voices = [_Average(0.5) for _ in range(self.period)]
        self._volume_excess = _Pooled(self.decay)
        self._negative = _Average(self.decay)
        self._toned = _Average(self.decay)
        self._negative_excess = _Pooled(self.decay)
        self._closed = 0
        self._last: int | None = None  # index of the last closed window
        self._open: _Window | None = None
        self._items = 0
        self._history: deque[WindowReport] = deque(maxlen=history)

    # Feeding ------------------------------------------------------------------------

    def add(self, item: TrendItem) -> list[WindowReport]:
        """Count one item; return the reports of the windows it closed."""
        if item.time.tzinfo is None:
            raise ValueError("item time must be timezone-aware")
        index = (item.time - _EPOCH) // self.window
        reports: list[WindowReport] = []
        if self._open is None:
            self._open = self._reopen(index)
        elif index > self._open.index:
            reports = [self._close(self._open)]
            self._open = self._reopen(index)
        self._count(self._open, item)
        return reports

    def add_many(self, items: Iterable[TrendItem]) -> list[WindowReport]:
        """Count many items; return the reports of the windows they closed."""
        return [report for item in items for report in self.add(item)]

    def flush(self) -> list[WindowReport]:
        """Close the open window now (at the end of a file, or on a timer)."""
        if self._open is None:
            return []
        report = self._close(self._open)
        self._open = None
        return [report]

    def emerging(self) -> list[EmergingTopic]:
        """Emerging topics of the windows held, oldest window first, best first within."""
        return self.report().topics

    def report(self) -> TrendReport:
        """Everything found in the windows held (closed windows only)."""
        return TrendReport(tuple(self._history))

    def _reopen(self, index: int) -> _Window:
        """A window for `index` (or, for a late item, the one after the last closed), once
        the empty windows since the last closed one are learnt as empty."""
        if self._last is None:
            return _Window(index)
        index = max(index, self._last + 1)
        for empty in range(max(self._last + 1, index - _MAX_GAP), index):
            self._learn_volume(empty, voices=0, negatives=0, toned=0)
            self._closed += 1
        return _Window(index)

    def _count(self, window: _Window, item: TrendItem) -> None:
        self._items += 1
        window.items += 1
        text = clean(item.text)
        example = Example(item.id if item.id is not None else f"item-{self._items}",
                          item.time, text)
        # Our own keys: ids from outside may repeat, and then two texts would be one voice.
        cluster = self.duplicates.add(f"#{self._items}", text)
        window.copies[cluster] += 1
        window.first_copy.setdefault(cluster, example)
        if cluster in window.seen:
            return  # a copy of a voice already counted in this window
        window.seen.add(cluster)
        voice = len(window.voices)
        window.voices.append(example)
        if item.tone in TONES:
            window.toned += 1
            if item.tone == "negative":
                window.negatives.append(voice)
        for term in set(trend_terms(text, item.lang)):
            window.counts[term] += 1
            postings = window.postings.setdefault(term, [])
            if len(postings) < _POSTINGS_CAP:
                postings.append(voice)

    # Closing ------------------------------------------------------------------------

    def _close(self, window: _Window) -> WindowReport:
        start = _EPOCH + window.index * self.window
        end = start + self.window
        voices = len(window.voices)
        reporting = self._closed >= self.warmup_windows
        topics = self._topics(window, start, end) if reporting else []
        spikes = self._spikes(window, start, end) if reporting else []
        self._learn_terms(window)
        self._learn_volume(window.index, voices, len(window.negatives), window.toned,
                           spiked={spike.kind for spike in spikes})
        self._closed += 1
        self._last = window.index
        report = WindowReport(start, end, window.items, voices, tuple(topics), tuple(spikes),
                              tuple(self._campaigns(window, start, end)))
        self._history.append(report)
        return report

    def _learn_terms(self, window: _Window) -> None:
        if not window.voices:
            return
        terms = list(window.counts)
        voices = len(window.voices)
        counts = np.fromiter((window.counts[t] for t in terms), np.float64, len(terms))
        expected, variance = self._baseline(self._terms.lookup(terms), window.index, voices)
        # One burst must not make a term look erratic for days: learn its variation from
        # counts clipped at three standard deviations.
        steady = np.minimum(counts, expected + 3 * np.sqrt(variance))
        self._terms.update(terms, counts, steady, voices, window.index,
                           lambda term: window.voices[window.postings[term][0]].time.timestamp())
        # A term seen once is kept about a half-life, then judged as new again.
        below = (1 - self.decay) / max(1.0, self._voices.get(1.0)) / 2
        self._terms.prune(window.index, below, self.max_terms)

    def _learn_volume(self, index: int, voices: int, negatives: int, toned: int,
                      spiked: Collection[str] = ()) -> None:
        """Learn volume and negative share; how much they vary is learnt from ordinary
        windows only, so that one spike does not hide the next ones."""
        phase = self._phase_voices[index % self.period]
        learnt = float(voices)
        if phase.weight > 0:  # residuals mean something once this time of day was seen
            expected = max(phase.get(), 1.0)
            variance = expected + self._volume_dispersion() * expected**2
            # A spike must not raise tomorrow's baseline: learn a clipped volume.
            learnt = min(learnt, expected + 3 * math.sqrt(variance))
            if "volume" not in spiked:
                self._volume_excess.add((learnt - expected) ** 2 - expected, expected**2)
        self._voices.add(voices)
        phase.add(learnt)
        if toned and "negative_share" not in spiked:
            self._learn_negative(negatives, toned)
        self._negative.add(negatives)
        self._toned.add(toned)

    def _learn_negative(self, negatives: int, toned: int) -> None:
        """Learn how much the negative share varies beyond binomial chance (clipped)."""
        share = self._negative.get() / max(self._toned.get(), 1e-9)
        if not 0 < share < 1:
            return
        binomial = toned * share * (1 - share)
        variance = binomial * (1 + (toned - 1) * self._negative_correlation())
        squared = min((negatives - toned * share) ** 2, 9 * variance)
        self._negative_excess.add(squared - binomial, (toned - 1) * binomial)

    def _negative_correlation(self) -> float:
        """How alike the tones of one window's voices are (0: independent, as a binomial)."""
        return min(1.0, max(0.0, self._negative_excess.get(0.0)))

    def _volume_dispersion(self) -> float:
        """How much volume varies beyond Poisson chance, as a share of its square."""
        return max(0.02, self._volume_excess.get(self.dispersion))

    def _expected_voices(self, index: int) -> float:
        """Voices expected: the same time of day on earlier days, else the average."""
        phase = self._phase_voices[index % self.period]
        return phase.get(self._voices.get())

    # Findings -----------------------------------------------------------------------

    def _topics(self, window: _Window, start: datetime, end: datetime) -> list[EmergingTopic]:
        voices = len(window.voices)
        terms = [term for term, count in window.counts.items() if count >= self.min_count]
        if not terms:
            return []
        observed = np.fromiter((window.counts[t] for t in terms), np.float64, len(terms))
        rows = self._terms.lookup(terms)
        expected, variance = self._baseline(rows, window.index, voices)
        found: list[_Finding] = []
        for position in np.flatnonzero(observed >= self.min_ratio * expected).tolist():
            count = int(observed[position])
            score = count_score(count, float(expected[position]), float(variance[position]))
            if score >= self.min_score:
                found.append(_Finding(terms[position], count, float(expected[position]), score,
                                      int(rows[position])))
        found.sort(key=lambda finding: (-finding.score, finding.term))
        return [self._topic(group, window, start, end) for group in _group(found, window)]

    def _baseline(self, rows: NDArray[np.int64], index: int,
                  voices: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Expected count and its variance for terms (rows) in window `index`."""
        mean, square = self._terms.decayed(rows, index)
        correction = max(1e-9, 1 - self.decay**self._closed)  # share of history seen
        mean, square = mean / correction, square / correction
        # What a term's share varied beyond the chance of sampling few or many voices.
        excess = np.maximum(0.0, square - mean * mean)
        # A brand-new term is expected now and then: the prior.
        expected = voices * mean + max(self.prior_count, self.prior_share * voices)
        return expected, expected + self.dispersion * expected**2 + voices**2 * excess

    def _topic(self, group: list[_Finding], window: _Window, start: datetime,
               end: datetime) -> EmergingTopic:
        best = group[0]
        postings = window.postings[best.term]
        first = (datetime.fromtimestamp(self._terms.first[best.row], UTC) if best.row >= 0
                 else window.voices[postings[0]].time)
        return EmergingTopic(
            term=best.term,
            related=tuple(finding.term for finding in group[1:]),
            window_start=start,
            window_end=end,
            count=best.mentions,
            expected=round(best.expected, 3),
            score=round(best.score, 2),
            first_seen=first,
            examples=tuple(window.voices[v] for v in postings[: self.examples]),
        )

    def _spikes(self, window: _Window, start: datetime, end: datetime) -> list[Spike]:
        spikes = [self._volume_spike(window, start, end), self._negative_spike(window, start, end)]
        return [spike for spike in spikes if spike is not None]

    def _volume_spike(self, window: _Window, start: datetime, end: datetime) -> Spike | None:
        voices = len(window.voices)
        expected = self._expected_voices(window.index)
        if expected <= 0 or voices < self.min_count or voices < 1.5 * expected:
            return None
        variance = expected + self._volume_dispersion() * expected**2
        score = count_score(voices, expected, variance)
        if score < self.spike_min_score:
            return None
        examples = tuple(window.voices[: self.examples])
        return Spike("volume", start, end, float(voices), round(expected, 3), voices,
                     window.items, round(score, 2), examples)

    def _negative_spike(self, window: _Window, start: datetime, end: datetime) -> Spike | None:
        toned, negatives = window.toned, len(window.negatives)
        baseline = self._negative.get() / max(self._toned.get(), 1e-9)
        if toned < 4 * self.min_count or not 0 < baseline < 1:
            return None
        share = negatives / toned
        if share < baseline + 0.1:  # a rise of less than ten points is not news
            return None
        correlation = self._negative_correlation()
        variance = toned * baseline * (1 - baseline) * (1 + (toned - 1) * correlation)
        score = normal_score((negatives - toned * baseline) / math.sqrt(variance))
        if score < self.spike_min_score:
            return None
        examples = tuple(window.voices[v] for v in window.negatives[: self.examples])
        return Spike("negative_share", start, end, round(share, 4), round(baseline, 4),
                     negatives, toned, round(score, 2), examples)

    def _campaigns(self, window: _Window, start: datetime, end: datetime) -> list[Campaign]:
        return [
            Campaign(cluster, start, end, count, window.first_copy[cluster])
            for cluster, count in window.copies.most_common()
            if count >= self.campaign_size
        ]


def _group(found: list[_Finding], window: _Window) -> list[list[_Finding]]:
    """Findings (best first) grouped with a better one when half their texts are shared."""
    groups: list[tuple[set[int], list[_Finding]]] = []
    for finding in found:
        texts = set(window.postings[finding.term])
        for shared, members in groups:
            if len(texts & shared) >= 0.5 * min(len(texts), len(shared)):
                members.append(finding)
                break
        else:
            groups.append((texts, [finding]))
    return [members for _, members in groups]


def trend_terms(text: str, lang: str | None) -> list[str]:
    """The terms counted for trends in a cleaned text: words, hashtags, mentions and
    two-word phrases, stop words left out."""
    terms: list[str] = []
    for run in phrase_runs(text, lang):
        terms.extend(run)
        terms.extend(f"{first} {second}" for first, second in pairwise(run))
    return terms


def detect_trends(
    items: Iterable[TrendItem], detector: TrendDetector | None = None
) -> TrendReport:
    """Run a detector over a finite batch of items, in time order; keep every window."""
    detector = detector if detector is not None else TrendDetector(history=None)
    detector.add_many(sorted(items, key=lambda item: item.time))
    detector.flush()
    return detector.report()
