"""Every text a user reads exists in Finnish, Norwegian Bokmål and Swedish."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from kanava.i18n import LOCALE_DIR, gettext, normalize

SOURCE = Path(__file__).parents[1] / "src" / "kanava"
#: The "kanava" catalog covers the packages that work without Django (see babel.cfg).
METHODS = [
    ("plans/templates/**.html", "jinja2"),
    ("plans/templates/**.md", "jinja2"),
    ("plans/**.py", "python"),
    ("cli/**.py", "python"),
    ("i18n.py", "python"),
]
OPTIONS = {pattern: {"extensions": "jinja2.ext.i18n"} for pattern, m in METHODS if m == "jinja2"}


def _extracted() -> set[str]:
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    messages: set[str] = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(SOURCE), METHODS, OPTIONS, keywords
    ):
        messages.add(message if isinstance(message, str) else message[0])
    return messages


MESSAGES = sorted(_extracted())


def _catalog(lang: str) -> dict[str, tuple[str, bool]]:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "kanava.po").open("rb") as handle:
        po = read_po(handle)
    return {str(m.id): (str(m.string or ""), m.fuzzy) for m in po if m.id}


def _fields(text: str) -> set[str]:
    """The placeholders of a message: ``{name}`` in Python, ``%(name)s`` in templates."""
    named = set(re.findall(r"%\((\w+)\)s", text))
    if named:
        return named
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_there_are_messages_to_translate() -> None:
    assert len(MESSAGES) > 50


@pytest.mark.parametrize("lang", ["fi", "nb", "sv"])
def test_every_message_is_translated(lang: str) -> None:
    catalog = _catalog(lang)
    missing = [m for m in MESSAGES if not catalog.get(m, ("", False))[0]]
    fuzzy = [m for m in MESSAGES if catalog.get(m, ("", False))[1]]
    assert not missing, f"{lang}: {len(missing)} untranslated; run `make messages`: {missing[:5]}"
    assert not fuzzy, f"{lang}: fuzzy translations to check: {fuzzy[:5]}"


@pytest.mark.parametrize("lang", ["fi", "nb", "sv"])
def test_translations_keep_the_placeholders(lang: str) -> None:
    for msgid, (msgstr, _) in _catalog(lang).items():
        if msgstr:
            assert _fields(msgstr) == _fields(msgid), f"{lang}: {msgid!r} → {msgstr!r}"


@pytest.mark.parametrize("lang", ["fi", "nb", "sv"])
def test_no_translation_is_left_in_english_by_mistake(lang: str) -> None:
    same = [m for m, (s, _) in _catalog(lang).items()
            if s == m and re.search(r"[a-z]{4,} [a-z]{4,}", m)]
    assert not same, f"{lang}: copied English: {same[:5]}"


def test_gettext_falls_back_to_english_and_fills_parameters() -> None:
    assert gettext("No such message {x}.", "fi", x=1) == "No such message 1."


@pytest.mark.parametrize(
    ("given", "expected"),
    [("fi_FI.UTF-8", "fi"), ("nn", "nb"), ("sv-SE", "sv"), ("de", "en"), (None, "en")],
)
def test_languages_are_normalized(given: str | None, expected: str) -> None:
    assert normalize(given) == expected
