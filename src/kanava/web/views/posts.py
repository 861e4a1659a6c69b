"""Posts: write one text per channel of the plan, see the checks, send for review,
approve and schedule; import a calendar from CSV. Thin over publishing.services."""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanava.accounts.models import Organization
from kanava.accounts.roles import Action, can
from kanava.connectors import registry
from kanava.connectors.base import ConnectorError
from kanava.planstore.models import PlanDocument
from kanava.publishing import checks, feeds, media, services, utm
from kanava.publishing.models import MAX_TEXT_CHARS, FeedToken, MediaFile, Post, Variant
from kanava.publishing.outbox import connected_publisher
from kanava.publishing.workflow import EDITABLE, STATE_NAMES, State, WorkflowError
from kanava.web.access import member_view

EVENTS = {"created": gettext_lazy("written"), "edited": gettext_lazy("changed"),
          "submit": gettext_lazy("sent for review"), "approve": gettext_lazy("approved"),
          "request_changes": gettext_lazy("changes asked for"),
          "schedule": gettext_lazy("scheduled"), "rescheduled": gettext_lazy("moved"),
          "missed": gettext_lazy("missed its time: not approved and scheduled"),
          "approval_overdue": gettext_lazy("approval overdue: the approvers were reminded"),
          "check_by_hand": gettext_lazy("sent, but the channel cannot confirm it: check by hand"),
          "confirmed": gettext_lazy("confirmed by hand as published"),
          "not_found": gettext_lazy("found missing by hand: sent again"),
          "removed": gettext_lazy("removed from the network")}
ACTIONS = {"submit": Action.WRITE_POST, "request_changes": Action.APPROVE_POST,
           "approve": Action.APPROVE_POST, "schedule": Action.APPROVE_POST}
MAX_CSV_BYTES = 5_000_000


def _plan(organization: Organization) -> PlanDocument | None:
    return organization.plans.order_by("-versions__created").first()


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files from one ``<input type=file multiple>``; each checked as a file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        single = super().clean
        given = data if isinstance(data, list | tuple) else [data] if data else []
        return [single(item, initial) for item in given]


class PostForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title (for the team)"), max_length=200,
                            required=False)
    publish_at = forms.DateTimeField(
        label=gettext_lazy("Publish at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    approve_by = forms.DateTimeField(
        label=gettext_lazy("Approve by"), required=False,
        help_text=gettext_lazy("The approvers are reminded when this passes; a post not "
                               "approved by its publish time is not published."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    campaign = forms.CharField(label=gettext_lazy("Campaign"), max_length=100, required=False)
    theme = forms.ChoiceField(label=gettext_lazy("Theme"), required=False)
    marketing = forms.BooleanField(label=gettext_lazy("This post is marketing"),
                                   required=False)
    utm = forms.BooleanField(label=gettext_lazy("Add the campaign's tags (UTM) to the links"),
                             required=False, initial=True)
    GENERAL = ("title", "publish_at", "approve_by", "campaign", "theme", "marketing", "utm")

    def __init__(self, *args: Any, channels: dict[str, str], themes: list[str],
                 names: dict[str, str] | None = None,
                 stored: Mapping[str, Sequence[MediaFile]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channels = channels
        self.names = names or {}
        self.stored = stored or {}  # the saved images of each channel of the post edited
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ChoiceField)  # noqa: S101 - narrows the type
        theme.choices = [("", "—"), *[(t, t) for t in themes]]
        for channel in channels:
            self.fields[f"text_{channel}"] = forms.CharField(
                label=_("Text for %(channel)s") % {"channel": self.names.get(channel, channel)},
                required=False,
                max_length=MAX_TEXT_CHARS,
                widget=forms.Textarea(attrs={"rows": 4}))
            self.fields[f"link_{channel}"] = forms.URLField(
                label=_("Link"), required=False, max_length=2_000, assume_scheme="https")
            self._add_image_fields(channel)
            self._add_video_fields(channel)

    def _add_image_fields(self, channel: str) -> None:
        self.fields[f"images_{channel}"] = MultipleImageField(
            label=_("Add images"), required=False,
            widget=MultipleImageInput(attrs={"accept": "image/*", "data-channel": channel}))
        # The live check sends no file: the editor's script puts the chosen sizes here.
        self.fields[f"selected_{channel}"] = forms.CharField(
            required=False, max_length=200, widget=forms.HiddenInput)
        for index in range(media.MAX_IMAGES):
            self.fields[f"alt_new_{index}_{channel}"] = forms.CharField(
                label=_("Alternative text of new image %(number)s") % {"number": index + 1},
                required=False, max_length=media.MAX_ALT_CHARS)
        for number, stored in enumerate(self._stored(channel, MediaFile.Kind.IMAGE), start=1):
            self.fields[f"alt_media_{stored.pk}"] = forms.CharField(
                label=_("Alternative text of image %(number)s") % {"number": number},
                required=False, max_length=media.MAX_ALT_CHARS, initial=stored.alt,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"remove_media_{stored.pk}"] = forms.BooleanField(
                label=_("Remove image %(number)s") % {"number": number}, required=False)

    def _add_video_fields(self, channel: str) -> None:
        """One video per channel, with its description; a saved one may be described anew
        or removed, as images are."""
        self.fields[f"video_{channel}"] = forms.FileField(
            label=_("Add a video"), required=False, widget=forms.FileInput(
                attrs={"accept": media.VIDEO_ACCEPT, "data-video-channel": channel}))
        self.fields[f"video_alt_{channel}"] = forms.CharField(
            label=_("Description of the new video"), required=False,
            max_length=media.MAX_ALT_CHARS, widget=forms.Textarea(attrs={"rows": 2}))
        # The live check sends no file: the editor's script puts the chosen size here.
        self.fields[f"selected_video_{channel}"] = forms.CharField(
            required=False, max_length=20, widget=forms.HiddenInput)
        for stored in self._stored(channel, MediaFile.Kind.VIDEO):
            self.fields[f"alt_media_{stored.pk}"] = forms.CharField(
                label=_("Description of the video"), required=False,
                max_length=media.MAX_ALT_CHARS, initial=stored.alt,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"remove_media_{stored.pk}"] = forms.BooleanField(
                label=_("Remove the video"), required=False)

    def _stored(self, channel: str, kind: str) -> list[MediaFile]:
        return [stored for stored in self.stored.get(channel, ()) if stored.kind == kind]

    def groups(self) -> list[dict[str, Any]]:
        """Each channel's fields together, in the plan's order, for the template."""
        return [{
            "channel": channel, "network": network,
            "name": self.names.get(channel, channel),
            "text": self[f"text_{channel}"], "link": self[f"link_{channel}"],
            "images": self[f"images_{channel}"], "selected": self[f"selected_{channel}"],
            "new_alts": [self[f"alt_new_{index}_{channel}"]
                         for index in range(media.MAX_IMAGES)],
            "stored": [(stored, self[f"alt_media_{stored.pk}"],
                        self[f"remove_media_{stored.pk}"])
                       for stored in self._stored(channel, MediaFile.Kind.IMAGE)],
            "video": self[f"video_{channel}"], "video_alt": self[f"video_alt_{channel}"],
            "selected_video": self[f"selected_video_{channel}"],
            "stored_video": [(stored, self[f"alt_media_{stored.pk}"],
                              self[f"remove_media_{stored.pk}"])
                             for stored in self._stored(channel, MediaFile.Kind.VIDEO)],
        } for channel, network in self.channels.items()]

    def general(self) -> list[forms.BoundField]:
        return [self[name] for name in self.GENERAL]

    def variants(self) -> list[services.VariantInput]:
        data = self.cleaned_data
        return [services.VariantInput(channel, network, data.get(f"text_{channel}", ""),
                                      self._link(channel, network))
                for channel, network in self.channels.items()
                if self._written(channel, self.images(channel))]

    def draft_variants(self) -> list[checks.Variant]:
        """The variants as typed, with the images chosen but not yet uploaded."""
        found = []
        for channel, network in self.channels.items():
            images = self.images(channel, pending=True)
            if self._written(channel, images):
                found.append(checks.Variant(
                    channel, network, self.cleaned_data.get(f"text_{channel}", ""),
                    self._link(channel, network) or None, images))
        return found

    def changes(self, channel: str) -> media.Changes:
        """What the form asks of the channel's images."""
        data = self.cleaned_data
        stored = self.stored.get(channel, ())
        return media.Changes(
            uploads=data.get(f"images_{channel}") or [],
            new_alts=[data.get(f"alt_new_{index}_{channel}", "")
                      for index in range(media.MAX_IMAGES)],
            alts={m.pk: data.get(f"alt_media_{m.pk}", m.alt) for m in stored},
            removed=[m.pk for m in stored if data.get(f"remove_media_{m.pk}")],
            video=data.get(f"video_{channel}"), video_alt=data.get(f"video_alt_{channel}", ""))

    def images(self, channel: str, *, pending: bool = False) -> tuple[checks.Media, ...]:
        """The channel's images and video as the checks see them."""
        chosen = self._chosen_sizes(channel) if pending else []
        video = self._chosen_video_size(channel) if pending else None
        return media.draft(self.stored.get(channel, ()), self.changes(channel), chosen, video)

    def _chosen_video_size(self, channel: str) -> int | None:
        given = (self.cleaned_data.get(f"selected_video_{channel}") or "").strip()
        return int(given) if given.isdigit() else None

    def _chosen_sizes(self, channel: str) -> list[int]:
        """The sizes the editor's script reported; anything else in the field is ignored."""
        given = (self.cleaned_data.get(f"selected_{channel}") or "").split(",")
        return [int(size) for size in given if size.isdigit()][:media.MAX_IMAGES * 4]

    def _written(self, channel: str, images: tuple[checks.Media, ...]) -> bool:
        data = self.cleaned_data
        return bool(data.get(f"text_{channel}", "").strip() or data.get(f"link_{channel}")
                    or images)

    def _link(self, channel: str, network: str) -> str:
        link = self.cleaned_data.get(f"link_{channel}") or ""
        campaign = self.cleaned_data.get("campaign") or ""
        if link and campaign and self.cleaned_data.get("utm"):
            return utm.tagged(link, campaign=campaign, network=network, channel=channel)
        return link

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for channel in self.channels:
            self._check_uploads(channel)
            self._check_video(channel)
        deadline, when = cleaned.get("approve_by"), cleaned.get("publish_at")
        if deadline and when and deadline > when:
            self.add_error("approve_by", _("Choose a time before the publish time."))
        if not self.errors and not self.variants():
            raise forms.ValidationError(_("Write the post for at least one channel."))
        return cleaned

    def _check_uploads(self, channel: str) -> None:
        name = f"images_{channel}"
        uploads = self.cleaned_data.get(name) or []
        removed = set(self.changes(channel).removed)
        kept = sum(m.pk not in removed for m in self._stored(channel, MediaFile.Kind.IMAGE))
        try:
            for upload in uploads:
                media.check_upload(upload)
            media.check_count(kept, len(uploads))
        except media.MediaRefused as refused:
            self.add_error(name, refused.render(get_language()))

    def _check_video(self, channel: str) -> None:
        name = f"video_{channel}"
        upload = self.cleaned_data.get(name)
        if not upload:
            return
        removed = set(self.changes(channel).removed)
        kept = sum(m.pk not in removed for m in self._stored(channel, MediaFile.Kind.VIDEO))
        try:
            media.check_video_upload(upload)
            media.check_video_count(kept, 1)
        except media.MediaRefused as refused:
            self.add_error(name, refused.render(get_language()))


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
    form = _form(request, organization, plan, None)
    if _valid(request, form, organization):
        data = form.cleaned_data
        with transaction.atomic():
            post = services.create_post(
                organization, request.user, form.variants(), title=data["title"],
                campaign=data["campaign"], theme=data["theme"], marketing=data["marketing"],
                publish_at=data.get("publish_at"), approve_by=data.get("approve_by"),
                plan=plan)
            _save_media(post, form)
        messages.success(request, _("The post was saved as a draft."))
        return redirect("post-detail", org=organization.slug, post=post.pk)
    return _editor_page(request, form, organization, None, {"plan": plan})


@member_view(Action.WRITE_POST)
def post_edit(request: HttpRequest, organization: Organization, role: str,
              post: int) -> HttpResponse:
    found = get_object_or_404(Post, organization=organization, pk=post)
    if State(found.state) not in EDITABLE:
        messages.error(request, _("A post that is being published or was published cannot "
                                  "be changed."))
        return redirect("post-detail", org=organization.slug, post=found.pk)
    form = _form(request, organization, found.plan or _plan(organization), found)
    if _valid(request, form, organization):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                media.forget_dropped(found, [v.channel for v in form.variants()])
                services.edit_post(
                    found, request.user, revision=int(request.POST.get("revision", 0)),
                    variants=form.variants(), title=data["title"], campaign=data["campaign"],
                    theme=data["theme"], marketing=data["marketing"],
                    publish_at=data.get("publish_at"), approve_by=data.get("approve_by"))
                _save_media(found, form)
        except WorkflowError as error:
            form.add_error(None, error.render(get_language()))
        else:
            messages.success(request, _("The post was saved."))
            return redirect("post-detail", org=organization.slug, post=found.pk)
    return _editor_page(request, form, organization, found, {"revision": found.revision})


@require_POST
@member_view(Action.WRITE_POST)
def post_check(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    """The live check: the form as typed, checked like a saved post; nothing is saved."""
    found = None
    if request.POST.get("post", "").isdigit():
        found = get_object_or_404(Post, organization=organization, pk=int(request.POST["post"]))
    form = _form(request, organization, (found.plan if found else None)
                 or _plan(organization), found)
    _valid(request, form, organization)
    return render(request, "kanava/_post_checks.html",
                  _checked(form, organization, found))


def _form(request: HttpRequest, organization: Organization, plan: PlanDocument | None,
          found: Post | None) -> PostForm:
    """The editor's form over the plan's channels (and those the post edited still has)."""
    channels, themes = services.plan_channels(plan)
    stored: dict[str, list[MediaFile]] = {}
    for variant in found.variants.prefetch_related("media") if found else ():
        channels.setdefault(variant.channel, variant.network)  # dropped from the plan since
        stored[variant.channel] = list(variant.media.all())
    return PostForm(request.POST if request.method == "POST" else None,
                    request.FILES if request.method == "POST" else None,
                    channels=channels, themes=themes, stored=stored,
                    names=services.plan_channel_names(plan),
                    initial=_initial(found, organization) if found else None)


def _valid(request: HttpRequest, form: PostForm, organization: Organization) -> bool:
    with timezone.override(_zone(organization)):  # times are typed in the organization's zone
        return request.method == "POST" and form.is_valid()


def _save_media(post: Post, form: PostForm) -> None:
    variants = {v.channel: v for v in post.variants.all()}
    for channel, variant in variants.items():
        media.apply(variant, form.changes(channel))


def _editor_page(request: HttpRequest, form: PostForm, organization: Organization,
                 found: Post | None, extra: dict[str, Any]) -> HttpResponse:
    checked = _checked(form, organization, found)
    groups = form.groups()
    for group in groups:
        group["slot"] = checked["slots"][group["channel"]]
    return render(request, "kanava/post_form.html", {
        "form": form, "post": found, "channels": list(form.channels), "groups": groups,
        "summary": checked["summary"],
        "file_fields": ",".join(f"{kind}_{channel}" for channel in form.channels
                                for kind in ("images", "video")),
        "max_images": media.MAX_IMAGES,
        "max_video_mb": media.MAX_VIDEO_BYTES // (1024 * 1024), **extra})


def _checked(form: PostForm, organization: Organization,
             found: Post | None) -> dict[str, Any]:
    """Each channel's count, field errors and findings, and the summary of them all.

    A form not yet sent shows the saved post's findings; one sent shows those of what
    was typed, valid fields only (the others are named by their errors).
    """
    if form.is_bound:
        data = form.cleaned_data
        found_now = services.findings_for_draft(
            organization, form.draft_variants(), bool(data.get("marketing")),
            data.get("publish_at"), exclude_post=found)
    else:
        found_now = services.findings(found) if found else []
    language = get_language()
    slots = {}
    for channel, network in form.channels.items():
        limits = registry.limits(network)
        text = form[f"text_{channel}"].value() or ""
        errors = [error for name in (f"text_{channel}", f"link_{channel}", f"images_{channel}",
                                     f"video_{channel}")
                  for error in form.errors.get(name, [])] if form.is_bound else []
        slots[channel] = {
            "id": f"live-channel-{channel}", "channel": channel, "errors": errors,
            "length": limits.length(str(text)) if limits and limits.max_length else None,
            "limit": limits.max_length if limits else None,
            "findings": [(f.severity, f.render(language)) for f in found_now
                         if f.channel == channel]}
    counts = {severity: sum(f.severity == severity for f in found_now)
              for severity in ("error", "warning", "note")}
    return {"slots": slots, "summary": {
        "error": counts["error"], "warning": counts["warning"], "info": counts["note"],
        "invalid": form.is_bound and bool(form.errors),
        "other": [(f.severity, f.render(language)) for f in found_now
                  if f.channel not in form.channels]}}


def _initial(post: Post, organization: Organization) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "title": post.title, "campaign": post.campaign, "theme": post.theme,
        "marketing": post.marketing,
        "publish_at": post.publish_at.astimezone(_zone(organization)) if post.publish_at
        else None,
        "approve_by": post.approve_by.astimezone(_zone(organization)) if post.approve_by
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
    names = services.plan_channel_names(found.plan or _plan(organization))
    variants = []
    for variant in found.variants.prefetch_related("media"):
        limits = registry.limits(variant.network)
        variants.append({
            "variant": variant, "name": names.get(variant.channel, variant.channel),
            "confirm": variant.outbox in (Variant.Outbox.UNCONFIRMED, Variant.Outbox.CHECK)
            and can(role, Action.APPROVE_POST),
            "removable": variant.outbox == Variant.Outbox.PUBLISHED and bool(variant.external_id)
            and can(role, Action.APPROVE_POST),
            "length": limits.length(variant.text) if limits else None,
            "limit": limits.max_length if limits else None,
            "media": list(variant.media.all()),
            "findings": [(f.severity, f.render(language)) for f in findings
                         if f.channel == variant.channel]})
    state = State(found.state)
    return render(request, "kanava/post_detail.html", {
        "post": found, "variants": variants, "state_name": _(STATE_NAMES[state]),
        "events": [(event, EVENTS.get(event.event, event.event))
                   for event in found.events.select_related("actor")],
        "actions": _actions(state, role, services.owns_every_channel(found, request.user)),
        "can_edit": state in EDITABLE and can(role, Action.WRITE_POST)})


@member_view(Action.VIEW)  # type: ignore[arg-type]  # a FileResponse streams the file
def post_media(request: HttpRequest, organization: Organization, role: str, post: int,
               media_file: int) -> FileResponse:
    """An image or video of a post, to the organization's members only (never a public
    address)."""
    found = get_object_or_404(MediaFile, pk=media_file, variant__post_id=post,
                              variant__post__organization=organization)
    try:
        kind = media.content_type(found)
        handle = media.open_file(found)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=kind)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


def _actions(state: State, role: str, owns_channels: bool) -> list[tuple[str, str]]:
    """The buttons this member sees for the post in its state."""
    offered = {State.DRAFT: [("submit", _("Send for review"))],
               State.IN_REVIEW: [("approve", _("Approve")),
                                 ("request_changes", _("Ask for changes"))],
               State.APPROVED: [("schedule", _("Schedule"))]}.get(state, [])
    return [(name, label) for name, label in offered if _may(role, name, owns_channels)]


def _may(role: str, action: str, owns_channels: bool) -> bool:
    """Whether the member may take the action; the plan's owner of every channel of the
    post may also review and approve it (the workflow refuses their own post)."""
    if action in ("approve", "request_changes") and owns_channels:
        return True
    return can(role, ACTIONS[action])


@require_POST
@member_view(Action.VIEW)  # each action checks its own right below
def post_action(request: HttpRequest, organization: Organization, role: str, post: int,
                action: str) -> HttpResponse:
    found = get_object_or_404(Post, organization=organization, pk=post)
    owns_channels = services.owns_every_channel(found, request.user)
    if action not in ACTIONS or not _may(role, action, owns_channels):
        return HttpResponse(status=403)
    try:
        if action == "submit":
            services.submit(found, request.user)
        elif action == "request_changes":
            services.request_changes(found, request.user, request.POST.get("note", "")[:5_000])
        elif action == "approve":
            services.approve(found, request.user, role, owns_every_channel=owns_channels)
        else:
            services.schedule(found, request.user)
    except WorkflowError as error:
        messages.error(request, error.render(get_language()))
    else:
        messages.success(request, _("Done."))
    return redirect("post-detail", org=organization.slug, post=found.pk)


@require_POST
@member_view(Action.APPROVE_POST)
def variant_confirm(request: HttpRequest, organization: Organization, role: str, post: int,
                    variant: int) -> HttpResponse:
    """A person looked in the channel: the post is there, or it is not (send it again)."""
    found = get_object_or_404(Variant, pk=variant, post_id=post, post__organization=organization)
    published = request.POST.get("published") == "yes"
    address = forms.URLField(required=False, max_length=2_000, assume_scheme="https")
    try:
        url = address.clean(request.POST.get("url", "").strip()) if published else ""
        services.confirm_by_hand(found, request.user, published=published, url=url)
    except forms.ValidationError:
        messages.error(request, _("The address of the published post is not a web address."))
    except WorkflowError as error:
        messages.error(request, error.render(get_language()))
    else:
        messages.success(request, _("Thank you: marked as published.") if published
                         else _("It will be sent again now."))
    return redirect("post-detail", org=organization.slug, post=post)


@require_POST
@member_view(Action.APPROVE_POST)
def variant_remove(request: HttpRequest, organization: Organization, role: str, post: int,
                   variant: int) -> HttpResponse:
    """Delete a published post from its network (asked by a Lead or an Owner)."""
    found = get_object_or_404(Variant.objects.select_related("post"), pk=variant,
                              post_id=post, post__organization=organization)
    try:
        publisher = connected_publisher(found)
    except ConnectorError as error:
        messages.error(request, str(error))
        return redirect("post-detail", org=organization.slug, post=post)
    try:
        services.remove_published(found, request.user, publisher)
    except WorkflowError as error:
        messages.error(request, error.render(get_language()))
    else:
        messages.success(request, _("The post was removed from the network."))
    finally:
        publisher.close()
    return redirect("post-detail", org=organization.slug, post=post)


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
    path("o/<slug:org>/posts/check/", post_check, name="post-check"),
    path("o/<slug:org>/posts/import/", calendar_import, name="calendar-import"),
    path("o/<slug:org>/posts/<int:post>/", post_detail, name="post-detail"),
    path("o/<slug:org>/posts/<int:post>/edit/", post_edit, name="post-edit"),
    path("o/<slug:org>/posts/<int:post>/media/<int:media_file>/", post_media,
         name="post-media"),
    path("o/<slug:org>/posts/<int:post>/variants/<int:variant>/confirm/", variant_confirm,
         name="variant-confirm"),
    path("o/<slug:org>/posts/<int:post>/variants/<int:variant>/remove/", variant_remove,
         name="variant-remove"),
    path("o/<slug:org>/posts/<int:post>/<str:action>/", post_action, name="post-action"),
]
