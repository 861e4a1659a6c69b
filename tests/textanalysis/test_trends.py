"""Emerging topics, spikes and campaigns in a stream of timestamped texts.

The background is made of invented words drawn with a Zipf-like skew, so every test
builds its own small stream in a fraction of a second.
"""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kanava.textanalysis.trends import (
    TrendDetector,
    TrendItem,
    count_score,
    detect_trends,
    normal_score,
    read_jsonl,
    trend_terms,
)


def seeded(seed: int) -> random.Random:
    """Reproducible test data, not secrets."""
    return random.Random(seed)


START = datetime(2026, 5, 4, tzinfo=UTC)
HOUR = timedelta(hours=1)
BURST = 20  # the hour bursts are injected in: after a 12-hour warm-up


def vocabulary(rng: random.Random, size: int = 400) -> list[str]:
    syllables = ["ka", "lo", "mi", "sur", "tin", "ve", "ra", "no", "pel", "su", "vi", "ta"]
    words = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size * 2)}
    return sorted(words)[:size]


def background(seed: int = 1, hours: int = 24, per_hour: int = 60,
               tone: str | None = None) -> list[TrendItem]:
    rng = seeded(seed)
    words = vocabulary(rng)
    weights = [1 / (rank + 5) for rank in range(len(words))]
    items = []
    for hour in range(hours):
        for n in range(per_hour):
            text = " ".join(rng.choices(words, weights, k=rng.randint(4, 10)))
            moment = START + hour * HOUR + timedelta(seconds=rng.uniform(0, 3599))
            mood = tone or rng.choice(["positive", "neutral", "negative"])
            items.append(TrendItem(moment, text, "fi", mood, f"b{hour}-{n}"))
    return items


def burst(texts: list[str], hour: int = BURST, tone: str = "neutral") -> list[TrendItem]:
    return [TrendItem(START + hour * HOUR + timedelta(minutes=n % 60), text, "fi", tone,
                      f"x{hour}-{n}") for n, text in enumerate(texts)]


def detector(**options: object) -> TrendDetector:
    return TrendDetector(warmup=timedelta(hours=12), history=None, **options)  # type: ignore[arg-type]


def run(items: list[TrendItem], **options: object) -> TrendDetector:
    found = detector(**options)
    found.add_many(sorted(items, key=lambda item: item.time))
    found.flush()
    return found


def varied(texts: list[str], seed: int = 0) -> list[str]:
    """The texts, each with its own tail of background words, so no two are duplicates."""
    rng = seeded(seed)
    words = vocabulary(seeded(1))
    return [f"{text}. {' '.join(rng.sample(words, 4))}" for text in texts]


def outage_texts(count: int) -> list[str]:
    rng = seeded(count)
    openings = ["Taas", "Nyt", "Huomenna", "Eilen", "Kuulin että", "Ei voi olla"]
    endings = ["Kalliossa", "koko kadulla", "meidän talossa", "jo toista kertaa", "koulussa"]
    return varied([f"{rng.choice(openings)} vesikatko {rng.choice(endings)} #vesikatko"
                   for _ in range(count)])


def test_it_finds_a_new_hashtag_that_bursts_in_one_window() -> None:
    report = run(background() + burst(outage_texts(15))).report()
    topics = report.topics
    assert len(topics) == 1
    topic = topics[0]
    assert {topic.term, *topic.related} >= {"#vesikatko", "vesikatko"}
    assert topic.window_start == START + BURST * HOUR
    assert topic.count == 15 > topic.expected
    assert topic.score >= 5
    assert 1 <= len(topic.examples) <= 3
    assert all("vesikatko" in example.text for example in topic.examples)
    assert topic.window_start <= topic.first_seen < topic.window_end


def test_a_steady_stream_has_no_topics_and_no_spikes() -> None:
    report = run(background(seed=2)).report()
    assert report.topics == []
    assert report.spikes == []


def test_nothing_is_reported_during_the_warm_up() -> None:
    report = run(background() + burst(outage_texts(15), hour=5)).report()
    assert report.topics == []


def test_a_term_rising_against_its_own_baseline_is_found() -> None:
    items = background()
    common = "kirjasto"
    rng = seeded(5)
    steady = [TrendItem(START + h * HOUR + timedelta(minutes=rng.randint(0, 59)),
                        f"{common} on auki tänään {h}", "fi", "neutral", f"s{h}")
              for h in range(24)]  # once an hour, every hour
    rise = burst(varied([f"{common}!"] * 20))  # said alone, so no phrase rises with it
    topics = run(items + steady + rise).report().topics
    assert [topic.term for topic in topics] == [common]
    assert 0.5 < topics[0].expected < 3


def test_a_copy_paste_campaign_is_one_voice_and_reported_as_a_campaign() -> None:
    text = "Allekirjoita adressi puiston puolesta nyt heti! #pelastetaanpuisto"
    copies = [text] * 200 + [f"RT @tili{n}: {text}" for n in range(100)]
    report = run(background() + burst(copies)).report()
    assert report.topics == []
    assert report.spikes == []
    (campaign,) = report.campaigns
    assert campaign.count == 300
    assert campaign.example.text == text
    window = next(w for w in report.windows if w.start == START + BURST * HOUR)
    assert window.items == window.voices + 299


def test_it_finds_a_volume_spike_without_a_topic() -> None:
    extra = [  # three hours of other texts squeezed into the burst hour
        TrendItem(START + BURST * HOUR + (item.time - START) / 3, item.text, "fi", item.tone,
                  f"e{n}")
        for n, item in enumerate(background(seed=7, hours=3))
    ]
    report = run(background() + extra).report()
    spikes = [spike for spike in report.spikes if spike.kind == "volume"]
    assert [spike.window_start for spike in spikes][:1] == [START + BURST * HOUR]
    assert spikes[0].observed > 2 * spikes[0].expected
    assert spikes[0].score >= 3


def test_it_finds_a_negative_share_spike() -> None:
    items = [item for item in background() if not (
        item.time >= START + BURST * HOUR and item.time < START + (BURST + 1) * HOUR)]
    angry = background(seed=9, hours=1, tone="negative")
    shifted = [TrendItem(item.time + BURST * HOUR, item.text, "fi", "negative", f"n{n}")
               for n, item in enumerate(angry)]
    report = run(items + shifted).report()
    spikes = [spike for spike in report.spikes if spike.kind == "negative_share"]
    assert len(spikes) == 1
    assert spikes[0].observed == 1.0
    assert 0.2 < spikes[0].expected < 0.5
    assert len(spikes[0].examples) == 3


def test_terms_that_rise_in_the_same_texts_make_one_topic() -> None:
    texts = varied([f"Kallion kirjasto suljetaan {word}" for word in
                    ["huomenna", "ensi viikolla", "syksyllä", "remontin ajaksi", "yllättäen"] * 3])
    topics = run(background() + burst(texts)).report().topics
    assert len(topics) == 1
    assert {"kallion kirjasto", "kallion", "kirjasto"} <= {topics[0].term, *topics[0].related}


def test_stop_words_are_never_terms() -> None:
    assert trend_terms("ja sitten se oli #kiva @kaupunki ilta", "fi") == [
        "#kiva", "@kaupunki", "ilta"]
    assert trend_terms("the new library", "en") == ["new", "library", "new library"]


def test_add_returns_the_windows_an_item_closes() -> None:
    found = detector()
    assert found.add(TrendItem(START, "eka teksti", "fi")) == []
    assert found.add(TrendItem(START + 10 * timedelta(minutes=1), "toka", "fi")) == []
    closed = found.add(TrendItem(START + 3 * HOUR, "kolmas", "fi"))
    assert [(w.start, w.items) for w in closed] == [(START, 2)]
    (last,) = found.flush()
    assert last.start == START + 3 * HOUR
    assert found.flush() == []


def test_a_late_item_counts_in_the_open_window() -> None:
    found = detector()
    found.add(TrendItem(START + 2 * HOUR, "uusi", "fi"))
    found.add(TrendItem(START, "myöhässä", "fi"))
    (window,) = found.flush()
    assert window.items == 2


def test_a_long_pause_does_not_hang() -> None:
    found = detector()
    found.add(TrendItem(START, "ennen", "fi"))
    found.add(TrendItem(START + timedelta(days=3650), "jälkeen", "fi"))
    assert len(found.flush()) == 1


def test_it_refuses_a_time_without_a_time_zone() -> None:
    with pytest.raises(ValueError, match="timezone"):
        detector().add(TrendItem(datetime(2026, 5, 4), "teksti"))  # noqa: DTZ001


def test_rare_terms_are_forgotten_so_memory_stays_bounded() -> None:
    rng = seeded(4)
    items = [TrendItem(START + timedelta(minutes=5 * n),
                       " ".join(f"harvinainen{rng.randrange(10**9)}" for _ in range(5)), "fi")
             for n in range(1_000)]
    found = run(items, max_terms=300)
    assert len(found._terms) <= 300


def test_junk_empty_emoji_and_huge_texts_flow_through() -> None:
    junk = seeded(1).randbytes(5_000).decode("utf-8", errors="replace")
    texts = ["", "😀😀😀", junk, "sana " * 100_000, "Hyvä game tänään, great job @team #voitto"]
    items = [TrendItem(START + timedelta(minutes=n), text, None, "bogus")
             for n, text in enumerate(texts * 20)]
    report = run(items).report()
    assert sum(window.items for window in report.windows) == 100


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 72 * 60), st.text(max_size=80)), max_size=40))
def test_any_stream_gives_a_report(entries: list[tuple[int, str]]) -> None:
    items = [TrendItem(START + timedelta(minutes=m), text, id=str(n))
             for n, (m, text) in enumerate(entries)]
    report = detect_trends(items, TrendDetector(warmup=timedelta(0)))
    assert sum(window.items for window in report.windows) == len(items)


def test_read_jsonl_reads_items_and_takes_a_time_without_offset_as_utc() -> None:
    lines = [
        json.dumps({"time": "2026-05-04T10:00:00+03:00", "text": "Moi", "lang": "fi",
                    "tone": "positive", "id": 7}),
        "",
        json.dumps({"time": "2026-05-04T10:00:00", "text": "Hej"}),
    ]
    first, second = read_jsonl(lines)
    assert first == TrendItem(datetime(2026, 5, 4, 7, tzinfo=UTC), "Moi", "fi", "positive", "7")
    assert second.time == datetime(2026, 5, 4, 10, tzinfo=UTC)


@pytest.mark.parametrize("line", ['{"text": "no time"}', "[1, 2]", "{bad json",
                                  '{"time": "yesterday", "text": "x"}'])
def test_read_jsonl_names_the_bad_line(line: str) -> None:
    with pytest.raises(ValueError, match="line 2"):
        list(read_jsonl(['{"time": "2026-05-04T10:00:00Z", "text": "ok"}', line]))


def test_count_score_is_minus_log10_of_the_poisson_tail() -> None:
    assert count_score(3, 1.0, 1.0) == pytest.approx(-math.log10(1 - math.exp(-1) * 2.5))
    tail = 1 - sum(math.exp(-2) * 2**k / math.factorial(k) for k in range(6))
    assert count_score(6, 2.0, 2.0) == pytest.approx(-math.log10(tail))


def test_count_score_is_smaller_for_a_term_that_varies_more() -> None:
    assert count_score(10, 1.0, 3.0) < count_score(10, 1.0, 1.0)
    assert count_score(10, 1.023, 1.128) == pytest.approx(5.6992, abs=1e-3)  # scipy's nbinom


def test_count_score_is_zero_at_or_below_the_expectation() -> None:
    assert count_score(2, 3.0, 3.0) == 0.0
    assert count_score(0, 3.0, 3.0) == 0.0


def test_scores_stay_finite_far_out_in_the_tail() -> None:
    assert count_score(5_000, 1.0, 1.0) == 300.0
    assert 50 < normal_score(15.0) < 300
    assert normal_score(100.0) == 300.0
    assert normal_score(-1.0) == 0.0


def test_items_after_a_flush_open_a_later_window_and_late_ones_are_kept() -> None:
    found = detector()
    found.add(TrendItem(START + HOUR, "eka", "fi"))
    found.flush()
    found.add(TrendItem(START, "myöhässä", "fi"))
    found.add(TrendItem(START + 5 * HOUR, "myöhemmin", "fi"))
    windows = found.report().windows
    assert [(w.start, w.items) for w in windows] == [(START + HOUR, 1), (START + 2 * HOUR, 1)]


def test_repeated_ids_from_outside_do_not_merge_different_texts() -> None:
    items = [TrendItem(START + timedelta(minutes=n), f"teksti {word} on oma", "fi", id="same")
             for n, word in enumerate(["kissa", "koira", "lehmä"])]
    (window,) = run(items).report().windows
    assert window.voices == 3
