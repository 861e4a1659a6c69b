"""Actions on stored plans: import, save a version, approve, comment, compare, export.

Views and the API call these; permissions are checked by the caller (kanava.accounts.roles).
Every version is validated with the same loader as ``kanava plan check``: a version that
does not load is never stored.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import hashlib
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from kanava.accounts.models import Organization
from kanava.accounts.services import audit
from kanava.i18n import normalize
from kanava.plans.loader import LoadedPlan, PlanLoadError, Problem, dump_text, load_text
from kanava.plans.rules import Finding, check, counts
from kanava.planstore.models import MAX_PLAN_CHARS, Comment, PlanDocument, PlanVersion


class PlanRejected(Exception):
    """The text is not a valid plan; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def validate(text: str, file: str = "plan.yaml", lang: str | None = None) -> LoadedPlan:
    """The plan in ``text``, or PlanRejected with every problem."""
    if len(text) > MAX_PLAN_CHARS:
        raise PlanRejected([Problem(f"> {MAX_PLAN_CHARS} characters", file=file)])
    try:
        return load_text(text, file, lang)
    except PlanLoadError as error:
        raise PlanRejected(error.problems) from None


@lru_cache(maxsize=256)
def _load_cached(digest: str, text: str) -> LoadedPlan:
    return load_text(text, "plan.yaml")


def loaded(version: PlanVersion) -> LoadedPlan:
    """The stored version as a plan; versions never change, so loading is cached by content.

    Callers must not modify the returned plan: take ``model_copy(deep=True)`` to edit.
    """
    return _load_cached(hashlib.sha256(version.text.encode()).hexdigest(), version.text)


def findings(version: PlanVersion, lang: str) -> list[Finding]:
    return check(loaded(version), lang=lang)


#: Slugs that name pages under /o/<org>/plans/ and cannot name a plan.
RESERVED_SLUGS = frozenset({"import", "new", "check", "edit", "wizard"})


def _unique_slug(organization: Organization, title: str) -> str:
    base = slugify(title)[:50] or "plan"
    if base in RESERVED_SLUGS:
        base = f"{base}-plan"
    slug, n = base, 2
    while PlanDocument.objects.filter(organization=organization, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def do_import_plan(organization: Organization, user: Any, text: str,
                   file: str = "plan.yaml", lang: str | None = None) -> PlanDocument:
    """A new plan document from plan text, stored as its version 1."""
    checked = validate(text, file, lang)
    plan = checked.plan
    with transaction.atomic():
        document = PlanDocument.objects.create(
            organization=organization, slug=_unique_slug(organization, plan.title),
            title=plan.title, created_by=user)
        _add_version(document, user, checked, text, "import")
        audit(organization, user, "plan.import", plan.title)
    return document


def do_save_version(document: PlanDocument, user: Any, text: str, message: str = "",
                    lang: str | None = None) -> PlanVersion:
    """Store ``text`` as the next version (unchanged text adds nothing)."""
    checked = validate(text, "plan.yaml", lang)
    plan = checked.plan
    with transaction.atomic():
        locked = PlanDocument.objects.select_for_update().get(pk=document.pk)
        latest = locked.latest()
        if latest is not None and latest.text == text:
            return latest
        version = _add_version(locked, user, checked, text, message)
        if locked.title != plan.title:
            locked.title = plan.title
            locked.save(update_fields=["title"])
        audit(locked.organization, user, "plan.save", plan.title, version=version.number)
    return version


def do_save_plan(document: PlanDocument, user: Any, edited: LoadedPlan,
                 message: str = "") -> PlanVersion:
    """Store an edited plan, written into its YAML so the user's comments survive.

    The YAML merge changes the document it writes into, and ``loaded()`` hands out
    shared cached objects, so the edit is written into a copy.
    """
    return do_save_version(document, user, dump_text(copy.deepcopy(edited)), message)


def _add_version(document: PlanDocument, user: Any, checked: LoadedPlan, text: str,
                 message: str) -> PlanVersion:
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    found = counts(check(checked))
    version = PlanVersion.objects.create(plan=document, number=number, text=text,
                                         message=message[:500], author=user,
                                         errors=found["error"], warnings=found["warning"])
    transaction.on_commit(lambda: _queue_pdf(version.pk))
    return version


def _queue_pdf(version_id: int) -> None:
    """Have the worker render the new version's PDF before anyone asks for it."""
    from kanava.planstore.tasks import prerender_pdf  # tasks import this module

    prerender_pdf(version_id)


def do_approve(version: PlanVersion, user: Any) -> PlanVersion:
    with transaction.atomic():
        locked = PlanVersion.objects.select_for_update().get(pk=version.pk)
        if locked.approved_at is None:
            locked.approved_by, locked.approved_at = user, timezone.now()
            locked.save(update_fields=["approved_by", "approved_at"])
            audit(locked.plan.organization, user, "plan.approve", locked.plan.title,
                  version=locked.number)
    return locked


def do_comment(document: PlanDocument, user: Any, section: str, text: str,
               section_label: str | None = None) -> Comment:
    """A comment on a section (``section`` is its key; the label is for the audit log)."""
    comment = Comment.objects.create(plan=document, version=document.latest(),
                                     section=section[:200], text=text, author=user)
    audit(document.organization, user, "plan.comment", document.title,
          section=(section_label or section)[:200])
    return comment


@dataclass(frozen=True)
class DiffLine:
    kind: Literal["same", "added", "removed", "gap"]
    old: int | None
    new: int | None
    text: str


def diff_versions(old: PlanVersion, new: PlanVersion, context: int = 3) -> list[DiffLine]:
    """Line diff of two versions' YAML with a few lines of context around each change.

    Versions never change, so the diff of two texts is computed once and kept: difflib
    without autojunk takes ~0.25 s on a 3,000-line plan whose lines repeat a lot, and
    autojunk would show unchanged repeated lines as removed and added.
    """
    return list(_diff_texts(old.text, new.text, context))


@lru_cache(maxsize=32)
def _diff_texts(old: str, new: str, context: int) -> tuple[DiffLine, ...]:
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", None, None, "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", i1 + k + 1, j1 + k + 1, a[i1 + k])
                          for k in range(i2 - i1)]
                continue
            lines += [DiffLine("removed", i + 1, None, a[i]) for i in range(i1, i2)]
            lines += [DiffLine("added", None, j + 1, b[j]) for j in range(j1, j2)]
    return tuple(lines)


EXPORT_TYPES = {
    "yaml": "application/yaml; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
}


def export(version: PlanVersion, fmt: str, lang: str | None = None) -> tuple[bytes, str, str]:
    """(content, content type, file name) of a version as YAML, HTML, PDF or Markdown."""
    from kanava.plans.render import today_in  # Jinja, Babel and WeasyPrint: only here

    name = f"{version.plan.slug}-v{version.number}"
    if fmt == "yaml":
        return version.text.encode(), EXPORT_TYPES[fmt], f"{name}.yaml"
    language = normalize(lang) if lang else None
    today = today_in(loaded(version).plan.timezone)
    if fmt == "pdf":
        content = _kept_pdf(version.text, language, today)
    else:
        content = _rendered(version.text, fmt, language, today)
    return content, EXPORT_TYPES[fmt], f"{name}.{fmt}"


def exports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _kept_pdf(text: str, lang: str | None, today: dt.date) -> bytes:
    """A PDF is kept on disk (shared by every process and the worker), keyed by content."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    path = exports_dir() / f"{digest}-{lang or 'plan'}-{today.isoformat()}.pdf"
    if path.exists():
        return path.read_bytes()
    content = _rendered(text, "pdf", lang, today)
    partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
    partial.write_bytes(content)
    os.replace(partial, path)  # atomic: a reader sees the whole file or none
    return content


def prune_exports(max_age: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Delete kept exports older than ``max_age``; the number deleted."""
    limit = timezone.now().timestamp() - max_age.total_seconds()
    old = [p for p in exports_dir().glob("*.pdf") if p.stat().st_mtime < limit]
    for path in old:
        path.unlink(missing_ok=True)
    return len(old)


@lru_cache(maxsize=16)
def _rendered(text: str, fmt: str, lang: str | None, today: dt.date) -> bytes:
    """A version rendered once per format, language and day (the document shows today).

    A PDF takes seconds of CPU; versions never change, so it is made once.
    """
    from kanava.plans.render import render_plan

    plan = _load_cached(hashlib.sha256(text.encode()).hexdigest(), text).plan
    return render_plan(plan, fmt, lang, today)  # type: ignore[arg-type]
