"""Posts in the workbench, through the fixed cast: who may write, approve and see."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from kanava.publishing.models import Post
from kanava.publishing.workflow import State
from tests.web.conftest import Cast

pytestmark = pytest.mark.django_db


def _url(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"org": "acme", **kwargs})


def _write(cast: Cast, who: str = "editor", **fields: str) -> Post:
    data = {"title": "Field test", "publish_at": "2030-06-01T09:30", "campaign": "",
            "theme": "field-tests", "text_facebook": "New field results. What do you think?",
            "text_linkedin": "Our field test results are out.", **fields}
    response = cast.client(who).post(_url("post-new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Post.objects.latest("pk")


def test_an_editor_writes_a_post_for_the_plans_channels(cast: Cast) -> None:
    post = _write(cast)
    assert post.state == State.DRAFT
    assert post.author == cast.users["editor"]
    assert sorted(post.variants.values_list("channel", "network")) == [
        ("facebook", "facebook"), ("linkedin", "linkedin")]
    assert post.publish_at == datetime(2030, 6, 1, 9, 30, tzinfo=ZoneInfo("Europe/Helsinki"))
    page = cast.client("viewer").get(_url("post-list")).content.decode()
    assert "Field test" in page


def test_a_viewer_cannot_write_and_an_outsider_sees_nothing(cast: Cast) -> None:
    assert cast.client("viewer").get(_url("post-new")).status_code == 403
    assert cast.client("expert").post(_url("post-new"), {}).status_code == 403
    post = _write(cast)
    assert cast.client("outsider").get(_url("post-detail", post=post.pk)).status_code == 404
    assert cast.client("outsider").get(_url("post-list")).status_code == 404
    assert cast.client("anonymous").get(_url("post-list")).status_code == 302


def test_a_post_for_no_channel_is_refused(cast: Cast) -> None:
    response = cast.client("editor").post(_url("post-new"), {"title": "Empty"})
    assert response.status_code == 200
    assert "Write the post for at least one channel." in response.content.decode()


def test_an_editor_cannot_approve_their_own_post_but_a_lead_can(cast: Cast) -> None:
    post = _write(cast)
    editor, lead = cast.client("editor"), cast.client("lead")
    editor.post(_url("post-action", post=post.pk, action="submit"))
    assert editor.post(_url("post-action", post=post.pk, action="approve")).status_code == 403
    lead.post(_url("post-action", post=post.pk, action="approve"))
    lead.post(_url("post-action", post=post.pk, action="schedule"))
    post.refresh_from_db()
    assert post.state == State.SCHEDULED
    assert post.approved_by == cast.users["lead"]


def test_the_detail_shows_the_networks_count_and_blocking_findings(cast: Cast) -> None:
    post = _write(cast, text_facebook="TODO: write this", text_linkedin="")
    page = cast.client("lead").get(_url("post-detail", post=post.pk)).content.decode()
    assert "&quot;TODO&quot; is still in the text." in page
    assert "16 of 63206" in page
    cast.client("editor").post(_url("post-action", post=post.pk, action="submit"))
    response = cast.client("lead").post(_url("post-action", post=post.pk, action="approve"),
                                        follow=True)
    assert "errors that block publishing" in response.content.decode()
    post.refresh_from_db()
    assert post.state == State.IN_REVIEW


def test_untrusted_text_is_escaped(cast: Cast) -> None:
    post = _write(cast, text_facebook="<script>alert(1)</script> Hei?", text_linkedin="")
    page = cast.client("viewer").get(_url("post-detail", post=post.pk)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_csv_calendar_imports_good_rows_and_lists_bad_ones(cast: Cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (b"publish_at;channels;text\n"
            b"2030-06-02 10:00;facebook;Summer opening hours. Questions?\n"
            b"someday;facebook;Bad date\n")
    upload = SimpleUploadedFile("kalenteri.csv", data, content_type="text/csv")
    response = cast.client("editor").post(_url("calendar-import"), {"file": upload})
    page = response.content.decode()
    assert "1 draft was created." in page
    assert "kalenteri.csv:3: publish_at:" in page
    assert Post.objects.filter(organization=cast.organization).count() == 1


def test_the_pages_read_in_finnish(cast: Cast) -> None:
    client = cast.client("editor")
    client.cookies["django_language"] = "fi"
    page = client.get(_url("post-list"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Julkaisut" in page


def test_the_calendar_and_feeds_need_the_secret_address(cast: Cast) -> None:
    from kanava.publishing.models import FeedToken, Variant

    post = _write(cast)
    page = cast.client("viewer").get(_url("feed-addresses")).content.decode()
    token = FeedToken.objects.get(organization=cast.organization).token
    assert f"calendar.ics?token={token}" in page
    anonymous = cast.client("anonymous")
    assert anonymous.get(_url("calendar-feed")).status_code == 404
    assert anonymous.get(_url("calendar-feed") + "?token=wrong").status_code == 404
    cast.client("editor").post(_url("post-action", post=post.pk, action="submit"))
    ics = anonymous.get(_url("calendar-feed") + f"?token={token}")
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body
    assert "SUMMARY:Field test" in body
    assert "DTSTART:20300601T063000Z" in body
    variant = post.variants.get(channel="facebook")
    Variant.objects.filter(pk=variant.pk).update(
        outbox="published", published_at=post.publish_at,
        external_url="https://facebook.example/1")
    atom = anonymous.get(reverse("published-feed", kwargs={"org": "acme", "kind": "atom"})
                         + f"?token={token}")
    assert b"https://facebook.example/1" in atom.content
    rss = anonymous.get(reverse("published-feed", kwargs={"org": "acme", "kind": "rss"})
                        + f"?token={token}")
    assert b"<rss" in rss.content
    other = FeedToken.objects.create(organization=cast.other)
    assert anonymous.get(_url("calendar-feed") + f"?token={other.token}").status_code == 404


def test_a_change_after_approval_goes_back_to_review(cast: Cast) -> None:
    post = _write(cast)
    editor, lead = cast.client("editor"), cast.client("lead")
    editor.post(_url("post-action", post=post.pk, action="submit"))
    lead.post(_url("post-action", post=post.pk, action="approve"))
    lead.post(_url("post-action", post=post.pk, action="schedule"))
    post.refresh_from_db()
    form = editor.get(_url("post-edit", post=post.pk)).content.decode()
    assert "New field results. What do you think?" in form
    assert "Saving a change sends the post back to review." in form
    response = editor.post(_url("post-edit", post=post.pk), {
        "revision": post.revision, "title": "Field test", "publish_at": "2030-06-01T10:00",
        "text_facebook": "Field results, corrected. What do you think?"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state == State.IN_REVIEW
    assert list(post.variants.values_list("channel", "outbox")) == [("facebook", "waiting")]


def test_an_edit_of_a_stale_copy_is_refused_and_nothing_is_lost(cast: Cast) -> None:
    post = _write(cast)
    stale = post.revision
    editor = cast.client("editor")
    editor.post(_url("post-edit", post=post.pk), {"revision": stale, "title": "First",
                                                 "text_facebook": "First change?"})
    response = editor.post(_url("post-edit", post=post.pk), {
        "revision": stale, "title": "Second", "text_facebook": "Second change?"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this post meanwhile" in page
    assert "Second change?" in page  # what was typed is still in the form
    post.refresh_from_db()
    assert post.title == "First"


def test_a_viewer_cannot_edit(cast: Cast) -> None:
    post = _write(cast)
    assert cast.client("viewer").get(_url("post-edit", post=post.pk)).status_code == 403


def test_links_get_the_campaigns_tags_and_channels_their_plan_names(cast: Cast) -> None:
    form = cast.client("editor").get(_url("post-new")).content.decode()
    assert "Text for Kuura Gear Talk (Facebook group)" in form
    post = _write(cast, campaign="Winter 2030", utm="on", text_linkedin="",
                  link_facebook="https://kuura.example/field?lang=en")
    link = post.variants.get(channel="facebook").link
    assert link == ("https://kuura.example/field?lang=en&utm_source=facebook&utm_medium=social"
                    "&utm_campaign=winter-2030&utm_content=facebook")


def test_an_approval_deadline_is_kept_and_must_come_before_the_publish_time(cast: Cast) -> None:
    post = _write(cast, approve_by="2030-05-30T12:00")
    assert post.approve_by == datetime(2030, 5, 30, 12, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
    page = cast.client("viewer").get(_url("post-detail", post=post.pk)).content.decode()
    assert "Approve by" in page
    response = cast.client("editor").post(_url("post-new"), {
        "title": "Late", "publish_at": "2030-06-01T09:30", "approve_by": "2030-06-02T09:00",
        "text_facebook": "Hello there. What do you think?"})
    assert "Choose a time before the publish time." in response.content.decode()


def test_the_plans_owner_of_every_channel_approves_even_as_an_expert(cast: Cast) -> None:
    # en-company.yaml names saarinen (laura.saarinen@…) as the owner of its Facebook channel.
    expert = cast.users["expert"]
    expert.email = "laura.saarinen@kuura-outdoor.example"
    expert.save()
    post = _write(cast, text_linkedin="")  # Facebook only
    cast.client("editor").post(_url("post-action", post=post.pk, action="submit"))
    page = cast.client("expert").get(_url("post-detail", post=post.pk)).content.decode()
    assert ">Approve</button>" in page
    cast.client("expert").post(_url("post-action", post=post.pk, action="approve"))
    post.refresh_from_db()
    assert post.state == State.APPROVED
    assert post.approved_by == expert
    both = _write(cast)  # Facebook and LinkedIn: not every channel is hers
    cast.client("editor").post(_url("post-action", post=both.pk, action="submit"))
    assert cast.client("expert").post(_url("post-action", post=both.pk, action="approve"),
                                      ).status_code == 403


def test_a_webhook_post_is_confirmed_by_hand_on_the_post_page(cast: Cast) -> None:
    from kanava.publishing.models import Variant

    post = _write(cast, text_linkedin="")
    post.state = State.UNCONFIRMED
    post.save()
    variant = post.variants.get()
    Variant.objects.filter(pk=variant.pk).update(outbox="check", error="no answer")
    url = _url("variant-confirm", post=post.pk, variant=variant.pk)
    page = cast.client("lead").get(_url("post-detail", post=post.pk)).content.decode()
    assert "It is there" in page
    assert "It is there" not in cast.client("editor").get(
        _url("post-detail", post=post.pk)).content.decode()
    assert cast.client("editor").post(url, {"published": "yes"}).status_code == 403
    response = cast.client("lead").post(url, {"published": "yes", "url": "javascript:alert(1)"})
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.outbox == "check"  # a bad address changes nothing
    cast.client("lead").post(url, {"published": "yes", "url": "https://chat.example/m/1"})
    variant.refresh_from_db()
    assert (variant.outbox, variant.external_url) == ("published", "https://chat.example/m/1")
    post.refresh_from_db()
    assert post.state == State.PUBLISHED


def test_the_link_builder_tags_a_link_for_every_channel(cast: Cast) -> None:
    page = cast.client("viewer").get(_url("link-builder"), {
        "url": "https://kuura.example/winter?x=1", "campaign": "Winter 2030"}).content.decode()
    assert ("https://kuura.example/winter?x=1&amp;utm_source=facebook&amp;utm_medium=social"
            "&amp;utm_campaign=winter-2030&amp;utm_content=facebook") in page
    assert "utm_source=linkedin" in page
    bad = cast.client("viewer").get(_url("link-builder"), {"url": "not a link", "campaign": "x"})
    assert "Enter a valid URL." in bad.content.decode()
    assert cast.client("outsider").get(_url("link-builder")).status_code == 404


def test_a_lead_removes_a_published_post_from_its_network(cast: Cast) -> None:
    from kanava.planstore.services import do_import_plan
    from kanava.publishing import connections, services
    from kanava.publishing.models import Variant
    from kanava.publishing.outbox import connected_publisher
    from tests.browser.test_publishing import PLAN
    from tests.connectors.fake_pds import HANDLE, PASSWORD, FakePds

    pds = FakePds()
    try:
        plan = do_import_plan(cast.organization, cast.users["lead"], PLAN)
        connections.connect(cast.organization, "sky", "bluesky", account=HANDLE,
                            base_url=pds.url, secrets={"app_password": PASSWORD})
        post = services.create_post(
            cast.organization, cast.users["editor"],
            [services.VariantInput("sky", "bluesky", "Repair café on Monday!")], plan=plan)
        variant = post.variants.get()
        publisher = connected_publisher(variant)
        receipt = publisher.publish(services.outgoing(variant), key=variant.key)
        publisher.close()
        Variant.objects.filter(pk=variant.pk).update(outbox="published",
                                                     external_id=receipt.external_id)
        assert len(pds.records) == 1
        url = _url("variant-remove", post=post.pk, variant=variant.pk)
        assert cast.client("editor").post(url).status_code == 403
        page = cast.client("lead").get(_url("post-detail", post=post.pk)).content.decode()
        assert "Remove from bluesky" in page
        cast.client("lead").post(url)
        assert pds.records == {}
        variant.refresh_from_db()
        assert variant.outbox == "removed"
        page = cast.client("lead").get(_url("post-detail", post=post.pk)).content.decode()
        assert "Removed from the network." in page
        assert "Remove from bluesky" not in page
        response = cast.client("lead").post(url, follow=True)
        assert "Only a published post can be removed" in response.content.decode()
    finally:
        pds.stop()
