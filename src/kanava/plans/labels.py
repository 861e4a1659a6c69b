"""What a reader sees for each coded value of a plan: 'customer_service' → 'Customer service…'.

The plan file stores stable English codes (the ``Literal`` values of
:mod:`kanava.plans.model`); documents, the web app and reports show these labels in
the reader's language. Every label is marked with :func:`N_` so Babel extracts it.
"""

from __future__ import annotations

from kanava.i18n import N_, gettext

OBJECTIVES: dict[str, str] = {
    "listen": N_("Listening"),
    "talk": N_("Talking"),
    "energize": N_("Energizing"),
    "support": N_("Supporting"),
    "embrace": N_("Embracing"),
}

#: One line on what each objective means, so a reader new to the five needs no glossary.
OBJECTIVE_HINTS: dict[str, str] = {
    "listen": N_("We follow what is said and learn from it."),
    "talk": N_("We tell our story and take part in conversations."),
    "energize": N_("We help enthusiastic supporters spread the word."),
    "support": N_("We help people help themselves and each other."),
    "embrace": N_("We develop our services together with the people they serve."),
}

EXTERNAL_CATEGORIES: dict[str, str] = {
    "marketing": N_("Marketing"),
    "customer_service": N_("Customer service and feedback"),
    "cooperation": N_("Cooperation and participation"),
    "awareness": N_("Awareness and findability"),
    "expertise": N_("Showing expertise"),
    "product_support": N_("Product support"),
    "product_development": N_("Product development"),
    "reputation": N_("Reputation management"),
    "recruitment": N_("Recruitment and employer image"),
}

INTERNAL_CATEGORIES: dict[str, str] = {
    "leadership": N_("Leadership tool"),
    "transparency": N_("Transparency"),
    "communication_culture": N_("Communication culture"),
    "joint_planning": N_("Joint planning"),
    "process_recording": N_("Recording the process"),
    "inhouse_expertise": N_("Using in-house expertise"),
    "shared_content": N_("Shared content"),
}

HORIZONS: dict[str, str] = {"short": N_("Short-term"), "long": N_("Long-term")}

SCOPES: dict[str, str] = {"external": N_("External"), "internal": N_("Internal")}

#: Brand names are not marked for translation: they stay as the brands write them.
NETWORKS: dict[str, str] = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "threads": "Threads",
    "linkedin": "LinkedIn",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "flickr": "Flickr",
    "slideshare": "SlideShare",
    "wordpress": "WordPress",
    "blog": N_("Blog"),
    "newsletter": N_("Newsletter"),
    "website": N_("Website"),
    "rss": N_("RSS feed"),
    "podcast": N_("Podcast"),
    "forum": N_("Discussion forum"),
    "intranet": N_("Intranet"),
    "wiki": N_("Wiki"),
    "chat": N_("Chat"),
    "yammer": "Yammer",
    "teams": "Microsoft Teams",
    "other": N_("Other service"),
}

CONTENT_TYPES: dict[str, str] = {
    "text": N_("Text"),
    "blog": N_("Blog post"),
    "link": N_("Link"),
    "image": N_("Image"),
    "video": N_("Video"),
    "live": N_("Live broadcast"),
    "story": N_("Story"),
    "presentation": N_("Presentation"),
    "podcast": N_("Podcast episode"),
    "document": N_("Document"),
    "event": N_("Event"),
    "poll": N_("Poll"),
}

PERIODS: dict[str, str] = {
    "day": N_("day"),
    "week": N_("week"),
    "month": N_("month"),
    "quarter": N_("quarter"),
    "year": N_("year"),
}

#: "{n} per week" as one phrase per period, so each language can word it whole.
PER_PERIOD: dict[str, str] = {
    "day": N_("{n} per day"),
    "week": N_("{n} per week"),
    "month": N_("{n} per month"),
    "quarter": N_("{n} per quarter"),
    "year": N_("{n} per year"),
}

#: How often a point of the content calendar recurs.
REPEATS: dict[str, str] = {
    "weekly": N_("Every week"),
    "monthly": N_("Every month"),
    "yearly": N_("Every year"),
}

SKILL_LEVELS: dict[str, str] = {
    "none": N_("No skills yet"),
    "basic": N_("Basic"),
    "good": N_("Good"),
    "advanced": N_("Advanced"),
}

REVIEW_CYCLES: dict[str, str] = {
    "monthly": N_("Monthly"),
    "quarterly": N_("Quarterly"),
    "half-yearly": N_("Every six months"),
    "yearly": N_("Yearly"),
}

AUDIENCE_KINDS: dict[str, str] = {
    "customers": N_("Customers"),
    "residents": N_("Residents"),
    "stakeholders": N_("Stakeholders"),
    "partners": N_("Partners"),
    "owners": N_("Owners"),
    "management": N_("Management"),
    "employees": N_("Employees"),
    "media": N_("Media"),
    "decision_makers": N_("Decision-makers"),
    "job_seekers": N_("Job seekers"),
    "other": N_("Other"),
}

ORGANIZATION_KINDS: dict[str, str] = {
    "company": N_("Company"),
    "municipality": N_("Municipality"),
    "agency": N_("Public agency"),
    "university": N_("University"),
    "school": N_("School"),
    "nonprofit": N_("Non-profit organization"),
    "other": N_("Organization"),
}

CHANNEL_STATUS: dict[str, str] = {
    "planned": N_("Planned"),
    "active": N_("Active"),
    "retired": N_("Retired"),
}

#: The four questions every plan answers, as a reader asks them.
QUESTIONS: dict[str, str] = {
    "who": N_("Who are our customers?"),
    "what": N_("What are we aiming for?"),
    "how": N_("How do we get there?"),
    "tools": N_("Which tools do we use?"),
}

#: The area each of the four questions covers (People, Objectives, Strategy, Technology).
QUESTION_AREAS: dict[str, str] = {
    "who": N_("People"),
    "what": N_("Objectives"),
    "how": N_("Strategy"),
    "tools": N_("Technology"),
}

#: The eight questions of the staff guideline, worded as an employee would ask them.
STAFF_QUESTIONS: dict[str, str] = {
    "what": N_("What do we share?"),
    "what_not": N_("What do we not share?"),
    "how": N_("How do we write and behave?"),
    "where": N_("Where are we present?"),
    "who": N_("Who speaks for the organization?"),
    "to_whom": N_("To whom do we speak?"),
    "why": N_("Why are we on social media?"),
    "why_not": N_("When do we stay out, and why?"),
}

LABELS: dict[str, dict[str, str]] = {
    "objective": OBJECTIVES,
    "objective_hint": OBJECTIVE_HINTS,
    "category": {**EXTERNAL_CATEGORIES, **INTERNAL_CATEGORIES},
    "horizon": HORIZONS,
    "scope": SCOPES,
    "network": NETWORKS,
    "content_type": CONTENT_TYPES,
    "period": PERIODS,
    "per_period": PER_PERIOD,
    "repeat": REPEATS,
    "skill_level": SKILL_LEVELS,
    "review_cycle": REVIEW_CYCLES,
    "audience_kind": AUDIENCE_KINDS,
    "organization_kind": ORGANIZATION_KINDS,
    "channel_status": CHANNEL_STATUS,
    "question": QUESTIONS,
    "question_area": QUESTION_AREAS,
    "staff_question": STAFF_QUESTIONS,
}


def label(kind: str, value: str | None, lang: str) -> str:
    """The reader's label of ``value``; an unknown value is shown as it is, never lost.

    ``kind`` is a key of :data:`LABELS`; an unknown kind is a programming error and
    raises ``KeyError``.
    """
    if value is None:
        return ""
    labels = LABELS[kind]
    if value not in labels:
        return value
    return gettext(labels[value], lang)
