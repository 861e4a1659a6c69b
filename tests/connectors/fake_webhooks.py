"""A local stand-in for three chats' incoming webhooks, one path each, written from their
documentation:

- Slack ``/services/T…/B…/<token>``: 200 "ok"; errors as plain text (400
  ``invalid_payload``/``no_text``/``invalid_blocks``, 403 ``invalid_token``, 404
  ``channel_not_found``/``no_service``, 410 ``channel_is_archived``, 500 ``rollup_error``)
  and 429 with Retry-After;
- Mattermost ``/hooks/<key>``: 200 "ok" as text/plain; errors as Mattermost's AppError
  JSON ``{"id", "message", "detailed_error", "request_id", "status_code"}``;
- Teams Workflows ``/workflows/<id>/triggers/manual/paths/invoke?…&sig=<signature>``:
  202 with no body; errors in the Power Automate envelope ``{"error": {"code",
  "message"}}``.

``state`` switches a kind's channel to an error ("archived", "gone", "no_service",
"broken"); ``rate_limited`` makes the next calls answer 429.
"""

from __future__ import annotations

from typing import Any

from tests.connectors.local_server import Answer, LocalServer, Request, json_answer

SLACK_PATH = "/services/T0KUNTA01/B0KUNTA02/Xq7Zk2pL9vR4sT1uW8yN3mBd"
MATTERMOST_PATH = "/hooks/k5x8rkfugj8zbqby9pw3huqnyc"
TEAMS_PATH = "/workflows/0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c/triggers/manual/paths/invoke"
TEAMS_QUERY = "api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Hs9aQ-3kLm_ZpT7yW2vXbN4cR"
SIGNATURE = "Hs9aQ-3kLm_ZpT7yW2vXbN4cR"


class FakeWebhooks(LocalServer):
    requests: list[Request]

    def __init__(self) -> None:
        self.state: dict[str, str] = {}
        self.rate_limited = 0
        super().__init__()
        self.base = self.url

    @property
    def received(self) -> list[Request]:
        return self.requests

    @property
    def urls(self) -> dict[str, str]:
        return {"slack": self.base + SLACK_PATH, "mattermost": self.base + MATTERMOST_PATH,
                "teams": f"{self.base}{TEAMS_PATH}?{TEAMS_QUERY}"}

    def answer(self, request: Request) -> Answer:
        kind = _kind(request.path)
        if self.rate_limited:
            self.rate_limited -= 1
            return _too_many(kind)
        handle = {"slack": _slack, "mattermost": _mattermost, "teams": _teams}[kind]
        return handle(self.state.get(kind, ""), request)


def _kind(path: str) -> str:
    return ("slack" if path.startswith("/services/") else
            "mattermost" if path.startswith("/hooks/") else "teams")


def _text(status: int, body: bytes = b"", content_type: str = "text/plain",
          headers: dict[str, str] | None = None) -> Answer:
    return Answer(status, body, content_type, headers)


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Answer:
    return json_answer(status, body, headers, "application/json; charset=utf-8")


def _too_many(kind: str) -> Answer:
    if kind == "slack":
        return _text(429, b"rate_limited", headers={"Retry-After": "30"})
    if kind == "teams":
        return _json(429, {"error": {"code": "WorkflowRequestsThrottled",
                                     "message": "Number of requests exceeded the limit."}},
                     {"Retry-After": "30"})
    return _json(429, {"id": "api.context.429.app_error", "message": "Too many requests.",
                       "detailed_error": "", "request_id": "r1", "status_code": 429},
                 {"Retry-After": "30"})


def _slack(state: str, request: Request) -> Answer:
    errors = {"archived": (410, b"channel_is_archived"), "gone": (404, b"channel_not_found"),
              "no_service": (404, b"no_service"), "broken": (500, b"rollup_error")}
    if request.path != SLACK_PATH:
        return _text(403, b"invalid_token")
    if state in errors:
        return _text(*errors[state])
    try:
        payload = request.json()
    except ValueError:
        return _text(400, b"invalid_payload")
    if not payload.get("text") and not payload.get("blocks"):
        return _text(400, b"no_text")
    for block in payload.get("blocks", []):
        text = block.get("text", {}).get("text", "")
        if block.get("type") != "section" or not 0 < len(text) <= 3000:
            return _text(400, b"invalid_blocks")
    return _text(200, b"ok", "text/html")


def _mattermost(state: str, request: Request) -> Answer:
    if request.path != MATTERMOST_PATH:
        return _json(400, {"id": "web.incoming_webhook.invalid.app_error",
                           "message": "Invalid webhook.", "detailed_error": "",
                           "request_id": "r2", "status_code": 400})
    if state == "broken":
        return _json(500, {"id": "web.incoming_webhook.post.app_error",
                           "message": "Unable to create post.", "detailed_error": "",
                           "request_id": "r3", "status_code": 500})
    payload = request.json()
    if not payload.get("text") and not payload.get("attachments"):
        return _json(400, {"id": "web.incoming_webhook.text.app_error",
                           "message": "No text specified.", "detailed_error": "",
                           "request_id": "r4", "status_code": 400})
    return _text(200, b"ok")


def _teams(state: str, request: Request) -> Answer:
    if request.path != TEAMS_PATH or request.query.get("sig") != [SIGNATURE]:
        return _json(401, {"error": {"code": "DirectApiInvalidAuthorizationSignature",
                                     "message": "The provided authorization signature is "
                                                "not valid."}})
    payload = request.json()
    [attachment] = payload["attachments"]
    if payload.get("type") != "message" or \
            attachment["contentType"] != "application/vnd.microsoft.card.adaptive":
        return _json(400, {"error": {"code": "InvalidRequestContent",
                                     "message": "The request content is not valid."}})
    return _text(202)
