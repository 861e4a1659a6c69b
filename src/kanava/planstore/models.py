"""A plan document, its numbered versions (YAML text) and comments on its sections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanava.accounts.models import Organization

#: A plan file larger than this is refused (the loader's own limit is 5 MB).
MAX_PLAN_CHARS = 2_000_000
#: A comment longer than this is refused.
MAX_COMMENT_CHARS = 5_000


class PlanDocument(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="plans")
    slug = models.SlugField(max_length=60)
    title = models.CharField(_("title"), max_length=500)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "slug"],
                                               name="plan_slug_per_organization")]
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def latest(self) -> PlanVersion | None:
        return self.versions.order_by("-number").first()

    def approved(self) -> PlanVersion | None:
        return self.versions.filter(approved_at__isnull=False).order_by("-number").first()


class PlanVersion(models.Model):
    """One saved state of a plan; versions are never changed, only added."""

    plan = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    message = models.CharField(_("what changed"), max_length=500, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                               null=True, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "number"],
                                               name="version_number_per_plan")]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class Comment(models.Model):
    """A comment on one section of a plan (``section`` is a path such as 'channels[2]')."""

    plan = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(PlanVersion, on_delete=models.SET_NULL, null=True,
                                related_name="comments")
    section = models.CharField(max_length=200)
    text = models.TextField(max_length=MAX_COMMENT_CHARS)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                               null=True, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created"]
