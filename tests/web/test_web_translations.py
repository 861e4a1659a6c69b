"""The web interface exists in Finnish, Norwegian Bokmål and Swedish: every string of the
templates and the Django code is in the `django` catalogs, translated, and compiled."""

from __future__ import annotations

import ast
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_python
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

SOURCE = Path(__file__).resolve().parents[2] / "src" / "kanava"
LOCALE = SOURCE / "locale"
#: The Django parts of Kanava; the pure packages use the "kanava" catalog instead.
DJANGO_PARTS = ("web", "accounts", "planstore", "api")
KEYWORDS = {**DEFAULT_KEYWORDS, "gettext_lazy": None, "pgettext_lazy": ((1, "c"), 2),
            "ngettext_lazy": (1, 2), "gettext_noop": None}


def _python_messages(source: str) -> set[str]:
    found: set[str] = set()
    for _line, _func, message, _comments in extract_python(
        io.BytesIO(source.encode()), KEYWORDS.keys(), [], {}
    ):
        first = message[0] if isinstance(message, tuple) else message
        if first:
            found.add(first)
    return found


def _used() -> set[str]:
    """Every msgid of the Django parts, extracted the way makemessages does."""
    used: set[str] = set()
    for part in DJANGO_PARTS:
        for path in (SOURCE / part).rglob("*"):
            if "migrations" in path.parts:
                continue
            if path.suffix == ".py":
                used |= _python_messages(path.read_text(encoding="utf-8"))
            elif path.suffix in {".html", ".txt"} and "templates" in path.parts:
                used |= _template_messages(path)
    return used


#: templatize() turns {% translate %} into gettext(u'…') calls for xgettext; its output is
#: not valid Python, so the calls are picked out directly.
_CALL = re.compile(r"""\b(?:n|p)?gettext\(\s*((?:u?'(?:[^'\\]|\\.)*'\s*,?\s*)+)""")
_LITERAL = re.compile(r"""u?'(?:[^'\\]|\\.)*'""")


def _template_messages(path: Path) -> set[str]:
    text = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    found: set[str] = set()
    for call in _CALL.finditer(text):
        literals = [ast.literal_eval(lit.lstrip("u")) for lit in _LITERAL.findall(call.group(1))]
        is_pgettext = text[call.start():call.start() + 8] == "pgettext"
        found.add(literals[1] if is_pgettext and len(literals) > 1 else literals[0])
    return found


USED = _used()


def _catalog(lang: str) -> dict[str, tuple[str, bool]]:
    with (LOCALE / lang / "LC_MESSAGES" / "django.po").open("rb") as handle:
        po = read_po(handle)
    return {str(m.id if isinstance(m.id, str) else m.id[0]):
            (str(m.string if isinstance(m.string, str) else m.string[0]), m.fuzzy)
            for m in po if m.id}


def test_the_web_has_strings_to_translate() -> None:
    assert len(USED) > 40


@pytest.mark.parametrize("lang", ["fi", "nb", "sv"])
def test_every_web_string_is_translated(lang: str) -> None:
    catalog = _catalog(lang)
    missing = sorted(m for m in USED if not catalog.get(m, ("", False))[0])
    assert not missing, f"{lang}: run `make messages` and translate: {missing[:8]}"
    fuzzy = sorted(m for m in USED if catalog.get(m, ("", False))[1])
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy[:8]}"


@pytest.mark.parametrize("lang", ["fi", "nb", "sv"])
def test_the_compiled_catalog_is_current(lang: str) -> None:
    with (LOCALE / lang / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = {str(m.id if isinstance(m.id, str) else m.id[0]):
                    str(m.string if isinstance(m.string, str) else m.string[0])
                    for m in read_mo(handle) if m.id}
    source = {k: s for k, (s, fuzzy) in _catalog(lang).items() if s and not fuzzy}
    assert compiled == source, f"{lang}: run `make messages` to compile django.mo"


def _fields(text: str) -> set[str]:
    named = set(re.findall(r"%\((\w+)\)s", text))
    return named or {n for _, n, _, _ in string.Formatter().parse(text) if n}


@pytest.mark.parametrize("lang", ["fi", "nb", "sv"])
def test_translations_keep_the_placeholders(lang: str) -> None:
    for msgid, (msgstr, _fuzzy) in _catalog(lang).items():
        if msgstr:
            assert _fields(msgstr) == _fields(msgid), f"{lang}: {msgid!r} → {msgstr!r}"
