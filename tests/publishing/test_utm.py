"""Campaign tags on links."""

from __future__ import annotations

from kanava.publishing.utm import tagged


def test_it_adds_the_four_tags() -> None:
    assert tagged("https://kunta.fi/uimahalli", campaign="Kesä 2027", network="facebook",
                  channel="digituki-ryhma") == (
        "https://kunta.fi/uimahalli?utm_source=facebook&utm_medium=social"
        "&utm_campaign=kes%C3%A4-2027&utm_content=digituki-ryhma")


def test_it_keeps_other_parameters_and_replaces_old_tags() -> None:
    url = "https://kunta.fi/a?id=7&utm_source=old#osio"
    assert tagged(url, campaign="c", network="x", channel="x") == (
        "https://kunta.fi/a?id=7&utm_source=x&utm_medium=social&utm_campaign=c&utm_content=x"
        "#osio")


def test_it_leaves_what_is_not_a_web_address_alone() -> None:
    assert tagged("mailto:info@kunta.fi", campaign="c", network="x", channel="x") == (
        "mailto:info@kunta.fi")
