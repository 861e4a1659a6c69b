"""Posts: write one text per channel of the plan, see the checks, send for review,
approve and schedule; import a calendar from CSV. Thin over publishing.services."""

from __future__ import annotations

import hmac
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanava.accounts.models import Organization
from kanava.accounts.roles import Action, can
from kanava.connectors import registry
from kanava.planstore.models import PlanDocument
from kanava.publishing import feeds, services, utm
from kanava.publishing.models import MAX_TEXT_CHARS, FeedToken, Post, Variant
from kanava.publishing.workflow import EDITABLE, STATE_NAMES, State, WorkflowError
from kanava.web.access import member_view

EVENTS = {"created": gettext_lazy("written"), "edited": gettext_lazy("changed"),
          "submit": gettext_lazy("sent for review"), "approve": gettext_lazy("approved"),
          "request_changes": gettext_lazy("changes asked for"),
          "schedule": gettext_lazy("scheduled"), "rescheduled": gettext_lazy("moved"),
          "missed": gettext_lazy("missed its time: not approved and scheduled")}
ACTIONS = {"submit": Action.WRITE_POST, "request_changes": Action.APPROVE_POST,
           "approve": Action.APPROVE_POST, "schedule": Action.APPROVE_POST}
MAX_CSV_BYTES = 5_000_000


def _plan(organization: Organization) -> PlanDocument | None:
    return organization.plans.order_by("-versions__created").first()


class PostForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title (for the team)"), max_length=200,
                            required=False)
    publish_at = forms.DateTimeField(
        label=gettext_lazy("Publish at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    campaign = forms.CharField(label=gettext_lazy("Campaign"), max_length=100, required=False)
    theme = forms.ChoiceField(label=gettext_lazy("Theme"), required=False)
    marketing = forms.BooleanField(label=gettext_lazy("This post is marketing"),
                                   required=False)
    utm = forms.BooleanField(label=gettext_lazy("Add the campaign's tags (UTM) to the links"),
                             required=False, initial=True)

    def __init__(self, *args: Any, channels: dict[str, str], themes: list[str],
                 names: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channels = channels
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ChoiceField)  # noqa: S101 - narrows the type
        theme.choices = [("", "—"), *[(t, t) for t in themes]]
        for channel, network in channels.items():
            self.fields[f"text_{channel}"] = forms.CharField(
                label=f"{(names or {}).get(channel, channel)} ({network})", required=False,
                max_length=MAX_TEXT_CHARS,
                widget=forms.Textarea(attrs={"rows": 4}))
            self.fields[f"link_{channel}"] = forms.URLField(
                label=_("Link"), required=False, max_length=2_000, assume_scheme="https")

    def variants(self) -> list[services.VariantInput]:
        data = self.cleaned_data
        return [services.VariantInput(channel, network, data[f"text_{channel}"],
                                      self._link(channel, network))
                for channel, network in self.channels.items()
                if data.get(f"text_{channel}", "").strip() or data.get(f"link_{channel}")]

    def _link(self, channel: str, network: str) -> str:
        link = self.cleaned_data.get(f"link_{channel}") or ""
        campaign = self.cleaned_data.get("campaign") or ""
        if link and campaign and self.cleaned_data.get("utm"):
            return utm.tagged(link, campaign=campaign, network=network, channel=channel)
        return link

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not self.variants():
            raise forms.ValidationError(_("Write the post for at least one channel."))
        return cleaned


def _zone(organization: Organization) -> ZoneInfo:
    return ZoneInfo(organization.timezone or "UTC")


@member_view(Action.VIEW)
def post_list(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    posts = organization.posts.prefetch_related("variants").order_by("-publish_at", "-pk")
    state = request.GET.get("state", "")
    if state in State.__members__.values():
        posts = posts.filter(state=state)
    names = {s.value: _(STATE_NAMES[s]) for s in State}
    return render(request, "kanava/post_list.html", {
        "rows": [(post, names[post.state]) for post in posts[:500]], "state": state,
        "can_write": can(role, Action.WRITE_POST),
        "states": [(s.value, _(STATE_NAMES[s])) for s in State]})


@member_view(Action.WRITE_POST)
def post_new(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    plan = _plan(organization)
    channels, themes = services.plan_channels(plan)
    form = PostForm(request.POST or None, channels=channels, themes=themes,
                    names=services.plan_channel_names(plan))
    with timezone.override(_zone(organization)):  # times are typed in the organization's zone
        valid = request.method == "POST" and form.is_valid()
    if valid:
        data = form.cleaned_data
        when = data.get("publish_at")
        post = services.create_post(
            organization, request.user, form.variants(), title=data["title"],
            campaign=data["campaign"], theme=data["theme"], marketing=data["marketing"],
            publish_at=when, plan=plan)
        messages.success(request, _("The post was saved as a draft."))
        return redirect("post-detail", org=organization.slug, post=post.pk)
    return render(request, "kanava/post_form.html",
                  {"form": form, "plan": plan, "channels": list(channels)})


@member_view(Action.WRITE_POST)
def post_edit(request: HttpRequest, organization: Organization, role: str,
              post: int) -> HttpResponse:
    found = get_object_or_404(Post, organization=organization, pk=post)
    if State(found.state) not in EDITABLE:
        messages.error(request, _("A post that is being published or was published cannot "
                                  "be changed."))
        return redirect("post-detail", org=organization.slug, post=found.pk)
    channels, themes = services.plan_channels(found.plan or _plan(organization))
    for variant in found.variants.all():  # a channel since dropped from the plan stays
        channels.setdefault(variant.channel, variant.network)
    form = PostForm(request.POST or None, channels=channels, themes=themes,
                    names=services.plan_channel_names(found.plan or _plan(organization)),
                    initial=_initial(found, organization))
    with timezone.override(_zone(organization)):
        valid = request.method == "POST" and form.is_valid()
    if valid:
        data = form.cleaned_data
        try:
            services.edit_post(found, request.user, revision=int(request.POST.get("revision", 0)),
                               variants=form.variants(), title=data["title"],
                               campaign=data["campaign"], theme=data["theme"],
                               marketing=data["marketing"], publish_at=data.get("publish_at"))
        except WorkflowError as error:
            form.add_error(None, error.render(get_language()))
        else:
            messages.success(request, _("The post was saved."))
            return redirect("post-detail", org=organization.slug, post=found.pk)
    return render(request, "kanava/post_form.html", {
        "form": form, "channels": list(channels), "post": found, "revision": found.revision})


def _initial(post: Post, organization: Organization) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "title": post.title, "campaign": post.campaign, "theme": post.theme,
        "marketing": post.marketing,
        "publish_at": post.publish_at.astimezone(_zone(organization)) if post.publish_at
        else None}
    for variant in post.variants.all():
        initial[f"text_{variant.channel}"] = variant.text
        initial[f"link_{variant.channel}"] = variant.link
    return initial


@member_view(Action.VIEW)
def post_detail(request: HttpRequest, organization: Organization, role: str,
                post: int) -> HttpResponse:
    found = get_object_or_404(Post, organization=organization, pk=post)
    language = get_language()
    findings = services.findings(found)
    variants = []
    for variant in found.variants.all():
        limits = registry.limits(variant.network)
        variants.append({
            "variant": variant, "length": limits.length(variant.text) if limits else None,
            "limit": limits.max_length if limits else None,
            "findings": [(f.severity, f.render(language)) for f in findings
                         if f.channel == variant.channel]})
    state = State(found.state)
    return render(request, "kanava/post_detail.html", {
        "post": found, "variants": variants, "state_name": _(STATE_NAMES[state]),
        "events": [(event, EVENTS.get(event.event, event.event))
                   for event in found.events.select_related("actor")],
        "actions": _actions(state, role, found, request.user),
        "can_edit": state in EDITABLE and can(role, Action.WRITE_POST)})


def _actions(state: State, role: str, post: Post, user: Any) -> list[tuple[str, str]]:
    """The buttons this member sees for the post in its state."""
    offered = {State.DRAFT: [("submit", _("Send for review"))],
               State.IN_REVIEW: [("approve", _("Approve")),
                                 ("request_changes", _("Ask for changes"))],
               State.APPROVED: [("schedule", _("Schedule"))]}.get(state, [])
    return [(name, label) for name, label in offered if can(role, ACTIONS[name])]


@require_POST
@member_view(Action.WRITE_POST)
def post_action(request: HttpRequest, organization: Organization, role: str, post: int,
                action: str) -> HttpResponse:
    found = get_object_or_404(Post, organization=organization, pk=post)
    if action not in ACTIONS or not can(role, ACTIONS[action]):
        return HttpResponse(status=403)
    try:
        if action == "submit":
            services.submit(found, request.user)
        elif action == "request_changes":
            services.request_changes(found, request.user, request.POST.get("note", "")[:5_000])
        elif action == "approve":
            services.approve(found, request.user, role)
        else:
            services.schedule(found, request.user)
    except WorkflowError as error:
        messages.error(request, error.render(get_language()))
    else:
        messages.success(request, _("Done."))
    return redirect("post-detail", org=organization.slug, post=found.pk)


class CalendarForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Calendar (CSV)"))


@member_view(Action.WRITE_POST)
def calendar_import(request: HttpRequest, organization: Organization,
                    role: str) -> HttpResponse:
    form = CalendarForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_CSV_BYTES + 1)
        drafts, found = services.import_calendar(organization, request.user, data,
                                                 plan=_plan(organization))
        problems = [p.render(upload.name, get_language()) for p in found]
        messages.success(request, ngettext("%(count)d draft was created.",
                                           "%(count)d drafts were created.",
                                           len(drafts)) % {"count": len(drafts)})
        if not problems:
            return redirect("post-list", org=organization.slug)
    return render(request, "kanava/calendar_import.html", {"form": form, "problems": problems})


def _feed_organization(request: HttpRequest, org: str) -> Organization:
    """The organization whose feed token is in the address; 404 for anything else."""
    token = request.GET.get("token", "")
    found = FeedToken.objects.filter(organization__slug=org).select_related(
        "organization").first()
    if found is None or not token or not hmac.compare_digest(found.token, token):
        raise Http404
    return found.organization


def calendar_feed(request: HttpRequest, org: str) -> HttpResponse:
    organization = _feed_organization(request, org)
    posts = organization.posts.exclude(state=State.DRAFT).prefetch_related("variants")
    data = feeds.calendar(posts, organization.name, request.get_host().split(":")[0])
    return HttpResponse(data, content_type="text/calendar; charset=utf-8")


def published_feed(request: HttpRequest, org: str, kind: str) -> HttpResponse:
    if kind not in ("atom", "rss"):
        raise Http404
    organization = _feed_organization(request, org)
    variants = (Variant.objects.filter(post__organization=organization, outbox="published")
                .select_related("post").order_by("-published_at")[:100])
    link = request.build_absolute_uri(reverse("post-list", kwargs={"org": organization.slug}))
    data = feeds.published(variants, organization.name, link, kind)
    kinds = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
    return HttpResponse(data, content_type=f"{kinds[kind]}; charset=utf-8")


@member_view(Action.VIEW)
def feed_addresses(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    token, _created = FeedToken.objects.get_or_create(organization=organization)
    query = f"?token={token.token}"
    addresses = [(label, request.build_absolute_uri(reverse(name, kwargs=kwargs)) + query)
                 for label, name, kwargs in (
                     (_("Calendar (iCalendar)"), "calendar-feed", {"org": organization.slug}),
                     (_("Published posts (Atom)"), "published-feed",
                      {"org": organization.slug, "kind": "atom"}),
                     (_("Published posts (RSS)"), "published-feed",
                      {"org": organization.slug, "kind": "rss"}))]
    return render(request, "kanava/feeds.html", {"addresses": addresses})


urlpatterns = [
    path("o/<slug:org>/posts/feeds/", feed_addresses, name="feed-addresses"),
    path("o/<slug:org>/feeds/calendar.ics", calendar_feed, name="calendar-feed"),
    path("o/<slug:org>/feeds/published.<str:kind>", published_feed, name="published-feed"),
    path("o/<slug:org>/posts/", post_list, name="post-list"),
    path("o/<slug:org>/posts/new/", post_new, name="post-new"),
    path("o/<slug:org>/posts/import/", calendar_import, name="calendar-import"),
    path("o/<slug:org>/posts/<int:post>/", post_detail, name="post-detail"),
    path("o/<slug:org>/posts/<int:post>/edit/", post_edit, name="post-edit"),
    path("o/<slug:org>/posts/<int:post>/<str:action>/", post_action, name="post-action"),
]
