"""A post's links are asked by the worker after it is saved, and its page then shows the
ones that do not open."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from kanava.publishing.models import LinkCheck, Post
from kanava.publishing.tasks import check_links
from kanava.worker import queue
from tests.publishing.test_links import LinkServer
from tests.web.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(settings: Any) -> Iterator[LinkServer]:
    settings.ALLOW_LOOPBACK_ADDRESSES = True  # the pages are on 127.0.0.1
    server = LinkServer()
    yield server
    server.stop()


def _url(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"org": "acme", **kwargs})


def _write(cast: Cast, facebook: str, linkedin: str) -> Post:
    data = {"title": "Links", "publish_at": "2030-06-01T09:30", "campaign": "",
            "theme": "field-tests", "text_facebook": facebook, "text_linkedin": linkedin}
    response = cast.client("editor").post(_url("post-new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Post.objects.latest("pk")


def test_writing_a_post_has_the_worker_ask_its_links(
    cast: Cast, pages: LinkServer, django_capture_on_commit_callbacks: Any
) -> None:
    queue.huey.immediate = True  # run the task at once, as a worker would
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            _write(cast, f"Read {pages.url}/missing. What do you think?",
                   f"Our results: {pages.url}/ok")
    finally:
        queue.huey.immediate = False
    assert len(callbacks) == 1
    assert dict(LinkCheck.objects.values_list("url", "status")) == {
        f"{pages.url}/missing": 404, f"{pages.url}/ok": 200}


def test_a_post_without_links_leaves_the_worker_alone(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        _write(cast, "No links here. What do you think?", "Nor here.")
    assert callbacks == []


def test_the_post_page_shows_a_link_that_does_not_open(cast: Cast, pages: LinkServer) -> None:
    post = _write(cast, f"Read {pages.url}/missing. What do you think?",
                  f"Our results: {pages.url}/ok")
    page = cast.client("viewer").get(_url("post-detail", post=post.pk)).content.decode()
    assert "does not open" not in page  # not asked yet: no finding
    check_links.call_local(post.pk)
    page = cast.client("viewer").get(_url("post-detail", post=post.pk)).content.decode()
    assert f"{pages.url}/missing does not open." in page
    assert f"{pages.url}/ok does not open." not in page


def test_a_broken_link_keeps_the_post_from_being_approved(cast: Cast, pages: LinkServer) -> None:
    post = _write(cast, f"Read {pages.url}/gone. What do you think?", "Our results are out.")
    check_links.call_local(post.pk)
    cast.client("editor").post(_url("post-action", post=post.pk, action="submit"))
    cast.client("lead").post(_url("post-action", post=post.pk, action="approve"))
    post.refresh_from_db()
    assert post.state == "in_review"
