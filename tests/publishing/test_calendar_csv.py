"""A content calendar from CSV: every bad row reported with its line and column, every
good row kept."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from kanava.publishing.calendar_csv import read_calendar

CHANNELS = {"fb": "facebook", "masto": "mastodon", "bsky": "bluesky"}
HELSINKI = ZoneInfo("Europe/Helsinki")


def _read(text: str, **options: object) -> tuple[list, list[str]]:
    calendar = read_calendar(text.encode(), channels=CHANNELS, time_zone="Europe/Helsinki",
                             **options)  # type: ignore[arg-type]
    return calendar.posts, [p.render("cal.csv", "en") for p in calendar.problems]


def test_good_rows_become_posts_in_the_organizations_time_zone() -> None:
    posts, problems = _read("publish_at,channels,text,marketing\n"
                            "2026-12-01 09:30,fb masto,Joulukuusi sytytetään!,no\n"
                            "2026-12-02T10:00:00+00:00,bsky,Toriilta kuvia,kyllä\n")
    assert problems == []
    first, second = posts
    assert first.publish_at == datetime(2026, 12, 1, 9, 30, tzinfo=HELSINKI)
    assert [v.channel for v in first.variants] == ["fb", "masto"]
    assert second.publish_at == datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    assert second.marketing


def test_excels_semicolons_and_byte_order_mark_are_read() -> None:
    data = "\ufeffpublish_at;channels;text\n2026-12-01 09:30;fb,masto;Hei, kaikki!\n"
    calendar = read_calendar(data.encode(), channels=CHANNELS)
    assert calendar.problems == []
    [post] = calendar.posts
    assert post.variants[0].text == "Hei, kaikki!"


def test_every_bad_row_is_reported_and_the_good_ones_kept() -> None:
    posts, problems = _read("publish_at,channels,text,marketing\n"
                            "2026-12-01 09:30,fb,Hyvä rivi,\n"
                            "1.12.2026,fb,Huono päiväys,\n"
                            "2026-12-01 10:00,twitter,Tuntematon kanava,\n"
                            "2026-12-01 11:00,fb,,\n"
                            "2026-12-01 12:00,fb,Outo merkintä,ehkä\n"
                            "2026-12-01 13:00,masto,Toinen hyvä,ei\n")
    assert [p.variants[0].text for p in posts] == ["Hyvä rivi", "Toinen hyvä"]
    assert problems == [
        'cal.csv:3: publish_at: "1.12.2026" is not a date and time such as 2026-12-01 09:30.',
        "cal.csv:4: channels: Not channels of the plan: twitter. The plan's channels are "
        "bsky, fb, masto.",
        "cal.csv:5: text: The text is empty.",
        'cal.csv:6: marketing: "ehkä" is neither yes nor no.',
    ]


def test_rows_sharing_a_post_key_are_one_post_with_a_text_per_channel() -> None:
    posts, problems = _read("post,publish_at,channels,text\n"
                            "joulu,2026-12-24 12:00,fb,Hyvää joulua kaikille kuntalaisille!\n"
                            "joulu,2026-12-24 12:00,bsky,Hyvää joulua! 🎄\n"
                            "joulu,2026-12-24 13:00,masto,Väärä aika\n")
    [post] = posts
    assert [(v.channel, v.text) for v in post.variants] == [
        ("fb", "Hyvää joulua kaikille kuntalaisille!"), ("bsky", "Hyvää joulua! 🎄")]
    assert problems == ["cal.csv:4: publish_at: Rows of one post must share its time "
                        "(line 2 says 2026-12-24 12:00)."]


def test_an_unknown_column_or_a_missing_one_stops_at_the_header() -> None:
    posts, problems = _read("when,channels,text\n2026-12-01 09:30,fb,x\n")
    assert posts == []
    assert problems[0].startswith("cal.csv:1: when: Unknown column")
    assert problems[1] == "cal.csv:1: publish_at: The header lacks this required column."


def test_a_theme_must_be_one_of_the_plan() -> None:
    _, problems = _read("publish_at,channels,text,theme\n2026-12-01 09:30,fb,x,sport\n",
                        themes=["culture"])
    assert problems == ['cal.csv:2: theme: "sport" is not a theme of the plan.']


def test_bytes_that_are_not_utf8_are_pointed_at() -> None:
    data = b"publish_at,channels,text\n2026-12-01 09:30,fb," + b"P\xe4iv\xe4\n"
    calendar = read_calendar(data, channels=CHANNELS)
    assert calendar.posts == []
    assert calendar.problems[0].render("cal.csv", "en") == (
        "cal.csv:2: Not UTF-8 text at byte 47: save the file as CSV UTF-8.")


def test_problems_read_in_finnish() -> None:
    calendar = read_calendar(b"publish_at,channels,text\nx,fb,t\n", channels=CHANNELS)
    assert "ei ole" in calendar.problems[0].render("k.csv", "fi")


@pytest.mark.parametrize("data", [b"", b"\n\n", b"publish_at,channels,text\n", b"\x00\x01"])
def test_empty_or_junk_files_give_no_posts_and_no_crash(data: bytes) -> None:
    calendar = read_calendar(data, channels=CHANNELS)
    assert calendar.posts == []
