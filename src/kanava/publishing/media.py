"""Images of a post's variants: recognised by their bytes, stored under MEDIA_ROOT.

An upload's name and its browser-given content type are the sender's word; the first bytes
of the file are not. Only the image types every network takes are kept (JPEG, PNG, GIF,
WebP), each under a name of our own choosing. The alternative text is not required here:
an image without one is an error finding of the checks, so it blocks approval instead of
losing the upload.
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
MAX_ALT_CHARS = 5_000  # MediaFile.alt
HEAD_BYTES = 12  # enough for every signature below

#: (extension, content type) of the image types we keep, by their leading bytes.
TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}


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


def check_upload(upload: File[Any]) -> str:
    """check_image on an uploaded file; reads only its first bytes."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return check_image(upload.name or "", upload.size or 0, head)


def check_count(kept: int, added: int) -> None:
    """MediaRefused when a channel would have more images than the editor takes."""
    if kept + added > MAX_IMAGES:
        raise MediaRefused(N_("A channel takes at most {limit} images here; remove some "
                              "first."), limit=MAX_IMAGES)


@dataclass
class Changes:
    """What the editor asks of one channel's images: new ones, changed alt texts, removals."""

    uploads: Sequence[File[Any]] = ()  # in the order chosen
    new_alts: Sequence[str] = ()  # the alt texts typed for the new images, in that order
    alts: Mapping[int, str] = field(default_factory=dict)  # MediaFile pk → alt text
    removed: Iterable[int] = ()  # MediaFile pks

    def new(self) -> list[tuple[File[Any], str]]:
        """Each upload with the alt text typed for it ("" where none was)."""
        return [(upload, self.alt_of(index)) for index, upload in enumerate(self.uploads)]

    def alt_of(self, index: int) -> str:
        return self.new_alts[index].strip() if index < len(self.new_alts) else ""


def draft(stored: Iterable[MediaFile], changes: Changes,
          pending: Sequence[int] = ()) -> tuple[checks.Media, ...]:
    """The channel's images as they would be after ``changes``, for the checks.

    ``pending`` are the sizes of images chosen but not uploaded (the live check sends no
    file): they are checked with the alt texts typed for the new images.
    """
    removed = set(changes.removed)
    kept = [checks.Media("image", m.size, changes.alts.get(m.pk, m.alt))
            for m in stored if m.pk not in removed]
    sizes = [upload.size or 0 for upload in changes.uploads] or list(pending)
    new = [checks.Media("image", size, changes.alt_of(index)) for index, size in enumerate(sizes)]
    return tuple(kept + new)


def apply(variant: Variant, changes: Changes) -> list[MediaFile]:
    """Store the new images and the changed alt texts; delete the removed images."""
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


def _store(variant: Variant, upload: File[Any], alt: str, position: int) -> MediaFile:
    extension = check_upload(upload)
    media = MediaFile(variant=variant, kind=MediaFile.Kind.IMAGE, size=upload.size or 0,
                      alt=alt[:MAX_ALT_CHARS], position=position)
    media.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    media.save()
    return media


def content_type(media: MediaFile) -> str:
    """The stored image's content type, read from its bytes (never the upload's word)."""
    with media.file.open("rb") as handle:
        head: bytes = handle.read(HEAD_BYTES)
    return TYPES.get(image_type(head) or "", "application/octet-stream")


def open_file(media: MediaFile) -> IO[bytes]:
    """The stored image, opened for streaming to a member."""
    handle: IO[bytes] = media.file.open("rb")
    return handle
