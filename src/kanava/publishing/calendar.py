"""The publishing calendar: which days a month, week or list shows, and where each
channel's planned interval runs out with nothing planned (a gap), seen ahead of time.

Pure: it gets the posts' times and the plan's cadences and knows nothing of Django.
Days are calendar days in the organization's time zone; weeks start on Monday, as in
the Nordic countries.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

View = Literal["month", "week", "list"]
VIEWS: tuple[View, ...] = ("month", "week", "list")
LIST_DAYS = 28  # the list view shows four weeks from the chosen day


@dataclass(frozen=True)
class Span:
    """The days a view shows, first and last included, and where its arrows lead."""

    view: View
    first: date
    last: date
    previous: date
    next: date
    anchor: date  # the day the view was asked for

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def weeks(self) -> list[list[date]]:
        days = self.days()
        return [days[i:i + 7] for i in range(0, len(days), 7)]

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The span as aware moments: from the first day's midnight to the day after."""
        start = datetime.combine(self.first, time(), zone)
        end = datetime.combine(self.last + timedelta(days=1), time(), zone)
        return start, end


def span(view: View, anchor: date) -> Span:
    """The days of the month (whole weeks), the week, or the list that holds ``anchor``."""
    if view == "month":
        first_of_month = anchor.replace(day=1)
        days_in_month = stdlib_calendar.monthrange(anchor.year, anchor.month)[1]
        last_of_month = anchor.replace(day=days_in_month)
        first = first_of_month - timedelta(days=first_of_month.weekday())
        last = last_of_month + timedelta(days=6 - last_of_month.weekday())
        previous = (first_of_month - timedelta(days=1)).replace(day=1)
        following = last_of_month + timedelta(days=1)
        return Span(view, first, last, previous, following, anchor)
    if view == "week":
        first = anchor - timedelta(days=anchor.weekday())
        return Span(view, first, first + timedelta(days=6), first - timedelta(days=7),
                    first + timedelta(days=7), anchor)
    return Span(view, anchor, anchor + timedelta(days=LIST_DAYS - 1),
                anchor - timedelta(days=LIST_DAYS), anchor + timedelta(days=LIST_DAYS), anchor)


@dataclass(frozen=True)
class Cadence:
    """A channel of the plan with its planned interval between posts."""

    channel: str
    interval: timedelta

    @classmethod
    def per_week(cls, channel: str, posts_per_week: float) -> Cadence:
        return cls(channel, timedelta(days=7 / posts_per_week))

    @property
    def posts_per_week(self) -> float:
        return round(timedelta(days=7) / self.interval, 1)


@dataclass(frozen=True)
class Gap:
    """A stretch in which the channel's interval has run out and no post is planned."""

    channel: str
    start: datetime  # when the interval since the last post runs out
    end: datetime  # the next planned post, or the end of the span
    until_post: bool = True  # whether a post ends it (else the span's end does)

    def days(self, zone: ZoneInfo) -> list[date]:
        """The calendar days the gap touches, but for the day of the post that ends it:
        that day the channel has its post."""
        first = self.start.astimezone(zone).date()
        if self.until_post:
            last = self.end.astimezone(zone).date() - timedelta(days=1)
        else:
            last = (self.end - timedelta(microseconds=1)).astimezone(zone).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def gaps(
    cadences: Iterable[Cadence], times: Mapping[str, Sequence[datetime]],
    start: datetime, end: datetime, now: datetime,
) -> list[Gap]:
    """Where each channel goes longer than its interval without a post, within the span.

    ``times`` are each channel's post times (published or planned), including the last
    one before ``start`` so that a gap running into the span is seen. A gap in the past
    is history; only gaps that end after ``now`` are shown, from ``now`` on at the
    earliest: those are the ones a team can still fill. A channel without any post
    before the span is due at its start (or now).
    """
    found = []
    for cadence in cadences:
        moments = sorted(t for t in times.get(cadence.channel, ()) if t < end)
        if moments and moments[0] < start:
            previous, following_ones = moments[0], moments[1:]
        else:  # nothing before the span: the interval has run out when the span starts
            previous, following_ones = max(now, start) - cadence.interval, moments
        for following in [*following_ones, end]:
            runs_out = max(previous + cadence.interval, now, start)
            if following > runs_out and following > now:
                found.append(Gap(cadence.channel, runs_out, following, following < end))
            previous = max(previous, following)
    return sorted(found, key=lambda gap: (gap.start, gap.channel))


@dataclass(frozen=True)
class GapDay:
    """A channel without a post on a day of a gap; ``first`` on the day the gap begins."""

    channel: str
    first: bool


def gaps_by_day(found: Iterable[Gap], zone: ZoneInfo) -> dict[date, list[GapDay]]:
    """Each day with the channels whose interval has run out on it."""
    days: dict[date, list[GapDay]] = {}
    for gap in found:
        for n, day in enumerate(gap.days(zone)):
            listed = days.setdefault(day, [])
            if all(item.channel != gap.channel for item in listed):
                listed.append(GapDay(gap.channel, n == 0))
    return days


def moved(when: datetime, day: date, zone: ZoneInfo) -> datetime:
    """The same time of day, in the organization's zone, on another day (drag and drop)."""
    local = when.astimezone(zone)
    return datetime.combine(day, local.time().replace(tzinfo=None), zone)
