"""The calendar as iCalendar (for people's calendar apps) and what was published as Atom
and RSS, built with the icalendar and feedgen libraries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event

from kanava.publishing.models import Post, Variant

EVENT_LENGTH = timedelta(minutes=15)


def _summary(post: Post) -> str:
    first = next(iter(post.variants.all()), None)
    return post.title or (first.text[:80] if first else f"post {post.pk}")


def calendar(posts: Iterable[Post], name: str, domain: str) -> bytes:
    """One event per post with a publish time: what, where, and in which state."""
    feed = Calendar()
    feed.add("prodid", "-//Kanava//Publishing calendar//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", name)
    for post in posts:
        if post.publish_at is None:
            continue
        event = Event()
        event.add("uid", f"post-{post.pk}@{domain}")
        event.add("summary", _summary(post))
        event.add("dtstart", post.publish_at)
        event.add("dtend", post.publish_at + EVENT_LENGTH)
        event.add("dtstamp", post.updated)
        channels = ", ".join(v.channel for v in post.variants.all())
        event.add("description", f"{channels} · {post.state}")
        event.add("categories", [c for c in (post.campaign, post.theme) if c] or ["kanava"])
        feed.add_component(event)
    data: bytes = feed.to_ical()
    return data


def published(variants: Iterable[Variant], name: str, link: str, kind: str) -> bytes:
    """An Atom or RSS feed of published variants, newest first."""
    feed = FeedGenerator()
    feed.id(link)
    feed.title(name)
    feed.link(href=link, rel="alternate")
    feed.description(name)
    feed.language("en")
    for variant in variants:
        entry = feed.add_entry(order="append")
        entry.id(variant.external_url or f"{link}#{variant.pk}")
        entry.title(variant.post.title or variant.text[:80] or variant.channel)
        entry.link(href=variant.external_url or link)
        entry.content(variant.text, type="text")
        entry.published(variant.published_at)
        entry.updated(variant.published_at)
        entry.category(term=variant.channel)
    data: bytes = feed.atom_str(pretty=True) if kind == "atom" else feed.rss_str(pretty=True)
    return data
