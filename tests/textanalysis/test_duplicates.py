"""Near-duplicates: retweets and copy-paste campaigns are one voice, other texts are not."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kanava.textanalysis.duplicates import DuplicateIndex, duplicate_tokens, find_duplicates


def seeded(seed: int) -> random.Random:
    """Reproducible test data, not secrets."""
    return random.Random(seed)


ORIGINAL = (
    "Kaupunginvaltuusto päätti eilen illalla sulkea Kallion kirjaston remontin ajaksi "
    "ensi syksynä, ja se harmittaa monia lapsiperheitä"
)


def test_a_retweet_is_a_duplicate_of_its_original() -> None:
    assert find_duplicates([ORIGINAL, f"RT @kaupunki: {ORIGINAL}"]) == [0, 0]


def test_added_links_mentions_and_hashtags_keep_a_duplicate() -> None:
    copies = [
        f"{ORIGINAL} https://example.fi/uutinen",
        f"@anna @ben {ORIGINAL}",
        f"{ORIGINAL} #helsinki #kirjasto",
        f"{ORIGINAL} via @uutiset",
    ]
    assert find_duplicates([ORIGINAL, *copies]) == [0] * 5


def test_a_small_edit_keeps_a_duplicate() -> None:
    edited = ORIGINAL.replace("monia", "kaikkia").replace("eilen", "tänään")
    assert find_duplicates([ORIGINAL, edited]) == [0, 0]


def test_different_texts_on_the_same_topic_are_not_duplicates() -> None:
    texts = [
        ORIGINAL,
        "Kallion kirjasto suljetaan remontin ajaksi, valtuusto päätti asiasta eilen",
        "Harmittaa että kirjasto menee kiinni, mihin lapset nyt menevät syksyllä?",
        "Remontti on tarpeen, Kallion kirjaston katto vuotaa ollut jo vuosia",
    ]
    assert find_duplicates(texts) == [0, 1, 2, 3]


def test_short_texts_differing_in_one_word_are_not_duplicates() -> None:
    assert find_duplicates(["Vote for Anna", "Vote for Bob"]) == [0, 1]


def test_a_campaign_of_identical_texts_is_one_cluster() -> None:
    index = DuplicateIndex()
    text = "Allekirjoita adressi puiston puolesta! #pelastetaanpuisto"
    clusters = {index.add(f"c{n}", text) for n in range(500)}
    assert clusters == {"c0"}
    assert len(index) == 1  # identical copies take no room


def test_emoji_only_texts_are_compared_by_their_emoji() -> None:
    assert find_duplicates(["😀🎉", "😀🎉", "👍"]) == [0, 0, 2]


def test_empty_and_junk_texts_are_clusters_of_their_own() -> None:
    junk = seeded(3).randbytes(3_000).decode("utf-8", errors="replace")
    labels = find_duplicates(["", "   ", junk, "\x00\x01"])
    assert labels[:2] == [0, 1]
    assert labels[3] == 3


def test_a_huge_text_is_handled() -> None:
    assert find_duplicates(["sana " * 200_000, "sana " * 200_000]) == [0, 0]


def test_mixed_language_texts_are_compared_word_by_word() -> None:
    mixed = "Great job @kaupunki, kiitos nopeasta korjauksesta! Best city ever"
    assert find_duplicates([mixed, f"RT @x: {mixed}", "Great job, best city ever"]) == [0, 0, 2]


def test_the_index_forgets_the_oldest_texts_beyond_its_capacity() -> None:
    index = DuplicateIndex(capacity=3)
    texts = [f"Teksti numero {word} kertoo jotain aivan omaa" for word in "abcdef"]
    for n, text in enumerate(texts):
        index.add(str(n), text)
    assert len(index) == 3
    assert index.add("again", texts[0]) == "again"  # the original was forgotten
    assert index.add("copy", texts[5]) == "5"


def test_duplicate_tokens_drop_what_sharing_adds() -> None:
    assert duplicate_tokens("RT @x: Hello world #a #b") == ["hello", "world"]
    assert duplicate_tokens("#only #tags") == ["#only", "#tags"]


def test_it_refuses_nonsense_settings() -> None:
    with pytest.raises(ValueError, match="threshold"):
        DuplicateIndex(threshold=0)
    with pytest.raises(ValueError, match="bands"):
        DuplicateIndex(bands=40, rows=2, num_perm=64)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=20))
def test_every_text_points_at_an_earlier_or_its_own_position(texts: list[str]) -> None:
    labels = find_duplicates(texts)
    assert len(labels) == len(texts)
    assert all(0 <= label <= position for position, label in enumerate(labels))
    assert all(labels[label] == label for label in labels)
