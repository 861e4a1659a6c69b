"""The plan's rule checks, taken from the seed documents.

Each rule has a stable id, a severity and a one-line description; it looks at a
validated :class:`~kanava.plans.model.Plan` and yields :class:`Hit` s, each pointing at
the field it is about. :func:`check` turns hits into :class:`Finding` s with a line
number (when the plan came from a file) and a message in the asked language.

Severity: ``error`` for what the seeds make a must (every channel has its own goal and
an owner, at most one message in twelve is marketing, references resolve); ``warning``
for what a good plan has; ``info`` for advice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from babel.dates import format_date
from babel.numbers import format_decimal

from kanava.i18n import N_, gettext, normalize
from kanava.plans.labels import label
from kanava.plans.loader import FieldPath, LoadedPlan, format_path
from kanava.plans.model import (
    IMAGE_NETWORKS,
    STAFF_QUESTIONS,
    VIDEO_NETWORKS,
    Cadence,
    Channel,
    Plan,
)

Severity = Literal["error", "warning", "info"]
BABEL_LOCALES = {"en": "en_GB", "fi": "fi_FI", "nb": "nb_NO", "sv": "sv_SE"}
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
#: The seeds' "every twelfth message may be marketing".
MAX_MARKETING_SHARE = 1 / 12
#: "Short and clear": a summary longer than this many words is not a summary.
SUMMARY_MAX_WORDS = 120
#: Posts a week of a channel updated once a month: anything rarer is a stale channel.
MONTHLY = Cadence(posts=1, per="month").per_week()


@dataclass(frozen=True)
class Hit:
    """What a rule found: where, and an untranslated message with its parameters."""

    path: FieldPath
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the plan: the day it is checked and the language."""

    today: dt.date
    lang: str

    def t(self, message: str, **params: Any) -> str:
        return gettext(message, self.lang, **params)

    def percent(self, share: float) -> str:
        """``0.2`` → '20.0 %' (en) or '20,0 %' (fi, nb, sv)."""
        return f"{format_decimal(share * 100, '0.0', locale=self.locale)} %"

    def date(self, day: dt.date) -> str:
        return str(format_date(day, "medium", locale=self.locale))

    @property
    def locale(self) -> str:
        return BABEL_LOCALES.get(normalize(self.lang), "en_GB")


RuleCheck = Callable[[Plan, Context], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    description: str
    run: RuleCheck

    def describe(self, lang: str | None = None) -> str:
        return gettext(self.description, lang)


@dataclass(frozen=True)
class Finding:
    """A rule's finding, located and translated."""

    rule: str
    severity: Severity
    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "path": self.path,
                "line": self.line, "column": self.column, "message": self.message}


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, description: str) -> Callable[[RuleCheck], RuleCheck]:
    """Register a rule under a stable id."""

    def register(run: RuleCheck) -> RuleCheck:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, description, run)
        return run

    return register


def check(source: LoadedPlan | Plan, lang: str | None = None,
          today: dt.date | None = None, only: Iterable[str] | None = None) -> list[Finding]:
    """Run every rule (or those in ``only``) and return the findings in file order."""
    loaded = source if isinstance(source, LoadedPlan) else LoadedPlan(plan=source)
    context = Context(today=today or dt.datetime.now(dt.UTC).date(),
                      lang=lang or loaded.plan.language)
    wanted = set(only) if only is not None else set(RULES)
    findings: list[Finding] = []
    for current in RULES.values():
        if current.id not in wanted:
            continue
        for hit in current.run(loaded.plan, context):
            line, column = loaded.locate(hit.path)
            findings.append(Finding(
                rule=current.id, severity=current.severity, path=format_path(hit.path),
                message=gettext(hit.message, context.lang, **hit.params),
                line=line, column=column,
            ))
    findings.sort(key=lambda f: (f.line or 0, f.column or 0, f.rule))
    return findings


def active_channels(plan: Plan) -> Iterator[tuple[int, Channel]]:
    """Channels in use or planned, with their index (retired ones need nothing)."""
    return ((i, c) for i, c in enumerate(plan.channels) if c.status != "retired")


def _blank(text: str | None) -> bool:
    return not (text and text.strip())


def _normalized(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


# --- references and ids ---------------------------------------------------------------

def _references(plan: Plan) -> Iterator[tuple[FieldPath, str, str]]:
    """Every (path, kind, id) the plan refers to."""
    for i, goal in enumerate(plan.goals):
        if goal.owner:
            yield ("goals", i, "owner"), "person", goal.owner
        for j, aud in enumerate(goal.audiences):
            yield ("goals", i, "audiences", j), "audience", aud
        for j, kpi in enumerate(goal.kpis):
            if kpi.channel:
                yield ("goals", i, "kpis", j, "channel"), "channel", kpi.channel
    for i, channel in enumerate(plan.channels):
        if channel.owner:
            yield ("channels", i, "owner"), "person", channel.owner
        for j, goal_id in enumerate(channel.goals):
            yield ("channels", i, "goals", j), "goal", goal_id
        for j, aud in enumerate(channel.audiences):
            yield ("channels", i, "audiences", j), "audience", aud
    for i, gap in enumerate(plan.gap_analysis):
        if gap.goal:
            yield ("gap_analysis", i, "goal"), "goal", gap.goal
    content = plan.content
    for i, theme in enumerate(content.themes):
        for j, goal_id in enumerate(theme.goals):
            yield ("content", "themes", i, "goals", j), "goal", goal_id
        for j, ch in enumerate(theme.channels):
            yield ("content", "themes", i, "channels", j), "channel", ch
    for i, fmt in enumerate(content.formats):
        yield ("content", "formats", i, "channel"), "channel", fmt.channel
    for i, entry in enumerate(content.calendar):
        if entry.theme:
            yield ("content", "calendar", i, "theme"), "theme", entry.theme
        for j, ch in enumerate(entry.channels):
            yield ("content", "calendar", i, "channels", j), "channel", ch
    resp = plan.responsibilities
    for name in ("press", "daily", "representatives"):
        for j, person in enumerate(getattr(resp, name)):
            yield ("responsibilities", name, j), "person", person
    for i, topic in enumerate(resp.experts):
        for j, person in enumerate(topic.people):
            yield ("responsibilities", "experts", i, "people", j), "person", person
    for i, training in enumerate(plan.training):
        if training.owner:
            yield ("training", i, "owner"), "person", training.owner
    if plan.management_commitment.by:
        yield ("management_commitment", "by"), "person", plan.management_commitment.by
    if plan.review.owner:
        yield ("review", "owner"), "person", plan.review.owner
    for j, ch in enumerate(plan.monitoring.own):
        yield ("monitoring", "own", j), "channel", ch


def _known_ids(plan: Plan) -> dict[str, set[str]]:
    return {
        "person": {p.id for p in plan.people},
        "goal": {g.id for g in plan.goals},
        "channel": {c.id for c in plan.channels},
        "audience": {a.id for a in plan.audiences},
        "theme": {t.id for t in plan.content.themes},
    }


UNKNOWN_REF = {
    "person": N_("'{id}' is not a person of the plan (add it under 'people')."),
    "goal": N_("'{id}' is not a goal of the plan (add it under 'goals')."),
    "channel": N_("'{id}' is not a channel of the plan (add it under 'channels')."),
    "audience": N_("'{id}' is not an audience of the plan (add it under 'audiences')."),
    "theme": N_("'{id}' is not a theme of the content plan (add it under 'content.themes')."),
}


@rule("ref-unknown", "error", N_("Every id the plan refers to (people, goals, channels, "
                                 "audiences, themes) exists."))
def _ref_unknown(plan: Plan, ctx: Context) -> Iterator[Hit]:
    known = _known_ids(plan)
    for path, kind, ref in _references(plan):
        if ref not in known[kind]:
            yield Hit(path, UNKNOWN_REF[kind], {"id": ref})


@rule("id-duplicate", "error", N_("No two people, audiences, goals, channels or themes "
                                  "share an id."))
def _id_duplicate(plan: Plan, ctx: Context) -> Iterator[Hit]:
    sections: list[tuple[FieldPath, list[Any]]] = [
        (("people",), plan.people), (("audiences",), plan.audiences), (("goals",), plan.goals),
        (("channels",), plan.channels), (("content", "themes"), plan.content.themes),
    ]
    for prefix, items in sections:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                yield Hit((*prefix, i, "id"), N_("The id '{id}' is used twice."), {"id": item.id})
            seen.add(item.id)


# --- the plan as a whole --------------------------------------------------------------

QUESTION_NAMES = {
    "who": N_("who are our customers"),
    "what": N_("what are we aiming for"),
    "how": N_("how do we get there"),
    "tools": N_("which tools do we use"),
}


@rule("plan-four-questions", "warning", N_("The plan answers the four questions: who are our "
                                           "customers, what are we aiming for, how do we get "
                                           "there, which tools do we use."))
def _four_questions(plan: Plan, ctx: Context) -> Iterator[Hit]:
    missing = [ctx.t(label) for key, label in QUESTION_NAMES.items()
               if _blank(getattr(plan.questions, key))]
    if missing:
        yield Hit(("questions",), N_("The plan does not yet answer: {missing}."),
                  {"missing": "; ".join(missing)})


@rule("plan-summary", "warning", N_("The plan has a short, clear summary."))
def _summary(plan: Plan, ctx: Context) -> Iterator[Hit]:
    if _blank(plan.summary):
        yield Hit(("summary",), N_("The plan has no summary: say in a few sentences what it "
                                   "is for and what it changes."))
    elif len((plan.summary or "").split()) > SUMMARY_MAX_WORDS:
        yield Hit(("summary",), N_("The summary has {words} words; keep it under {limit} so "
                                   "that it stays short and clear."),
                  {"words": len((plan.summary or "").split()), "limit": SUMMARY_MAX_WORDS})


@rule("review-cycle", "warning", N_("The plan has a review cycle and its next review date "
                                    "has not passed."))
def _review(plan: Plan, ctx: Context) -> Iterator[Hit]:
    review = plan.review
    if review.cycle is None or review.next is None:
        yield Hit(("review",), N_("The plan has no review cycle with a next review date; a "
                                  "plan that is not reviewed stops being used."))
    elif review.next < ctx.today:
        yield Hit(("review", "next"), N_("The review date {date} has passed: review the plan "
                                         "together and set the next date."),
                  {"date": ctx.date(review.next)})
    if review.owner is None and review.cycle is not None:
        yield Hit(("review",), N_("Nobody is named to call the review (review.owner)."))


# --- the communication field ----------------------------------------------------------

@rule("audience-online", "warning", N_("Every external audience says where it is online."))
def _audience_online(plan: Plan, ctx: Context) -> Iterator[Hit]:
    if not plan.audiences:
        yield Hit(("audiences",), N_("The plan names no audiences: who are our customers, and "
                                     "where are they online?"))
    for i, audience in enumerate(plan.audiences):
        if audience.scope == "external" and not audience.online:
            yield Hit(("audiences", i, "online"), N_("Where is '{name}' online? Channels are "
                                                     "chosen by where the audience is."),
                      {"name": audience.name})


@rule("stakeholders", "warning", N_("Stakeholders are recorded and every audience has its "
                                    "needs."))
def _stakeholders(plan: Plan, ctx: Context) -> Iterator[Hit]:
    kinds = {"stakeholders", "partners", "owners", "decision_makers", "media"}
    if plan.audiences and not any(a.stakeholder or a.kind in kinds for a in plan.audiences):
        yield Hit(("audiences",), N_("No stakeholders (partners, owners, decision makers, "
                                     "media…) are recorded in the communication field."))
    for i, audience in enumerate(plan.audiences):
        if not audience.needs:
            yield Hit(("audiences", i, "needs"), N_("The needs of '{name}' are not recorded."),
                      {"name": audience.name})


@rule("benchmark", "info", N_("Peers' social media solutions are recorded and compared."))
def _benchmark(plan: Plan, ctx: Context) -> Iterator[Hit]:
    if not plan.benchmarks:
        yield Hit(("benchmarks",), N_("No peers are benchmarked: look at how similar "
                                      "organizations use social media before choosing."))


@rule("internal-communication", "warning", N_("The plan covers internal communication: an "
                                              "internal goal and an internal channel."))
def _internal(plan: Plan, ctx: Context) -> Iterator[Hit]:
    if not any(g.scope == "internal" for g in plan.goals):
        yield Hit(("goals",), N_("The plan has no internal goal (leadership, transparency, "
                                 "shared content…)."))
    if not any(c.effective_scope == "internal" for _, c in active_channels(plan)):
        yield Hit(("channels",), N_("The plan has no internal channel (intranet, wiki, chat, "
                                    "management blog)."))


# --- goals ----------------------------------------------------------------------------

@rule("goal-measure", "warning", N_("Every goal has a KPI with a baseline, a target and a "
                                    "deadline."))
def _goal_measure(plan: Plan, ctx: Context) -> Iterator[Hit]:
    names = {"baseline": N_("baseline"), "target": N_("target"), "deadline": N_("deadline")}
    for i, goal in enumerate(plan.goals):
        if not goal.kpis:
            yield Hit(("goals", i, "kpis"), N_("Goal '{goal}' has no measure: how will we "
                                               "know it is reached?"), {"goal": goal.title})
        for j, kpi in enumerate(goal.kpis):
            missing = [ctx.t(label) for key, label in names.items() if getattr(kpi, key) is None]
            if missing:
                yield Hit(("goals", i, "kpis", j),
                          N_("The measure '{metric}' of goal '{goal}' lacks: {missing}."),
                          {"metric": kpi.metric, "goal": goal.title,
                           "missing": ", ".join(missing)})


@rule("goal-owner", "error", N_("Every goal has a responsible person."))
def _goal_owner(plan: Plan, ctx: Context) -> Iterator[Hit]:
    for i, goal in enumerate(plan.goals):
        if goal.owner is None:
            yield Hit(("goals", i), N_("Goal '{goal}' has no owner."), {"goal": goal.title})


@rule("goal-objective", "warning", N_("Every goal serves one of the five objectives: listen, "
                                      "talk, energize, support, embrace."))
def _goal_objective(plan: Plan, ctx: Context) -> Iterator[Hit]:
    for i, goal in enumerate(plan.goals):
        if goal.objective is None:
            yield Hit(("goals", i), N_("Goal '{goal}' is not tied to an objective (listen, "
                                       "talk, energize, support or embrace)."),
                      {"goal": goal.title})


@rule("goal-horizon", "warning", N_("The plan has both short-term and long-term goals."))
def _goal_horizon(plan: Plan, ctx: Context) -> Iterator[Hit]:
    for i, goal in enumerate(plan.goals):
        if goal.horizon is None:
            yield Hit(("goals", i), N_("Goal '{goal}' is neither short-term nor long-term."),
                      {"goal": goal.title})
    horizons = {g.horizon for g in plan.goals}
    if "short" not in horizons:
        yield Hit(("goals",), N_("The plan has no short-term goal."))
    if "long" not in horizons:
        yield Hit(("goals",), N_("The plan has no long-term goal."))


@rule("listening-goal", "warning", N_("The plan has a listening or dialogue goal; without one "
                                      "it is one-way communication."))
def _listening(plan: Plan, ctx: Context) -> Iterator[Hit]:
    dialogue = {"customer_service", "cooperation", "product_development"}
    if not any(g.objective == "listen" or g.category in dialogue for g in plan.goals):
        yield Hit(("goals",), N_("No goal is about listening or dialogue: the plan is one-way "
                                 "communication, which does not suit social media."))


@rule("customer-benefit", "warning", N_("Every external goal says what the customer gains."))
def _customer_benefit(plan: Plan, ctx: Context) -> Iterator[Hit]:
    for i, goal in enumerate(plan.goals):
        if goal.scope == "external" and _blank(goal.customer_benefit):
            yield Hit(("goals", i), N_("Goal '{goal}' does not say what the customer gains."),
                      {"goal": goal.title})


@rule("gap-analysis", "warning", N_("A gap analysis says how we are today, how we want to be "
                                    "and what we must do."))
def _gap(plan: Plan, ctx: Context) -> Iterator[Hit]:
    if not plan.gap_analysis:
        yield Hit(("gap_analysis",), N_("The plan has no gap analysis: today, the target, and "
                                        "the actions between them."))
    for i, gap in enumerate(plan.gap_analysis):
        if _blank(gap.today) and gap.today_value is None:
            yield Hit(("gap_analysis", i), N_("The gap '{area}' does not say how we are today."),
                      {"area": gap.area})
        if _blank(gap.target) and gap.target_value is None:
            yield Hit(("gap_analysis", i), N_("The gap '{area}' does not say how we want to "
                                              "be."), {"area": gap.area})
        if not gap.actions:
            yield Hit(("gap_analysis", i), N_("The gap '{area}' has no actions."),
                      {"area": gap.area})


# --- channels -------------------------------------------------------------------------

@rule("channel-goal", "error", N_("Every channel has a goal of its own."))
def _channel_goal(plan: Plan, ctx: Context) -> Iterator[Hit]:
    for i, channel in active_channels(plan):
        if _blank(channel.purpose):
            yield Hit(("channels", i), N_("Channel '{channel}' has no goal of its own "
                                          "(purpose)."), {"channel": channel.name})
        elif not channel.goals:
            yield Hit(("channels", i, "goals"), N_("Channel '{channel}' serves none of the "
                                                   "plan's goals."), {"channel": channel.name})


@rule("channel-audience", "warning", N_("Every channel names the audiences it reaches."))
def _channel_audience(plan: Plan, ctx: Context) -> Iterator[Hit]:
    for i, channel in active_channels(plan):
        if not channel.audiences:
            yield Hit(("channels", i), N_("Channel '{channel}' names no audience."),
                      {"channel": channel.name})


@rule("channel-owner", "error", N_("Every channel has an owner."))
def _channel_owner(plan: Plan, ctx: Context) -> Iterator[Hit]:
    for i, channel in active_channels(plan):
        if channel.owner is None:
            yield Hit(("channels", i), N_("Channel '{channel}' has no owner."),
                      {"channel": channel.name})


@rule("channel-cadence", "warning", N_("Every external channel has an update interval: stale "
                                       "channels raise doubts whether the organization still "
                                       "exists."))
def _channel_cadence(plan: Plan, ctx: Context) -> Iterator[Hit]:
    for i, channel in active_channels(plan):
        if channel.cadence is None and channel.effective_scope == "external":
            yield Hit(("channels", i), N_("Channel '{channel}' has no update interval "
                                          "(cadence)."), {"channel": channel.name})
        elif channel.cadence is not None and channel.cadence.per_week() < MONTHLY - 1e-9:
            yield Hit(("channels", i, "cadence"), N_("Channel '{channel}' is updated less than "
                                                     "once a month; old content raises doubts "
                                                     "whether the organization still exists."),
                      {"channel": channel.name})


@rule("channel-unused", "warning", N_("Channels are only where the audience is: some audience "
                                      "is online on each channel's network."))
def _channel_unused(plan: Plan, ctx: Context) -> Iterator[Hit]:
    if not plan.audiences:
        return
    for i, channel in active_channels(plan):
        if channel.effective_scope == "internal":
            continue
        targets = [a for a in plan.audiences if a.id in channel.audiences] or plan.audiences
        places = {p.casefold() for a in targets for p in a.online}
        if channel.network not in places and channel.id not in places:
            yield Hit(("channels", i), N_("No audience of channel '{channel}' is said to be on "
                                          "{network}: choose channels by where the audience "
                                          "is."),
                      {"channel": channel.name,
                       "network": label("network", channel.network, ctx.lang)})


@rule("channel-distinct", "warning", N_("Different media speak differently: no two channels "
                                        "have the same goal text."))
def _channel_distinct(plan: Plan, ctx: Context) -> Iterator[Hit]:
    first: dict[str, Channel] = {}
    for i, channel in active_channels(plan):
        if _blank(channel.purpose):
            continue
        key = _normalized(channel.purpose or "")
        if key in first:
            yield Hit(("channels", i, "purpose"),
                      N_("Channel '{channel}' has the same goal as '{other}': say what this "
                         "medium does differently."),
                      {"channel": channel.name, "other": first[key].name})
        else:
            first[key] = channel


@rule("channel-resources", "warning", N_("Every channel's time is planned and the channels fit "
                                         "the resources."))
def _channel_resources(plan: Plan, ctx: Context) -> Iterator[Hit]:
    total = 0.0
    for i, channel in active_channels(plan):
        if channel.hours_per_week is None:
            yield Hit(("channels", i), N_("Channel '{channel}' does not say how much time it "
                                          "needs (hours_per_week)."), {"channel": channel.name})
        total += channel.hours_per_week or 0
    available = plan.resources.hours_per_week
    if available is None and plan.channels:
        yield Hit(("resources",), N_("The plan does not say how many working hours are "
                                     "available for social media."))
    elif available is not None and total > available:
        yield Hit(("resources", "hours_per_week"),
                  N_("The channels need {needed} hours a week but {available} are available."),
                  {"needed": f"{total:g}", "available": f"{available:g}"})


@rule("marketing-ratio", "error", N_("At most one message in twelve is marketing, on every "
                                     "channel."))
def _marketing(plan: Plan, ctx: Context) -> Iterator[Hit]:
    for i, channel in active_channels(plan):
        share = channel.marketing_share
        if share is not None and share > MAX_MARKETING_SHARE + 1e-9:
            yield Hit(("channels", i, "marketing_share"),
                      N_("Channel '{channel}' plans {share} of its messages as marketing; at "
                         "most one in twelve (8.3 %) may be."),
                      {"channel": channel.name, "share": ctx.percent(share)})


@rule("content-media", "warning", N_("The content plan has the media each channel needs (e.g. "
                                     "video for a video channel)."))
def _content_media(plan: Plan, ctx: Context) -> Iterator[Hit]:
    planned: dict[str, set[str]] = defaultdict(set)
    for fmt in plan.content.formats:
        planned[fmt.channel].update(fmt.types)
    for i, channel in active_channels(plan):
        types = planned[channel.id] | set(channel.content_types)
        if not types:
            yield Hit(("channels", i), N_("The content plan has nothing for channel "
                                          "'{channel}'."), {"channel": channel.name})
        elif channel.network in VIDEO_NETWORKS and not types & {"video", "live"}:
            yield Hit(("channels", i), N_("Channel '{channel}' is a video channel but no video "
                                          "is planned for it."), {"channel": channel.name})
        elif channel.network in IMAGE_NETWORKS and not types & {"image", "video", "story"}:
            yield Hit(("channels", i), N_("Channel '{channel}' is an image channel but no "
                                          "images are planned for it."),
                      {"channel": channel.name})


# --- responsibilities, guidelines, people ---------------------------------------------

@rule("responsibility-press", "warning", N_("Someone answers press enquiries."))
def _press(plan: Plan, ctx: Context) -> Iterator[Hit]:
    if not plan.responsibilities.press:
        yield Hit(("responsibilities",), N_("Nobody is named to answer press enquiries."))


@rule("responsibility-daily", "warning", N_("Someone follows and answers the channels day to "
                                            "day."))
def _daily(plan: Plan, ctx: Context) -> Iterator[Hit]:
    if not plan.responsibilities.daily:
        yield Hit(("responsibilities",), N_("Nobody is named for the daily follow-up of the "
                                            "channels."))


@rule("responsibility-expert", "warning", N_("Expert questions have named people, topic by "
                                             "topic."))
def _expert(plan: Plan, ctx: Context) -> Iterator[Hit]:
    experts = plan.responsibilities.experts
    if not experts:
        yield Hit(("responsibilities",), N_("No one is named to answer expert questions; name "
                                            "the subject owners topic by topic."))
    for i, topic in enumerate(experts):
        if not topic.people:
            yield Hit(("responsibilities", "experts", i),
                      N_("Nobody answers questions about '{topic}'."), {"topic": topic.topic})


@rule("guideline-negative-feedback", "warning", N_("The guideline says how to answer negative "
                                                   "feedback."))
def _negative_feedback(plan: Plan, ctx: Context) -> Iterator[Hit]:
    if _blank(plan.guidelines.negative_feedback):
        yield Hit(("guidelines",), N_("The guideline does not say how to answer negative "
                                      "feedback."))


STAFF_QUESTION_NAMES = {
    "what": N_("what"), "what_not": N_("what not"), "how": N_("how"), "where": N_("where"),
    "who": N_("who"), "to_whom": N_("to whom"), "why": N_("why"), "why_not": N_("why not"),
}


@rule("guideline-staff", "warning", N_("The staff guideline answers all eight questions: "
                                       "what, what not, how, where, who, to whom, why, why "
                                       "not; and says what is expected of employees."))
def _guideline_staff(plan: Plan, ctx: Context) -> Iterator[Hit]:
    staff = plan.guidelines.staff
    missing = [ctx.t(STAFF_QUESTION_NAMES[q]) for q in STAFF_QUESTIONS
               if _blank(getattr(staff, q))]
    if missing:
        yield Hit(("guidelines", "staff"), N_("The staff guideline does not answer: {missing}."),
                  {"missing": ", ".join(missing)})
    if _blank(plan.guidelines.expected_of_employees):
        yield Hit(("guidelines",), N_("The guideline does not say what is expected of "
                                      "employees on social media."))


@rule("management-commitment", "warning", N_("Management's commitment is stated."))
def _commitment(plan: Plan, ctx: Context) -> Iterator[Hit]:
    if _blank(plan.management_commitment.statement):
        yield Hit(("management_commitment",), N_("Management's commitment to the plan is not "
                                                 "stated."))


@rule("skills-training", "warning", N_("The staff's skills are known and training is planned "
                                       "where they fall short."))
def _skills(plan: Plan, ctx: Context) -> Iterator[Hit]:
    level = plan.starting_point.staff_skills.level
    if level is None:
        yield Hit(("starting_point", "staff_skills"), N_("The staff's social media skills are "
                                                         "not assessed."))
    if not plan.training and level != "advanced":
        yield Hit(("training",), N_("No training is planned to build the staff's social media "
                                    "skills."))


@rule("monitoring-forums", "warning", N_("The plan names own and external forums to follow, "
                                         "and keywords to listen for."))
def _monitoring(plan: Plan, ctx: Context) -> Iterator[Hit]:
    monitoring = plan.monitoring
    if not monitoring.own:
        yield Hit(("monitoring",), N_("No own channels are chosen to follow."))
    if not monitoring.external:
        yield Hit(("monitoring",), N_("No external forums are chosen to follow: where else is "
                                      "the organization talked about?"))
    if not monitoring.keywords:
        yield Hit(("monitoring",), N_("No keywords are chosen to listen for."))


def counts(findings: Iterable[Finding]) -> Counter[str]:
    """How many findings of each severity."""
    return Counter(f.severity for f in findings)
