"""Stop words: the function words that never make a keyword or a trend on their own.

One plain text file per language (en, fi, nb, nn, sv, da), one lowercase word per line,
written for Kanava. `social.txt` holds the debris of social media that every language
shares (rt, via, amp).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

LANGUAGES = ("en", "fi", "nb", "nn", "sv", "da")

# Codes that name one of our lists under another name.
_ALIASES = {
    "no": "nb", "nob": "nb", "nno": "nn", "fin": "fi", "swe": "sv", "eng": "en", "dan": "da",
}


@cache
def _read(name: str) -> frozenset[str]:
    text = resources.files(__name__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@cache
def stopwords(lang: str | None) -> frozenset[str]:
    """The stop words of `lang` and English; for no or an unknown language, of all languages.

    Nordic posts mix in English ("the best of", "to go"), so English function words are
    always removed. Mixed and unidentified texts are common in social media; removing
    every list's function words from them costs a few content words (English "men") at
    most.
    """
    code = _ALIASES.get((lang or "").lower(), (lang or "").lower())
    names = (code, "en") if code in LANGUAGES else LANGUAGES
    return frozenset().union(_read("social"), *(_read(name) for name in names))
