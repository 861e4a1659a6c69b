"""Every environment variable Kanava reads is documented in docs/operations.md."""

from __future__ import annotations

import re
from pathlib import Path

from kanava.web.config import VARIABLES

SOURCE = Path(__file__).parents[1] / "src" / "kanava"
DOC = (Path(__file__).parents[1] / "docs" / "operations.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    missing = [name for name in VARIABLES if f"`{name}`" not in DOC]
    assert not missing, f"add to docs/operations.md: {missing}"


def test_the_code_reads_no_undeclared_variable() -> None:
    read: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"""env_\w+\(\s*["']([A-Z_]+)["']""", text))
        read |= set(re.findall(r"""environ\.get\(\s*["']([A-Z_]+)["']""", text))
    undeclared = read - set(VARIABLES) - {"KANAVA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"}
    assert not undeclared, f"declare in kanava.web.config.VARIABLES: {sorted(undeclared)}"
    assert "`KANAVA_LANG`" in DOC
