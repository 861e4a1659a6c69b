"""The batch API: any string in, a language and a tone out, in order."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from kanava.textanalysis.analysis import Analysis, analyse, analyse_stream
from kanava.textanalysis.tone import LABELS


def _valid(result: Analysis) -> None:
    assert result.tone in LABELS
    assert 0.0 <= result.confidence <= 1.0
    assert 0.0 <= result.lang_confidence <= 1.0
    assert abs(sum(result.probabilities) - 1.0) < 1e-6


def test_it_answers_in_input_order() -> None:
    texts = ["Hyvää huomenta kaikille, kiitos!", "God morgon allihopa, tack!",
             "Good morning everyone, thanks!", "God morgen alle sammen, takk for sist!"]
    assert [r.lang for r in analyse(texts)] == ["fi", "sv", "en", "nb"]


def test_it_takes_the_awkward_cases() -> None:
    junk = os.urandom(2_000).decode("utf-8", errors="replace")
    texts = ["", "   ", "🙂🎉❤️", junk, "a" * 2_000_000, "\x00\x01\x02", "\ud800 lone",
             "Kiitos! Thank you! Tack! Takk!", "https://example.com @someone #tag"]
    results = analyse(texts)
    assert len(results) == len(texts)
    for result in results:
        _valid(result)
    assert results[0].lang == "und"
    assert results[2].lang == "und"


def test_a_mixed_language_text_gets_its_dominant_language() -> None:
    [result] = analyse(["Tänään kaupungintalolla on avoimet ovet ja kaikki ovat tervetulleita, "
                        "welcome!"])
    assert result.lang == "fi"


def test_the_stream_gives_the_same_as_the_batch() -> None:
    texts = [f"Kiitos {n}, tämä oli hyvä päivä" for n in range(25)]
    assert list(analyse_stream(iter(texts), batch=7)) == analyse(texts)


def test_a_result_converts_to_json_ready_data() -> None:
    [result] = analyse(["Tämä on huono juttu."])
    data = result.as_dict()
    assert set(data) == {"lang", "lang_confidence", "tone", "confidence", "probabilities"}
    assert set(data["probabilities"]) == set(LABELS)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=500), max_size=10))
def test_any_strings_are_analysed(texts: list[str]) -> None:
    results = analyse(texts)
    assert len(results) == len(texts)
    for result in results:
        _valid(result)
