"""The publishing calendar: views, filters, the plan's intervals and drag-and-drop moves."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from kanava.publishing import services
from kanava.publishing.models import Post, PostEvent
from kanava.publishing.workflow import State
from tests.web.conftest import Cast

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


def _url(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"org": "acme", **kwargs})


def _post(cast: Cast, title: str, when: datetime, channels: tuple[str, ...] = ("facebook",),
          who: str = "editor", campaign: str = "") -> Post:
    networks = {"facebook": "facebook", "linkedin": "linkedin", "instagram": "instagram"}
    variants = [services.VariantInput(c, networks[c], f"{title} on {c}. What do you think?")
                for c in channels]
    return services.create_post(cast.organization, cast.users[who], variants, title=title,
                                publish_at=when, campaign=campaign, plan=cast.plan)


def _scheduled(cast: Cast, post: Post) -> Post:
    services.submit(post, cast.users[post.author.username])
    services.approve(post, cast.users["lead"], "lead")
    return services.schedule(post, cast.users["lead"])


def _cell(page: str, day: str) -> str:
    """The HTML of one day's cell of the month or week grid."""
    found = re.search(rf'<td class="day[^"]*" data-day="{day}">(.*?)</td>', page, re.S)
    assert found, f"no cell for {day}"
    return found[1]


def test_the_month_shows_each_post_on_its_day_in_the_organizations_zone(cast: Cast) -> None:
    _post(cast, "Midsummer opening", datetime(2030, 6, 21, 23, 30, tzinfo=ZoneInfo("UTC")))
    page = cast.client("viewer").get(_url("calendar"), {"date": "2030-06-10"}).content.decode()
    assert "June 2030" in page
    assert "Midsummer opening" in _cell(page, "2030-06-22")  # 02:30 in Helsinki
    assert "02:30" in _cell(page, "2030-06-22")
    assert "Midsummer opening" not in _cell(page, "2030-06-21")
    assert 'draggable="true"' not in page  # a viewer moves nothing


def test_week_and_list_views(cast: Cast) -> None:
    _post(cast, "Tuesday post", datetime(2030, 6, 4, 10, tzinfo=HELSINKI))
    client = cast.client("viewer")
    week = client.get(_url("calendar"), {"view": "week", "date": "2030-06-06"}).content.decode()
    assert "Tuesday post" in _cell(week, "2030-06-04")
    assert week.count('data-day="') == 7
    listed = client.get(_url("calendar"), {"view": "list", "date": "2030-06-01"}).content.decode()
    assert "Tuesday post" in listed
    assert 'class="calendar-list"' in listed


def test_filters_by_channel_campaign_state_and_author(cast: Cast) -> None:
    day = datetime(2030, 6, 12, 9, tzinfo=HELSINKI)
    _post(cast, "Facebook only", day, ("facebook",), campaign="summer")
    _post(cast, "LinkedIn only", day, ("linkedin",), who="lead")
    scheduled = _scheduled(cast, _post(cast, "Scheduled one", day, ("facebook", "linkedin")))
    client = cast.client("viewer")

    def shown(**filters: str) -> set[str]:
        page = client.get(_url("calendar"), {"date": "2030-06-01", **filters}).content.decode()
        cell = _cell(page, "2030-06-12")
        return {t for t in ("Facebook only", "LinkedIn only", "Scheduled one") if t in cell}

    assert shown() == {"Facebook only", "LinkedIn only", "Scheduled one"}
    assert shown(channel="linkedin") == {"LinkedIn only", "Scheduled one"}
    assert shown(campaign="summer") == {"Facebook only"}
    assert shown(state="scheduled") == {"Scheduled one"}
    assert shown(owner=str(cast.users["lead"].pk)) == {"LinkedIn only"}
    assert scheduled.state == State.SCHEDULED


def test_days_where_a_channels_interval_runs_out_are_marked(cast: Cast) -> None:
    # The plan: Facebook three posts a week (every 2.3 days).
    _post(cast, "Only post", datetime(2030, 6, 10, 9, tzinfo=HELSINKI), ("facebook",))
    page = cast.client("viewer").get(_url("calendar"), {"date": "2030-06-01",
                                                       "channel": "facebook"}).content.decode()
    assert "3 per week" in page
    assert "Nothing planned" not in _cell(page, "2030-06-11")  # within the interval
    assert 'class="gap"' in _cell(page, "2030-06-12")  # 2.3 days have passed: named…
    assert 'class="gap-dot"' in _cell(page, "2030-06-13")  # …and a dot on the days after
    assert 'class="gap"' not in _cell(page, "2030-06-13")
    assert 'class="gap"' in _cell(page, "2030-05-27")  # nothing before it: from the start
    assert 'class="gap-dot"' in _cell(page, "2030-06-09")


def test_a_lead_drags_a_scheduled_post_to_another_day(cast: Cast) -> None:
    post = _scheduled(cast, _post(cast, "Move me", datetime(2030, 6, 12, 9, 15,
                                                            tzinfo=HELSINKI)))
    response = cast.client("lead").post(
        _url("calendar-move", post=post.pk) + "?view=month&date=2030-06-01",
        {"day": "2030-06-14", "revision": post.revision}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<section id="calendar"')  # the partial, for htmx to swap
    assert "Move me" in _cell(page, "2030-06-14")
    post.refresh_from_db()
    assert post.publish_at == datetime(2030, 6, 14, 9, 15, tzinfo=HELSINKI)
    assert post.state == State.SCHEDULED  # only the time changed: the approval stands
    assert {v.due_at for v in post.variants.all()} == {post.publish_at}
    assert PostEvent.objects.filter(post=post, event="rescheduled").exists()


def test_an_editor_moves_a_draft_but_not_an_approved_post(cast: Cast) -> None:
    draft = _post(cast, "Draft", datetime(2030, 6, 12, 9, tzinfo=HELSINKI))
    scheduled = _scheduled(cast, _post(cast, "Approved", datetime(2030, 6, 12, 9,
                                                                  tzinfo=HELSINKI)))
    editor = cast.client("editor")
    page = editor.get(_url("calendar"), {"date": "2030-06-01"}).content.decode()
    assert page.count('draggable="true"') == 1
    editor.post(_url("calendar-move", post=draft.pk), {"day": "2030-06-20",
                                                       "revision": draft.revision},
                HTTP_HX_REQUEST="true")
    draft.refresh_from_db()
    assert draft.publish_at == datetime(2030, 6, 20, 9, tzinfo=HELSINKI)
    response = editor.post(_url("calendar-move", post=scheduled.pk),
                           {"day": "2030-06-20", "revision": scheduled.revision},
                           HTTP_HX_REQUEST="true")
    assert "an approved post is moved by a Lead or an Owner" in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.publish_at == datetime(2030, 6, 12, 9, tzinfo=HELSINKI)


def test_a_move_of_a_stale_copy_is_refused(cast: Cast) -> None:
    post = _post(cast, "Stale", datetime(2030, 6, 12, 9, tzinfo=HELSINKI))
    response = cast.client("lead").post(_url("calendar-move", post=post.pk),
                                        {"day": "2030-06-13", "revision": post.revision - 1},
                                        HTTP_HX_REQUEST="true")
    assert "Someone else saved this post meanwhile" in response.content.decode()
    post.refresh_from_db()
    assert post.publish_at == datetime(2030, 6, 12, 9, tzinfo=HELSINKI)


def test_a_scheduled_post_cannot_be_moved_into_the_past(cast: Cast) -> None:
    post = _scheduled(cast, _post(cast, "Future", datetime(2030, 6, 12, 9, tzinfo=HELSINKI)))
    response = cast.client("lead").post(_url("calendar-move", post=post.pk),
                                        {"day": "2020-01-01", "revision": post.revision},
                                        HTTP_HX_REQUEST="true")
    assert "only be moved to a time still ahead" in response.content.decode()


def test_outsiders_and_viewers_cannot_move(cast: Cast) -> None:
    post = _post(cast, "Mine", datetime(2030, 6, 12, 9, tzinfo=HELSINKI))
    data = {"day": "2030-06-13", "revision": post.revision}
    assert cast.client("viewer").post(_url("calendar-move", post=post.pk), data).status_code == 403
    assert cast.client("outsider").post(_url("calendar-move", post=post.pk),
                                        data).status_code == 404
    assert cast.client("outsider").get(_url("calendar")).status_code == 404


def test_bad_parameters_fall_back_and_untrusted_titles_are_escaped(cast: Cast) -> None:
    _post(cast, "<script>alert(1)</script>", datetime(2030, 6, 12, 9, tzinfo=HELSINKI))
    client = cast.client("viewer")
    assert client.get(_url("calendar"), {"view": "year", "date": "not-a-day"}).status_code == 200
    page = client.get(_url("calendar"), {"date": "2030-06-01"}).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_the_calendar_reads_in_finnish(cast: Cast) -> None:
    client = cast.client("viewer")
    client.cookies["django_language"] = "fi"
    page = client.get(_url("calendar"), {"date": "2030-06-01"}).content.decode()
    assert "Kalenteri" in page
    assert "kesäkuu 2030" in page.lower()
