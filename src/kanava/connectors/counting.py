"""The ways networks count the length of a post's text.

Each network counts differently, and a post that looks short enough can still be
refused. These functions follow the networks' documentation:

- user-perceived characters (grapheme clusters): "👩‍👩‍👧" is one (Mastodon, Bluesky);
- X's weighted count (twitter-text configuration v3): most code points below U+10FF and
  some punctuation weigh 1, everything else 2, an emoji 2, and every URL 23;
- Threads: characters, but an emoji counts as many as its UTF-8 bytes.
"""

from __future__ import annotations

import unicodedata

import regex

URL = regex.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'’]", regex.IGNORECASE)
FEDIVERSE_MENTION = regex.compile(r"(?<![\w@])(@\w+)@[\w.-]+\w", regex.UNICODE)
_GRAPHEME = regex.compile(r"\X")
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")

# twitter-text config/v3.json: (start, end) code point ranges of weight 1; others weigh 2.
X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
X_URL_LENGTH = 23


def graphemes(text: str) -> int:
    """User-perceived characters."""
    return len(_GRAPHEME.findall(text))


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def with_short_urls(text: str, length: int) -> str:
    """The text with every URL replaced by ``length`` placeholder characters."""
    replaced: str = URL.sub("x" * length, text)
    return replaced


def urls(text: str) -> list[str]:
    return [match.group(0) for match in URL.finditer(text)]


def _x_weight(cluster: str) -> int:
    if _EMOJI.search(cluster):
        return 2
    total = 0
    for char in cluster:
        point = ord(char)
        light = any(start <= point <= end for start, end in X_LIGHT_RANGES)
        total += 1 if light else 2
    return total


def x_weighted(text: str) -> int:
    """X's weighted length: NFC, URLs as 23, emoji as 2, CJK and others as 2."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in URL.finditer(text):
        total += sum(_x_weight(c) for c in _GRAPHEME.findall(text[position : match.start()]))
        total += X_URL_LENGTH
        position = match.end()
    return total + sum(_x_weight(c) for c in _GRAPHEME.findall(text[position:]))


def threads_length(text: str) -> int:
    """Threads: one per character, except that an emoji counts its UTF-8 bytes."""
    return sum(
        utf8_bytes(cluster) if _EMOJI.search(cluster) else len(cluster)
        for cluster in _GRAPHEME.findall(text)
    )
