"""Shared text helpers: cleaning untrusted input and splitting it into word tokens.

Every analysis in this package goes through `clean` first, so it never sees control
characters, lone surrogates or unbounded lengths. The regexes are compiled once at
import: these functions run for every text of a stream.
"""

from __future__ import annotations

import html
import re
import unicodedata

MAX_CHARS = 5_000
"""Longer texts are truncated to this many characters, never rejected."""

# Raw input is cut well before cleaning, so a huge text costs no more than a long one.
_RAW_LIMIT = 4 * MAX_CHARS

# C0/C1 controls (tab and newline become spaces later), lone surrogates and U+FFFD
# (what `errors="replace"` leaves behind in binary junk) carry no words.
_JUNK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")
# Invisible characters that would split a word in two if they became spaces.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u2060\ufeff]")
_SPACE = re.compile(r"\s+")

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Fediverse handles (@anna@example.social) stay one mention.
_MENTION = r"@\w+(?:@\w+(?:[.-]\w+)+)?"
_HASHTAG = r"#\w*[^\W\d_]\w*"
# A word may hold inner hyphens, apostrophes and Finnish case colons (EU:n, 2020-luvulla).
_WORD = r"\w+(?:[-'’:]\w+)*"
# One pass finds URLs, hashtags and mentions, words, and the punctuation that ends a
# phrase (sentence and clause marks, brackets, quotes, dashes) — in that order of preference.
_TOKEN = re.compile(
    f"(?P<url>{_URL.pattern})|(?P<tag>{_HASHTAG}|{_MENTION})|(?P<word>{_WORD})"
    r"|(?P<stop>[.,;:!?()\[\]{}\"“”«»…|/–—]|\s-\s)"
)
_LETTER = re.compile(r"[^\W\d_]")

_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u2bff"
    "\u3030\u303d\u3297\u3299\ufe0e\ufe0f\u200d\U000e0020-\U000e007f]"
)
_MENTION_RE = re.compile(_MENTION)


def clean(text: str) -> str:
    """Text safe to analyse: no control characters, NFC, at most MAX_CHARS, single spaces."""
    text = text[:_RAW_LIMIT]
    if "&" in text:  # posts fetched from APIs often keep HTML entities (&amp; &lt;)
        text = html.unescape(text)
    text = _INVISIBLE.sub("", _JUNK.sub(" ", text))
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    if len(text) <= MAX_CHARS:
        return text
    # Cut at a space when there is one near the limit, so no half word is left.
    cut = text.rfind(" ", MAX_CHARS - 100, MAX_CHARS + 1)
    return text[: cut if cut > 0 else MAX_CHARS].rstrip()


def tokens(text: str, *, numbers: bool = False) -> list[str]:
    """Lowercased word tokens of an already cleaned text; hashtags and mentions stay whole.

    URLs are dropped. Tokens without a letter (numbers, times, dates) are dropped
    unless `numbers` is true.
    """
    return [token for chunk in chunks(text, numbers=numbers) for token in chunk]


def chunks(text: str, *, numbers: bool = False, lower: bool = True) -> list[list[str]]:
    """Tokens as in `tokens`, split into runs that punctuation or a URL does not cross.

    Keyphrases are built inside one run only, so "Helsinki. Weather" is no phrase.
    A dropped number ends a run too. `lower=False` keeps the case as written.
    """
    runs: list[list[str]] = []
    run: list[str] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "tag" or (kind == "word" and (numbers or _LETTER.search(match.group()))):
            token = match.group().replace("’", "'")
            run.append(token.lower() if lower else token)
        elif run:  # a URL, punctuation or a dropped number ends the phrase
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def strip_entities(text: str) -> str:
    """Text without URLs, mentions, hashtag signs and emoji: what language id should read."""
    text = _URL.sub(" ", text)
    text = _MENTION_RE.sub(" ", text)
    text = text.replace("#", " ")
    text = _EMOJI.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def has_letters(text: str) -> bool:
    """Whether the text holds at least one letter of any script."""
    return _LETTER.search(text) is not None
