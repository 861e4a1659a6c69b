"""Images of a post: recognised by their bytes, stored with their alt text, and handed
to the connectors with their paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kanava.connectors import registry
from kanava.publishing import checks, media, services
from kanava.publishing.models import MediaFile
from tests.publishing.conftest import Team

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
GIF = b"GIF89a" + b"\x00" * 40
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(data: bytes, name: str = "kuva.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.mark.parametrize(("data", "kind"), [(PNG, "png"), (JPEG, "jpg"), (GIF, "gif"),
                                            (WEBP, "webp")])
def test_the_four_image_types_are_known_by_their_bytes(data: bytes, kind: str) -> None:
    assert media.check_image("x", len(data), data[:media.HEAD_BYTES]) == kind


@pytest.mark.parametrize("data", [b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                                  b"%PDF-1.7 and so on", b"RIFF\x00\x00\x00\x00WAVEfmt ",
                                  b"BM a bitmap"])
def test_anything_else_is_refused_whatever_its_name(data: bytes) -> None:
    with pytest.raises(media.MediaRefused) as refused:
        media.check_upload(_upload(data, "looks-like.png"))
    assert refused.value.render("en") == ("looks-like.png is not a JPEG, PNG, GIF or WebP "
                                          "image.")


def test_an_image_larger_than_any_network_takes_is_refused() -> None:
    largest = max(limits.max_image_bytes or 0 for network in registry.WITH_LIMITS
                  if (limits := registry.limits(network)) is not None)
    assert largest == media.MAX_IMAGE_BYTES
    assert media.check_image("big.png", largest, PNG) == "png"
    with pytest.raises(media.MediaRefused, match="larger than 16 MB"):
        media.check_image("big.png", largest + 1, PNG)
    with pytest.raises(media.MediaRefused, match="empty"):
        media.check_image("none.png", 0, b"")


def test_a_channel_takes_at_most_four_images_at_a_time() -> None:
    media.check_count(2, 2)
    with pytest.raises(media.MediaRefused, match="at most 4 images"):
        media.check_count(3, 2)


def test_images_are_stored_under_our_own_names_with_their_alt_text(
        team: Team, media_root: Path) -> None:
    post = services.create_post(team.organization, team.editor,
                                [services.VariantInput("masto", "mastodon", "Hello")])
    variant = post.variants.get()
    changes = media.Changes(uploads=[_upload(PNG, "../../etc/evil.png"), _upload(JPEG)],
                            new_alts=["A red tent in snow", ""])
    stored = media.apply(variant, changes)
    assert [(m.kind, m.size, m.alt, m.position) for m in stored] == [
        ("image", len(PNG), "A red tent in snow", 0), ("image", len(JPEG), "", 1)]
    first = Path(stored[0].file.path)
    assert first.is_relative_to(media_root)
    assert first.suffix == ".png"
    assert "evil" not in first.name
    assert first.read_bytes() == PNG
    assert media.content_type(stored[1]) == "image/jpeg"


def test_the_missing_alt_text_is_a_finding_that_blocks(team: Team, media_root: Path) -> None:
    post = services.create_post(team.organization, team.editor,
                                [services.VariantInput("masto", "mastodon", "Hello?")])
    media.apply(post.variants.get(), media.Changes(uploads=[_upload(PNG)]))
    blocking = [f.check for f in services.findings(post) if f.severity == "error"]
    assert blocking == ["alt-text-missing"]


def test_alt_texts_change_and_removed_images_go_from_the_disk(
        team: Team, media_root: Path, django_capture_on_commit_callbacks: Any) -> None:
    post = services.create_post(team.organization, team.editor,
                                [services.VariantInput("masto", "mastodon", "Hello")])
    variant = post.variants.get()
    kept, gone = media.apply(variant, media.Changes(uploads=[_upload(PNG), _upload(GIF)]))
    gone_path = Path(gone.file.path)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        media.apply(variant, media.Changes(alts={kept.pk: "A map of the trail"},
                                           removed=[gone.pk],
                                           uploads=[_upload(WEBP)], new_alts=["Boots"]))
    assert list(variant.media.values_list("alt", "position")) == [
        ("A map of the trail", 0), ("Boots", 1)]
    assert not gone_path.exists()


def test_a_refused_upload_stores_nothing(team: Team, media_root: Path) -> None:
    post = services.create_post(team.organization, team.editor,
                                [services.VariantInput("masto", "mastodon", "Hello")])
    with pytest.raises(media.MediaRefused):
        media.apply(post.variants.get(),
                    media.Changes(uploads=[_upload(PNG), _upload(b"not an image")]))
    assert not MediaFile.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_the_outbox_hands_the_connector_each_images_path_and_alt_text(
        team: Team, media_root: Path) -> None:
    post = services.create_post(team.organization, team.editor,
                                [services.VariantInput("masto", "mastodon", "Hello")])
    variant = post.variants.get()
    stored = media.apply(variant, media.Changes(uploads=[_upload(PNG), _upload(JPEG)],
                                                new_alts=["First", "Second"]))
    outgoing = services.outgoing(variant)
    assert [(m.path, m.kind, m.alt) for m in outgoing.media] == [
        (stored[0].file.path, "image", "First"), (stored[1].file.path, "image", "Second")]
    assert all(Path(m.path).is_file() for m in outgoing.media)


def test_a_draft_is_checked_with_its_chosen_images_and_typed_alt_texts() -> None:
    changes = media.Changes(new_alts=["A tent", ""])
    assert media.draft([], changes, pending=[10, 20]) == (
        checks.Media("image", 10, "A tent"), checks.Media("image", 20, ""))


# --- videos ----------------------------------------------------------------------------

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 40
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 40
WEBM = (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81"
        b"\x08\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02" + b"\x00" * 40)


def _video(data: bytes, name: str = "clip.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="video/mp4")


@pytest.mark.parametrize(("data", "kind"), [(MP4, "mp4"), (MOV, "mov"), (WEBM, "webm")])
def test_the_three_video_types_are_known_by_their_bytes(data: bytes, kind: str) -> None:
    assert media.check_video("x", len(data), data[:media.HEAD_BYTES]) == kind


@pytest.mark.parametrize("data", [
    PNG, b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",  # an iPhone photo
    b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A isom",  # sound
    b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska",  # Matroska, which no network takes
    b"RIFF\x00\x00\x00\x00AVI LIST", b"not a video at all"])
def test_anything_else_is_refused_as_a_video_whatever_its_name(data: bytes) -> None:
    with pytest.raises(media.MediaRefused) as refused:
        media.check_video_upload(_video(data, "looks-like.mp4"))
    assert refused.value.render("en") == "looks-like.mp4 is not an MP4, WebM or QuickTime video."


def test_a_video_larger_than_kanava_keeps_is_refused() -> None:
    assert media.MAX_VIDEO_BYTES == 512 * 1024 * 1024
    assert media.check_video("big.mp4", media.MAX_VIDEO_BYTES, MP4) == "mp4"
    with pytest.raises(media.MediaRefused, match="larger than 512 MB"):
        media.check_video("big.mp4", media.MAX_VIDEO_BYTES + 1, MP4)
    with pytest.raises(media.MediaRefused, match="empty"):
        media.check_video("none.mp4", 0, b"")


def test_a_video_is_stored_after_the_images_and_served_as_video(
        team: Team, media_root: Path) -> None:
    post = services.create_post(team.organization, team.editor,
                                [services.VariantInput("masto", "mastodon", "Hello")])
    variant = post.variants.get()
    [video] = media.apply(variant, media.Changes(video=_video(WEBM, "../x.mp4"),
                                                 video_alt=" Boots in a stream "))
    media.apply(variant, media.Changes(uploads=[_upload(PNG)], new_alts=["Boots"]))
    assert list(variant.media.values_list("kind", "position", "alt")) == [
        ("image", 0, "Boots"), ("video", 1, "Boots in a stream")]
    video.refresh_from_db()
    assert Path(video.file.path).suffix == ".webm"
    assert media.content_type(video) == "video/webm"
    assert [m.kind for m in services.outgoing(variant).media] == ["image", "video"]


def test_a_channel_keeps_one_video(team: Team, media_root: Path) -> None:
    post = services.create_post(team.organization, team.editor,
                                [services.VariantInput("masto", "mastodon", "Hello")])
    variant = post.variants.get()
    [first] = media.apply(variant, media.Changes(video=_video(MP4)))
    with pytest.raises(media.MediaRefused, match="one video"):
        media.apply(variant, media.Changes(video=_video(MOV, "clip.mov")))
    [second] = media.apply(variant, media.Changes(video=_video(MOV, "clip.mov"),
                                                  removed=[first.pk]))
    assert list(variant.media.values_list("pk", flat=True)) == [second.pk]
    assert media.content_type(second) == "video/quicktime"


def test_a_draft_is_checked_with_its_chosen_video_after_its_images() -> None:
    changes = media.Changes(new_alts=["A tent"], video_alt="A walk")
    assert media.draft([], changes, pending=[10], pending_video=30) == (
        checks.Media("image", 10, "A tent"), checks.Media("video", 30, "A walk"))
