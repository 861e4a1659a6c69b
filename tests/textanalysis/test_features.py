"""The hashed features: the same text always reads the same, in any batch."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kanava.textanalysis import features

BITS = 18


def _pairs(block: features.Block, doc: int) -> dict[int, int]:
    mine = block.docs == doc
    return dict(zip(block.buckets[mine].tolist(), block.counts[mine].tolist(), strict=True))


def test_it_counts_char_ngrams_inside_words_only() -> None:
    block = features.char_block([" ab c "], BITS)
    # " ab " gives a b ␣a ab b␣ ␣ab ab␣ ␣ab␣ (8); " c " gives c ␣c c␣ ␣c␣ (4)
    assert int(block.counts.sum()) == 12


def test_it_reads_a_text_the_same_alone_and_in_a_batch() -> None:
    texts = ["Kiitos avusta!", "Tämä on huono juttu.", "Ingen kommentar", ""]
    for index, text in enumerate(texts):
        chars_alone, words_alone = features.blocks([text], BITS)
        chars_batch, words_batch = features.blocks(texts, BITS)
        assert _pairs(chars_alone, 0) == _pairs(chars_batch, index)
        assert _pairs(words_alone, 0) == _pairs(words_batch, index)


def test_it_masks_links_but_keeps_mentions() -> None:
    assert features.normalise("Katso https://example.com/x?y=1 @Kunta") == "katso  _url_  @kunta"


def test_it_shortens_repeated_letters() -> None:
    assert features.normalise("Sooooo goood!!!!!!") == "sooo goood!!!"


def test_it_normalises_tfidf_per_text() -> None:
    chars, _ = features.blocks(["hyvä päivä", "huono"], BITS)
    idf = features.idf(chars, 2, 1 << BITS)
    values = features.tfidf(chars, idf, 2)
    norms = np.bincount(chars.docs, weights=values * values)
    assert np.allclose(norms, 1.0)


def test_it_handles_an_empty_batch_and_empty_texts() -> None:
    for batch in ([], [""], ["   "]):
        chars, words = features.blocks(batch, BITS)
        assert chars.docs.size == 0
        assert words.docs.size == 0


@given(st.lists(st.text(max_size=300), max_size=8))
def test_any_text_gives_features_within_the_hash_space(texts: list[str]) -> None:
    for block in features.blocks(texts, BITS):
        assert ((block.buckets >= 0) & (block.buckets < 1 << BITS)).all()
        assert ((block.docs >= 0) & (block.docs < max(len(texts), 1))).all()
        assert (block.counts > 0).all()
