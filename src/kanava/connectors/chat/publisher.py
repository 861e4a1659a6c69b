"""Posting to the organisation's own chat through an incoming webhook.

- Slack: ``POST`` JSON ``{"text": …, "blocks": […]}`` to the webhook's URL
  (https://api.slack.com/messaging/webhooks). The text is mrkdwn, with ``&``, ``<`` and
  ``>`` written as HTML entities (https://api.slack.com/reference/surfaces/formatting#escaping),
  in section blocks of at most 3,000 characters
  (https://api.slack.com/reference/block-kit/blocks#section); ``text`` is the fallback for
  notifications. Slack answers 200 "ok", and its errors are plain text: 400
  ``invalid_payload``/``no_text``, 403 ``invalid_token``/``action_prohibited``, 404
  ``channel_not_found``/``no_service``, 410 ``channel_is_archived``, 500 ``rollup_error``
  (https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks) and
  429 with Retry-After in seconds (https://api.slack.com/docs/rate-limits).
- Mattermost: ``POST`` JSON ``{"text": …, "props": {…}}``; the text is Markdown and
  Mattermost answers 200 "ok" (https://developers.mattermost.com/integrate/webhooks/incoming/).
  ``props`` is the post's documented bag of metadata: it carries our key, for anyone who
  looks the post up through Mattermost's own API.
- Microsoft Teams: a Workflows flow "Post to a channel when a webhook request is received"
  takes ``{"type": "message", "attachments": [{"contentType":
  "application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": <card>}]}`` and
  answers 202 Accepted
  (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using).
  The card is an Adaptive Card 1.4 of ``TextBlock``s with ``wrap``, and the link is an
  ``Action.OpenUrl`` (https://adaptivecards.io/explorer/). The flow posts the card after
  it has answered: a 202 says that the flow took the card, not that the channel shows it.
  The flow must let anyone trigger it; the secret is the signature in its URL.

Images are never sent. A webhook carries no files, and Slack's image blocks and Teams'
Image elements only point at a public address, while our images are local files; so an
alt text has nowhere to go either. The package's LIMITS take no images, so that a post
is stopped before publishing rather than arriving without its images.

A webhook can be neither read back nor told to delete: ``find`` raises LookupUnsupported
(a person checks the channel) and ``delete`` asks for the message to be removed in the
chat app itself.

The webhook's URL is a secret, as anyone who has it can post: an error names only its
host.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal, get_args

import httpx

from kanava.connectors import http
from kanava.connectors.base import ConnectorError, LookupUnsupported, Outgoing, Receipt

Kind = Literal["slack", "mattermost", "teams"]
NAMES: dict[str, str] = {"slack": "Slack", "mattermost": "Mattermost",
                         "teams": "Microsoft Teams"}
SECTION_LENGTH = 3_000  # Slack: the most characters in one section block's text
CARD_VERSION = "1.4"
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BLANK_LINE = re.compile(r"\n\s*\n")
_SECRET_PART = 16  # a path segment this long is taken for a token


def message_text(post: Outgoing) -> str:
    """The text, and the link after it unless the text holds it."""
    if post.link and post.link not in post.text:
        return f"{post.text}\n\n{post.link}".strip()
    return post.text.strip()


def escape_mrkdwn(text: str) -> str:
    """Slack's control characters as entities; Slack decodes no others."""
    return "".join(_ENTITIES.get(char, char) for char in text)


def sections(text: str, size: int = SECTION_LENGTH) -> list[str]:
    """The text escaped, in pieces of at most ``size`` characters each, cut at a line end
    where one is in the latter half of the piece, else at a space there."""
    pieces, rest = [], text.strip()
    while rest:
        cut = _fitting(rest, size)
        if cut < len(rest):
            line, space = rest.rfind("\n", 0, cut), rest.rfind(" ", 0, cut)
            cut = line if line > cut // 2 else space if space > cut // 2 else cut
        pieces.append(escape_mrkdwn(rest[:cut].strip()))
        rest = rest[cut:].strip()
    return pieces


def _fitting(text: str, size: int) -> int:
    """How many characters of the text fit in ``size`` once escaped."""
    used = 0
    for index, char in enumerate(text):
        used += len(_ENTITIES.get(char, char))
        if used > size:
            return index
    return len(text)


def slack_payload(post: Outgoing) -> dict[str, Any]:
    text = message_text(post)
    return {"text": escape_mrkdwn(text),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": piece}}
                       for piece in sections(text)]}


def mattermost_payload(post: Outgoing, key: str) -> dict[str, Any]:
    return {"text": message_text(post), "props": {"kanava_key": key}}


def teams_payload(post: Outgoing) -> dict[str, Any]:
    """A card with a text block per line (the first of a paragraph spaced from the one
    before), and the link as a button named after its host."""
    body = []
    for paragraph in _BLANK_LINE.split(post.text.strip()):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        for index, line in enumerate(lines):
            body.append({"type": "TextBlock", "text": line, "wrap": True}
                        | ({"spacing": "None"} if index else {}))
    card: dict[str, Any] = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                            "type": "AdaptiveCard", "version": CARD_VERSION, "body": body}
    if post.link:
        card["actions"] = [{"type": "Action.OpenUrl", "url": post.link,
                            "title": httpx.URL(post.link).host.removeprefix("www.")}]
    return {"type": "message",
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                             "contentUrl": None, "content": card}]}


class WebhookPublisher:
    """One channel of one chat, through the incoming webhook made for it."""

    def __init__(self, kind: Kind, url: str,
                 transport: httpx.BaseTransport | None = None) -> None:
        if kind not in get_args(Kind):
            raise ValueError(f"{kind!r} is not a kind of chat webhook we know")
        self.kind, self.url = kind, url
        parsed = httpx.URL(url)
        self.host = parsed.host
        self.secrets = _secrets(url, parsed)
        self.session = http.client(f"{parsed.scheme}://{parsed.netloc.decode()}", None,
                                   transport)

    def close(self) -> None:
        self.session.close()

    def publish(self, post: Outgoing, *, key: str) -> Receipt:
        if not message_text(post):
            raise ConnectorError(f"Nothing to post to {NAMES[self.kind]}: the post has no "
                                 "text or link, and a chat webhook takes no images.",
                                 permanent=True)
        try:
            http.call(self.session, "POST", self.url, writes=True,
                      json=self._payload(post, key))
        except ConnectorError as error:
            # from None: the original error names the webhook's URL.
            raise ConnectorError(f"{NAMES[self.kind]} webhook: {self._redacted(str(error))}",
                                 permanent=error.permanent, sent=error.sent,
                                 retry_after=error.retry_after) from None
        return Receipt(f"{self.kind}:{key}")

    def _payload(self, post: Outgoing, key: str) -> dict[str, Any]:
        if self.kind == "slack":
            return slack_payload(post)
        if self.kind == "mattermost":
            return mattermost_payload(post, key)
        return teams_payload(post)

    def find(self, post: Outgoing, *, key: str, since: datetime) -> Receipt | None:
        raise LookupUnsupported(f"A {NAMES[self.kind]} incoming webhook cannot be read "
                                f"back: check the channel on {self.host}.")

    def delete(self, external_id: str) -> None:
        raise ConnectorError(f"A {NAMES[self.kind]} incoming webhook cannot delete what it "
                             f"posted: remove the message in {NAMES[self.kind]} itself.",
                             permanent=True)

    def _redacted(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, self.host)
        return text


def _secrets(given: str, url: httpx.URL) -> list[str]:
    """Every form in which the URL's secret part may show up in a message, longest first."""
    found = {given, str(url), url.raw_path.decode(), url.path, url.query.decode()}
    found |= {segment for segment in url.path.split("/") if len(segment) >= _SECRET_PART}
    return sorted((secret for secret in found if len(secret) > 1), key=len, reverse=True)
