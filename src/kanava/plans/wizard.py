"""``kanava plan new``: a questionnaire that writes a valid, commented starter plan.

The questions follow the seeds' order: the plan and its organization, the four
questions, the starting point, the plan's owner, then — if the user wants — first
audiences, a first goal and first channels. The answers are an :class:`Answers` model,
so they can come from a person (:func:`ask`, with an injectable prompt function) or
from a file (:func:`load_answers`); :func:`starter_plan` turns them into YAML with a
comment before every section, in the plan's language.

Every prompt and comment is an ``N_`` string, translated with :func:`kanava.i18n.gettext`.
"""

from __future__ import annotations

import re
import textwrap
import typing
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from kanava.i18n import N_, gettext
from kanava.plans.loader import LoadedPlan, describe_error, dump_text, format_path, to_plain
from kanava.plans.model import (
    AudienceKind,
    Horizon,
    Language,
    Network,
    Objective,
    OrganizationKind,
    Plan,
    ReviewCycle,
    Scope,
    SkillLevel,
)
from kanava.plans.schema import SCHEMA_FILE

#: How many times a question is asked again before the wizard gives up.
MAX_TRIES = 5
#: Upper bound of repeated items (audiences, channels, needs) asked interactively.
MAX_ITEMS = 30
#: Comments are wrapped to this width, like the YAML itself (loader: width 100).
COMMENT_WIDTH = 88
#: Time zone suggested for each plan language.
TIMEZONES = {"fi": "Europe/Helsinki", "sv": "Europe/Stockholm", "nb": "Europe/Oslo",
             "nn": "Europe/Oslo", "en": "Europe/Helsinki"}


# --- the answers --------------------------------------------------------------------

#: Reasons our own validators give, translated when shown.
REASONS = {
    "required": N_("must not be empty"),
    "timezone": N_("'{value}' is not a time zone name such as Europe/Helsinki"),
}


def _required(value: str) -> str:
    value = value.strip()
    if not value:
        raise PydanticCustomError("required", REASONS["required"])
    return value


def _blank_is_none(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _number(value: Any) -> Any:
    """'' → None and '2,5' → '2.5': a decimal comma is how fi, nb and sv write numbers."""
    value = _blank_is_none(value)
    return value.replace(",", ".") if isinstance(value, str) else value


def _timezone(value: str) -> str:
    if value not in zoneinfo.available_timezones():
        raise PydanticCustomError("timezone", REASONS["timezone"], {"value": value})
    return value


Name = Annotated[str, StringConstraints(max_length=500), AfterValidator(_required)]
Sentence = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_required)]
OptionalName = Annotated[
    Annotated[str, StringConstraints(max_length=500)] | None, BeforeValidator(_blank_is_none)
]
OptionalText = Annotated[
    Annotated[str, StringConstraints(max_length=20_000)] | None, BeforeValidator(_blank_is_none)
]


class _Answers(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class AudienceAnswer(_Answers):
    """A first group of the communication field."""

    name: Name = Field(description="Name of the group, e.g. 'Residents'.")
    kind: AudienceKind = Field("other", description="What sort of group it is.")
    scope: Scope = Field("external", description="Outside or inside the organization.")
    needs: list[Sentence] = Field(default_factory=list, description="What the group needs.")
    online: list[Name] = Field(
        default_factory=list, description="Where the group is online (network names)."
    )


class GoalAnswer(_Answers):
    """A first goal; the plan's owner is made responsible for it."""

    title: Name = Field(description="The goal in one sentence.")
    objective: Annotated[Objective | None, BeforeValidator(_blank_is_none)] = Field(
        None, description="The one of the five objectives it serves."
    )
    horizon: Annotated[Horizon | None, BeforeValidator(_blank_is_none)] = Field(
        None, description="Short-term or long-term."
    )
    scope: Scope = Field("external", description="External or internal communication.")


class ChannelAnswer(_Answers):
    """A first channel; the plan's owner owns it and it serves the first goal."""

    name: Name = Field(description="Name of the channel, e.g. 'City of X on Facebook'.")
    network: Network = Field(description="The network or internal tool.")
    purpose: Sentence = Field(description="The channel's own goal, in words.")
    handle: OptionalName = Field(None, description="Account name or address.")
    posts_per_week: Annotated[float | None, BeforeValidator(_number)] = Field(
        None, gt=0, description="Planned posts per week."
    )
    audiences: list[Name] = Field(
        default_factory=list, description="Audiences it reaches (their names or ids)."
    )


class Answers(_Answers):
    """Everything ``kanava plan new`` asks; also the format of an ``--answers`` file."""

    title: Name = Field(description="Title of the plan.")
    language: Language = Field("en", description="Language the plan is written in.")
    timezone: Annotated[str, AfterValidator(_timezone)] = Field(
        "Europe/Helsinki", description="The organization's time zone."
    )
    organization: Name = Field(description="The organization's name.")
    organization_kind: OrganizationKind = Field("other", description="What sort it is.")
    who: OptionalText = Field(None, description="Who are our customers?")
    what: OptionalText = Field(None, description="What are we aiming for?")
    how: OptionalText = Field(None, description="How do we get there?")
    tools: OptionalText = Field(None, description="Which tools do we use?")
    openness_external: OptionalText = Field(None, description="Openness outside today.")
    openness_internal: OptionalText = Field(None, description="Openness inside today.")
    communication_plan: OptionalText = Field(
        None, description="The communication plan this plan belongs to."
    )
    why: OptionalText = Field(None, description="Why the organization is on social media.")
    skills_level: Annotated[SkillLevel | None, BeforeValidator(_blank_is_none)] = Field(
        None, description="The staff's social media skills."
    )
    internal_needs: list[Sentence] = Field(
        default_factory=list, description="Needs of internal communication."
    )
    owner_name: Name = Field(description="Full name of the plan's owner.")
    owner_role: OptionalName = Field(None, description="The owner's role.")
    owner_email: OptionalName = Field(None, description="The owner's e-mail address.")
    audiences: list[AudienceAnswer] = Field(default_factory=list, description="First audiences.")
    goal: GoalAnswer | None = Field(None, description="A first goal.")
    channels: list[ChannelAnswer] = Field(default_factory=list, description="First channels.")

    @field_validator("channels")
    @classmethod
    def _channel_audiences_exist(cls, channels: list[ChannelAnswer],
                                 info: ValidationInfo) -> list[ChannelAnswer]:
        known = audience_ids(info.data.get("audiences", []))
        for channel in channels:
            unknown = [a for a in channel.audiences if a.casefold() not in known]
            if unknown:
                raise ValueError(f"channel '{channel.name}' names an unknown audience "
                                 f"'{unknown[0]}'; use the name of one of 'audiences'")
        return channels


class WizardError(Exception):
    """The answers cannot make a plan; ``problems`` says every why, already translated."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


# --- ids --------------------------------------------------------------------------

_FOLD = str.maketrans({"æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ß": "ss", "đ": "d"})


def make_id(text: str, fallback: str, limit: int = 40) -> str:
    """An id for ``text``: 'Åsa Øberg' → 'asa-oberg'; ``fallback`` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.decode().lower()).strip("-")
    return slug[:limit].rstrip("-") or fallback


def unique_ids(names: Iterable[str], fallback: str) -> list[str]:
    """One id per name, with '-2', '-3'… where two names make the same id."""
    taken: set[str] = set()
    ids: list[str] = []
    for name in names:
        base = candidate = make_id(name, fallback)
        number = 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        ids.append(candidate)
    return ids


def audience_ids(audiences: list[AudienceAnswer]) -> dict[str, str]:
    """Case-folded audience name or id → the audience's id."""
    ids = unique_ids((a.name for a in audiences), "audience")
    known = {a.name.casefold(): i for a, i in zip(audiences, ids, strict=True)}
    known.update({i: i for i in ids})
    return known


# --- the starter plan ---------------------------------------------------------------

HEADER = (
    N_("A social media plan made with 'kanava plan new'. Fill in the empty fields, then "
       "check the plan with: kanava plan check FILE"),
    N_("The plan answers four questions — who are our customers, what are we aiming for, "
       "how do we get there, which tools do we use — and moves through four phases: "
       "starting point, goal, plan and implementation. Keep it short and clear, write it "
       "together and review it regularly."),
    N_("People, audiences, goals and channels are referred to by their id. Every key is "
       "explained in the plan-file reference (docs/plan-reference.md)."),
)

SECTION_COMMENTS: dict[str, str] = {
    "kanava": N_("Version of the plan file format: leave it as it is."),
    "period": N_("The period the plan covers, e.g. '2026–2027'."),
    "summary": N_("The plan in a few sentences. Write it last: short and clear."),
    "organization": N_("Who the plan belongs to."),
    "questions": N_("The four questions every plan answers: People, Objectives, Strategy "
                    "and Technology."),
    "people": N_("People named in the plan. Elsewhere they are referred to by their id: add "
                 "everyone who owns a goal or a channel, answers the press or is an expert."),
    "starting_point": N_("Phase 1, the starting point: how open the organization is today, "
                         "the communication plan this plan belongs to, why it is on social "
                         "media, the staff's skills and the needs of internal communication."),
    "audiences": N_("The communication field: the groups we speak with, external (customers, "
                    "stakeholders, partners, owners) and internal (management, employees). "
                    "Say what each group needs and where it is online: channels go only "
                    "where the audience is."),
    "benchmarks": N_("Peers' social media solutions: which channels they use, how active "
                     "they are and how their content is received."),
    "goals": N_("Phase 2, the goals: short- and long-term, external and internal. Each goal "
                "serves one of the five objectives (listen, talk, energize, support, "
                "embrace), has a responsible person, says what the customer gains and is "
                "measured by KPIs with a baseline, a target and a deadline."),
    "gap_analysis": N_("The gap analysis: how we are today, how we want to be, and what we "
                       "must do to get there."),
    "channels": N_("Phase 3, the plan: the channels, chosen by need rather than every "
                   "service. Each channel has its own goal (purpose), audiences, content "
                   "types, update interval (cadence), tone and owner. Internal channels "
                   "count too."),
    "content": N_("The content plan: themes, the media planned per channel (texts, images, "
                  "video, presentations) and the fixed points of the year's calendar."),
    "responsibilities": N_("Who answers what: press enquiries, the daily follow-up of the "
                           "channels, expert questions topic by topic, and who may speak "
                           "for the organization."),
    "resources": N_("Time and money for social media in total."),
    "guidelines": N_("Guidelines for staff: what, what not, how, where, who, to whom, why "
                     "and why not; what is expected of employees; style and tone; and how "
                     "to answer negative feedback."),
    "training": N_("Training and skills development where the staff's skills fall short."),
    "management_commitment": N_("Management's commitment to the plan, in its own words."),
    "monitoring": N_("Phase 4, implementation: what we listen to — our own channels, "
                     "external forums and keywords."),
    "review": N_("How often and how the plan is reviewed: the process matters more than the "
                 "finished document."),
}

QUESTION_COMMENTS: dict[str, str] = {
    "who": N_("People: who are our customers?"),
    "what": N_("Objectives: what are we aiming for?"),
    "how": N_("Strategy: how do we get there?"),
    "tools": N_("Technology: which tools do we use?"),
}

ALLOWED = N_("Allowed values: {values}.")


def starter_plan(answers: Answers) -> str:
    """The starter plan as YAML text with comments in the plan's language.

    The text is validated as a plan and written by the loader's own dumper, so it loads
    with :func:`~kanava.plans.loader.load_text` and saves back unchanged.
    """
    document = _document(answers)
    plan = Plan.model_validate(to_plain(document))
    return dump_text(LoadedPlan(plan=plan, document=document))


def _document(answers: Answers) -> CommentedMap:
    lang = answers.language
    owner = make_id(answers.owner_name, "owner")
    doc = CommentedMap()
    doc["kanava"] = 1
    doc["title"] = answers.title
    doc["language"] = answers.language
    doc["timezone"] = answers.timezone
    doc["period"] = None
    doc["summary"] = None
    doc["organization"] = _map(name=answers.organization, kind=answers.organization_kind)
    _allowed(doc["organization"], "kind", OrganizationKind, lang, indent=2)
    doc["questions"] = _questions(answers)
    doc["people"] = _seq([_person(answers, owner)])
    doc["starting_point"] = _starting_point(answers)
    doc["audiences"] = _seq([_audience(a, i) for a, i in _with_ids(answers.audiences)])
    doc["benchmarks"] = _seq([])
    doc["goals"] = _seq([_goal(answers.goal, owner)] if answers.goal else [])
    doc["gap_analysis"] = _seq([])
    doc["channels"] = _seq(_channels(answers, owner))
    doc.update(_empty_sections(lang))
    for key, message in SECTION_COMMENTS.items():
        _comment(doc, key, gettext(message, lang), indent=0, blank=True)
    doc.yaml_set_start_comment(_start_comment(lang))
    return doc


def _start_comment(lang: str) -> str:
    paragraphs = [_wrap(gettext(message, lang), COMMENT_WIDTH) for message in HEADER]
    return f"yaml-language-server: $schema={SCHEMA_FILE}\n\n" + "\n\n".join(paragraphs)


def _questions(answers: Answers) -> CommentedMap:
    questions = _map(who=answers.who, what=answers.what, how=answers.how, tools=answers.tools)
    for key, message in QUESTION_COMMENTS.items():
        _comment(questions, key, gettext(message, answers.language), indent=2)
    return questions


def _person(answers: Answers, owner: str) -> CommentedMap:
    person = _map(id=owner, name=answers.owner_name)
    if answers.owner_role:
        person["role"] = answers.owner_role
    if answers.owner_email:
        person["email"] = answers.owner_email
    return person


def _starting_point(answers: Answers) -> CommentedMap:
    skills = _map(level=answers.skills_level, notes=None)
    _allowed(skills, "level", SkillLevel, answers.language, indent=4)
    return _map(
        openness=_map(external=answers.openness_external, internal=answers.openness_internal),
        communication_plan=answers.communication_plan,
        why=answers.why,
        staff_skills=skills,
        internal_needs=_seq(answers.internal_needs),
    )


def _with_ids(audiences: list[AudienceAnswer]) -> list[tuple[AudienceAnswer, str]]:
    return list(zip(audiences, unique_ids((a.name for a in audiences), "audience"), strict=True))


def _audience(answer: AudienceAnswer, audience_id: str) -> CommentedMap:
    return _map(id=audience_id, name=answer.name, kind=answer.kind, scope=answer.scope,
                needs=_seq(answer.needs), online=_seq(answer.online))


def _goal(answer: GoalAnswer, owner: str) -> CommentedMap:
    return _map(id=make_id(answer.title, "goal"), title=answer.title, horizon=answer.horizon,
                scope=answer.scope, objective=answer.objective, customer_benefit=None,
                owner=owner, kpis=_seq([]))


def _channels(answers: Answers, owner: str) -> list[CommentedMap]:
    known = audience_ids(answers.audiences)
    goals = [make_id(answers.goal.title, "goal")] if answers.goal else []
    ids = unique_ids((c.name for c in answers.channels), "channel")
    return [_channel(c, i, owner, goals, [known[a.casefold()] for a in c.audiences])
            for c, i in zip(answers.channels, ids, strict=True)]


def _channel(answer: ChannelAnswer, channel_id: str, owner: str, goals: list[str],
             audiences: list[str]) -> CommentedMap:
    channel = _map(id=channel_id, name=answer.name, network=answer.network)
    if answer.handle:
        channel["handle"] = answer.handle
    channel.update(purpose=answer.purpose, goals=_seq(goals), audiences=_seq(audiences),
                   content_types=_seq([]))
    if answer.posts_per_week:
        channel["cadence"] = _map(posts=_plain_number(answer.posts_per_week), per="week")
    channel["owner"] = owner
    return channel


def _plain_number(value: float) -> float | int:
    return int(value) if value.is_integer() else value


def _empty_sections(lang: str) -> CommentedMap:
    """The sections the questionnaire does not ask about, with their keys left empty."""
    review = _map(cycle=None, next=None, owner=None, process=None)
    _allowed(review, "cycle", ReviewCycle, lang, indent=2)
    return _map(
        content=_map(themes=_seq([]), formats=_seq([]), calendar=_seq([])),
        responsibilities=_map(press=_seq([]), daily=_seq([]), experts=_seq([]),
                              representatives=_seq([])),
        resources=_map(hours_per_week=None, budget=None, notes=None),
        guidelines=_map(staff=_map(what=None, what_not=None, how=None, where=None, who=None,
                                   to_whom=None, why=None, why_not=None),
                        expected_of_employees=None, style=None, negative_feedback=None),
        training=_seq([]),
        management_commitment=_map(statement=None, by=None),
        monitoring=_map(own=_seq([]), external=_seq([]), keywords=_seq([])),
        review=review,
    )


def _map(**items: Any) -> CommentedMap:
    return CommentedMap(items)


def _seq(items: Iterable[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    if not seq:
        seq.fa.set_flow_style()  # an empty list reads as '[]', an invitation to fill it
    return seq


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False))


def _comment(node: CommentedMap, key: str, text: str, *, indent: int,
             blank: bool = False) -> None:
    """Put the (translated) ``text`` as a comment before ``key``; ``blank`` adds a blank line."""
    lines = _wrap(text, COMMENT_WIDTH - indent)
    node.yaml_set_comment_before_after_key(key, before=("\n" if blank else "") + lines,
                                           indent=indent)


def _allowed(node: CommentedMap, key: str, literal: Any, lang: str, *, indent: int) -> None:
    values = ", ".join(str(v) for v in typing.get_args(literal))
    _comment(node, key, gettext(ALLOWED, lang, values=values), indent=indent)


# --- answers from a file ------------------------------------------------------------

def load_answers(text: str, file: str, lang: str | None = None) -> Answers:
    """Answers from YAML or JSON text; every bad answer is named in one WizardError."""
    try:
        data = YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        raise WizardError([gettext(N_("{file}: cannot read the answers: {reason}"), lang,
                                   file=file, reason=str(exc).strip())]) from None
    if not isinstance(data, dict):
        raise WizardError([gettext(N_("{file}: the answers must be a mapping of keys such as "
                                      "'title:' and 'organization:'."), lang, file=file)])
    try:
        return Answers.model_validate(data)
    except ValidationError as exc:
        raise WizardError([_answer_problem(error, file, lang) for error in exc.errors()]) from None


def _answer_problem(error: Any, file: str, lang: str | None) -> str:
    path = format_path(tuple(p for p in error["loc"] if isinstance(p, str | int)))
    return gettext(N_("{file}: bad answer for '{field}': {reason}"), lang, file=file,
                   field=path or "-", reason=_reason(error, lang))


def _reason(error: Any, lang: str | None = None,
            root: type[BaseModel] | None = None) -> str:
    if error["type"] == "extra_forbidden":
        return gettext(N_("the wizard asks no such question; check the spelling."), lang)
    if error["type"] == "missing":
        return gettext(N_("the answer is required."), lang)
    reason = REASONS.get(error["type"])
    if reason:
        return gettext(reason, lang, **(error.get("ctx") or {}))
    path = tuple(p for p in error["loc"] if isinstance(p, str | int))
    return describe_error(error, path, lang, root=root or Answers)


# --- asking a person ----------------------------------------------------------------

#: ``prompt(question, default) -> answer``; the default is '' when there is none.
PromptFn = Callable[[str, str], str]
MessageKind = Literal["heading", "problem", "info"]
#: ``say(text, kind)`` shows a heading, a problem with an answer, or advice.
SayFn = Callable[[str, MessageKind], None]


def _silent(text: str, kind: MessageKind) -> None:
    """The default ``say``: tests and scripts need no chatter."""


def ask(prompt_fn: PromptFn, lang: str | None = None, say: SayFn = _silent,
        default_language: str = "en") -> Answers:
    """Walk a person through the questionnaire; a bad answer is asked again.

    ``lang`` is the language of the questions; ``default_language`` the plan language
    offered first. Raises :class:`WizardError` after :data:`MAX_TRIES` bad answers.
    """
    asker = _Asker(prompt_fn, say, lang)
    data: dict[str, Any] = {}
    data.update(asker.plan(default_language))
    data.update(asker.organization())
    data.update(asker.questions())
    data.update(asker.starting_point())
    data.update(asker.owner())
    data.update(asker.first_items())
    try:
        return Answers.model_validate(data)
    except ValidationError as exc:
        raise WizardError([_answer_problem(e, "-", lang) for e in exc.errors()]) from None


class _Asker:
    """Asks single questions, validating each answer against the Answers models."""

    def __init__(self, prompt_fn: PromptFn, say: SayFn, lang: str | None) -> None:
        self.prompt_fn = prompt_fn
        self.say = say
        self.lang = lang

    def t(self, message: str, **params: Any) -> str:
        return gettext(message, self.lang, **params)

    def value(self, model: type[BaseModel], field: str, question: str,
              default: str = "", convert: Callable[[str], Any] | None = None,
              **params: Any) -> Any:
        """Ask until the answer is valid for ``model.field``.

        A list field takes comma-separated values unless ``convert`` says otherwise.
        """
        convert = convert or (_split if _is_list(model, field) else None)
        for _ in range(MAX_TRIES):
            raw = self.prompt_fn(self.t(question, **params), default)
            try:
                return check_field(model, field, convert(raw) if convert else raw)
            except ValidationError as exc:
                self.say(self.t(N_("Please answer again: {reason}"),
                                reason=_reason(exc.errors()[0], self.lang, model)), "problem")
        raise WizardError([self.t(N_("Too many invalid answers to '{question}'; nothing was "
                                     "written."), question=self.t(question, **params))])

    def choice(self, model: type[BaseModel], field: str, question: str, literal: Any,
               default: str = "") -> Any:
        values = ", ".join(str(v) for v in typing.get_args(literal))
        return self.value(model, field, question, default, choices=values)

    def items(self, model: type[BaseModel], field: str, question: str) -> list[Any]:
        """Ask for one item at a time until the answer is empty."""
        found: list[Any] = []
        for _ in range(MAX_ITEMS):
            item = self.value(model, field, question, convert=_one_item)
            if not item:
                break
            found.extend(item)
        return found

    def yes(self, question: str) -> bool:
        yes_words = {"y", "yes", self.t(N_("y")).casefold(), self.t(N_("yes")).casefold()}
        no_words = {"", "n", "no", self.t(N_("n")).casefold(), self.t(N_("no")).casefold()}
        for _ in range(MAX_TRIES):
            answer = self.prompt_fn(self.t(question), self.t(N_("no"))).strip().casefold()
            if answer in yes_words | no_words:
                return answer in yes_words
            self.say(self.t(N_("Please answer yes or no.")), "problem")
        raise WizardError([self.t(N_("Too many invalid answers to '{question}'; nothing was "
                                     "written."), question=self.t(question))])

    def plan(self, default_language: str) -> dict[str, Any]:
        self.say(self.t(N_("A new social media plan. Press Enter to skip a question you "
                           "cannot answer yet; you can fill it in later.")), "info")
        language = self.choice(Answers, "language", N_("Language of the plan ({choices})"),
                               Language, default_language)
        return {
            "language": language,
            "title": self.value(Answers, "title", N_("Title of the plan"),
                                gettext(N_("Social media plan"), language)),
            "timezone": self.value(Answers, "timezone", N_("Time zone"), TIMEZONES[language]),
        }

    def organization(self) -> dict[str, Any]:
        self.say(self.t(N_("The organization")), "heading")
        return {
            "organization": self.value(Answers, "organization", N_("Name of the organization")),
            "organization_kind": self.choice(Answers, "organization_kind",
                                             N_("What sort of organization is it? ({choices})"),
                                             OrganizationKind, "other"),
        }

    def questions(self) -> dict[str, Any]:
        self.say(self.t(N_("The four questions")), "heading")
        return {
            "who": self.value(Answers, "who", N_("Who are our customers?")),
            "what": self.value(Answers, "what", N_("What are we aiming for?")),
            "how": self.value(Answers, "how", N_("How do we get there?")),
            "tools": self.value(Answers, "tools", N_("Which tools do we use?")),
        }

    def starting_point(self) -> dict[str, Any]:
        self.say(self.t(N_("The starting point")), "heading")
        return {
            "openness_external": self.value(
                Answers, "openness_external",
                N_("How open is the organization's external communication today?")),
            "openness_internal": self.value(
                Answers, "openness_internal",
                N_("How open is its internal communication today?")),
            "communication_plan": self.value(
                Answers, "communication_plan",
                N_("Which communication plan does this plan belong to (a name or a link)?")),
            "why": self.value(Answers, "why",
                              N_("Why is the organization on social media?")),
            "skills_level": self.choice(
                Answers, "skills_level",
                N_("How good are the staff's social media skills? ({choices})"), SkillLevel),
            "internal_needs": self.items(
                Answers, "internal_needs",
                N_("A need of internal communication (empty to go on)")),
        }

    def owner(self) -> dict[str, Any]:
        self.say(self.t(N_("The plan's owner")), "heading")
        return {
            "owner_name": self.value(Answers, "owner_name",
                                     N_("Who owns the plan? Full name")),
            "owner_role": self.value(Answers, "owner_role", N_("Their role")),
            "owner_email": self.value(Answers, "owner_email", N_("Their e-mail address")),
        }

    def first_items(self) -> dict[str, Any]:
        audiences = self.audiences()
        goal = self.goal()
        return {"audiences": audiences, "goal": goal,
                "channels": self.channels(audiences, has_goal=goal is not None)}

    def audiences(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        self.say(self.t(N_("The communication field")), "heading")
        while len(found) < MAX_ITEMS and self.yes(
                N_("Add an audience?") if not found else N_("Add another audience?")):
            found.append({
                "name": self.value(AudienceAnswer, "name", N_("Name of the group")),
                "kind": self.choice(AudienceAnswer, "kind",
                                    N_("What sort of group is it? ({choices})"),
                                    AudienceKind, "other"),
                "scope": self.choice(AudienceAnswer, "scope",
                                     N_("Outside or inside the organization? ({choices})"),
                                     Scope, "external"),
                "needs": self.items(AudienceAnswer, "needs",
                                    N_("Something the group needs from us (empty to go on)")),
                "online": self.value(AudienceAnswer, "online",
                                     N_("Where is the group online? Networks, separated by "
                                        "commas")),
            })
        return found

    def goal(self) -> dict[str, Any] | None:
        self.say(self.t(N_("A first goal")), "heading")
        if not self.yes(N_("Add a first goal?")):
            return None
        return {
            "title": self.value(GoalAnswer, "title", N_("The goal in one sentence")),
            "objective": self.choice(GoalAnswer, "objective",
                                     N_("Which objective does it serve? ({choices})"),
                                     Objective),
            "horizon": self.choice(GoalAnswer, "horizon",
                                   N_("Short-term or long-term? ({choices})"), Horizon),
            "scope": self.choice(GoalAnswer, "scope",
                                 N_("External or internal communication? ({choices})"),
                                 Scope, "external"),
        }

    def channels(self, audiences: list[dict[str, Any]], has_goal: bool) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        self.say(self.t(N_("The channels")), "heading")
        if not has_goal:
            self.say(self.t(N_("Every channel must serve a goal: add goals to the plan "
                               "before you check it.")), "info")
        while len(found) < MAX_ITEMS and self.yes(
                N_("Add a channel?") if not found else N_("Add another channel?")):
            found.append(self.channel(audiences))
        return found

    def channel(self, audiences: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "name": self.value(ChannelAnswer, "name", N_("Name of the channel")),
            "network": self.choice(ChannelAnswer, "network",
                                   N_("Which network or tool? ({choices})"), Network),
            "purpose": self.value(ChannelAnswer, "purpose",
                                  N_("The channel's own goal, in a sentence")),
            "handle": self.value(ChannelAnswer, "handle", N_("Account name or address")),
            "posts_per_week": self.value(ChannelAnswer, "posts_per_week",
                                         N_("How many posts per week?")),
            "audiences": self.channel_audiences(audiences),
        }

    def channel_audiences(self, audiences: list[dict[str, Any]]) -> list[str]:
        names = [str(a["name"]) for a in audiences]
        known = {name.casefold() for name in names}
        question = N_("Which audiences does it reach? Names, separated by commas")
        for _ in range(MAX_TRIES):
            chosen = _split(self.prompt_fn(self.t(question), ", ".join(names)))
            unknown = [name for name in chosen if name.casefold() not in known]
            if not unknown:
                return chosen
            self.say(self.t(N_("'{name}' is not one of the audiences: {audiences}."),
                            name=unknown[0], audiences=", ".join(names)), "problem")
        raise WizardError([self.t(N_("Too many invalid answers to '{question}'; nothing was "
                                     "written."), question=self.t(question))])


def check_field(model: type[BaseModel], field: str, value: Any) -> Any:
    """``value`` validated as ``model.field`` alone, or a ValidationError."""
    draft = model.model_construct()
    setattr(draft, field, value)
    return getattr(draft, field)


def _is_list(model: type[BaseModel], field: str) -> bool:
    return typing.get_origin(model.model_fields[field].annotation) is list


def _one_item(raw: str) -> list[str]:
    """A whole answer as one list item: needs are sentences and may hold commas."""
    return [raw] if raw.strip() else []


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]
