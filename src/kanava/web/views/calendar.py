"""The publishing calendar: month, week and list views of an organization's posts, with
the gaps where a channel's planned interval runs out, filters, and drag-and-drop
rescheduling (htmx). Thin over publishing.calendar (days, gaps) and services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanava.accounts.models import Organization
from kanava.accounts.roles import Action, can
from kanava.publishing import calendar, services
from kanava.publishing.models import Post
from kanava.publishing.workflow import STATE_NAMES, State, WorkflowError
from kanava.web.access import member_view
from kanava.web.views.posts import _plan

VIEW_NAMES = {"month": gettext_lazy("Month"), "week": gettext_lazy("Week"),
              "list": gettext_lazy("List")}
FILTERS = ("channel", "campaign", "state", "owner")
MAX_POSTS = 1_000  # in one view; a month of a busy organization is a few hundred


@dataclass
class Query:
    """What the calendar was asked to show: the view, its day and the filters."""

    view: calendar.View = "month"
    day: date | None = None
    filters: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, request: HttpRequest, today: date) -> Query:
        given = request.GET
        view = given.get("view", "month")
        try:
            day = date.fromisoformat(given.get("date", ""))
        except ValueError:
            day = today
        filters = {name: given[name][:100] for name in FILTERS if given.get(name)}
        return cls(view if view in calendar.VIEWS else "month", day, filters)

    def string(self, **changes: Any) -> str:
        """The query string of this view, with ``changes`` (None drops a parameter)."""
        values: dict[str, Any] = {"view": self.view,
                                  "date": self.day.isoformat() if self.day else None,
                                  **self.filters, **changes}
        return urlencode({k: v for k, v in values.items() if v})


def _zone(organization: Organization) -> ZoneInfo:
    return ZoneInfo(organization.timezone or "UTC")


def _filtered(organization: Organization, filters: dict[str, str]) -> QuerySet[Post]:
    posts = organization.posts.all()
    if filters.get("channel"):
        posts = posts.filter(variants__channel=filters["channel"])
    if filters.get("campaign"):
        posts = posts.filter(campaign=filters["campaign"])
    if filters.get("state") in State.__members__.values():
        posts = posts.filter(state=filters["state"])
    if filters.get("owner", "").isdigit():
        posts = posts.filter(author_id=int(filters["owner"]))
    return posts.distinct()


def _may_move(post: Post, role: str) -> bool:
    state = State(post.state)
    if state not in services.MOVABLE:
        return False
    needed = Action.APPROVE_POST if state in services.APPROVED_TIMES else Action.WRITE_POST
    return can(role, needed)


def _context(request: HttpRequest, organization: Organization, role: str,
             query: Query) -> dict[str, Any]:
    zone = _zone(organization)
    today = timezone.now().astimezone(zone).date()
    span = calendar.span(query.view, query.day or today)
    start, end = span.bounds(zone)
    plan = _plan(organization)
    names = services.plan_channel_names(plan)
    posts = list(_filtered(organization, query.filters)
                 .filter(publish_at__gte=start, publish_at__lt=end)
                 .select_related("author").prefetch_related("variants")
                 .order_by("publish_at", "pk")[:MAX_POSTS])
    by_day: dict[date, list[dict[str, Any]]] = {}
    for post in posts:
        assert post.publish_at is not None  # noqa: S101 - filtered above
        local = post.publish_at.astimezone(zone)
        by_day.setdefault(local.date(), []).append(_entry(request, organization, role, post,
                                                          local, names))
    cadences = services.plan_cadences(plan)
    if query.filters.get("channel"):
        cadences = [c for c in cadences if c.channel == query.filters["channel"]]
    gaps = calendar.gaps(cadences, services.channel_times(organization, start, end),
                         start, end, timezone.now())
    gap_days = calendar.gaps_by_day(gaps, zone)
    days = [{"day": day, "entries": by_day.get(day, []), "today": day == today,
             "outside": query.view == "month" and day.month != span.anchor.month,
             "gaps": [(names.get(gap.channel, gap.channel), gap.first)
                      for gap in gap_days.get(day, [])]}
            for day in span.days()]
    return {
        "query": query, "span": span, "days": days,
        "weeks": [days[i:i + 7] for i in range(0, len(days), 7)],
        "listed": [day for day in days if day["entries"] or day["gaps"]],
        "undated": _filtered(organization, query.filters).filter(publish_at=None)
        .exclude(state=State.FAILED).order_by("-pk")[:50],
        "cadences": [(names.get(c.channel, c.channel), c.posts_per_week) for c in cadences],
        "gap_count": len(gaps),
        "views": [(name, label, query.string(view=name)) for name, label in VIEW_NAMES.items()],
        "previous": query.string(date=span.previous.isoformat()),
        "next": query.string(date=span.next.isoformat()),
        "today_link": query.string(date=today.isoformat()),
        "options": _options(organization, names),
        "states": [(s.value, _(STATE_NAMES[s])) for s in State],
        "weekdays": [_(name) for name in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")],
        "move_query": query.string(),
        "can_write": can(role, Action.WRITE_POST),
    }


def _entry(request: HttpRequest, organization: Organization, role: str, post: Post,
           local: datetime, names: dict[str, str]) -> dict[str, Any]:
    variants = list(post.variants.all())
    first = variants[0].text if variants else ""
    return {
        "post": post, "time": local, "title": post.title or first[:60] or "—",
        "channels": [names.get(v.channel, v.channel) for v in variants],
        "state_name": _(STATE_NAMES[State(post.state)]),
        "move": reverse("calendar-move", kwargs={"org": organization.slug, "post": post.pk})
        if _may_move(post, role) else ""}


def _options(organization: Organization, names: dict[str, str]) -> dict[str, list[Any]]:
    used = organization.posts.values_list("variants__channel", flat=True).distinct()
    channels = {**names, **{c: names.get(c, c) for c in used if c}}
    campaigns = (organization.posts.exclude(campaign="").values_list("campaign", flat=True)
                 .distinct().order_by("campaign"))
    owners = [(str(m.user.pk), m.user.get_full_name() or m.user.get_username())
              for m in organization.memberships.select_related("user").order_by("user__username")]
    return {"channels": sorted(channels.items(), key=lambda item: item[1].lower()),
            "campaigns": list(campaigns), "owners": owners}


def _render(request: HttpRequest, organization: Organization, role: str, query: Query,
            error: str = "") -> HttpResponse:
    context = _context(request, organization, role, query)
    context["error"] = error
    template = ("kanava/_calendar.html" if request.headers.get("HX-Request")
                else "kanava/calendar.html")
    return render(request, template, context)


@member_view(Action.VIEW)
def calendar_page(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    today = timezone.now().astimezone(_zone(organization)).date()
    return _render(request, organization, role, Query.of(request, today))


@require_POST
@member_view(Action.WRITE_POST)
def calendar_move(request: HttpRequest, organization: Organization, role: str,
                  post: int) -> HttpResponse:
    """Move a post to the day it was dropped on, keeping its time of day."""
    found = get_object_or_404(Post, organization=organization, pk=post)
    zone = _zone(organization)
    query = Query.of(request, timezone.now().astimezone(zone).date())
    error = ""
    try:
        day = date.fromisoformat(request.POST.get("day", ""))
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        error = _("The post could not be moved: the day was not understood.")
    else:
        if not _may_move(found, role):
            error = _("You cannot move this post: an approved post is moved by a Lead or an "
                      "Owner, and a post being published or already published stays put.")
        elif found.publish_at is None:
            error = _("The post has no publish time to move.")
        else:
            try:
                services.reschedule(found, request.user, revision=revision,
                                    publish_at=calendar.moved(found.publish_at, day, zone))
            except WorkflowError as problem:
                error = problem.render(get_language())
    if not request.headers.get("HX-Request"):
        url = reverse("calendar", kwargs={"org": organization.slug})
        return redirect(f"{url}?{query.string()}")
    return _render(request, organization, role, query, error)


urlpatterns = [
    path("o/<slug:org>/calendar/", calendar_page, name="calendar"),
    path("o/<slug:org>/calendar/move/<int:post>/", calendar_move, name="calendar-move"),
]
