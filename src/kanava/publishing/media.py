"""Images and videos of a post's variants: recognised by their bytes, stored under
MEDIA_ROOT.

An upload's name and its browser-given content type are the sender's word; the first bytes
of the file are not. Only the image types every network takes are kept (JPEG, PNG, GIF,
WebP) and the video containers the networks take (MP4, QuickTime, WebM), each under a name
of our own choosing. The alternative text is not required here: an image without one is an
error finding of the checks, so it blocks approval instead of losing the upload. Whether a
network takes a video at all, or a video with images, is also left to the checks.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import IO, Any

from django.core.files import File
from django.db import transaction

from kanava.i18n import N_, gettext
from kanava.publishing import checks
from kanava.publishing.models import MediaFile, Post, Variant

#: The largest image any network takes (Mastodon: 16 MiB); each network's own limit is
#: a finding of the checks.
MAX_IMAGE_BYTES = 16 * 1024 * 1024
#: Images per channel the editor takes at a time.
MAX_IMAGES = 4
#: The largest video we keep (X's limit); each network's own limit is a finding of the checks.
MAX_VIDEO_BYTES = 512 * 1024 * 1024
MAX_ALT_CHARS = 5_000  # MediaFile.alt
HEAD_BYTES = 64  # enough for every signature below, a WebM's DocType included

#: (extension, content type) of the image and video types we keep, by their leading bytes.
TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
         "mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm"}
#: The video input's accept list; the bytes decide, this only narrows the browser's picker.
VIDEO_ACCEPT = "video/mp4,video/webm,video/quicktime"
EBML = b"\x1a\x45\xdf\xa3"  # the start of every Matroska file; a WebM says "webm" after it
#: ISO base media files ("ftyp" at offset 4) that are images or sound, not video.
NOT_VIDEO_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1",
                              b"msf1", b"avif", b"avis", b"M4A ", b"M4B ", b"M4P "})


class MediaRefused(ValueError):
    """An upload we do not keep; ``message`` is a msgid of the kanava catalog."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params

    def render(self, lang: str | None) -> str:
        return gettext(self.message, lang, **self.params)


def image_type(head: bytes) -> str | None:
    """The extension of the image type the bytes start with, or None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def check_image(name: str, size: int, head: bytes) -> str:
    """The image type of an upload (its extension), or MediaRefused saying why not."""
    if size <= 0:
        raise MediaRefused(N_("{name} is empty."), name=name)
    if size > MAX_IMAGE_BYTES:
        raise MediaRefused(N_("{name} is larger than {limit} MB, the most any network takes."),
                           name=name, limit=MAX_IMAGE_BYTES // (1024 * 1024))
    kind = image_type(head)
    if kind is None:
        raise MediaRefused(N_("{name} is not a JPEG, PNG, GIF or WebP image."), name=name)
    return kind


def video_type(head: bytes) -> str | None:
    """The extension of the video type the bytes start with, or None for anything else."""
    if head[4:8] == b"ftyp" and head[8:12] not in NOT_VIDEO_BRANDS:
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if head.startswith(EBML) and b"webm" in head:  # the header's DocType; Matroska says so
        return "webm"
    return None


def check_video(name: str, size: int, head: bytes) -> str:
    """The video type of an upload (its extension), or MediaRefused saying why not."""
    if size <= 0:
        raise MediaRefused(N_("{name} is empty."), name=name)
    if size > MAX_VIDEO_BYTES:
        raise MediaRefused(N_("{name} is larger than {limit} MB, the largest video Kanava "
                              "keeps."), name=name, limit=MAX_VIDEO_BYTES // (1024 * 1024))
    kind = video_type(head)
    if kind is None:
        raise MediaRefused(N_("{name} is not an MP4, WebM or QuickTime video."), name=name)
    return kind


def _head(upload: File[Any]) -> bytes:
    upload.seek(0)
    head: bytes = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def check_upload(upload: File[Any]) -> str:
    """check_image on an uploaded file; reads only its first bytes."""
    return check_image(upload.name or "", upload.size or 0, _head(upload))


def check_video_upload(upload: File[Any]) -> str:
    """check_video on an uploaded file; reads only its first bytes."""
    return check_video(upload.name or "", upload.size or 0, _head(upload))


def check_count(kept: int, added: int) -> None:
    """MediaRefused when a channel would have more images than the editor takes."""
    if kept + added > MAX_IMAGES:
        raise MediaRefused(N_("A channel takes at most {limit} images here; remove some "
                              "first."), limit=MAX_IMAGES)


def check_video_count(kept: int, added: int) -> None:
    """MediaRefused when a channel would have a second video: one is all a network takes."""
    if kept + added > 1:
        raise MediaRefused(N_("A channel takes one video here; remove the saved one first."))


@dataclass
class Changes:
    """What the editor asks of one channel's media: new images and a new video, changed alt
    texts, removals."""

    uploads: Sequence[File[Any]] = ()  # in the order chosen
    new_alts: Sequence[str] = ()  # the alt texts typed for the new images, in that order
    alts: Mapping[int, str] = field(default_factory=dict)  # MediaFile pk → alt text
    removed: Iterable[int] = ()  # MediaFile pks
    video: File[Any] | None = None
    video_alt: str = ""  # the description typed for the new video

    def new(self) -> list[tuple[File[Any], str]]:
        """Each upload with the alt text typed for it ("" where none was)."""
        return [(upload, self.alt_of(index)) for index, upload in enumerate(self.uploads)]

    def alt_of(self, index: int) -> str:
        return self.new_alts[index].strip() if index < len(self.new_alts) else ""


def draft(stored: Iterable[MediaFile], changes: Changes, pending: Sequence[int] = (),
          pending_video: int | None = None) -> tuple[checks.Media, ...]:
    """The channel's media as they would be after ``changes``, for the checks: the images,
    then the video, the order they are kept in.

    ``pending`` are the sizes of images chosen but not uploaded (the live check sends no
    file): they are checked with the alt texts typed for the new images; ``pending_video``
    likewise the size of a video chosen.
    """
    removed = set(changes.removed)
    kept = [checks.Media("video" if m.kind == MediaFile.Kind.VIDEO else "image", m.size,
                         changes.alts.get(m.pk, m.alt))
            for m in stored if m.pk not in removed]
    sizes = [upload.size or 0 for upload in changes.uploads] or list(pending)
    new = [checks.Media("image", size, changes.alt_of(index)) for index, size in enumerate(sizes)]
    video_size = (changes.video.size or 0) if changes.video is not None else pending_video
    if video_size is not None:
        new.append(checks.Media("video", video_size, changes.video_alt.strip()))
    return tuple(sorted(kept + new, key=lambda item: item.kind == "video"))  # stable


def apply(variant: Variant, changes: Changes) -> list[MediaFile]:
    """Store the new images and video and the changed alt texts; delete the removed media."""
    written: list[MediaFile] = []
    try:
        with transaction.atomic():
            removed = list(variant.media.filter(pk__in=list(changes.removed)))
            for media in variant.media.exclude(pk__in=[m.pk for m in removed]):
                alt = changes.alts.get(media.pk)
                if alt is not None and alt != media.alt:
                    media.alt = alt[:MAX_ALT_CHARS]
                    media.save(update_fields=["alt"])
            for media in removed:
                media.delete()
            position = max((m.position for m in variant.media.all()), default=-1) + 1
            for offset, (upload, alt) in enumerate(changes.new()):
                written.append(_store(variant, upload, alt, position + offset))
            if changes.video is not None:
                written.append(_store_video(variant, changes.video, changes.video_alt,
                                            position + len(written)))
            _images_first(variant)
    except Exception:
        for media in written:  # nothing of a failed save stays on the disk
            media.file.delete(save=False)
        raise
    for media in removed:  # the file goes once its row surely has
        transaction.on_commit(partial(media.file.delete, save=False))
    return written


def forget_dropped(post: Post, kept_channels: Iterable[str]) -> None:
    """Delete, once the edit commits, the image files of the channels it drops (their
    rows go with their variants). Call it before the edit, while the rows still exist."""
    dropped = MediaFile.objects.filter(variant__post=post).exclude(
        variant__channel__in=list(kept_channels))
    for media in dropped:
        transaction.on_commit(partial(media.file.delete, save=False))


def _store(variant: Variant, upload: File[Any], alt: str, position: int,
           kind: str = MediaFile.Kind.IMAGE) -> MediaFile:
    extension = check_upload(upload) if kind == MediaFile.Kind.IMAGE else \
        check_video_upload(upload)
    media = MediaFile(variant=variant, kind=kind, size=upload.size or 0,
                      alt=alt.strip()[:MAX_ALT_CHARS], position=position)
    media.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    media.save()
    return media


def _store_video(variant: Variant, upload: File[Any], alt: str, position: int) -> MediaFile:
    if variant.media.filter(kind=MediaFile.Kind.VIDEO).exists():
        raise MediaRefused(N_("A channel takes one video here; remove the saved one first."))
    return _store(variant, upload, alt, position, MediaFile.Kind.VIDEO)


def _images_first(variant: Variant) -> None:
    """Keep the images before the video, so that "image 2" of a finding is the second
    image the editor shows, whichever was added first."""
    ordered = sorted(variant.media.all(),
                     key=lambda m: (m.kind == MediaFile.Kind.VIDEO, m.position, m.pk))
    for position, media in enumerate(ordered):
        if media.position != position:
            media.position = position
            media.save(update_fields=["position"])


def content_type(media: MediaFile) -> str:
    """The stored file's content type, read from its bytes (never the upload's word)."""
    with media.file.open("rb") as handle:
        head: bytes = handle.read(HEAD_BYTES)
    return TYPES.get(image_type(head) or video_type(head) or "", "application/octet-stream")


def open_file(media: MediaFile) -> IO[bytes]:
    """The stored image or video, opened for streaming to a member."""
    handle: IO[bytes] = media.file.open("rb")
    return handle
