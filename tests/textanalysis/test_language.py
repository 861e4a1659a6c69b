"""Language identification: our six languages, other languages, and whatever users type.

Every sentence here was written for these tests; none comes from the benchmark data.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from kanava.textanalysis import language
from kanava.textanalysis.language import (
    LANGUAGES,
    OTHER,
    UNDETERMINED,
    LanguageGuess,
    detect_language,
    detect_languages,
)

CLEAR = {
    "fi": [
        "Huomenna sataa koko päivän, joten ota sateenvarjo mukaan.",
        "Kiitos kaikille, jotka osallistuivat eilen kirjaston satutuntiin!",
    ],
    "sv": [
        "Imorgon regnar det hela dagen, så glöm inte paraplyet.",
        "Tack till alla som kom på sagostunden på biblioteket igår!",
    ],
    "nb": [
        "Hvorfor er gatelysene fortsatt slukket i gata vår? Ingen har svart oss ennå.",
        "Jeg synes det er flott at kommunen endelig har åpnet den nye svømmehallen.",
    ],
    "nn": [
        "Kvifor er gatelysa framleis sløkte i gata vår? Ingen har svart oss enno.",
        "Eg synest det er flott at kommunen endeleg har opna den nye symjehallen.",
    ],
    "da": [
        "Hvorfor er gadelygterne stadig slukket på vores vej? Ingen har svaret os endnu.",
        "Jeg synes, det er flot, at kommunen endelig har åbnet den nye svømmehal.",
    ],
    "en": [
        "It will rain all day tomorrow, so do not forget your umbrella.",
        "Thanks to everyone who came to the story hour at the library yesterday!",
    ],
}
ALL_CLEAR = [(lang, text) for lang, texts in CLEAR.items() for text in texts]


@pytest.mark.parametrize(("lang", "text"), ALL_CLEAR)
def test_it_recognises_a_clear_sentence_in_each_of_our_languages(lang: str, text: str) -> None:
    guess = detect_language(text)
    assert guess.lang == lang
    assert guess.confidence > 0.8


def test_our_languages_are_the_six_of_the_issue() -> None:
    assert set(LANGUAGES) == {"fi", "sv", "nb", "nn", "da", "en"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Eg veit ikkje kva dei meiner med det.", "nn"),
        ("Jeg vet ikke hva de mener med det.", "nb"),
        ("Jeg ved ikke, hvad de mener med det.", "da"),
        ("Korleis kjem eg meg heim frå festivalen i kveld?", "nn"),
        ("Hvordan kommer jeg meg hjem fra festivalen i kveld?", "nb"),
        ("Hvordan kommer jeg hjem fra festivalen i aften?", "da"),
    ],
)
def test_it_tells_bokmal_nynorsk_and_danish_apart(text: str, lang: str) -> None:
    assert detect_language(text).lang == lang


def test_a_sentence_written_alike_in_bokmal_and_danish_gets_a_modest_confidence() -> None:
    guess = detect_language("I morgen regner det hele dagen.")
    assert guess.lang in {"nb", "da"}
    assert guess.confidence < 0.9


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("@kaupunki miksi katuvalot eivät toimi? 😡 https://example.fi/palaute #Oulu", "fi"),
        ("RT @SVT: Kraftigt snöfall i hela länet i natt ❄️❄️ https://t.co/abc123", "sv"),
        ("@kommunen kvifor er det ikkje brøyta i gata vår enno? 😤😤 #snø", "nn"),
        ("Tusen takk til @Bydel_Sagene for en flott dag! 🎉🎉🎉 https://bit.ly/x1", "nb"),
        ("Hvad sker der med bussen i dag?? @Movia 🚌 #kbh #trafik 2024", "da"),
        ("What a day!!! 🙌 Thanks @council for the new park https://t.co/xyz #proud", "en"),
    ],
)
def test_it_reads_through_urls_mentions_hashtags_and_emoji(text: str, lang: str) -> None:
    assert detect_language(text).lang == lang


def test_hashtag_words_count_as_words() -> None:
    assert detect_language("#kesäloma #mökki #järvi #sauna ☀️").lang == "fi"


@pytest.mark.parametrize(
    "text",
    [
        "Morgen regnet es den ganzen Tag, also vergiss deinen Regenschirm nicht.",
        "Demain il pleuvra toute la journée, alors n'oublie pas ton parapluie.",
        "Mañana lloverá todo el día, así que no olvides el paraguas.",
        "Завтра весь день будет дождь, не забудь зонтик.",
        "明天一整天都会下雨，别忘了带伞。",
    ],
)
def test_other_languages_are_other(text: str) -> None:
    assert detect_language(text).lang == OTHER


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😀🎉👍", "12.05.2025 18:30", "#!?... ---", "https://example.org/a/b?c=1", "@anna"],
)
def test_a_text_without_words_is_undetermined(text: str) -> None:
    assert detect_language(text) == LanguageGuess(UNDETERMINED, 0.0)


@pytest.mark.parametrize("text", ["No.", "Takk!", "ok", "Jaa", "haha"])
def test_a_one_word_text_gets_a_low_confidence(text: str) -> None:
    assert detect_language(text).confidence < 0.95


def test_a_mixed_text_gets_its_dominant_language() -> None:
    text = (
        "Vi hadde en fantastisk kveld på konserten i går, og publikum sang med på "
        "alle sangene. Best quote: 'what a night'."
    )
    assert detect_language(text).lang == "nb"


def test_min_confidence_turns_a_coin_toss_into_undetermined() -> None:
    doubtful, clear = detect_languages(["ok", CLEAR["sv"][0]], min_confidence=0.9)
    assert doubtful.lang == UNDETERMINED
    assert doubtful.confidence < 0.9
    assert clear.lang == "sv"


def test_binary_junk_does_not_crash() -> None:
    junk = bytes((i * 97 + 13) % 256 for i in range(5_000)).decode("utf-8", errors="replace")
    guess = detect_language(junk)
    assert 0.0 <= guess.confidence <= 1.0


def test_lone_surrogates_and_control_characters_do_not_crash() -> None:
    guess = detect_language("Hei \ud800 verden\x00\x1b og \udfff god morgen alle sammen")
    assert guess.lang in {"nb", "nn", "da"}


def test_a_huge_text_is_read_from_its_start() -> None:
    huge = "Tämä on hyvin pitkä suomenkielinen teksti. " * 25_000  # about 1 MB
    assert len(huge) > 1_000_000
    assert detect_language(huge).lang == "fi"


def test_shouting_is_no_language() -> None:
    assert detect_language("MIKSI BUSSI EI TULLUT TÄNÄÄN OLLENKAAN").lang == "fi"


def test_a_batch_gives_the_same_answers_as_one_text_at_a_time() -> None:
    texts = [text for _, text in ALL_CLEAR] + ["", "ok", "😀", "Hvad så?"]
    # A batch of this size walks the texts together; one text alone walks in Python.
    assert detect_languages(texts) == [detect_language(text) for text in texts]


def test_confidences_stay_between_zero_and_one() -> None:
    texts = [text for _, text in ALL_CLEAR] + ["No.", "", "Zzz", "x" * 3000]
    assert all(0.0 <= guess.confidence <= 1.0 for guess in detect_languages(texts))


def test_an_empty_batch_gives_no_guesses() -> None:
    assert detect_languages([]) == []


def test_threads_share_one_model_and_agree() -> None:
    texts = [text for _, text in ALL_CLEAR]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(detect_languages, [texts] * 8))
    assert all(result == results[0] for result in results)


def test_the_scores_are_py3langids_own() -> None:
    """GIVEN py3langid's classifier restricted to the same languages
    WHEN it and our batch scorer read the same texts
    THEN they pick the same language (guards against a change in its model layout)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    reference = LanguageIdentifier.from_model_file(MODEL_FILE)
    model = language._model()
    codes = [*language._CODES, *language._OTHERS]
    reference.set_languages(codes)
    texts = [text.encode() for _, text in ALL_CLEAR] + [b"Wie geht's dir?"]
    ours = model.scores(texts).argmax(axis=1)
    assert [codes[i] for i in ours] == [reference.classify(text)[0] for text in texts]


def test_every_lexicon_line_names_bokmal_nynorsk_danish_and_swedish() -> None:
    lines = language._LEXICON.strip().splitlines()
    assert [line for line in lines if line.count("|") != 3] == []
