"""The plan's rules for a post, checked before anything goes out.

Pure functions over plain data, no database: the editor shows their findings while a
post is written, and the worker runs them again before publishing. A finding of
severity ``error`` blocks publishing; a ``warning`` is shown to the author and the
approver. Each check has a stable id, listed in ``CHECKS``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from kanava.connectors import registry
from kanava.connectors.counting import urls, utf8_bytes
from kanava.i18n import N_, gettext

Severity = Literal["error", "warning", "note"]

MARKETING_SHARE = 1 / 12  # the seeds' rule: at most one message in twelve sells
MARKETING_WINDOW = timedelta(days=30)
DIALOGUE_WINDOW = 6  # this many posts in a row without an invitation is one-way
NEGATIVE_TONE = 0.6  # the tone model's probability above which we warn


@dataclass(frozen=True)
class Check:
    id: str
    severity: Severity
    description: str


CHECKS = {check.id: check for check in (
    Check("text-too-long", "error", N_("The text is longer than the network allows.")),
    Check("text-too-many-bytes", "error", N_("The text takes more bytes than the network "
                                             "allows.")),
    Check("text-empty", "error", N_("A post needs text or media.")),
    Check("media-too-many", "error", N_("More images or videos than the network takes.")),
    Check("media-too-large", "error", N_("An image or video is larger than the network "
                                         "takes.")),
    Check("media-mixed", "error", N_("The network takes images or a video, not both.")),
    Check("media-required", "error", N_("The network publishes only posts with an image or "
                                        "a video.")),
    Check("video-unsupported", "error", N_("Kanava does not publish videos to the network.")),
    Check("links-too-many", "error", N_("More links than the network takes.")),
    Check("alt-text-missing", "error", N_("An image has no alternative text.")),
    Check("alt-text-too-long", "error", N_("An alternative text is longer than the network "
                                           "allows.")),
    Check("placeholder", "error", N_("The text still holds a placeholder.")),
    Check("link-broken", "error", N_("A link does not open.")),
    Check("same-text", "warning", N_("The same text goes to several channels.")),
    Check("marketing-share", "warning", N_("More than one post in twelve on the channel "
                                           "is marketing.")),
    Check("channel-stale", "warning", N_("The channel's planned update interval is broken.")),
    Check("one-way", "warning", N_("The channel's recent posts never invite dialogue.")),
    Check("tone-negative", "warning", N_("The post reads as negative.")),
)}


@dataclass(frozen=True)
class Media:
    kind: Literal["image", "video"]
    size: int  # bytes
    alt: str = ""


@dataclass(frozen=True)
class Variant:
    """What goes to one channel: the network's own text, link and media."""

    channel: str
    network: str
    text: str
    link: str | None = None
    media: tuple[Media, ...] = ()


@dataclass(frozen=True)
class Sent:
    """A post already on a channel (or scheduled there), for checks that look back."""

    channel: str
    time: datetime
    text: str
    marketing: bool = False


@dataclass(frozen=True)
class Finding:
    check: str
    message: str  # a msgid of the kanava catalog, with {placeholders}
    channel: str | None = None
    path: str | None = None  # the part of the variant concerned: "text", "media.2.alt"…
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return CHECKS[self.check].severity

    def render(self, lang: str | None) -> str:
        return gettext(self.message, lang, **self.params)


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that keep a post from being published."""
    return [finding for finding in findings if finding.severity == "error"]


# --- one variant against its network ----------------------------------------------------


def check_limits(variant: Variant) -> list[Finding]:
    """The network's own limits on text, media and links."""
    found = _text_limits(variant) + _media_limits(variant)
    limits = registry.limits(variant.network)
    if limits and limits.max_links is not None:
        links = set(urls(variant.text)) | ({variant.link} if variant.link else set())
        if len(links) > limits.max_links:
            found.append(Finding("links-too-many", N_("{count} links; {network} takes at most "
                                                      "{limit}."), variant.channel, "text",
                                 {"count": len(links), "network": variant.network,
                                  "limit": limits.max_links}))
    return found


def _text_limits(variant: Variant) -> list[Finding]:
    if not variant.text.strip() and not variant.media and not variant.link:
        return [Finding("text-empty", N_("The post has no text, link or media."),
                        variant.channel, "text")]
    limits = registry.limits(variant.network)
    if limits is None:
        return []
    found = []
    if limits.max_length is not None:
        length = limits.length(variant.text)
        if length > limits.max_length:
            message = (N_("{length} weighted characters (a link counts 23, an emoji 2); "
                          "{network} takes at most {limit}.") if limits.unit == "weighted"
                       else N_("{length} characters; {network} takes at most {limit}."))
            found.append(Finding("text-too-long", message, variant.channel, "text",
                                 {"length": length, "network": variant.network,
                                  "limit": limits.max_length}))
    if limits.max_bytes is not None and utf8_bytes(variant.text) > limits.max_bytes:
        found.append(Finding(
            "text-too-many-bytes", N_("{length} bytes; {network} takes at most {limit}."),
            variant.channel, "text", {"length": utf8_bytes(variant.text),
                                      "network": variant.network, "limit": limits.max_bytes}))
    return found


def _media_limits(variant: Variant) -> list[Finding]:
    limits = registry.limits(variant.network)
    if limits is None:
        return []
    images = [m for m in variant.media if m.kind == "image"]
    videos = [m for m in variant.media if m.kind == "video"]
    found = []
    params = {"network": variant.network}
    if limits.requires_media and not variant.media:
        found.append(Finding("media-required", N_("{network} needs an image or a video."),
                             variant.channel, "media", params))
    if images and videos and not limits.images_with_video:
        found.append(Finding("media-mixed", N_("{network} takes images or a video, not both."),
                             variant.channel, "media", params))
    if videos and limits.max_videos == 0:  # the connector cannot send one (yet)
        found.append(Finding("video-unsupported", N_("Kanava does not publish videos to "
                                                     "{network}: remove the video, or post it "
                                                     "there by hand."),
                             variant.channel, "media", params))
        videos = []
    for message, items, most in (
        (N_("{count} images; {network} takes at most {limit}."), images, limits.max_images),
        (N_("{count} videos; {network} takes at most {limit}."), videos, limits.max_videos),
    ):
        if most is not None and len(items) > most:
            found.append(Finding("media-too-many", message, variant.channel, "media",
                                 params | {"count": len(items), "limit": most}))
    for index, item in enumerate(variant.media):
        most = limits.max_image_bytes if item.kind == "image" else limits.max_video_bytes
        if most is not None and item.size > most:
            found.append(Finding("media-too-large", N_("{size} MB; {network} takes at most "
                                                       "{limit} MB."), variant.channel,
                                 f"media.{index}", params | {"size": _mb(item.size),
                                                             "limit": _mb(most)}))
        if (limits.max_alt_length is not None and len(item.alt) > limits.max_alt_length):
            found.append(Finding("alt-text-too-long", N_("{length} characters; {network} takes "
                                                         "at most {limit}."), variant.channel,
                                 f"media.{index}.alt", params | {"length": len(item.alt),
                                                                 "limit": limits.max_alt_length}))
    return found


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}"


# --- unfinished content ---------------------------------------------------------------

PLACEHOLDER = re.compile(
    r"(?-i:\b(?:TODO|TBD|TBA|FIXME|XXX+)\b)|lorem ipsum|\[(?:link|linkki|lenke|länk|url|text|"
    r"teksti|tekst|kuva|bilde|bild|image|name|nimi|navn|namn)\]|<(?:insert|lisää|sett inn|"
    r"infoga)[^>]*>|\{\{[^}]*\}\}",
    re.IGNORECASE,
)


def check_unfinished(variant: Variant) -> list[Finding]:
    """Placeholders left in the text and images without alternative text."""
    found = []
    match = PLACEHOLDER.search(variant.text)
    if match:
        found.append(Finding("placeholder", N_("\"{placeholder}\" is still in the text."),
                             variant.channel, "text", {"placeholder": match.group(0)}))
    for index, item in enumerate(variant.media):
        if item.kind == "image" and not item.alt.strip():
            found.append(Finding("alt-text-missing", N_("Image {number} has no alternative "
                                                        "text: describe it for people who "
                                                        "cannot see it."),
                                 variant.channel, f"media.{index}.alt", {"number": index + 1}))
    return found


def check_links(variant: Variant, status: Mapping[str, bool]) -> list[Finding]:
    """Links the worker found not to open (``status``: URL → opened)."""
    links = [*urls(variant.text), *([variant.link] if variant.link else [])]
    return [Finding("link-broken", N_("{url} does not open."), variant.channel, "text",
                    {"url": url}) for url in dict.fromkeys(links) if status.get(url) is False]


# --- a post across its channels, and against what the channels already carry -----------


def _comparable(text: str) -> str:
    return " ".join(re.sub(r"https?://\S+|[#@]", " ", text.casefold()).split())


def check_same_text(variants: Sequence[Variant]) -> list[Finding]:
    """The same words sent to several channels: different media speak differently."""
    by_text: dict[str, list[Variant]] = defaultdict(list)
    for variant in variants:
        if comparable := _comparable(variant.text):
            by_text[comparable].append(variant)
    found: list[Finding] = []
    for same in by_text.values():
        if len(same) > 1:
            channels = ", ".join(v.channel for v in same)
            found.extend(Finding("same-text", N_("The same text goes to {channels}: write it "
                                                 "for each channel's readers."), v.channel,
                                 "text", {"channels": channels}) for v in same)
    return found


def check_marketing_share(
    channel: str, at: datetime, sent: Iterable[Sent], *, marketing: bool
) -> list[Finding]:
    """Warn when this post would make more than one in twelve on the channel marketing."""
    if not marketing:
        return []
    recent = [s for s in sent if s.channel == channel and at - MARKETING_WINDOW <= s.time <= at]
    selling = sum(s.marketing for s in recent) + 1
    total = len(recent) + 1
    if selling / total <= MARKETING_SHARE:
        return []
    return [Finding("marketing-share", N_("With this post, {selling} of the channel's {total} "
                                          "posts in 30 days are marketing; the plan allows one "
                                          "in twelve."), channel, "marketing",
                    {"selling": selling, "total": total})]


def check_stale(
    channel: str, posts_per_week: float, last: datetime | None, next_post: datetime | None,
    now: datetime,
) -> list[Finding]:
    """Warn when the channel goes longer without a post than its cadence allows."""
    interval = timedelta(days=7 / posts_per_week)
    if last is None:
        return []
    due = last + interval
    upcoming = next_post if next_post is not None and next_post >= now else None
    if (upcoming or now) <= due:
        return []
    return [Finding("channel-stale", N_("No post since {last:%Y-%m-%d}; the plan's interval "
                                        "made one due by {due:%Y-%m-%d}."), channel, None,
                    {"last": last, "due": due})]


INVITATION = re.compile(
    r"\?|\b(?:what do you think|tell us|let us know|share your|comment|reply|vote|join|"
    r"kerro|kerrotko|kommentoi|vastaa|mitä mieltä|osallistu|äänestä|"
    r"fortell|si fra|kommenter|svar|hva synes|del dine|bli med|stem|"
    r"berätta|säg till|kommentera|svara|vad tycker|dela med|var med|rösta)\w*",
    re.IGNORECASE,
)


def check_dialogue(variant: Variant, sent: Iterable[Sent]) -> list[Finding]:
    """Warn when this and the channel's recent posts never ask anything of their readers."""
    recent = sorted((s for s in sent if s.channel == variant.channel), key=lambda s: s.time)
    window = [s.text for s in recent[-(DIALOGUE_WINDOW - 1):]] + [variant.text]
    if len(window) < DIALOGUE_WINDOW or any(INVITATION.search(text) for text in window):
        return []
    return [Finding("one-way", N_("The channel's last {count} posts, this one included, ask "
                                  "nothing of their readers: invite them to answer."),
                    variant.channel, "text", {"count": len(window)})]


def check_tone(variants: Sequence[Variant]) -> list[Finding]:
    """Warn when the tone model reads a post as negative."""
    from kanava.textanalysis.analysis import analyse

    texts = [v.text for v in variants]
    found: list[Finding] = []
    for variant, result in zip(variants, analyse(texts), strict=True):
        negative = result.probabilities[0]
        if result.tone == "negative" and negative >= NEGATIVE_TONE:
            found.append(Finding("tone-negative", N_("The text reads as negative ({percent}% "
                                                     "sure): is that the tone you want?"),
                                 variant.channel, "text", {"percent": round(negative * 100)}))
    return found


def check_post(
    variants: Sequence[Variant], *, at: datetime, marketing: bool = False,
    sent: Sequence[Sent] = (), link_status: Mapping[str, bool] | None = None,
) -> list[Finding]:
    """Every check that needs only the post and what its channels already carry."""
    found: list[Finding] = []
    for variant in variants:
        found += check_limits(variant) + check_unfinished(variant)
        found += check_links(variant, link_status or {})
        found += check_marketing_share(variant.channel, at, sent, marketing=marketing)
        found += check_dialogue(variant, sent)
    found += check_same_text(variants)
    found += check_tone([v for v in variants if v.text.strip()])
    return found
