"""Posts, their per-channel variants, and the outbox the worker publishes from.

The truth about a post is its rows here, never the queue: the worker claims a due
variant with one conditional UPDATE, writes an Attempt before calling the network, and
records what came back (see services.py).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanava.accounts.models import Organization
from kanava.planstore.models import PlanDocument
from kanava.publishing.workflow import State

MAX_TEXT_CHARS = 70_000  # above every network's limit; the checks say which one applies


def new_key() -> str:
    """A key for one variant's publish: a TID, which Bluesky takes as a record key and
    Mastodon as an Idempotency-Key."""
    from kanava.connectors.bluesky.publisher import new_tid

    return new_tid()


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Post(models.Model):
    """One message, written once and sent to one or more channels of the plan."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="posts")
    plan = models.ForeignKey(PlanDocument, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="posts")
    title = models.CharField(_("title"), max_length=200, blank=True)
    campaign = models.CharField(_("campaign"), max_length=100, blank=True)
    theme = models.CharField(_("theme"), max_length=100, blank=True)  # a theme id of the plan
    marketing = models.BooleanField(_("marketing"), default=False)
    state = models.CharField(max_length=20, choices=[(s.value, s.value) for s in State],
                             default=State.DRAFT)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    # Approvers are reminded when it passes; a post not approved by publish_at is missed.
    approve_by = models.DateTimeField(_("approve by"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)  # refuses an edit made on a stale copy
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["publish_at", "pk"]
        indexes = [models.Index(fields=["organization", "state", "publish_at"])]

    def __str__(self) -> str:
        return self.title or f"post {self.pk}"


class Variant(models.Model):
    """What one channel gets: its own text, link and media, and its place in the outbox."""

    class Outbox(models.TextChoices):
        WAITING = "waiting"  # not yet approved and scheduled
        SCHEDULED = "scheduled"
        PUBLISHING = "publishing"  # claimed by a worker
        PUBLISHED = "published"
        FAILED = "failed"
        UNCONFIRMED = "unconfirmed"  # called the network; the outcome is unknown
        CHECK = "check"  # unconfirmed, and the network cannot be asked: a person checks
        REMOVED = "removed"  # published, then deleted from the network by a person

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    channel = models.CharField(max_length=100)  # a channel id of the plan
    network = models.CharField(max_length=30)
    text = models.TextField(blank=True, max_length=MAX_TEXT_CHARS)
    link = models.URLField(max_length=2_000, blank=True)
    outbox = models.CharField(max_length=20, choices=Outbox.choices, default=Outbox.WAITING)
    due_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    retries = models.PositiveIntegerField(default=0)
    # Sent with the publish (Mastodon's Idempotency-Key, Bluesky's record key), so that a
    # repeated call makes no second post and an unconfirmed one can be looked up.
    key = models.CharField(max_length=64, unique=True, default=new_key)
    external_id = models.CharField(max_length=300, blank=True)
    external_url = models.URLField(max_length=2_000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "channel"],
                                               name="one_variant_per_channel")]
        indexes = [models.Index(fields=["outbox", "due_at"])]

    def __str__(self) -> str:
        return f"{self.post} → {self.channel}"


class MediaFile(models.Model):
    """An image or video of a variant, with its alternative text."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        VIDEO = "video", _("video")

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="media")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="media/%Y/%m/")
    size = models.PositiveBigIntegerField(default=0)
    alt = models.TextField(_("alternative text"), blank=True, max_length=5_000)

    class Meta:
        ordering = ["position", "pk"]


class Attempt(models.Model):
    """One call to a network to publish a variant, written before the call is made."""

    class Outcome(models.TextChoices):
        PENDING = "pending"  # the call is under way, or the worker died during it
        PUBLISHED = "published"
        FAILED = "failed"  # refused for good
        RETRY = "retry"  # failed before anything was sent; safe to try again
        UNCONFIRMED = "unconfirmed"

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="attempts")
    worker = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices,
                               default=Outcome.PENDING)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at", "pk"]


class PostEvent(models.Model):
    """The post's history: submitted, approved, changes asked, missed, published…"""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, max_length=5_000)

    class Meta:
        ordering = ["at", "pk"]


class Connection(models.Model):
    """The network account behind one channel of the plan, with its tokens sealed."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("connected")
        BROKEN = "broken", _("needs reconnecting")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="connections")
    channel = models.CharField(max_length=100)  # a channel id of the plan
    network = models.CharField(max_length=30)
    base_url = models.URLField(max_length=500, blank=True)  # a Mastodon server, a blog…
    account = models.CharField(_("account"), max_length=300, blank=True)
    sealed = models.TextField(blank=True)  # publishing.sealing.seal(tokens)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    problem = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "channel"],
                                               name="one_connection_per_channel")]

    def __str__(self) -> str:
        return f"{self.channel} ({self.network})"


class FeedToken(models.Model):
    """The secret in the addresses of an organization's calendar and published feeds."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE,
                                        related_name="feed_token")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created = models.DateTimeField(default=timezone.now)


class LinkCheck(models.Model):
    """What the worker found when it last opened a URL of a post (publishing.links).

    One row per URL, shared by every post that links to it. The unique key is the URL's
    SHA-256: a 2,000-character URL is too long for a unique index on some databases.
    """

    url = models.TextField(max_length=2_000)
    url_hash = models.CharField(max_length=64, unique=True)
    ok = models.BooleanField(null=True)  # None: not checked (a private address), or unknown
    status = models.PositiveSmallIntegerField(null=True, blank=True)  # the last HTTP status
    detail = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.url

    @staticmethod
    def hash(url: str) -> str:
        return hashlib.sha256(url.encode()).hexdigest()
