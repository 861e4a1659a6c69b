"""Keywords and keyphrases of one text and of a collection."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kanava.textanalysis.keywords import (
    Keyword,
    candidate_terms,
    collection_keywords,
    keywords,
)


def seeded(seed: int) -> random.Random:
    """Reproducible test data, not secrets."""
    return random.Random(seed)


def terms(found: list[Keyword]) -> list[str]:
    return [keyword.term for keyword in found]


def test_it_keeps_hashtags_and_mentions_as_keywords() -> None:
    found = terms(keywords("Taas vesikatko Kalliossa! #vesikatko @helsinki korjatkaa", "fi"))
    assert "#vesikatko" in found
    assert "@helsinki" in found


def test_it_finds_multi_word_keyphrases() -> None:
    found = terms(keywords("The new city library opens today, opening hours are great", "en"))
    assert "new city library" in found
    assert "opening hours" in found


def test_a_keyphrase_never_crosses_a_stop_word_or_punctuation() -> None:
    candidates = candidate_terms("Kallion kirjasto on kiinni. Remontti alkaa", "fi")
    assert "kallion kirjasto" in candidates
    assert not any("kiinni remontti" in term or " on " in f" {term} " for term in candidates)


def test_stop_words_of_every_language_are_left_out() -> None:
    samples = {
        "en": "the and of it is",
        "fi": "ja minulle hänestä se oli",
        "sv": "och det är att jag",
        "nb": "og det er at jeg",
        "nn": "og det er at eg",
        "da": "og det er at jeg",
    }
    for lang, text in samples.items():
        assert keywords(text, lang) == [], lang


def test_names_and_long_words_rank_above_plain_words() -> None:
    found = terms(keywords("Regjeringen vil kutte barnetrygden, sier Jonas Gahr Støre", "nb"))
    assert found[0] == "jonas gahr støre"


def test_a_keyword_does_not_repeat_a_word_of_a_better_keyphrase() -> None:
    found = terms(keywords("Kallion kirjasto suljetaan. Kallion kirjasto avataan", "fi", n=10))
    words = [word for term in found for word in term.split()]
    assert len(words) == len(set(words))


def test_n_limits_the_number_of_keywords() -> None:
    text = "alpha beta. gamma delta. epsilon zeta. eta theta. iota kappa"
    assert len(keywords(text, "en", n=3)) == 3
    assert keywords(text, "en", n=0) == []


def test_empty_emoji_only_and_junk_texts_have_no_or_harmless_keywords() -> None:
    assert keywords("", "fi") == []
    assert keywords("😀🎉👍", None) == []
    junk = seeded(2).randbytes(4_000).decode("utf-8", errors="replace")
    assert all(keyword.score > 0 for keyword in keywords(junk, None))


def test_a_huge_text_is_truncated_not_rejected() -> None:
    assert terms(keywords("kirjasto " * 500_000, "fi")) == ["kirjasto"]


def test_a_mixed_language_text_without_a_language_uses_every_stop_list() -> None:
    found = terms(keywords("Tosi hyvä game, the best ever och så vidare #voitto", None))
    assert "#voitto" in found
    assert not {"the", "och", "så"} & {word for term in found for word in term.split()}


COLLECTION = [
    "Kirjaston aukioloajat muuttuvat ensi viikolla",
    "Uudet aukioloajat ovat huonot, kirjasto kiinni sunnuntaisin",
    "Miksi aukioloajat muuttuvat? #kirjasto",
    "Uimahallin remontti alkaa maanantaina",
    "Uimahallin remontti kestää koko kesän",
    "Hyvää viikonloppua kaikille!",
]


def test_collection_keywords_rank_terms_by_how_many_texts_use_them() -> None:
    found = collection_keywords(COLLECTION, "fi", n=3)
    assert terms(found)[:2] == ["aukioloajat muuttuvat", "uimahallin remontti"]
    assert found[0] == Keyword("aukioloajat muuttuvat", 0.5, 2)
    assert found[2].count == 1


def test_a_phrase_used_once_is_no_keyphrase_of_a_collection() -> None:
    assert all(keyword.count >= 2 for keyword in collection_keywords(COLLECTION, "fi")
               if " " in keyword.term)


def test_a_part_that_seldom_stands_alone_gives_way_to_its_phrase() -> None:
    found = terms(collection_keywords(COLLECTION, "fi"))
    assert "uimahallin remontti" in found
    assert not {"uimahallin", "remontti", "aukioloajat"} & set(found)


def test_copies_of_one_message_count_once_in_a_collection() -> None:
    campaign = ["Allekirjoita adressi nyt! #pelastetaanpuisto"] * 500
    retweets = [f"RT @tili{n}: Allekirjoita adressi nyt! #pelastetaanpuisto" for n in range(50)]
    found = collection_keywords(COLLECTION + campaign + retweets, "fi", n=3)
    assert terms(found)[:2] == ["aukioloajat muuttuvat", "uimahallin remontti"]
    assert max(keyword.count for keyword in found) <= 2


def test_collection_keywords_take_one_language_per_text() -> None:
    texts = ["the library opens", "kirjasto aukeaa", "the library closes"]
    found = terms(collection_keywords(texts, ["en", "fi", "en"]))
    assert found[0] == "library"
    assert "the" not in found


def test_an_empty_collection_has_no_keywords() -> None:
    assert collection_keywords([], "fi") == []
    assert collection_keywords(["", "😀"], None) == []


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["en", "fi", "nb", "nn", "sv", "da", None]))
def test_any_text_gives_at_most_n_scored_keywords(text: str, lang: str | None) -> None:
    found = keywords(text, lang, n=4)
    assert len(found) <= 4
    assert all(keyword.term and keyword.score > 0 and keyword.count >= 1 for keyword in found)
    assert len({keyword.term for keyword in found}) == len(found)
