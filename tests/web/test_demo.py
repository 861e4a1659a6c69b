"""`kanava demo`: three organizations with their plans, people and a few posts."""

from __future__ import annotations

from typing import Any

import pytest

from kanava.accounts.models import Organization
from kanava.publishing.models import Post
from kanava.web.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_however_often_it_runs(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    load_demo()
    assert Organization.objects.count() == 3
    assert Post.objects.count() == 14
    states = set(Post.objects.values_list("state", flat=True))
    assert states == {"draft", "in_review", "scheduled"}
    scheduled = Post.objects.filter(state="scheduled").first()
    assert scheduled is not None
    assert scheduled.variants.filter(outbox="scheduled").exists()
