"""The issue's proof in a real browser: an Editor writes a post for three channels, sees a
rule finding while typing, fixes it; the Lead approves and schedules it; the worker's outbox
publishes it to a local Mastodon (mastodon-mock from PyPI), a local Bluesky PDS and a local
LinkedIn."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from django.utils import timezone
from mastodon_mock.testing.server import MockServer
from playwright.sync_api import Page, expect

from kanava.planstore.services import do_import_plan
from kanava.publishing import connections
from kanava.publishing.models import Post, Variant
from kanava.publishing.outbox import OutboxRunner
from kanava.publishing.workflow import State
from tests.browser.conftest import Watched
from tests.browser.test_journey import _sign_in
from tests.connectors.fake_linkedin import ACCESS_TOKEN, ORGANIZATION, FakeLinkedIn
from tests.connectors.fake_pds import HANDLE, PASSWORD, FakePds
from tests.web.conftest import Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = """\
kanava: 1
title: Acme channels
language: en
timezone: Europe/Helsinki
organization: {name: Acme, kind: company}
channels:
  - {id: masto, name: Acme on Mastodon, network: mastodon, cadence: {posts: 3, per: week}}
  - {id: sky, name: Acme on Bluesky, network: bluesky, cadence: {posts: 3, per: week}}
  - {id: li, name: Acme on LinkedIn, network: linkedin, cadence: {posts: 2, per: week}}
"""
TEXT = "Our new repair café opens on Monday. What should we fix first?"


@pytest.fixture
def networks() -> Iterator[tuple[str, FakePds, FakeLinkedIn]]:
    pds, linkedin = FakePds(), FakeLinkedIn()
    with MockServer() as mastodon:
        yield f"http://127.0.0.1:{mastodon.port}", pds, linkedin
    pds.stop()
    linkedin.stop()


def _field(page: Page, channel: str) -> str:
    return f"#id_text_{channel}"


def test_a_post_for_three_channels_is_fixed_approved_and_published(
        cast: Cast, watched: Watched, networks: tuple[str, FakePds, FakeLinkedIn]) -> None:
    mastodon, pds, linkedin = networks
    plan = do_import_plan(cast.organization, cast.users["lead"], PLAN)
    assert plan.pk
    connections.connect(cast.organization, "masto", "mastodon", account="@acme",
                        base_url=mastodon, secrets={"access_token": "alice_token"})
    connections.connect(cast.organization, "sky", "bluesky", account=HANDLE, base_url=pds.url,
                        secrets={"app_password": PASSWORD})
    connections.connect(cast.organization, "li", "linkedin", account="Acme",
                        base_url=linkedin.url,
                        secrets={"organization_urn": ORGANIZATION, "access_token": ACCESS_TOKEN})
    page = watched.page

    # 1. The Editor writes the post for three channels; Mastodon's text still has a TODO.
    _sign_in(page, "editor")
    page.locator("nav.sections").get_by_role("link", name="Posts").click()
    page.get_by_role("link", name="Write a post").click()
    page.get_by_label("Title (for the team)").fill("Repair café")
    when = (timezone.now() + timedelta(days=1)).astimezone(ZoneInfo("Europe/Helsinki"))
    page.get_by_label("Publish at").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.locator(_field(page, "sky")).fill("Repair café opens Monday: bring your gear! "
                                           "What needs fixing?")
    page.locator(_field(page, "li")).fill("We open a repair café for our customers' gear "
                                          "on Monday. Which repairs matter most to you?")
    page.locator(_field(page, "masto")).fill(f"{TEXT} TODO add the address")

    # 2. While typing, the live check shows the placeholder as an error next to Mastodon's
    #    text, counted Mastodon's way; nothing is saved by it.
    live = page.locator("#live-channel-masto")
    expect(live.locator("li.finding.error")).to_contain_text('"TODO" is still in the text.')
    expect(live.locator(".count")).to_contain_text("of 500")
    expect(page.locator("#live-channel-sky li.finding.error")).to_have_count(0)
    assert not Post.objects.exists()
    watched.shot("live-finding", full_page=False)

    # 3. Fix it: the finding goes while typing; save.
    page.locator(_field(page, "masto")).fill(f"{TEXT} Address: Pajakatu 3.")
    expect(live.locator("li.finding.error")).to_have_count(0)
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".messages")).to_contain_text("The post was saved as a draft.")
    expect(page.locator("li.finding.error")).to_have_count(0)
    watched.shot("saved")
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".state")).to_contain_text(re.compile("review", re.IGNORECASE))
    post_url = page.url
    page.locator("header form").get_by_role("button", name="Sign out").click()

    # 4. The Lead approves and schedules it.
    _sign_in(page, "lead")
    page.goto(post_url)
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Done.")
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".messages")).to_contain_text("Done.")
    post = Post.objects.get(title="Repair café")
    assert post.state == State.SCHEDULED
    watched.shot("scheduled")

    # 5. When its time comes, the worker's outbox publishes it to all three networks.
    assert post.publish_at is not None
    # One thread: the test database is SQLite in memory, shared with the live server.
    runner = OutboxRunner(clock=lambda: post.publish_at + timedelta(seconds=1), threads=1)
    assert runner.tick() == 3
    page.reload()
    expect(page.locator(".state").first).to_contain_text(re.compile("published", re.I))
    expect(page.get_by_role("link", name="Published post")).to_have_count(3)
    watched.shot("published")
    variants = {v.channel: v for v in Variant.objects.filter(post=post)}
    assert {v.outbox for v in variants.values()} == {"published"}
    status = httpx.get(f"{mastodon}/api/v1/statuses/{variants['masto'].external_id}").json()
    assert "Pajakatu 3" in status["content"]
    assert "TODO" not in status["content"]
    assert len(pds.records) == 1
    assert len(linkedin.posts) == 1
    assert watched.problems() == []
