"""Keywords and keyphrases of one text and of a collection, in any of our languages.

Candidates are hashtags, mentions, words and phrases of up to three words that no stop
word or punctuation interrupts ("opening hours", "Kallion kirjasto"). One text is scored
with features in the spirit of YAKE (repetition, position, capitals, word length); a
collection by how many distinct voices use a term, near-duplicates counted once. See
docs/decisions/0003-keywords-and-trends.md for why.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kanava.textanalysis.duplicates import DuplicateIndex
from kanava.textanalysis.stopwords import stopwords
from kanava.textanalysis.text import chunks, clean

MAX_WORDS = 3
"""The longest keyphrase, in words."""


@dataclass(frozen=True, slots=True)
class Keyword:
    """A keyword or keyphrase; scores compare within one result only."""

    term: str
    score: float
    count: int


def is_entity(term: str) -> bool:
    """Whether the term is a hashtag or a mention."""
    return term[:1] in ("#", "@")


def _content_runs(run: list[str], stop: frozenset[str]) -> list[list[str]]:
    """Split a run of tokens at stop words and entities; entities become runs of one."""
    runs: list[list[str]] = []
    current: list[str] = []
    for token in run:
        if is_entity(token) or token in stop or len(token) < 2:
            if current:
                runs.append(current)
            current = []
            if is_entity(token) and len(token) > 2:
                runs.append([token])
        else:
            current.append(token)
    if current:
        runs.append(current)
    return runs


def phrase_runs(text: str, lang: str | None) -> list[list[str]]:
    """Runs of content words of a cleaned text, from which candidate terms are cut."""
    stop = stopwords(lang)
    return [part for run in chunks(text) for part in _content_runs(run, stop)]


def candidate_terms(text: str, lang: str | None, *, max_words: int = MAX_WORDS) -> list[str]:
    """Every candidate term of a cleaned text, in order, with repeats."""
    return [term for run in phrase_runs(text, lang) for term, _ in _ngrams(run, max_words)]


def _ngrams(run: list[str], max_words: int) -> Iterable[tuple[str, int]]:
    """(term, position in the run) of every n-gram of the run up to `max_words` words.

    A phrase that repeats a word ("ha ha", "no no no") is no keyphrase.
    """
    for size in range(1, min(max_words, len(run)) + 1):
        for start in range(len(run) - size + 1):
            words = run[start : start + size]
            if size == 1 or len(set(words)) == size:
                yield " ".join(words), start


def keywords(text: str, lang: str | None = None, n: int = 5) -> list[Keyword]:
    """The `n` best keywords and keyphrases of one text, best first."""
    cleaned = clean(text)
    runs = phrase_runs(cleaned, lang)
    if not runs or n < 1:
        return []
    weights = _word_weights(cleaned, runs)
    counts: Counter[str] = Counter()
    scores: dict[str, float] = {}
    for run in runs:
        for term, _ in _ngrams(run, MAX_WORDS):
            counts[term] += 1
            words = term.split(" ")
            # Longer phrases say more, but only as much as their weakest word allows.
            scores[term] = min(weights[word] for word in words) * (1 + 0.4 * (len(words) - 1))
    for term, count in counts.items():
        scores[term] *= 1 + math.log(count)
    ranked = sorted(scores, key=lambda term: (-scores[term], term))
    return [Keyword(term, round(scores[term], 4), counts[term])
            for term in _without_overlaps(ranked, n)]


def _word_weights(cleaned: str, runs: list[list[str]]) -> dict[str, float]:
    """How informative each word of the text looks on its own."""
    capitalised = _capitalised_words(cleaned)
    words = [word for run in runs for word in run]
    frequency = Counter(words)
    first_seen: dict[str, int] = {}
    for position, word in enumerate(words):
        first_seen.setdefault(word, position)
    weights: dict[str, float] = {}
    for word, position in first_seen.items():
        weight = 1 + math.log(frequency[word])
        weight *= 1 + 0.5 / (1 + position)  # what a short post says first is its subject
        weight *= 0.5 + min(len(word), 12) / 12  # long words (compounds) carry meaning
        if word.startswith("#"):
            weight *= 2.0
        elif word.startswith("@"):
            weight *= 1.2
        elif word in capitalised:
            weight *= 1.5  # a name or an acronym
        weights[word] = weight
    return weights


def _capitalised_words(cleaned: str) -> set[str]:
    """Lowercased words written with a capital where a sentence does not begin."""
    found: set[str] = set()
    for run in chunks(cleaned, lower=False):
        for position, word in enumerate(run):
            if word[:1].isupper() and (position > 0 or (len(word) > 1 and word.isupper())):
                found.add(word.lower())
    return found


def _without_overlaps(ranked: list[str], n: int) -> list[str]:
    """The first `n` terms that share no word with a better one."""
    chosen: list[str] = []
    used: set[str] = set()
    for term in ranked:
        words = set(term.split(" "))
        if words & used:
            continue
        chosen.append(term)
        used |= words
        if len(chosen) == n:
            break
    return chosen


def collection_keywords(
    texts: Iterable[str],
    langs: str | Sequence[str | None] | None = None,
    n: int = 20,
    *,
    dedupe: bool = True,
) -> list[Keyword]:
    """The `n` terms most of the collection's distinct voices use, best first.

    `langs` is one language for all texts or one per text (None: unknown). With `dedupe`
    near-duplicates (retweets, copy-paste campaigns) count once, so 500 copies of one
    message weigh as much as one. `count` is the number of distinct texts using the term;
    `score` is that number as a share of them, raised for phrases.
    """
    frequency, voices = _document_frequencies(texts, langs, dedupe=dedupe)
    if not voices or n < 1:
        return []
    # In a large collection once is chance; a phrase is a keyphrase only when it repeats.
    minimum = 2 if voices >= 20 else 1
    frequent = Counter({
        term: count for term, count in frequency.items()
        if count >= (max(2, minimum) if " " in term else minimum)
    })
    subsumed = _subsumed(frequent)
    scores = {
        term: count / voices * (1 + 0.5 * term.count(" "))
        for term, count in frequent.items()
        if term not in subsumed
    }
    best = sorted(scores, key=lambda term: (-scores[term], term))[:n]
    return [Keyword(term, round(scores[term], 4), frequency[term]) for term in best]


def _document_frequencies(
    texts: Iterable[str], langs: str | Sequence[str | None] | None, *, dedupe: bool
) -> tuple[Counter[str], int]:
    """How many distinct texts use each candidate term, and how many distinct texts."""
    frequency: Counter[str] = Counter()
    index = DuplicateIndex(capacity=50_000) if dedupe else None
    voices = 0
    for position, text in enumerate(texts):
        key = str(position)
        if index is not None and index.add(key, text) != key:
            continue
        lang = langs if langs is None or isinstance(langs, str) else langs[position]
        terms = set(candidate_terms(clean(text), lang))
        if terms:
            voices += 1
            frequency.update(terms)
    return frequency, voices


def _subsumed(frequency: Counter[str]) -> set[str]:
    """Words and phrases that mostly occur inside one longer phrase.

    "opening" goes when most texts with it say "opening hours"; "hours" stays when it is
    also used without.
    """
    subsumed: set[str] = set()
    for phrase, count in frequency.items():
        words = phrase.split(" ")
        for part, _ in _ngrams(words, len(words) - 1):
            if part in frequency and count >= 0.5 * frequency[part]:
                subsumed.add(part)
    return subsumed
