"""The post editor: live checks while typing (nothing saved), images with alt texts,
and images shown to members only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kanava.publishing.models import MediaFile, Post, PostEvent
from kanava.publishing.workflow import State
from tests.web.conftest import Cast

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _url(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"org": "acme", **kwargs})


def _image(data: bytes = PNG, name: str = "tent.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def _write(cast: Cast, **fields: Any) -> Post:
    data = {"title": "Field test", "publish_at": "2030-06-01T09:30",
            "text_facebook": "New field results. What do you think?", **fields}
    response = cast.client("editor").post(_url("post-new"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Post.objects.latest("pk")


def _slot(page: str, channel: str) -> str:
    """The live findings area of one channel in a page or a live-check answer."""
    match = re.search(rf'<div class="live post-checks" id="live-channel-{channel}".*?</div>',
                      page, re.S)
    assert match, f"no findings area for {channel}"
    return match.group(0)


def _saved_state() -> tuple[int, int, int, list[tuple[int, str, int]]]:
    posts = list(Post.objects.values_list("pk", "title", "revision"))
    return Post.objects.count(), PostEvent.objects.count(), MediaFile.objects.count(), posts


# --- live checks -----------------------------------------------------------------------


def test_the_editor_asks_for_live_checks_without_inline_scripts(cast: Cast) -> None:
    page = cast.client("editor").get(_url("post-new")).content.decode()
    assert f'hx-post="{_url("post-check")}"' in page
    assert 'hx-trigger="input changed delay:400ms"' in page
    assert 'hx-target="#live-post-summary"' in page
    assert 'id="live-channel-facebook"' in page
    assert "/static/kanava/post_form.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\sstyle=|\son[a-z]+=", page)
    # the live check never uploads: the file inputs are left out of it
    assert re.search(r'hx-params="not [^"]*images_facebook', page)


def test_the_live_check_shows_each_channels_count_and_findings_and_saves_nothing(
        cast: Cast) -> None:
    before = _saved_state()
    response = cast.client("editor").post(_url("post-check"), {
        "text_facebook": "TODO: write this", "text_linkedin": "Our field tests are out."})
    assert response.status_code == 200
    page = response.content.decode()
    facebook = _slot(page, "facebook")
    assert "16 of 63206" in facebook
    assert "&quot;TODO&quot; is still in the text." in facebook
    assert 'hx-swap-oob="true"' in facebook
    linkedin = _slot(page, "linkedin")
    assert "24 of 3000" in linkedin
    assert "still in the text" not in linkedin
    assert 'id="live-post-summary"' in page
    assert "1 error" in page
    assert "Errors block approval until they are fixed." in page
    assert _saved_state() == before


def test_the_live_check_of_a_post_being_edited_saves_nothing(cast: Cast) -> None:
    post = _write(cast)
    before = _saved_state()
    response = cast.client("editor").post(_url("post-check"), {
        "post": post.pk, "revision": post.revision, "title": "Changed",
        "text_facebook": "Lorem ipsum changed"})
    facebook = _slot(response.content.decode(), "facebook")
    assert "&quot;Lorem ipsum&quot; is still in the text." in facebook
    assert _saved_state() == before
    post.refresh_from_db()
    assert post.variants.get().text == "New field results. What do you think?"


def test_the_live_check_does_not_count_the_edited_post_against_itself(cast: Cast) -> None:
    post = _write(cast, marketing="on")
    editor, lead = cast.client("editor"), cast.client("lead")
    editor.post(_url("post-action", post=post.pk, action="submit"))
    lead.post(_url("post-action", post=post.pk, action="approve"))
    lead.post(_url("post-action", post=post.pk, action="schedule"))
    data = {"publish_at": "2030-06-01T09:30", "marketing": "on",
            "text_facebook": "Another offer. What do you think?"}
    fresh = editor.post(_url("post-check"), data).content.decode()
    assert "2 of the channel&#x27;s 2 posts" in _slot(fresh, "facebook")  # the scheduled one
    itself = editor.post(_url("post-check"), {**data, "post": post.pk}).content.decode()
    assert "1 of the channel&#x27;s 1 posts" in _slot(itself, "facebook")


def test_the_live_check_names_a_field_it_cannot_read(cast: Cast) -> None:
    page = cast.client("editor").post(_url("post-check"), {
        "text_facebook": "Hello?", "link_facebook": "not a link at all",
        "publish_at": "someday"}).content.decode()
    assert "Enter a valid URL." in _slot(page, "facebook")
    assert "Some fields need fixing" in page


def test_the_live_check_checks_images_chosen_but_not_uploaded(cast: Cast) -> None:
    page = cast.client("editor").post(_url("post-check"), {
        "text_facebook": "Look?", "selected_facebook": "1000,2000,x",
        "alt_new_0_facebook": "A red tent"}).content.decode()
    facebook = _slot(page, "facebook")
    assert "Image 2 has no alternative text" in facebook
    assert "Image 1 has no" not in facebook


def test_the_live_check_is_for_writers_of_the_organization_only(cast: Cast) -> None:
    post = _write(cast)
    assert cast.client("viewer").post(_url("post-check"), {}).status_code == 403
    assert cast.client("outsider").post(_url("post-check"), {}).status_code == 404
    assert cast.client("editor").get(_url("post-check")).status_code == 405
    other = Post.objects.create(organization=cast.other, title="Theirs")
    assert cast.client("editor").post(_url("post-check"),
                                      {"post": other.pk}).status_code == 404
    assert cast.client("editor").post(_url("post-check"), {"post": post.pk}).status_code == 200


def test_without_javascript_a_refused_save_shows_the_findings_too(cast: Cast) -> None:
    response = cast.client("editor").post(_url("post-new"), {
        "text_facebook": "TODO later", "link_facebook": "not a link at all"})
    assert response.status_code == 200
    facebook = _slot(response.content.decode(), "facebook")
    assert "Enter a valid URL." in facebook
    assert "&quot;TODO&quot; is still in the text." in facebook
    assert not Post.objects.exists()


# --- images ----------------------------------------------------------------------------


def test_an_image_is_saved_with_its_alt_text(cast: Cast, media_root: Path) -> None:
    post = _write(cast, images_facebook=[_image(), _image(JPEG, "map.jpg")],
                  alt_new_0_facebook="A red tent in snow", alt_new_1_facebook="A trail map")
    stored = list(MediaFile.objects.filter(variant__post=post))
    assert [(m.kind, m.size, m.alt) for m in stored] == [
        ("image", len(PNG), "A red tent in snow"), ("image", len(JPEG), "A trail map")]
    assert all(Path(m.file.path).is_relative_to(media_root) for m in stored)


def test_a_channel_with_only_an_image_is_written_for(cast: Cast) -> None:
    post = _write(cast, text_facebook="", images_instagram=[_image()],
                  alt_new_0_instagram="Boots drying by a fire")
    assert list(post.variants.values_list("channel", flat=True)) == ["instagram"]


def test_a_file_that_is_not_an_image_is_refused_by_its_bytes(cast: Cast) -> None:
    response = cast.client("editor").post(_url("post-new"), {
        "text_facebook": "Hello?",
        "images_facebook": [_image(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.png")]})
    assert response.status_code == 200
    assert "x.png is not a JPEG, PNG, GIF or WebP image." in _slot(
        response.content.decode(), "facebook")
    assert not Post.objects.exists()
    assert not MediaFile.objects.exists()


def test_a_channel_takes_at_most_four_images(cast: Cast) -> None:
    response = cast.client("editor").post(_url("post-new"), {
        "text_facebook": "Hello?", "images_facebook": [_image() for _ in range(5)]})
    assert "A channel takes at most 4 images here" in response.content.decode()
    assert not Post.objects.exists()


def test_the_edit_form_lists_images_to_describe_or_remove(cast: Cast) -> None:
    post = _write(cast, images_facebook=[_image(), _image(JPEG, "map.jpg")],
                  alt_new_0_facebook="A tent")
    first, second = MediaFile.objects.filter(variant__post=post)
    editor = cast.client("editor")
    form = editor.get(_url("post-edit", post=post.pk)).content.decode()
    assert f'name="alt_media_{first.pk}"' in form
    assert f'name="remove_media_{second.pk}"' in form
    assert _url("post-media", post=post.pk, media_file=first.pk) in form
    assert "Image 2 has no alternative text" in _slot(form, "facebook")
    response = editor.post(_url("post-edit", post=post.pk), {
        "revision": post.revision, "text_facebook": "New field results. What do you think?",
        f"alt_media_{first.pk}": "A red tent in snow", f"remove_media_{second.pk}": "on"})
    assert response.status_code == 302
    assert list(MediaFile.objects.filter(variant__post=post).values_list("pk", "alt")) == [
        (first.pk, "A red tent in snow")]


def test_a_channel_emptied_of_text_and_images_leaves_no_file_behind(
        cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    post = _write(cast, images_instagram=[_image()], alt_new_0_instagram="Boots")
    path = Path(MediaFile.objects.get().file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client("editor").post(_url("post-edit", post=post.pk), {
            "revision": post.revision, "text_facebook": "Only here now. Questions?",
            f"remove_media_{MediaFile.objects.get().pk}": "on"})
    assert response.status_code == 302
    assert list(post.variants.values_list("channel", flat=True)) == ["facebook"]
    assert not MediaFile.objects.exists()
    assert not path.exists()


def test_an_image_without_alt_text_blocks_approval(cast: Cast) -> None:
    post = _write(cast, images_facebook=[_image()])
    cast.client("editor").post(_url("post-action", post=post.pk, action="submit"))
    response = cast.client("lead").post(_url("post-action", post=post.pk, action="approve"),
                                        follow=True)
    page = response.content.decode()
    assert "Image 1 has no alternative text" in page
    post.refresh_from_db()
    assert post.state == State.IN_REVIEW


def test_images_are_shown_to_members_only(cast: Cast) -> None:
    post = _write(cast, images_facebook=[_image()], alt_new_0_facebook="A <b>tent</b>")
    image = MediaFile.objects.get()
    address = _url("post-media", post=post.pk, media_file=image.pk)
    page = cast.client("viewer").get(_url("post-detail", post=post.pk)).content.decode()
    assert f'src="{address}"' in page
    assert 'alt="A &lt;b&gt;tent&lt;/b&gt;"' in page
    response = cast.client("viewer").get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert cast.client("outsider").get(address).status_code == 404
    assert cast.client("anonymous").get(address).status_code == 302
    wrong_post = _url("post-media", post=post.pk + 1, media_file=image.pk)
    assert cast.client("viewer").get(wrong_post).status_code == 404


# --- videos ----------------------------------------------------------------------------

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def _video(data: bytes = MP4, name: str = "walk.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="video/mp4")


def test_the_editor_offers_one_video_per_channel_without_sending_it_to_the_live_check(
        cast: Cast) -> None:
    page = cast.client("editor").get(_url("post-new")).content.decode()
    assert ('<input type="file" name="video_journal" accept="video/mp4,video/webm,'
            'video/quicktime" data-video-channel="journal"') in page
    assert 'name="video_alt_journal"' in page
    assert re.search(r'hx-params="not [^"]*\bvideo_journal\b', page)


def test_a_video_is_saved_with_its_description_and_shown_to_members(cast: Cast) -> None:
    post = _write(cast, text_facebook="", text_journal="A walk in the rain. Questions?",
                  video_journal=_video(), video_alt_journal="A <b>wet</b> trail")
    video = MediaFile.objects.get(variant__post=post)
    assert (video.kind, video.size, video.alt) == ("video", len(MP4), "A <b>wet</b> trail")
    assert Path(video.file.path).suffix == ".mp4"
    address = _url("post-media", post=post.pk, media_file=video.pk)
    page = cast.client("viewer").get(_url("post-detail", post=post.pk)).content.decode()
    assert f'<video controls preload="metadata" width="320" src="{address}"></video>' in page
    assert "A &lt;b&gt;wet&lt;/b&gt; trail" in page
    response = cast.client("viewer").get(address)
    assert response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content) == MP4  # type: ignore[attr-defined]
    assert cast.client("outsider").get(address).status_code == 404
    assert 'class="finding error"' not in page  # WordPress takes a video


def test_a_file_that_is_not_a_video_is_refused_by_its_bytes(cast: Cast) -> None:
    response = cast.client("editor").post(_url("post-new"), {
        "text_journal": "Hello?", "video_journal": _video(b"<html>not a video</html>",
                                                          "fake.mp4")})
    assert response.status_code == 200
    assert "fake.mp4 is not an MP4, WebM or QuickTime video." in _slot(
        response.content.decode(), "journal")
    assert not Post.objects.exists()
    assert not MediaFile.objects.exists()


def test_a_video_on_linkedin_is_refused_by_the_checks(cast: Cast) -> None:
    post = _write(cast, text_facebook="", text_linkedin="Our field tests, filmed. Thoughts?",
                  video_linkedin=_video())
    message = ("Kanava does not publish videos to linkedin: remove the video, or post it "
               "there by hand.")
    page = cast.client("editor").get(_url("post-detail", post=post.pk)).content.decode()
    assert message in page
    live = cast.client("editor").post(_url("post-check"), {
        "text_linkedin": "Filmed. Thoughts?", "selected_video_linkedin": "2000"})
    assert message in _slot(live.content.decode(), "linkedin")
    cast.client("editor").post(_url("post-action", post=post.pk, action="submit"))
    cast.client("lead").post(_url("post-action", post=post.pk, action="approve"))
    post.refresh_from_db()
    assert post.state == State.IN_REVIEW


def test_the_edit_form_lists_the_video_to_describe_or_remove(cast: Cast) -> None:
    post = _write(cast, text_facebook="", text_journal="Rain walk. Questions?",
                  video_journal=_video(), images_journal=[_image()],
                  alt_new_0_journal="A map")
    image, video = MediaFile.objects.filter(variant__post=post)
    assert (image.kind, video.kind) == ("image", "video")
    editor = cast.client("editor")
    form = editor.get(_url("post-edit", post=post.pk)).content.decode()
    assert f'<label for="id_alt_media_{video.pk}">Description of the video' in form
    assert f'<label for="id_remove_media_{video.pk}">Remove the video' in form
    assert f'<label for="id_alt_media_{image.pk}">Alternative text of image 1' in form
    second = editor.post(_url("post-edit", post=post.pk), {
        "revision": post.revision, "text_journal": "Rain walk. Questions?",
        "video_journal": _video(name="again.mp4")})
    assert "A channel takes one video here" in _slot(second.content.decode(), "journal")
    response = editor.post(_url("post-edit", post=post.pk), {
        "revision": post.revision, "text_journal": "Rain walk. Questions?",
        f"alt_media_{video.pk}": "A wet trail", f"alt_media_{image.pk}": "A map",
        f"remove_media_{image.pk}": "on"})
    assert response.status_code == 302
    assert list(MediaFile.objects.filter(variant__post=post).values_list("pk", "alt")) == [
        (video.pk, "A wet trail")]
