"""The calendar's days and the gaps where a channel's planned interval runs out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from kanava.publishing.calendar import Cadence, Gap, GapDay, gaps, gaps_by_day, moved, span

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2030, 6, 3, 9, 0, tzinfo=UTC)  # a Monday
DAY = timedelta(days=1)


def test_a_month_is_whole_weeks_from_monday() -> None:
    june = span("month", date(2030, 6, 17))
    assert june.first == date(2030, 5, 27)  # the Monday before 1 June (a Saturday)
    assert june.last == date(2030, 6, 30)  # a Sunday
    assert all(len(week) == 7 and week[0].weekday() == 0 for week in june.weeks())
    assert (june.previous, june.next) == (date(2030, 5, 1), date(2030, 7, 1))


def test_december_leads_to_january_of_the_next_year() -> None:
    december = span("month", date(2030, 12, 31))
    assert december.next == date(2031, 1, 1)
    assert span("month", date(2031, 1, 1)).previous == date(2030, 12, 1)


def test_a_week_and_a_list() -> None:
    week = span("week", date(2030, 6, 6))
    assert (week.first, week.last) == (date(2030, 6, 3), date(2030, 6, 9))
    assert week.previous == date(2030, 5, 27)
    listed = span("list", date(2030, 6, 6))
    assert len(listed.days()) == 28
    assert listed.next == date(2030, 7, 4)


def test_bounds_are_midnights_in_the_organizations_zone_across_dst() -> None:
    march = span("week", date(2030, 3, 27))  # summer time starts on Sunday 31 March
    start, end = march.bounds(HELSINKI)
    assert start == datetime(2030, 3, 25, tzinfo=HELSINKI)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=7) - timedelta(hours=1)


def test_a_channel_posting_on_its_interval_has_no_gap() -> None:
    cadence = Cadence.per_week("facebook", 7)  # every day
    times = [NOW + n * DAY for n in range(-1, 10)]
    assert gaps([cadence], {"facebook": times}, NOW, NOW + 7 * DAY, NOW) == []


def test_a_missing_post_leaves_a_gap_from_when_the_interval_runs_out() -> None:
    cadence = Cadence.per_week("facebook", 7)
    times = [NOW - DAY, NOW, NOW + DAY, NOW + 4 * DAY, NOW + 5 * DAY]
    found = gaps([cadence], {"facebook": times}, NOW, NOW + 6 * DAY, NOW)
    assert found == [Gap("facebook", NOW + 2 * DAY, NOW + 4 * DAY)]


def test_a_channel_with_nothing_planned_is_a_gap_from_now() -> None:
    start, end = NOW - 10 * DAY, NOW + 10 * DAY
    found = gaps([Cadence.per_week("blog", 1)], {}, start, end, NOW)
    assert found == [Gap("blog", NOW, end, until_post=False)]


def test_the_last_post_before_the_span_counts() -> None:
    cadence = Cadence.per_week("linkedin", 2)  # every 3.5 days
    start = NOW + 7 * DAY
    found = gaps([cadence], {"linkedin": [NOW + 6 * DAY, start + 2 * DAY]}, start,
                 start + 3 * DAY, NOW)
    assert found == []
    found = gaps([cadence], {"linkedin": [NOW, start + 2 * DAY]}, start, start + 3 * DAY, NOW)
    assert found == [Gap("linkedin", start, start + 2 * DAY)]


def test_gaps_in_the_past_are_history_and_not_shown() -> None:
    cadence = Cadence.per_week("facebook", 7)
    times = [NOW - 10 * DAY, NOW - 5 * DAY, NOW - DAY / 2, NOW + DAY / 2]
    assert gaps([cadence], {"facebook": times}, NOW - 14 * DAY, NOW + DAY, NOW) == []
    overdue = gaps([cadence], {"facebook": times[:2] + times[3:]}, NOW - 14 * DAY, NOW + DAY, NOW)
    assert overdue == [Gap("facebook", NOW, NOW + DAY / 2)]  # overdue now: shown from now


def test_gap_days_are_the_days_it_touches_in_the_zone() -> None:
    gap = Gap("facebook", datetime(2030, 6, 3, 21, 30, tzinfo=UTC),  # 00:30 on the 4th there
              datetime(2030, 6, 5, 21, 0, tzinfo=UTC), until_post=False)  # midnight, the 6th
    assert gap.days(HELSINKI) == [date(2030, 6, 4), date(2030, 6, 5)]
    posted = Gap("facebook", gap.start, datetime(2030, 6, 6, 9, tzinfo=UTC))
    assert posted.days(HELSINKI) == [date(2030, 6, 4), date(2030, 6, 5)]  # the 6th has its post
    assert Gap("facebook", gap.start, gap.start + DAY / 4).days(HELSINKI) == []
    by_day = gaps_by_day([gap, Gap("blog", gap.start, gap.end)], HELSINKI)
    assert by_day[date(2030, 6, 4)] == [GapDay("facebook", True), GapDay("blog", True)]
    assert by_day[date(2030, 6, 5)] == [GapDay("facebook", False), GapDay("blog", False)]


def test_a_post_moved_to_another_day_keeps_its_local_time_across_dst() -> None:
    before = datetime(2030, 3, 29, 9, 30, tzinfo=HELSINKI)  # winter time, UTC+2
    after = moved(before, date(2030, 4, 2), HELSINKI)  # summer time, UTC+3
    assert after.astimezone(HELSINKI).hour == 9
    assert after.astimezone(HELSINKI).minute == 30
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(days=4) - timedelta(hours=1)


@given(st.lists(st.integers(0, 60 * 24 * 30), max_size=40), st.floats(0.5, 14))
def test_no_gap_ever_holds_a_post_or_is_shorter_than_nothing(minutes: list[int],
                                                           per_week: float) -> None:
    times = [NOW + timedelta(minutes=m) for m in minutes]
    start, end = NOW, NOW + 30 * DAY
    for gap in gaps([Cadence.per_week("c", per_week)], {"c": times}, start, end, NOW):
        assert start <= gap.start < gap.end <= end
        assert not any(gap.start < t < gap.end for t in times)
        earlier = [t for t in times if t <= gap.start]
        if earlier:
            assert gap.start - max(earlier) >= timedelta(days=7 / per_week) - timedelta(
                microseconds=1)
