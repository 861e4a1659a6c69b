"""Small template helpers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Mapping[str, Any] | None, key: str | None) -> Any:
    """``{{ names|lookup:goal.owner }}``: the value for ``key``, or the key itself."""
    if not mapping or key is None:
        return key or ""
    return mapping.get(key, key)
