"""The plan's rules for a post, before anything goes out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kanava.i18n import gettext
from kanava.publishing import checks
from kanava.publishing.checks import CHECKS, Media, Sent, Variant, blocking, check_post

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
PHOTO = Media("image", 200_000, "Kirjaston uusi lukusali")


def _ids(found: list[checks.Finding]) -> list[str]:
    return [finding.check for finding in found]


def test_a_good_post_has_no_findings() -> None:
    variants = [Variant("masto", "mastodon", "Kirjaston lukusali avautuu maanantaina. Mitä "
                        "toivotte sinne?", media=(PHOTO,)),
                Variant("bsky", "bluesky", "Uusi lukusali on auki maanantaista alkaen!")]
    assert check_post(variants, at=NOW) == []


def test_a_post_over_the_networks_limit_is_blocked() -> None:
    found = check_post([Variant("bsky", "bluesky", "a" * 301)], at=NOW)
    [finding] = [f for f in found if f.check == "text-too-long"]
    assert finding.severity == "error"
    assert finding.params["length"] == 301
    assert finding.render("en") == "301 characters; bluesky takes at most 300."
    assert blocking(found) == [finding]


def test_bluesky_also_limits_bytes() -> None:
    text = "ä" * 290 + "😀" * 10  # 300 graphemes, 580 + 40 bytes: fine
    assert "text-too-many-bytes" not in _ids(checks.check_limits(Variant("b", "bluesky", text)))
    text = "🏳️‍🌈" * 250  # 250 graphemes, 14 bytes each
    assert "text-too-many-bytes" in _ids(checks.check_limits(Variant("b", "bluesky", text)))


def test_media_limits_follow_the_network() -> None:
    five = tuple(PHOTO for _ in range(5))
    assert "media-too-many" in _ids(checks.check_limits(Variant("m", "mastodon", "x",
                                                               media=five)))
    big = (Media("image", 1_500_000, "alt"),)
    assert "media-too-large" in _ids(checks.check_limits(Variant("b", "bluesky", "x",
                                                                media=big)))
    mixed = (PHOTO, Media("video", 1_000_000))
    assert "media-mixed" in _ids(checks.check_limits(Variant("x", "x", "x", media=mixed)))
    assert "media-mixed" not in _ids(checks.check_limits(Variant("t", "threads", "x",
                                                                media=mixed)))
    assert "media-required" in _ids(checks.check_limits(Variant("i", "instagram", "caption")))


def test_threads_takes_at_most_five_links() -> None:
    text = " ".join(f"https://example.com/{n}" for n in range(6))
    assert "links-too-many" in _ids(checks.check_limits(Variant("t", "threads", text)))


def test_an_empty_post_is_blocked() -> None:
    assert _ids(checks.check_limits(Variant("m", "mastodon", "  "))) == ["text-empty"]


@pytest.mark.parametrize("text", ["TODO: add the date", "Lorem ipsum dolor", "Read more: [link]",
                                  "Lue lisää: [linkki]", "Hi {{name}}", "Date XXX",
                                  "<insert photo here>"])
def test_placeholders_block_publishing(text: str) -> None:
    [finding] = checks.check_unfinished(Variant("m", "mastodon", text))
    assert finding.check == "placeholder"
    assert finding.severity == "error"


def test_an_ordinary_word_is_not_a_placeholder() -> None:
    assert checks.check_unfinished(Variant("m", "mastodon", "Todo bien, XXL-koko, [1]")) == []


def test_an_image_without_alt_text_is_blocked() -> None:
    variant = Variant("m", "mastodon", "Kuva", media=(Media("image", 10, " "), PHOTO))
    [finding] = checks.check_unfinished(variant)
    assert finding.check == "alt-text-missing"
    assert finding.path == "media.0.alt"


def test_a_broken_link_blocks_publishing() -> None:
    variant = Variant("m", "mastodon", "Katso https://example.com/x", link="https://ok.fi")
    found = checks.check_links(variant, {"https://example.com/x": False, "https://ok.fi": True})
    assert [(f.check, f.params["url"]) for f in found] == [("link-broken",
                                                            "https://example.com/x")]


def test_the_same_text_to_several_channels_is_a_warning() -> None:
    variants = [Variant("fb", "facebook", "Uimahalli on kiinni #tiistaina"),
                Variant("masto", "mastodon", "uimahalli on kiinni tiistaina"),
                Variant("bsky", "bluesky", "Uimahalli kiinni tiistaina, avataan keskiviikkona.")]
    found = checks.check_same_text(variants)
    assert [f.channel for f in found] == ["fb", "masto"]
    assert all(f.severity == "warning" for f in found)


def test_marketing_over_one_in_twelve_is_a_warning() -> None:
    history = [Sent("fb", NOW - timedelta(days=d), "post", marketing=(d == 3))
               for d in range(1, 12)]  # 11 posts, one of them marketing
    found = checks.check_marketing_share("fb", NOW, history, marketing=True)
    assert [f.params for f in found] == [{"selling": 2, "total": 12}]
    quiet = [Sent("fb", NOW - timedelta(days=d), "post") for d in range(1, 12)]
    assert checks.check_marketing_share("fb", NOW, quiet, marketing=True) == []
    assert checks.check_marketing_share("fb", NOW, history, marketing=False) == []


def test_old_marketing_falls_out_of_the_window() -> None:
    history = [Sent("fb", NOW - timedelta(days=40), "sale!", marketing=True),
               *[Sent("fb", NOW - timedelta(days=d), "post") for d in range(1, 12)]]
    assert checks.check_marketing_share("fb", NOW, history, marketing=True) == []


def test_a_stale_channel_is_warned_about() -> None:
    last = NOW - timedelta(days=10)
    found = checks.check_stale("fb", 1.0, last, None, NOW)  # once a week
    assert _ids(found) == ["channel-stale"]
    assert checks.check_stale("fb", 1.0, last, NOW + timedelta(days=30), NOW) != []
    assert checks.check_stale("fb", 1.0, NOW - timedelta(days=3), None, NOW) == []
    assert checks.check_stale("fb", 1.0, None, None, NOW) == []


def test_a_run_of_posts_that_ask_nothing_is_one_way() -> None:
    history = [Sent("fb", NOW - timedelta(days=d), f"Tiedote {d}.") for d in range(1, 8)]
    variant = Variant("fb", "facebook", "Uusi tiedote.")
    assert _ids(checks.check_dialogue(variant, history)) == ["one-way"]
    asking = Variant("fb", "facebook", "Mitä mieltä olette uudesta puistosta?")
    assert checks.check_dialogue(asking, history) == []
    assert checks.check_dialogue(variant, history[:2]) == []


def test_a_negative_post_gets_a_tone_warning() -> None:
    variants = [Variant("fb", "facebook", "This is terrible. I hate it, worst service ever."),
                Variant("m", "mastodon", "Thank you so much, this is wonderful news!")]
    found = checks.check_tone(variants)
    assert [(f.check, f.channel) for f in found] == [("tone-negative", "fb")]


def test_every_check_is_described_in_four_languages() -> None:
    for check in CHECKS.values():
        for lang in ("fi", "nb", "sv"):
            assert gettext(check.description, lang) != check.description, (check.id, lang)


def test_a_finding_reads_in_the_users_language() -> None:
    [finding] = checks.check_limits(Variant("x", "x", "日" * 141))
    assert finding.render("fi") == ("282 painotettua merkkiä (linkki lasketaan 23 ja emoji 2 "
                                    "merkiksi); x ottaa enintään 280.")
    assert finding.render("sv").startswith("282 viktade tecken")
