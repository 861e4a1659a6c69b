"""Render a plan as a short, clear document: one self-contained HTML file, a PDF, or Markdown.

The templates (``templates/plan.html``, ``templates/plan.md``) only lay out; what they
show is prepared here by :class:`PlanDocument`: ids resolved to names, coded values to
labels in the reader's language, dates and numbers formatted by Babel. Plan text is
untrusted, so HTML is autoescaped and links are made only of http(s) addresses.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel

from kanava.i18n import N_, UiLanguage, gettext, normalize
from kanava.plans.labels import OBJECTIVES, PER_PERIOD, label
from kanava.plans.model import STAFF_QUESTIONS, Audience, Budget, Cadence, Channel, Goal, Plan

RenderFormat = Literal["html", "pdf", "md"]
TEMPLATES = Path(__file__).parent / "templates"
#: Babel locale for each document language: the countries Kanava is made for first.
LOCALES: dict[str, str] = {"en": "en_GB", "fi": "fi_FI", "nb": "nb_NO", "sv": "sv_SE"}
MONTHS_PER_CYCLE: dict[str, int] = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}

#: The document's numbered sections, in the order of MISSION §1: (anchor, heading).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("starting-point", N_("Starting point")),
    ("communication-field", N_("Communication field")),
    ("benchmarks", N_("Benchmarks")),
    ("goals", N_("Goals and measures")),
    ("gap-analysis", N_("Gap analysis")),
    ("channels", N_("Channels")),
    ("content-plan", N_("Content plan")),
    ("responsibilities", N_("Responsibilities and resources")),
    ("guidelines", N_("Guidelines and training")),
    ("commitment", N_("Management's commitment")),
    ("monitoring", N_("Monitoring")),
    ("review", N_("Review")),
)
GOAL_GROUPS: tuple[tuple[str | None, str], ...] = (
    ("short", N_("Short-term goals")),
    ("long", N_("Long-term goals")),
    (None, N_("Goals without a time frame")),
)
CHANNEL_GROUPS: tuple[tuple[str, str], ...] = (
    ("external", N_("External channels")),
    ("internal", N_("Internal channels")),
)


def render_plan(plan: Plan, fmt: RenderFormat, lang: str | None = None,
                today: dt.date | None = None) -> bytes:
    """The plan as a document in ``fmt``, in ``lang`` (default: the plan's own language)."""
    language = normalize(lang or plan.language)
    doc = PlanDocument(plan, language, today or today_in(plan.timezone))
    if fmt == "md":
        return _environment(language).get_template("plan.md").render(doc=doc).encode("utf-8")
    html = render_html(doc)
    return html.encode("utf-8") if fmt == "html" else html_to_pdf(html)


def render_html(doc: PlanDocument) -> str:
    template = _environment(doc.lang).get_template("plan.html")
    styles = Markup((TEMPLATES / "plan.css").read_text(encoding="utf-8"))  # noqa: S704 - our file
    # A separate sheet for screens: WeasyPrint skips it instead of warning on its query.
    screen = Markup((TEMPLATES / "plan-screen.css").read_text(encoding="utf-8"))  # noqa: S704
    return template.render(doc=doc, styles=styles, screen_styles=screen)


def html_to_pdf(html: str) -> bytes:
    """A4 PDF of the HTML; nothing is fetched, so a plan cannot make us read files or URLs."""
    # Imported here: WeasyPrint is slow to import and only the PDF needs it.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    return pdf


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The document is self-contained; not fetching {url}")


def today_in(timezone: str) -> dt.date:
    """Today where the organization is, so a document made at midnight has its date."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return dt.datetime.now(zone).date()


@cache
def _environment(lang: UiLanguage) -> Environment:
    """One Jinja environment per language: autoescaped for .html, plain for .md."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def ngettext(singular: str, plural: str, n: int) -> str:
        # The catalogs hold no plural forms yet; templates avoid plurals for that reason.
        return gettext(singular if n == 1 else plural, lang)

    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: gettext(message, lang), ngettext=ngettext, newstyle=True
    )
    env.filters.update(text=html_text, cell=md_cell, md=md_text)
    return env


# --- filters: untrusted text into HTML and Markdown -----------------------------------

LIST_ITEM = re.compile(r"^\s*(?:([-*•])|(\d+)[.)])\s+(.*)$")


def html_text(value: str | None) -> Markup:
    """Escaped paragraphs; a block whose every line starts with '-' or '1.' becomes a list."""
    if not value:
        return Markup("")
    blocks = [block.strip() for block in re.split(r"\n\s*\n", value) if block.strip()]
    return Markup("").join(_html_block(block) for block in blocks)


def _html_block(block: str) -> Markup:
    lines = block.splitlines()
    items = [LIST_ITEM.match(line) for line in lines]
    # One line is a sentence, even when it starts like "1. tammikuuta".
    if len(lines) > 1 and all(items):
        body = Markup("").join(Markup("<li>{}</li>").format(m.group(3)) for m in items if m)
        if items[0] and items[0].group(2):
            return Markup("<ol>{}</ol>").format(body)
        return Markup("<ul>{}</ul>").format(body)
    # Single newlines are the author's editor wrapping lines, as in Markdown.
    return Markup("<p>{}</p>").format(" ".join(line.strip() for line in lines))


def md_cell(value: Any) -> str:
    """Text safe inside a GitHub table cell: no '|' breaks the row, no newline ends it."""
    text = md_text(value).strip()
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return re.sub(r"\s*\n\s*", "<br>", text)


def md_text(value: Any) -> str:
    """Plain text for Markdown; '<' is escaped so no raw HTML passes through."""
    return "" if value is None else str(value).strip().replace("<", "&lt;")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a web address; a plan's 'javascript:' is never made a link."""
    if url and re.match(r"^https?://[^\s]+$", url, re.IGNORECASE):
        return url
    return None


# --- the document's content, ready to lay out ------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A numbered section of the document, for its heading and the contents list."""

    number: int
    anchor: str
    title: str


@dataclass(frozen=True)
class Figure:
    """A key figure on the summary page."""

    label: str
    value: str


@dataclass(frozen=True)
class ObjectiveCover:
    """One of the five objectives and how many goals serve it."""

    code: str
    label: str
    hint: str
    goals: int


@dataclass(frozen=True)
class Group:
    """Items under one heading (goals by horizon, channels by scope, audiences)."""

    title: str
    items: list[Any]


class PlanDocument:
    """The plan as the reader sees it: names, labels and formatted figures."""

    def __init__(self, plan: Plan, lang: UiLanguage, today: dt.date) -> None:
        self.plan = plan
        self.lang = lang
        self.today = today
        self.locale = LOCALES[lang]

    def _(self, message: str, **params: Any) -> str:
        return gettext(message, self.lang, **params)

    def label(self, kind: str, value: str | None) -> str:
        return label(kind, value, self.lang)

    def labels(self, kind: str, values: Iterable[str]) -> list[str]:
        return [self.label(kind, value) for value in values]

    # formatting --------------------------------------------------------------------

    def date(self, value: dt.date | None, style: str = "medium") -> str:
        return format_date(value, style, locale=self.locale) if value else ""

    def number(self, value: float | None) -> str:
        return "" if value is None else str(format_decimal(value, locale=self.locale))

    def percent(self, share: float | None) -> str:
        return "" if share is None else str(format_percent(share, locale=self.locale))

    def cadence(self, cadence: Cadence | None) -> str:
        if cadence is None:
            return ""
        return self.per_period(cadence.per, self.number(cadence.posts))

    def per_period(self, period: str, amount: str) -> str:
        """'3 per week', worded whole in each language."""
        return self._(PER_PERIOD[period], n=amount)

    def hours(self, hours: float | None) -> str:
        return "" if hours is None else self._(N_("{n} h/week"), n=self.number(hours))

    def money(self, budget: Budget | None) -> str:
        if budget is None:
            return ""
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern
        if budget.amount == int(budget.amount):
            pattern = pattern.replace(".00", "")  # whole sums read better without ",00"
        amount = format_currency(budget.amount, budget.currency, format=pattern,
                                 locale=self.locale, currency_digits=False)
        return self.per_period(budget.per, str(amount))

    def when(self, text: str | dt.date) -> str:
        """A calendar entry's 'when': ISO dates and months localized, anything else as written."""
        if isinstance(text, dt.date):
            return self.date(text)
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return self.date(dt.date.fromisoformat(text))
            if re.fullmatch(r"\d{4}-\d{2}", text):
                month = dt.date.fromisoformat(f"{text}-01")
                return str(format_skeleton("yMMMM", month, locale=self.locale))
        except ValueError:
            pass
        return text

    def url(self, value: str | None) -> str | None:
        return safe_url(value)

    # references: unknown ids are shown as they are, never dropped -------------------

    def person(self, person_id: str | None) -> str:
        person = self.plan.person(person_id)
        return person.name if person else (person_id or "")

    def people(self, ids: Iterable[str]) -> list[str]:
        return [self.person(i) for i in ids]

    def channels(self, ids: Iterable[str]) -> list[str]:
        return [(c.name if (c := self.plan.channel(i)) else i) for i in ids]

    def audiences(self, ids: Iterable[str]) -> list[str]:
        return [(a.name if (a := self.plan.audience(i)) else i) for i in ids]

    def theme(self, theme_id: str | None) -> str:
        theme = next((t for t in self.plan.content.themes if t.id == theme_id), None)
        return theme.name if theme else (theme_id or "")

    def online(self, places: Iterable[str]) -> list[str]:
        """Where an audience is: a channel id, a network, or free text."""
        return [(c.name if (c := self.plan.channel(p)) else self.label("network", p))
                for p in places]

    # the summary page --------------------------------------------------------------

    @cached_property
    def sections(self) -> dict[str, Heading]:
        return {anchor: Heading(number, anchor, self._(title))
                for number, (anchor, title) in enumerate(SECTIONS, start=1)}

    @cached_property
    def key_figures(self) -> list[Figure]:
        plan = self.plan
        active = [c for c in plan.channels if c.status != "retired"]
        return [
            Figure(self._(N_("Goals")), self.number(len(plan.goals))),
            Figure(self._(N_("Channels")), self.number(len(active))),
            Figure(self._(N_("Audiences")), self.number(len(plan.audiences))),
            Figure(self._(N_("Measures")), self.number(sum(len(g.kpis) for g in plan.goals))),
        ]

    @cached_property
    def objectives(self) -> list[ObjectiveCover]:
        return [
            ObjectiveCover(code, self.label("objective", code),
                           self.label("objective_hint", code),
                           sum(1 for g in self.plan.goals if g.objective == code))
            for code in OBJECTIVES
        ]

    @cached_property
    def next_review(self) -> dt.date | None:
        """The next review as written, or else the last one plus one cycle."""
        review = self.plan.review
        if review.next or not (review.last and review.cycle):
            return review.next
        return add_months(review.last, MONTHS_PER_CYCLE[review.cycle])

    @property
    def review_overdue(self) -> bool:
        return self.next_review is not None and self.next_review < self.today

    @property
    def questions(self) -> list[tuple[str, str, str | None]]:
        """(area, question, answer) for each of the four questions."""
        return [(self.label("question_area", key), self.label("question", key),
                 getattr(self.plan.questions, key)) for key in ("who", "what", "how", "tools")]

    # the sections ------------------------------------------------------------------

    def filled(self, section: Any) -> bool:
        """Whether a section holds anything to show, so empty ones say 'not defined yet'."""
        return _filled(section)

    @property
    def audience_groups(self) -> list[Group]:
        return _groups([
            (self._(N_("Customers and other audiences")),
             [a for a in self.plan.audiences if not a.stakeholder]),
            (self._(N_("Stakeholders")), [a for a in self.plan.audiences if a.stakeholder]),
        ])

    def audience_scope(self, audience: Audience) -> str:
        return self.label("scope", audience.scope)

    @cached_property
    def goal_groups(self) -> list[Group]:
        goals: list[Goal] = self.plan.goals
        return _groups([(self._(title), [g for g in goals if g.horizon == horizon])
                        for horizon, title in GOAL_GROUPS])

    @cached_property
    def _goals_in_order(self) -> list[Goal]:
        return [goal for group in self.goal_groups for goal in group.items]

    def goal_number(self, goal: Goal) -> int:
        """Goals are numbered as shown, so the tables can refer to them in a few characters."""
        return next(n for n, g in enumerate(self._goals_in_order, start=1) if g is goal)

    def goal_refs(self, ids: Iterable[str]) -> list[str]:
        numbers: dict[str, int] = {}
        for number, goal in enumerate(self._goals_in_order, start=1):
            numbers.setdefault(goal.id, number)
        known = sorted(numbers[i] for i in ids if i in numbers)
        return [str(n) for n in known] + [i for i in ids if i not in numbers]

    def goal_channels(self, goal: Goal) -> list[str]:
        """The channels that serve ``goal``: the matrix read the other way round."""
        return [c.name for c in self.plan.channels if goal.id in c.goals]

    def goal_tags(self, goal: Goal) -> list[str]:
        tags = [self.label("scope", goal.scope), self.label("category", goal.category)]
        return [t for t in tags if t]

    @property
    def person_columns(self) -> set[str]:
        """Role, team and e-mail columns are shown only when someone has one."""
        return {name for name in ("role", "team", "email")
                if any(getattr(p, name) for p in self.plan.people)}

    @property
    def channel_groups(self) -> list[Group]:
        channels: list[Channel] = self.plan.channels
        return _groups([(self._(title), [c for c in channels if c.effective_scope == scope])
                        for scope, title in CHANNEL_GROUPS])

    @property
    def channel_hours(self) -> float:
        return sum(c.hours_per_week or 0 for c in self.plan.channels if c.status != "retired")

    @property
    def staff_guideline(self) -> list[tuple[str, str]]:
        staff = self.plan.guidelines.staff
        return [(self.label("staff_question", q), getattr(staff, q))
                for q in STAFF_QUESTIONS if getattr(staff, q)]

    @property
    def responsibilities(self) -> list[tuple[str, list[str]]]:
        """(who answers what, the people), for the rows that name someone."""
        resp = self.plan.responsibilities
        rows = [(self._(N_("Press enquiries")), self.people(resp.press)),
                (self._(N_("Daily follow-up and answers")), self.people(resp.daily))]
        rows += [(self._(N_("Expert questions: {topic}"), topic=e.topic), self.people(e.people))
                 for e in resp.experts]
        rows.append((self._(N_("Representing the organization")),
                     self.people(resp.representatives)))
        return [(what, who) for what, who in rows if who]


def _groups(pairs: Iterable[tuple[str, list[Any]]]) -> list[Group]:
    return [Group(title, items) for title, items in pairs if items]


def _filled(value: Any) -> bool:
    if isinstance(value, BaseModel):
        return any(_filled(v) for v in _values(value))
    if isinstance(value, list | tuple | dict):
        return bool(value)
    return value is not None and value != ""


def _values(model: BaseModel) -> Iterator[Any]:
    for name in type(model).model_fields:
        yield getattr(model, name)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months; the 31st becomes the month's last day when needed."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))
