"""Small template helpers."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.numbers import format_decimal
from django import template
from django.utils.translation import get_language

from kanava.i18n import gettext, normalize
from kanava.plans.labels import PER_PERIOD, label
from kanava.plans.model import Cadence
from kanava.plans.render import LOCALES

register = template.Library()


@register.filter
def lookup(mapping: Mapping[str, Any] | None, key: str | None) -> Any:
    """``{{ names|lookup:goal.owner }}``: the value for ``key``, or the key itself."""
    if not mapping or key is None:
        return key or ""
    return mapping.get(key, key)


@register.filter
def plan_label(value: str | None, kind: str) -> str:
    """A coded value as its label in the page's language, e.g. a network's name."""
    return label(kind, value, get_language() or "en")


@register.filter
def cadence(value: Cadence | None) -> str:
    """'3 per week' in the page's language."""
    if value is None:
        return ""
    posts = f"{value.posts:g}"
    return gettext(PER_PERIOD[value.per], get_language(), n=posts)


@register.filter
def number(value: float | None) -> str:
    """A figure in the page's language: 14800.0 → '14 800' (fi), '14,800' (en)."""
    if value is None:
        return "–"
    return str(format_decimal(value, locale=_locale(normalize(get_language()))))


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    """Parsing a locale costs more than formatting a number with it: parse once."""
    return Locale.parse(LOCALES.get(language, "en_GB"))
