"""What the editor calls each field of the plan and of the wizard's answers.

Keys are ``Model.field``. A test walks the models and fails when a field has no label
here, so a field added to the model cannot reach the forms with its raw key as label.
The four questions and the staff guideline's eight questions are worded once, in
:mod:`kanava.plans.labels`, and taken from there.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FIELD_LABELS: dict[str, str | Promise] = {
    # the plan itself
    "Plan.title": _("Title of the plan"),
    "Plan.language": _("Language the plan is written in"),
    "Plan.timezone": _("Time zone"),
    "Plan.period": _("Period the plan covers"),
    "Plan.version": _("Version label"),
    "Plan.summary": _("Summary: the plan in a few sentences"),
    "Plan.customer_benefits": _("What customers gain from our presence on social media"),
    "Plan.organization": _("Organization"),
    "Plan.questions": _("The four questions"),
    "Plan.people": _("People"),
    "Plan.starting_point": _("Starting point"),
    "Plan.audiences": _("Audiences"),
    "Plan.benchmarks": _("Benchmarks"),
    "Plan.goals": _("Goals"),
    "Plan.gap_analysis": _("Gap analysis"),
    "Plan.channels": _("Channels"),
    "Plan.content": _("Content plan"),
    "Plan.responsibilities": _("Responsibilities"),
    "Plan.resources": _("Resources"),
    "Plan.guidelines": _("Guidelines for staff"),
    "Plan.training": _("Training"),
    "Plan.management_commitment": _("Management's commitment"),
    "Plan.monitoring": _("Monitoring"),
    "Plan.review": _("Review"),
    # people
    "Person.id": _("Id"),
    "Person.name": _("Full name"),
    "Person.role": _("Role or job title"),
    "Person.email": _("E-mail address"),
    "Person.team": _("Team or unit"),
    # organization
    "Organization.name": _("Name of the organization"),
    "Organization.kind": _("Kind of organization"),
    "Organization.website": _("Website"),
    "Organization.mission": _("What the organization is for (mission)"),
    # starting point
    "Openness.external": _("Openness in external communication today"),
    "Openness.internal": _("Openness in internal communication today"),
    "StaffSkills.level": _("Overall skill level"),
    "StaffSkills.notes": _("What the staff can and cannot do yet"),
    "StartingPoint.openness": _("Culture of openness"),
    "StartingPoint.communication_plan": _("The communication plan this plan belongs to"),
    "StartingPoint.why": _("Why the organization is on social media"),
    "StartingPoint.staff_skills": _("The staff's social media skills"),
    "StartingPoint.internal_needs": _("Needs of internal communication"),
    "StartingPoint.notes": _("Anything else about the starting point"),
    # audiences
    "Audience.id": _("Id"),
    "Audience.name": _("Name of the group"),
    "Audience.kind": _("Kind of group"),
    "Audience.scope": _("Outside or inside the organization"),
    "Audience.needs": _("What the group needs from us"),
    "Audience.online": _("Where the group is online (networks or channel ids)"),
    "Audience.stakeholder": _("The group is a stakeholder rather than a customer"),
    # benchmarks
    "Benchmark.name": _("Peer organization"),
    "Benchmark.url": _("Where to see it"),
    "Benchmark.looked_at": _("Looked at on"),
    "Benchmark.channels": _("The peer's channels"),
    "Benchmark.lessons": _("What we learn from the peer"),
    "BenchmarkChannel.network": _("Network"),
    "BenchmarkChannel.activity": _("How active the peer is"),
    "BenchmarkChannel.followers": _("Followers when it was looked at"),
    "BenchmarkChannel.reception": _("How the peer's content is received"),
    # goals
    "Goal.id": _("Id"),
    "Goal.title": _("The goal in one sentence"),
    "Goal.horizon": _("Short-term or long-term"),
    "Goal.scope": _("External or internal communication"),
    "Goal.category": _("Category"),
    "Goal.objective": _("The objective it serves"),
    "Goal.mission": _("Why we pursue it"),
    "Goal.strategies": _("How we reach it: the strategies"),
    "Goal.customer_benefit": _("What the customer gains when it is reached"),
    "Goal.owner": _("Responsible person"),
    "Goal.audiences": _("Audiences it concerns"),
    "Goal.kpis": _("Measures (KPIs)"),
    "Kpi.metric": _("What is measured"),
    "Kpi.unit": _("Unit"),
    "Kpi.baseline": _("The figure today (baseline)"),
    "Kpi.target": _("The figure we aim for (target)"),
    "Kpi.deadline": _("Deadline"),
    "Kpi.channel": _("The channel measured, if only one"),
    "Kpi.source": _("Where the figure comes from"),
    "Kpi.milestones": _("Interim targets"),
    "Milestone.date": _("Date"),
    "Milestone.target": _("The figure expected by then"),
    # gap analysis
    "GapItem.area": _("What the row is about"),
    "GapItem.today": _("How we are today"),
    "GapItem.target": _("How we want to be"),
    "GapItem.actions": _("What we must do to get there"),
    "GapItem.today_value": _("Today's figure"),
    "GapItem.target_value": _("The target figure"),
    "GapItem.unit": _("Unit of the figures"),
    "GapItem.goal": _("The goal this row serves"),
    # channels
    "Channel.id": _("Id"),
    "Channel.name": _("Name shown in the plan"),
    "Channel.network": _("Network or internal tool"),
    "Channel.scope": _("External or internal"),
    "Channel.handle": _("Account name or address"),
    "Channel.status": _("Status"),
    "Channel.purpose": _("The channel's own goal (purpose)"),
    "Channel.goals": _("Goals the channel serves"),
    "Channel.audiences": _("Audiences it reaches"),
    "Channel.content_types": _("Kinds of content it carries"),
    "Channel.cadence": _("Update interval"),
    "Channel.tone": _("Tone of voice on this channel"),
    "Channel.owner": _("Responsible person"),
    "Channel.marketing_share": _("Share of posts that are marketing (0–1)"),
    "Channel.hours_per_week": _("Working hours a week it needs"),
    "Channel.budget": _("Budget"),
    "Cadence.posts": _("Number of posts"),
    "Cadence.per": _("Per"),
    "Budget.amount": _("Amount"),
    "Budget.currency": _("Currency (ISO code such as EUR)"),
    "Budget.per": _("Per"),
    # content plan
    "ContentPlan.themes": _("Content themes"),
    "ContentPlan.formats": _("Media per channel"),
    "ContentPlan.calendar": _("Fixed points of the year"),
    "Theme.id": _("Id"),
    "Theme.name": _("Name of the theme"),
    "Theme.description": _("What the theme covers"),
    "Theme.goals": _("Goals the theme serves"),
    "Theme.channels": _("Channels that carry it"),
    "ContentFormat.channel": _("Channel"),
    "ContentFormat.types": _("Content types planned for it"),
    "ContentFormat.per_month": _("Pieces planned per month"),
    "ContentFormat.notes": _("How the content is made"),
    "CalendarEntry.when": _("When: a date such as 2027-05-17, or a month or period in words"),
    "CalendarEntry.title": _("What happens"),
    "CalendarEntry.theme": _("Theme"),
    "CalendarEntry.channels": _("Channels used"),
    "CalendarEntry.repeat": _("Repeats"),
    # responsibilities
    "Responsibilities.press": _("Who answers press enquiries"),
    "Responsibilities.daily": _("Who follows and answers the channels day to day"),
    "Responsibilities.experts": _("Expert questions by topic"),
    "Responsibilities.representatives": _("Who may speak for the organization"),
    "ExpertTopic.topic": _("Topic"),
    "ExpertTopic.people": _("Who answers questions about it"),
    # resources
    "Resources.hours_per_week": _("Working hours a week available"),
    "Resources.budget": _("Money available"),
    "Resources.notes": _("How the resources are arranged"),
    # guidelines (the eight staff questions come from kanava.plans.labels)
    "Guidelines.staff": _("The staff guideline's eight questions"),
    "Guidelines.expected_of_employees": _("What is expected of every employee on social media"),
    "Guidelines.style": _("General style and tone"),
    "Guidelines.negative_feedback": _("How negative feedback is answered, step by step"),
    # training
    "Training.topic": _("What is taught"),
    "Training.audience": _("Who takes part"),
    "Training.when": _("When: a date such as 2027-01-15, or a period such as 2027-Q1"),
    "Training.owner": _("Who arranges it"),
    # management's commitment
    "Commitment.statement": _("Management's will on social media, in its own words"),
    "Commitment.by": _("Who in management stated it"),
    "Commitment.date": _("When it was stated"),
    # monitoring
    "Monitoring.own": _("Own channels followed"),
    "Monitoring.external": _("External forums followed"),
    "Monitoring.keywords": _("Words and names to listen for"),
    "Forum.name": _("Name of the forum"),
    "Forum.url": _("Where it is"),
    "Forum.network": _("Network it is on"),
    # review
    "Review.cycle": _("How often the plan is reviewed"),
    "Review.last": _("Last reviewed on"),
    "Review.next": _("Next review on"),
    "Review.owner": _("Who calls the review"),
    "Review.process": _("How the review is made together"),
    # the wizard's answers
    "Answers.title": _("Title of the plan"),
    "Answers.language": _("Language the plan is written in"),
    "Answers.timezone": _("The organization's time zone"),
    "Answers.organization": _("Name of the organization"),
    "Answers.organization_kind": _("Kind of organization"),
    "Answers.who": _("Who are our customers?"),
    "Answers.what": _("What are we aiming for?"),
    "Answers.how": _("How do we get there?"),
    "Answers.tools": _("Which tools and services do we use?"),
    "Answers.openness_external": _("How open is our external communication today?"),
    "Answers.openness_internal": _("How open is our internal communication today?"),
    "Answers.communication_plan": _("Which communication plan does this plan belong to?"),
    "Answers.why": _("Why are we on social media?"),
    "Answers.skills_level": _("How good are the staff's social media skills?"),
    "Answers.internal_needs": _("What does internal communication need?"),
    "Answers.owner_name": _("Full name of the plan's owner"),
    "Answers.owner_role": _("The owner's role"),
    "Answers.owner_email": _("The owner's e-mail address"),
    "Answers.audiences": _("Audience"),
    "Answers.goal": _("A first goal"),
    "Answers.channels": _("Channel"),
    "AudienceAnswer.name": _("Name of the group"),
    "AudienceAnswer.kind": _("Kind of group"),
    "AudienceAnswer.scope": _("Outside or inside the organization"),
    "AudienceAnswer.needs": _("What the group needs from us"),
    "AudienceAnswer.online": _("Where the group is online (network names)"),
    "GoalAnswer.title": _("The goal in one sentence"),
    "GoalAnswer.objective": _("The objective it serves"),
    "GoalAnswer.horizon": _("Short-term or long-term"),
    "GoalAnswer.scope": _("External or internal communication"),
    "ChannelAnswer.name": _("Name of the channel"),
    "ChannelAnswer.network": _("Network or internal tool"),
    "ChannelAnswer.purpose": _("The channel's own goal (purpose)"),
    "ChannelAnswer.handle": _("Account name or address"),
    "ChannelAnswer.posts_per_week": _("Planned posts per week"),
    "ChannelAnswer.audiences": _("Audiences it reaches: their names from above"),
}

#: Fields whose label is one of the plan's own questions (kind of kanava.plans.labels).
QUESTION_LABELS: dict[str, str] = {"FourQuestions": "question",
                                   "StaffGuideline": "staff_question"}

#: Advice under an input, by the kind of input.
KIND_HELP: dict[str, str | Promise] = {
    "lines": _("Write one per line."),
    "id": _("Lower-case letters, digits, '-' and '_'. Leave it empty to make one from the "
            "name. Changing it changes it everywhere the plan refers to it."),
}

#: Advice under particular inputs.
FIELD_HELP: dict[str, str | Promise] = {
    "Channel.marketing_share": _("For example 0.05 for one post in twenty. At most one "
                                 "message in twelve (0.083) may be marketing."),
    "Channel.scope": _("Leave it empty to decide by the network: internal tools are "
                       "internal."),
    "Plan.timezone": _("A time zone name such as Europe/Helsinki."),
    "Answers.timezone": _("A time zone name such as Europe/Helsinki."),
}

#: How each section and list is introduced on its page.
SECTION_HELP: dict[str, str | Promise] = {
    "general": _("The plan's title, language and summary."),
    "organization": _("Who the plan belongs to."),
    "questions": _("The four questions every plan answers: People, Objectives, Strategy "
                   "and Technology."),
    "people": _("Everyone who owns a goal or a channel, answers the press or is an "
                "expert. Elsewhere the plan refers to them by their id."),
    "starting_point": _("Phase 1: how open the organization is today, why it is on social "
                        "media, the staff's skills and the needs of internal "
                        "communication."),
    "audiences": _("The communication field: the groups we speak with, what each needs "
                   "and where it is online."),
    "benchmarks": _("Peers' social media solutions: which channels they use, how active "
                    "they are and how their content is received."),
    "goals": _("Phase 2: short- and long-term goals, external and internal, each with an "
               "owner and measures."),
    "gap_analysis": _("How we are today, how we want to be, and what we must do to get "
                      "there."),
    "channels": _("Phase 3: the channels, each with its own goal, audiences, content, "
                  "update interval, tone and owner."),
    "content.themes": _("The themes of the content plan."),
    "content.formats": _("The media planned for each channel."),
    "content.calendar": _("The fixed points of the year."),
    "responsibilities": _("Who answers what, and who may speak for the organization."),
    "resources": _("Time and money for social media in total."),
    "guidelines": _("What staff may share and how, and how negative feedback is answered."),
    "training": _("Training where the staff's skills fall short."),
    "management_commitment": _("Management's commitment to the plan, in its own words."),
    "monitoring": _("Phase 4: what we listen to — our own channels, external forums and "
                    "keywords."),
    "review": _("How often and how the plan is reviewed together."),
}
