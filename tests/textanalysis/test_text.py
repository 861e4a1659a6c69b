"""Cleaning and tokenising untrusted short texts in our six languages."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from kanava.textanalysis.stopwords import LANGUAGES, stopwords
from kanava.textanalysis.text import MAX_CHARS, chunks, clean, strip_entities, tokens


def seeded(seed: int) -> random.Random:
    """Reproducible test data, not secrets."""
    return random.Random(seed)


def junk(seed: int, size: int = 2_000) -> str:
    """Random bytes read as UTF-8 the forgiving way, as a careless importer would."""
    return seeded(seed).randbytes(size).decode("utf-8", errors="replace")


def test_it_keeps_hashtags_and_mentions_whole() -> None:
    assert tokens("Äänestä! #kuntavaalit @helsinki") == ["äänestä", "#kuntavaalit", "@helsinki"]


def test_it_keeps_a_fediverse_handle_as_one_mention() -> None:
    assert tokens("Kiitos @anna@example.social!") == ["kiitos", "@anna@example.social"]


def test_it_drops_urls() -> None:
    assert tokens("Lue https://example.fi/a.b?c=1 ja www.example.se nyt") == ["lue", "ja", "nyt"]


def test_it_keeps_nordic_letters_and_lowercases() -> None:
    assert tokens("Blåbær ÆØÅ Smörgås") == ["blåbær", "æøå", "smörgås"]


def test_it_keeps_finnish_case_endings_and_hyphenated_words_whole() -> None:
    assert tokens("EU:n päätös kunta-alan väelle") == ["eu:n", "päätös", "kunta-alan", "väelle"]


def test_it_drops_numbers_unless_asked() -> None:
    assert tokens("Bussi 55 klo 12:30") == ["bussi", "klo"]
    assert tokens("Bussi 55 klo 12:30", numbers=True) == ["bussi", "55", "klo", "12:30"]


def test_it_reads_curly_apostrophes_as_straight_ones() -> None:
    assert tokens("Don’t panic") == ["don't", "panic"]


def test_punctuation_urls_and_dropped_numbers_end_a_phrase() -> None:
    text = "Helsinki. Weather is fine, bus 55 late https://x.fi today"
    assert chunks(text) == [["helsinki"], ["weather", "is", "fine"], ["bus"], ["late"], ["today"]]


def test_chunks_can_keep_the_case_as_written() -> None:
    assert chunks("Kallion kirjasto", lower=False) == [["Kallion", "kirjasto"]]


def test_clean_drops_control_characters_and_lone_surrogates() -> None:
    assert clean("a\x00b\x07c\ud800d\ufffde") == "a b c d e"


def test_clean_glues_words_split_by_invisible_characters() -> None:
    assert clean("kirja\u00adsto zero\u200bwidth") == "kirjasto zerowidth"


def test_clean_normalises_to_nfc_and_collapses_whitespace() -> None:
    assert clean("  A\u030a  \n\t ja  o\u0308  ") == "Å ja ö"


def test_clean_unescapes_html_entities_of_fetched_posts() -> None:
    assert clean("Fish &amp; chips &lt;3") == "Fish & chips <3"


def test_clean_truncates_a_huge_text_instead_of_rejecting_it() -> None:
    cleaned = clean("sana " * 1_000_000)
    assert 0 < len(cleaned) <= MAX_CHARS


def test_binary_junk_is_cleaned_and_tokenised_without_error() -> None:
    for seed in range(5):
        cleaned = clean(junk(seed))
        assert len(cleaned) <= MAX_CHARS
        assert all(token == token.lower() for token in tokens(cleaned))


def test_emoji_only_text_has_no_tokens() -> None:
    assert tokens(clean("😀🎉👍🏽 ❤️")) == []


def test_empty_text_is_fine() -> None:
    assert clean("") == ""
    assert tokens("") == []
    assert strip_entities("") == ""


def test_strip_entities_leaves_only_the_words_for_language_id() -> None:
    text = "RT @kaupunki: Uusi #kirjasto avattiin 🎉 https://example.fi/x"
    assert strip_entities(text) == "RT : Uusi kirjasto avattiin"


def test_every_language_has_its_stop_words() -> None:
    for lang in LANGUAGES:
        assert len(stopwords(lang)) > 150
    assert {"ja", "och", "og", "and", "eg", "jeg"} <= stopwords(None)


def test_finnish_stop_words_include_inflected_pronouns() -> None:
    assert {"minulle", "hänestä", "meidän", "siitä", "niiden", "tämän"} <= stopwords("fi")


def test_an_unknown_language_gets_every_list() -> None:
    assert stopwords("xx") == stopwords(None)
    assert stopwords("no") == stopwords("nb")


@given(st.text())
def test_any_text_cleans_into_a_bounded_text_without_controls(text: str) -> None:
    cleaned = clean(text)
    assert len(cleaned) <= MAX_CHARS
    assert cleaned == cleaned.strip()
    assert not any(ord(char) < 32 or 0xD800 <= ord(char) <= 0xDFFF for char in cleaned)


@given(st.text())
def test_tokens_are_never_empty_or_blank(text: str) -> None:
    for token in tokens(clean(text), numbers=True):
        assert token
        assert not token.isspace()
