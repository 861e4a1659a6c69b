"""Reminders that keep the plan's rhythm: a channel whose planned interval is about to
run out with nothing planned is named to its owner, in their language, each morning.

The plan names each channel's owner (a person with an e-mail address); a member with that
address gets the reminder in their own language, anyone else in the organization's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone

from kanava.accounts.models import Organization
from kanava.i18n import N_, gettext
from kanava.publishing import calendar, services

AHEAD = timedelta(days=2)  # warn when an interval runs out this soon with nothing planned


@dataclass(frozen=True)
class Stale:
    """A channel whose interval runs out soon with nothing planned, and who owns it."""

    channel: str
    name: str
    due: datetime
    per_week: float
    owner_email: str


def stale_channels(organization: Organization, now: datetime) -> list[Stale]:
    """The organization's channels whose interval runs out within two days, unfilled."""
    plan = organization.plans.order_by("-versions__created").first()
    loaded = services.latest_plan(plan)
    if loaded is None:
        return []
    cadences = services.plan_cadences(plan)
    end = now + AHEAD
    times = services.channel_times(organization, now, end)
    # A channel never posted to through Kanava is not in use here yet: no reminders.
    used = [cadence for cadence in cadences if times.get(cadence.channel)]
    gaps = calendar.gaps(used, times, now, end, now)
    emails = {p.id: (p.email or "").strip() for p in loaded.people}
    channels = {c.id: c for c in loaded.channels}
    per_week = {c.channel: c.posts_per_week for c in cadences}
    found, seen = [], set()
    for gap in gaps:
        if gap.channel in seen:
            continue
        seen.add(gap.channel)
        channel = channels[gap.channel]
        found.append(Stale(gap.channel, channel.name, gap.start, per_week[gap.channel],
                           emails.get(channel.owner or "", "")))
    return found


def warn_stale_channels(now: datetime | None = None) -> int:
    """E-mail each stale channel's owner; returns how many reminders were sent."""
    now = now or timezone.now()
    sent = 0
    for organization in Organization.objects.all():
        zone = ZoneInfo(organization.timezone or "UTC")
        for stale in stale_channels(organization, now):
            if not stale.owner_email:
                continue
            language = _language(stale.owner_email) or organization.language
            due = stale.due.astimezone(zone)
            send_mail(
                gettext(N_("Nothing planned for {channel}"), language, channel=stale.name),
                gettext(N_("The plan gives {channel} {per_week} posts a week, and nothing is "
                           "planned after {due:%Y-%m-%d %H:%M}. Plan a post in Kanava's "
                           "calendar, or change the plan."), language, channel=stale.name,
                        per_week=f"{stale.per_week:g}", due=due),
                None, [stale.owner_email], fail_silently=True)
            sent += 1
    return sent


def _language(email: str) -> str:
    """The language of the member with this e-mail address, if there is one."""
    user = get_user_model().objects.filter(email__iexact=email).select_related(
        "profile").first()
    profile = getattr(user, "profile", None) if user else None
    return str(profile.language) if profile and profile.language else ""
