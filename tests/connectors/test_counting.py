"""Each network counts a post's text its own way, as its documentation says."""

from __future__ import annotations

import pytest

from kanava.connectors import bluesky, linkedin, mastodon, registry, threads, x
from kanava.connectors.counting import graphemes, urls, x_weighted

FAMILY = "👩\u200d👩\u200d👧"  # one grapheme of five code points
LONG_URL = "https://example.com/" + "a" * 80


def test_a_family_emoji_is_one_grapheme() -> None:
    assert graphemes(FAMILY) == 1
    assert graphemes("e\u0301") == 1  # e + combining acute


def test_mastodon_counts_every_url_as_23() -> None:
    assert mastodon.length(f"Read {LONG_URL}") == 5 + 23


def test_mastodon_counts_a_remote_mention_by_its_user_part() -> None:
    assert mastodon.length("@anna@mastodon.social hi") == len("@anna hi")


def test_mastodon_counts_graphemes() -> None:
    assert mastodon.length(FAMILY * 10) == 10


def test_bluesky_counts_graphemes_and_limits_bytes() -> None:
    assert bluesky.LIMITS.length(FAMILY) == 1
    assert bluesky.LIMITS.max_length == 300
    assert bluesky.LIMITS.max_bytes == 3_000


@pytest.mark.parametrize(("text", "weight"), [
    ("hello", 5),
    ("Hyvää päivää", 12),  # Latin with diacritics weighs 1
    ("日本語", 6),  # CJK weighs 2
    ("😀", 2),
    (FAMILY, 2),  # an emoji sequence is one emoji
    ("🇫🇮", 2),  # a flag too
    ("e\u0301", 1),  # normalised to é first
    (f"a {LONG_URL}", 2 + 23),
    ("\u2014", 1),  # an em dash is in a weight-1 range
])
def test_x_weighs_characters_as_twitter_text_v3(text: str, weight: int) -> None:
    assert x_weighted(text) == weight


def test_x_allows_280_weighted_characters() -> None:
    assert x.LIMITS.max_length == 280
    assert x.LIMITS.length("日" * 140) == 280


def test_threads_counts_an_emoji_as_its_utf8_bytes() -> None:
    assert threads.LIMITS.length("abc") == 3
    assert threads.LIMITS.length("😀") == 4


def test_linkedin_counts_its_escapes() -> None:
    assert linkedin.escape("#kunta (uusi) @x") == r"#kunta \(uusi\) \@x"  # a hashtag stays
    assert linkedin.length("(a)") == 5


def test_urls_leave_trailing_punctuation_out() -> None:
    assert urls("See https://example.com/a. And (https://kanava.fi/x)!") == [
        "https://example.com/a", "https://kanava.fi/x"]


def test_networks_without_limits_have_none() -> None:
    assert registry.limits("newsletter") is None
    assert registry.limits("wordpress") is not None
    assert registry.limits("mastodon") is mastodon.LIMITS
