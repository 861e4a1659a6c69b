"""The calendar in a real browser: a Lead drags a scheduled post to another day."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from kanava.publishing import services
from kanava.publishing.models import Post
from tests.browser.conftest import Watched
from tests.browser.test_journey import _sign_in
from tests.web.conftest import Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HELSINKI = ZoneInfo("Europe/Helsinki")


def test_a_lead_drags_a_post_to_another_day_and_the_gaps_follow(cast: Cast,
                                                               watched: Watched) -> None:
    post = services.create_post(
        cast.organization, cast.users["editor"],
        [services.VariantInput("facebook", "facebook", "Field day results. What do you think?")],
        title="Field day", publish_at=datetime(2030, 6, 12, 9, 15, tzinfo=HELSINKI),
        plan=cast.plan)
    services.submit(post, cast.users["editor"])
    services.approve(post, cast.users["lead"], "lead")
    services.schedule(post, cast.users["lead"])
    page = watched.page
    _sign_in(page, "lead")
    page.goto("/o/acme/calendar/?date=2030-06-01&channel=facebook")
    source, target = (page.locator(f'#calendar td[data-day="2030-06-{day}"]')
                      for day in ("12", "20"))
    expect(source.locator(".entry")).to_contain_text("Field day")
    expect(source.locator(".gap, .gap-dot")).to_have_count(0)
    expect(target.locator(".gap, .gap-dot")).to_have_count(1)  # Facebook's interval ran out
    watched.shot("calendar-before")

    with page.expect_response(lambda r: "/calendar/move/" in r.url) as moved:
        source.locator(".entry").drag_to(target)
    assert moved.value.status == 200
    target = page.locator('#calendar td[data-day="2030-06-20"]')
    expect(target.locator(".entry")).to_contain_text("09:15")
    expect(target.locator(".gap, .gap-dot")).to_have_count(0)
    expect(page.locator('#calendar td[data-day="2030-06-12"] .entry')).to_have_count(0)
    watched.shot("calendar-after")
    post = Post.objects.get(pk=post.pk)
    assert post.publish_at == datetime(2030, 6, 20, 9, 15, tzinfo=HELSINKI)
    assert {v.due_at for v in post.variants.all()} == {post.publish_at}

    # Week and list views show it too, and the filters hold across them.
    page.locator("#calendar nav.views").get_by_role("link", name="List").click()
    expect(page.locator("#calendar ol.calendar-list")).to_contain_text("Field day")
    expect(page.locator("#filter-channel")).to_have_value("facebook")
    watched.shot("calendar-list")
    assert watched.problems() == []
