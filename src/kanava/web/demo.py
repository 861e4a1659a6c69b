"""The demo organizations: the example plans, and a person in every role.

``kanava demo`` loads them (again and again, without duplicates) and prints the log-ins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from kanava.accounts.models import Organization
from kanava.accounts.roles import Role
from kanava.accounts.services import do_create_organization, do_set_role
from kanava.planstore.services import do_import_plan

DEMO_PASSWORD = "kanava-demo-2026"  # noqa: S105 - a published demo password, on purpose


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    example: str
    timezone: str
    language: str


ORGANIZATIONS = (
    DemoOrganization("jarvela", "Järvelän kaupunki", "fi-kunta.yaml", "Europe/Helsinki", "fi"),
    DemoOrganization("husbanken", "Husbanken", "nb-husbanken.yaml", "Europe/Oslo", "nb"),
    DemoOrganization("kuura", "Kuura Outdoor Oy", "en-company.yaml", "Europe/Helsinki", "en"),
)
#: (user name, full name, role) — the same people in every demo organization.
PEOPLE = (
    ("owner", "Olivia Owner", Role.OWNER),
    ("lead", "Leo Lead", Role.LEAD),
    ("editor", "Edith Editor", Role.EDITOR),
    ("expert", "Esko Expert", Role.EXPERT),
    ("viewer", "Veera Viewer", Role.VIEWER),
)


def examples_dir() -> Path:
    """examples/ of a source checkout, or the copy packed into the wheel."""
    checkout = Path(__file__).resolve().parents[3] / "examples"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parents[1] / "examples"


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create what is missing of the demo; return (user name, password, role) to print."""
    users = {name: _user(name, full) for name, full, _role in PEOPLE}
    for demo in ORGANIZATIONS:
        organization = Organization.objects.filter(slug=demo.slug).first()
        if organization is None:
            organization = do_create_organization(users["owner"], demo.name, slug=demo.slug,
                                                  timezone_name=demo.timezone,
                                                  language=demo.language)
        for name, _full, role in PEOPLE:
            if organization.role_of(users[name]) is None:
                do_set_role(organization, users["owner"], users[name], role)
        if not organization.plans.exists():
            text = (examples_dir() / demo.example).read_text(encoding="utf-8")
            do_import_plan(organization, users["lead"], text, demo.example)
        if not organization.posts.exists():
            _posts(organization, users, DEMO_POSTS[demo.slug])
    return [(name, DEMO_PASSWORD, str(role.label)) for name, _full, role in PEOPLE]


#: (title, theme, days ahead, state to reach, {channel: text}) per demo organization.
DemoPost = tuple[str, str, int, str, dict[str, str]]
DEMO_POSTS: dict[str, list[DemoPost]] = {
    "jarvela": [
        ("Kirjaston aukioloajat", "arki", 14, "scheduled", {
            "facebook": "Pääkirjasto on joulukuussa auki myös sunnuntaisin klo 12–16. "
                        "Mitä toivoisitte sunnuntaiaukioloon?",
            "bluesky": "Pääkirjasto auki joulukuun sunnuntaisin klo 12–16 📚"}),
        ("Valtuuston päätökset", "paatokset", 21, "in_review", {
            "facebook": "Valtuusto päätti maanantaina uuden uimahallin rakentamisesta. "
                        "Kysy meiltä, vastaamme tänään klo 16 asti!"}),
        ("Joulutervehdys", "ihmiset", 30, "draft", {
            "facebook": "TODO: joulutervehdys ja kuva kaupungintalolta"}),
        ("Lumityöt", "arki", 2, "scheduled", {
            "facebook": "Aurauskalusto on liikkeellä koko yön. Missä tie on vielä "
                        "auraamatta? Kerro kommenteissa!",
            "bluesky": "Lumityöt käynnissä koko kaupungissa ❄️ Kerro, missä auraus viipyy."}),
        ("Nuorisotilan avajaiset", "ihmiset", 5, "in_review", {
            "facebook": "Uusi nuorisotila avautuu perjantaina klo 15. Mitä haluaisit "
                        "tilassa tehdä?",
            "instagram": "Nuorisotila avautuu perjantaina! Tule katsomaan 🎉"}),
        ("Budjettikysely", "paatokset", 9, "draft", {
            "facebook": "Mihin kaupungin pitäisi ensi vuonna käyttää rahaa? Vastaa "
                        "kyselyyn [link] 15.12. mennessä."}),
    ],
    "husbanken": [
        ("Startlån", "ordninger", 14, "scheduled", {
            "facebook": "Lurer du på om du kan få startlån? Vi svarer på spørsmål i "
                        "kommentarfeltet hele dagen.",
            "x": "Startlån: slik søker du, trinn for trinn. Spør oss gjerne!"}),
        ("Bostøtte i desember", "regelendringer", 21, "in_review", {
            "facebook": "Bostøtten utbetales 18. desember. Har du spørsmål om din sak?"}),
        ("Webinar for kommuner", "ordninger", 4, "scheduled", {
            "facebook": "Webinar for kommunene om startlån torsdag kl. 10. Hva vil dere "
                        "vite mer om?"}),
        ("Nye tall om bostøtte", "regelendringer", 8, "draft", {
            "x": "Nye tall: XXX husstander fikk bostøtte i november."}),
    ],
    "kuura": [
        ("Winter field test", "field-tests", 14, "scheduled", {
            "facebook": "Our jackets spent a week at -30 °C in Lapland. What should we "
                        "test next?",
            "linkedin": "Field test results: how our winter range held up at -30 °C."}),
        ("Repair café", "care-repair", 21, "draft", {
            "facebook": "Bring your worn Kuura gear to our repair café on Saturday!"}),
        ("Layering guide", "care-repair", 3, "scheduled", {
            "facebook": "Three layers, one rule: stay dry. How do you layer for -20 °C?",
            "linkedin": "Our designers on why layering beats one thick jacket."}),
        ("Meet the seamstresses", "field-tests", 6, "in_review", {
            "linkedin": "Meet the seamstresses of our Kajaani workshop. Which question "
                        "would you ask them?"}),
    ],
}


def _posts(organization: Organization, users: dict[str, object],
           posts: list[DemoPost]) -> None:
    """A few posts in different states, so the workbench has something to show."""
    from django.utils import timezone

    from kanava.publishing import services
    from kanava.publishing.services import VariantInput, plan_channels

    plan = organization.plans.first()
    channels, _themes = plan_channels(plan)
    zone = ZoneInfo(organization.timezone or "UTC")
    today = timezone.now().astimezone(zone).date()
    for n, (title, theme, days, state, texts) in enumerate(posts):
        variants = [VariantInput(c, channels[c], t) for c, t in texts.items() if c in channels]
        # Office hours in the organization's zone: 9, 12 or 15 o'clock.
        when = datetime.combine(today + timedelta(days=days), time(9 + 3 * (n % 3)), zone)
        post = services.create_post(
            organization, users["editor"], variants, title=title, theme=theme, plan=plan,
            publish_at=when)
        if state != "draft":
            post = services.submit(post, users["editor"])
        if state == "scheduled":
            post = services.approve(post, users["lead"], "lead")
            services.schedule(post, users["lead"])


def _user(username: str, full_name: str) -> object:
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    if user is None:
        first, last = full_name.split(" ", 1)
        user = model.objects.create_user(username=username, password=DEMO_PASSWORD,
                                         email=f"{username}@kanava.invalid",
                                         first_name=first, last_name=last)
    return user
