"""The social media plan as a typed model.

One plan file holds everything MISSION §1 asks for: the starting point, the
communication field, benchmarks, goals with KPIs, the gap analysis, channels, the
content plan, responsibilities and resources, staff guidelines, training,
management's commitment, monitoring and the review cycle.

The model only describes *shape*. Whether a plan is *good* (every channel has its own
goal, at most one message in twelve is marketing…) is decided by the rules in
:mod:`kanava.plans.rules`, so that a half-written plan still loads and can be checked.
People, audiences, goals, channels and themes are referenced by ``id``; broken
references are reported by the ``ref-unknown`` rule.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

FORMAT_VERSION = 1

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$"),
    Field(description="A short identifier: lower-case letters, digits, '-' and '_'."),
]
#: Control characters (NUL, escape, …) have no place in a plan and break databases and
#: terminals; tabs and line breaks are fine.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control_characters(value: str) -> str:
    if _CONTROL.search(value):
        raise PydanticCustomError("text_control", "control characters are not allowed")
    return value


Text = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_no_control_characters)]
ShortText = Annotated[str, StringConstraints(max_length=500),
                      AfterValidator(_no_control_characters)]

Language = Literal["en", "fi", "nb", "nn", "sv"]
Scope = Literal["external", "internal"]
Horizon = Literal["short", "long"]
Objective = Literal["listen", "talk", "energize", "support", "embrace"]
OrganizationKind = Literal[
    "company", "municipality", "agency", "university", "school", "nonprofit", "other"
]
AudienceKind = Literal[
    "customers", "residents", "stakeholders", "partners", "owners", "management",
    "employees", "media", "decision_makers", "job_seekers", "other",
]
ExternalCategory = Literal[
    "marketing", "customer_service", "cooperation", "awareness", "expertise",
    "product_support", "product_development", "reputation", "recruitment",
]
InternalCategory = Literal[
    "leadership", "transparency", "communication_culture", "joint_planning",
    "process_recording", "inhouse_expertise", "shared_content",
]
GoalCategory = Literal[ExternalCategory, InternalCategory]
Network = Literal[
    "facebook", "instagram", "x", "mastodon", "bluesky", "threads", "linkedin",
    "youtube", "tiktok", "flickr", "slideshare", "wordpress", "blog", "newsletter",
    "website", "rss", "podcast", "forum", "intranet", "wiki", "chat", "yammer", "teams", "other",
]
ContentType = Literal[
    "text", "blog", "link", "image", "video", "live", "story", "presentation",
    "podcast", "document", "event", "poll",
]
Period = Literal["day", "week", "month", "quarter", "year"]
SkillLevel = Literal["none", "basic", "good", "advanced"]
ReviewCycle = Literal["monthly", "quarterly", "half-yearly", "yearly"]

#: Networks that live inside the organization (MISSION §1 item 6: internal channels count).
INTERNAL_NETWORKS: frozenset[str] = frozenset({"intranet", "wiki", "chat", "yammer", "teams"})
#: Networks whose content is video first, so the content plan must hold video.
VIDEO_NETWORKS: frozenset[str] = frozenset({"youtube", "tiktok"})
#: Networks whose content is images first.
IMAGE_NETWORKS: frozenset[str] = frozenset({"instagram", "flickr"})


class Section(BaseModel):
    """Base of every part of the plan: unknown keys are errors, never silently dropped."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Person(Section):
    """Someone the plan gives a responsibility to."""

    id: Id
    name: ShortText = Field(description="Full name as it is shown in the plan.")
    role: ShortText | None = Field(
        None, description="Job title or role, e.g. 'Communications lead'."
    )
    email: ShortText | None = Field(None, description="E-mail address.")
    team: ShortText | None = Field(None, description="Team or unit the person belongs to.")


class Organization(Section):
    """Who the plan belongs to."""

    name: ShortText = Field(description="The organization's name.")
    kind: OrganizationKind = Field("other", description="What sort of organization it is.")
    website: ShortText | None = Field(None, description="The organization's home page.")
    mission: Text | None = Field(
        None, description="What the organization is for; the social media plan serves it."
    )


class FourQuestions(Section):
    """The four questions every plan answers (People, Objectives, Strategy, Technology)."""

    who: Text | None = Field(None, description="People: who are our customers and audiences?")
    what: Text | None = Field(None, description="Objectives: what are we aiming for?")
    how: Text | None = Field(None, description="Strategy: how do we get there?")
    tools: Text | None = Field(None, description="Technology: which tools and services do we use?")


class Openness(Section):
    """The culture of openness today."""

    external: Text | None = Field(None, description="Openness in external communication today.")
    internal: Text | None = Field(None, description="Openness in internal communication today.")


class StaffSkills(Section):
    """The staff's social media skills today."""

    level: SkillLevel | None = Field(None, description="Overall skill level of the staff.")
    notes: Text | None = Field(None, description="What the staff can and cannot do yet.")


class StartingPoint(Section):
    """Where the organization stands before the plan (phase 1, *lähtökohta*)."""

    openness: Openness = Field(default_factory=Openness, description="Culture of openness.")
    communication_plan: Text | None = Field(
        None, description="The existing communication plan this plan belongs to (name or link)."
    )
    why: Text | None = Field(None, description="Why the organization is on social media at all.")
    staff_skills: StaffSkills = Field(
        default_factory=StaffSkills, description="The staff's social media skills."
    )
    internal_needs: list[Text] = Field(
        default_factory=list, description="Needs of internal communication."
    )
    notes: Text | None = Field(None, description="Anything else about the starting point.")


class Audience(Section):
    """One group in the communication field: customers, stakeholders, employees…"""

    id: Id
    name: ShortText = Field(description="Name of the group.")
    kind: AudienceKind = Field("other", description="What sort of group it is.")
    scope: Scope = Field("external", description="Whether the group is outside or inside.")
    needs: list[Text] = Field(default_factory=list, description="What the group needs from us.")
    online: list[ShortText] = Field(
        default_factory=list,
        description="Where the group is online: network names or channel ids.",
    )
    stakeholder: bool = Field(
        False, description="The group is a stakeholder (not a customer) of the organization."
    )


class BenchmarkChannel(Section):
    """One channel of a peer organization."""

    network: Network = Field(description="The network the peer uses.")
    activity: ShortText | None = Field(None, description="How active the peer is, e.g. 'daily'.")
    followers: int | None = Field(None, ge=0, description="Followers when it was looked at.")
    reception: Text | None = Field(None, description="How the peer's content is received.")


class Benchmark(Section):
    """A peer's social media solution, recorded to compare against."""

    name: ShortText = Field(description="The peer organization.")
    url: ShortText | None = Field(None, description="Where to see it.")
    looked_at: dt.date | None = Field(None, description="When the peer was looked at.")
    channels: list[BenchmarkChannel] = Field(
        default_factory=list, description="The peer's channels."
    )
    lessons: Text | None = Field(None, description="What we learn from the peer.")


class Milestone(Section):
    """An interim target: where a KPI should be on the way to its deadline."""

    date: dt.date = Field(description="When the interim target is evaluated.")
    target: float = Field(description="The figure expected by then.")


class Kpi(Section):
    """A measure of a goal, with where we are and where we want to be."""

    metric: ShortText = Field(description="What is measured, e.g. 'followers' or 'answer time'.")
    unit: ShortText | None = Field(None, description="Unit of the figures, e.g. '%' or 'hours'.")
    baseline: float | None = Field(None, description="The figure today.")
    target: float | None = Field(None, description="The figure we aim for.")
    deadline: dt.date | None = Field(None, description="When the target must be reached.")
    channel: Id | None = Field(None, description="The channel measured, if only one.")
    source: ShortText | None = Field(None, description="Where the figure comes from.")
    milestones: list[Milestone] = Field(
        default_factory=list, description="Interim targets evaluated along the way."
    )


class Goal(Section):
    """A goal of the plan (phase 2, *tavoite*)."""

    id: Id
    title: ShortText = Field(description="The goal in one sentence.")
    horizon: Horizon | None = Field(None, description="Short-term or long-term.")
    scope: Scope = Field("external", description="External or internal communication.")
    category: GoalCategory | None = Field(
        None, description="Category from the seed's lists of external and internal goals."
    )
    objective: Objective | None = Field(
        None, description="The one of the five objectives it serves."
    )
    mission: Text | None = Field(None, description="Why we pursue it (mission, purpose).")
    strategies: list[Text] = Field(
        default_factory=list, description="How we reach it: the strategies for this goal."
    )
    customer_benefit: Text | None = Field(
        None, description="What the customer or audience gains when it is reached."
    )
    owner: Id | None = Field(None, description="The person responsible (a person id).")
    audiences: list[Id] = Field(default_factory=list, description="Audiences it concerns.")
    kpis: list[Kpi] = Field(default_factory=list, description="How it is measured.")


class GapItem(Section):
    """One row of the gap analysis: today, the target, and the actions between them."""

    area: ShortText = Field(description="What the row is about.")
    today: Text | None = Field(None, description="How we are today.")
    target: Text | None = Field(None, description="How we want to be.")
    actions: list[Text] = Field(
        default_factory=list, description="What we must do to get there."
    )
    today_value: float | None = Field(None, description="Today's figure, if there is one.")
    target_value: float | None = Field(None, description="The target figure.")
    unit: ShortText | None = Field(None, description="Unit of the figures.")
    goal: Id | None = Field(None, description="The goal this row serves.")


class Cadence(Section):
    """How often a channel is updated, e.g. 3 posts per week."""

    posts: float = Field(gt=0, description="Number of posts per period.")
    per: Period = Field(description="The period.")

    def per_week(self) -> float:
        days = {"day": 1, "week": 7, "month": 30.44, "quarter": 91.31, "year": 365.25}
        return self.posts * 7 / days[self.per]


class Budget(Section):
    """Money set aside."""

    amount: float = Field(ge=0, description="The amount.")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        "EUR", description="ISO 4217 currency code."
    )
    per: Literal["month", "year"] = Field("year", description="The period of the amount.")


class Channel(Section):
    """A channel the organization uses, external or internal (phase 3, *suunnitelma*)."""

    id: Id
    name: ShortText = Field(description="Name shown in the plan, e.g. 'City of X on Facebook'.")
    network: Network = Field(description="The network or internal tool.")
    scope: Scope | None = Field(
        None, description="External or internal; by default internal for internal tools."
    )
    handle: ShortText | None = Field(None, description="Account name or address.")
    status: Literal["planned", "active", "retired"] = Field(
        "active", description="Whether the channel is in use."
    )
    purpose: Text | None = Field(None, description="The channel's own goal, in words.")
    goals: list[Id] = Field(default_factory=list, description="Goals the channel serves.")
    audiences: list[Id] = Field(default_factory=list, description="Audiences it reaches.")
    content_types: list[ContentType] = Field(
        default_factory=list, description="What kinds of content it carries."
    )
    cadence: Cadence | None = Field(None, description="Planned update interval.")
    tone: Text | None = Field(None, description="The tone of voice on this channel.")
    owner: Id | None = Field(None, description="The person responsible (a person id).")
    marketing_share: float | None = Field(
        None, ge=0, le=1, description="Share of posts that are marketing (0–1); at most 1/12."
    )
    hours_per_week: float | None = Field(None, ge=0, description="Time the channel needs.")
    budget: Budget | None = Field(None, description="Money the channel needs.")

    @property
    def effective_scope(self) -> str:
        if self.scope:
            return self.scope
        return "internal" if self.network in INTERNAL_NETWORKS else "external"


class Theme(Section):
    """A content theme of the content plan."""

    id: Id
    name: ShortText = Field(description="Name of the theme.")
    description: Text | None = Field(None, description="What the theme covers.")
    goals: list[Id] = Field(default_factory=list, description="Goals the theme serves.")
    channels: list[Id] = Field(default_factory=list, description="Channels that carry it.")


class ContentFormat(Section):
    """What a channel publishes: the media of the content plan, per channel."""

    channel: Id = Field(description="The channel (a channel id).")
    types: list[ContentType] = Field(description="Content types planned for it.")
    per_month: float | None = Field(None, ge=0, description="Pieces planned per month.")
    notes: Text | None = Field(None, description="How the content is made.")


class CalendarEntry(Section):
    """A fixed point of the yearly content calendar."""

    when: dt.date | ShortText = Field(
        description="A date (2026-05-17) or a month or period in words ('2026-05', 'May')."
    )
    title: ShortText = Field(description="What happens.")
    theme: Id | None = Field(None, description="The theme (a theme id).")
    channels: list[Id] = Field(default_factory=list, description="Channels used.")
    repeat: Literal["weekly", "monthly", "yearly"] | None = Field(
        None, description="How often the point recurs, if it does."
    )


class ContentPlan(Section):
    """Themes, media per channel and the calendar (MISSION §1 item 7)."""

    themes: list[Theme] = Field(default_factory=list, description="Content themes.")
    formats: list[ContentFormat] = Field(
        default_factory=list, description="Media planned per channel."
    )
    calendar: list[CalendarEntry] = Field(
        default_factory=list, description="Fixed points of the year."
    )


class ExpertTopic(Section):
    """A subject and the people who answer questions about it."""

    topic: ShortText = Field(description="The subject.")
    people: list[Id] = Field(description="Who answers (person ids).")


class Responsibilities(Section):
    """Who answers what, and who represents the organization."""

    press: list[Id] = Field(default_factory=list, description="Who answers press enquiries.")
    daily: list[Id] = Field(
        default_factory=list, description="Who follows and answers channels day to day."
    )
    experts: list[ExpertTopic] = Field(
        default_factory=list, description="Expert questions by topic."
    )
    representatives: list[Id] = Field(
        default_factory=list, description="Who may speak for the organization."
    )


class Resources(Section):
    """Time and money for social media in total."""

    hours_per_week: float | None = Field(None, ge=0, description="Working hours available.")
    budget: Budget | None = Field(None, description="Money available.")
    notes: Text | None = Field(None, description="How the resources are arranged.")


class StaffGuideline(Section):
    """The staff guideline's eight questions: what, what not, how, where, who, to whom, why,
    why not."""

    what: Text | None = Field(None, description="What staff may share.")
    what_not: Text | None = Field(None, description="What staff must not share.")
    how: Text | None = Field(None, description="How to write and behave.")
    where: Text | None = Field(None, description="In which services.")
    who: Text | None = Field(None, description="Who may speak in the organization's name.")
    to_whom: Text | None = Field(None, description="To whom we speak.")
    why: Text | None = Field(None, description="Why we are on social media.")
    why_not: Text | None = Field(None, description="When and why we stay out.")


STAFF_QUESTIONS: tuple[str, ...] = (
    "what", "what_not", "how", "where", "who", "to_whom", "why", "why_not"
)


class Guidelines(Section):
    """Guidelines for staff (MISSION §1 item 9)."""

    staff: StaffGuideline = Field(
        default_factory=StaffGuideline, description="The eight questions."
    )
    expected_of_employees: Text | None = Field(
        None, description="What is expected of every employee on social media."
    )
    style: Text | None = Field(None, description="General style and tone.")
    negative_feedback: Text | None = Field(
        None, description="How negative feedback is answered, step by step."
    )


class Training(Section):
    """Training and skills development."""

    topic: ShortText = Field(description="What is taught.")
    audience: ShortText | None = Field(None, description="Who takes part.")
    when: dt.date | ShortText | None = Field(
        None, description="When: a date (2027-01-15) or a period ('2027-Q1')."
    )
    owner: Id | None = Field(None, description="Who arranges it (a person id).")


class Commitment(Section):
    """Management's stated commitment to the plan."""

    statement: Text | None = Field(
        None, description="Management's will on social media, in its own words."
    )
    by: Id | None = Field(None, description="Who in management stated it (a person id).")
    date: dt.date | None = Field(None, description="When it was stated.")


class Forum(Section):
    """An external forum to follow."""

    name: ShortText = Field(description="Name of the forum.")
    url: ShortText | None = Field(None, description="Where it is.")
    network: Network | None = Field(None, description="Which network it is on.")


class Monitoring(Section):
    """Forums to follow and what to listen for (MISSION §3 item 15)."""

    own: list[Id] = Field(default_factory=list, description="Own channels followed (channel ids).")
    external: list[Forum] = Field(default_factory=list, description="External forums followed.")
    keywords: list[ShortText] = Field(
        default_factory=list, description="Words and names to listen for."
    )


class Review(Section):
    """How and when the plan is reviewed: the process matters more than the document."""

    cycle: ReviewCycle | None = Field(None, description="How often the plan is reviewed.")
    last: dt.date | None = Field(None, description="When it was last reviewed.")
    next: dt.date | None = Field(None, description="When it is next reviewed.")
    owner: Id | None = Field(None, description="Who calls the review (a person id).")
    process: Text | None = Field(None, description="How the review is made together.")


class Plan(Section):
    """A social media plan: starting point → goal → plan → implementation."""

    kanava: Literal[1] = Field(1, description="Version of the plan file format.")
    title: ShortText = Field(description="Title of the plan.")
    language: Language = Field("en", description="Language the plan is written in.")
    timezone: ShortText = Field("Europe/Helsinki", description="The organization's time zone.")
    period: ShortText | None = Field(None, description="Period the plan covers, e.g. '2026–2027'.")
    version: ShortText | None = Field(None, description="Version label of this plan.")
    summary: Text | None = Field(
        None, description="The plan in a few sentences: short and clear."
    )
    customer_benefits: list[Text] = Field(
        default_factory=list, description="What customers gain from our social media presence."
    )
    organization: Organization = Field(description="Who the plan belongs to.")
    questions: FourQuestions = Field(
        default_factory=FourQuestions, description="The four questions."
    )
    people: list[Person] = Field(default_factory=list, description="People named in the plan.")
    starting_point: StartingPoint = Field(
        default_factory=StartingPoint, description="Where we start."
    )
    audiences: list[Audience] = Field(
        default_factory=list, description="The communication field."
    )
    benchmarks: list[Benchmark] = Field(default_factory=list, description="Peers compared.")
    goals: list[Goal] = Field(default_factory=list, description="Goals with KPIs.")
    gap_analysis: list[GapItem] = Field(
        default_factory=list, description="Today, target and actions."
    )
    channels: list[Channel] = Field(default_factory=list, description="Channels used.")
    content: ContentPlan = Field(default_factory=ContentPlan, description="The content plan.")
    responsibilities: Responsibilities = Field(
        default_factory=Responsibilities, description="Who answers what."
    )
    resources: Resources = Field(default_factory=Resources, description="Time and money.")
    guidelines: Guidelines = Field(default_factory=Guidelines, description="Staff guidelines.")
    training: list[Training] = Field(default_factory=list, description="Training planned.")
    management_commitment: Commitment = Field(
        default_factory=Commitment, description="Management's commitment."
    )
    monitoring: Monitoring = Field(default_factory=Monitoring, description="What we follow.")
    review: Review = Field(default_factory=Review, description="The review cycle.")

    def person(self, person_id: str | None) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)

    def goal(self, goal_id: str | None) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id), None)

    def channel(self, channel_id: str | None) -> Channel | None:
        return next((c for c in self.channels if c.id == channel_id), None)

    def audience(self, audience_id: str | None) -> Audience | None:
        return next((a for a in self.audiences if a.id == audience_id), None)
