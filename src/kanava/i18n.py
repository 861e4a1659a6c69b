"""Translations of every text a user reads outside the web app.

Catalogs are gettext ``.po`` files under ``kanava/locale/<lang>/LC_MESSAGES/kanava.po``;
English is the source language (the ``msgid``). They are read with Babel at first use,
so there is no compiled ``.mo`` file to drift from its source. Strings defined at
module level are marked with :func:`N_` and translated when shown.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel.messages.pofile import read_po

UiLanguage = Literal["en", "fi", "nb", "sv"]
LANGUAGES: tuple[UiLanguage, ...] = ("en", "fi", "nb", "sv")
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "fi": "suomi", "nb": "norsk bokmål", "sv": "svenska",
}
LOCALE_DIR = Path(__file__).parent / "locale"
#: Languages we have no catalog of, and the nearest one we have.
FALLBACKS: dict[str, UiLanguage] = {"nn": "nb", "no": "nb", "da": "nb"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


def normalize(lang: str | None) -> UiLanguage:
    """The UI language nearest to ``lang`` (e.g. 'fi_FI.UTF-8' → 'fi', 'nn' → 'nb')."""
    code = (lang or "en").split(".")[0].replace("-", "_").split("_")[0].lower()
    if code in LANGUAGES:
        return code
    return FALLBACKS.get(code, "en")


def default_language() -> UiLanguage:
    """The language asked for by KANAVA_LANG, then the usual locale variables."""
    for var in ("KANAVA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return normalize(value)
    return "en"


@cache
def catalog(lang: UiLanguage) -> dict[str, str]:
    """msgid → translation for ``lang``; empty and fuzzy entries are left out."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "kanava.po"
    if lang == "en" or not path.exists():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang)
    return {
        str(m.id): str(m.string)
        for m in po
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def gettext(message: str, lang: str | None = None, **params: Any) -> str:
    """``message`` in ``lang``, with ``{name}`` placeholders filled from ``params``."""
    text = catalog(normalize(lang)).get(message, message)
    return text.format(**params) if params else text


_ = gettext
