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

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

SLACK_PATH = "/services/T0KUNTA01/B0KUNTA02/Xq7Zk2pL9vR4sT1uW8yN3mBd"
MATTERMOST_PATH = "/hooks/k5x8rkfugj8zbqby9pw3huqnyc"
TEAMS_PATH = "/workflows/0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c/triggers/manual/paths/invoke"
TEAMS_QUERY = "api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Hs9aQ-3kLm_ZpT7yW2vXbN4cR"
SIGNATURE = "Hs9aQ-3kLm_ZpT7yW2vXbN4cR"


@dataclass
class Received:
    kind: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeWebhooks:
    received: list[Received] = field(default_factory=list)
    state: dict[str, str] = field(default_factory=dict)
    rate_limited: int = 0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,),
                         daemon=True).start()

    @property
    def urls(self) -> dict[str, str]:
        return {"slack": self.base + SLACK_PATH, "mattermost": self.base + MATTERMOST_PATH,
                "teams": f"{self.base}{TEAMS_PATH}?{TEAMS_QUERY}"}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Answer(Exception):
    def __init__(self, status: int, body: bytes = b"", kind: str = "text/plain",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.kind, self.headers = status, body, kind, headers or {}


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Answer:
    return Answer(status, json.dumps(body).encode(), "application/json; charset=utf-8", headers)


def _handler(hooks: FakeWebhooks) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            kind = ("slack" if url.path.startswith("/services/") else
                    "mattermost" if url.path.startswith("/hooks/") else "teams")
            with hooks.lock:
                hooks.received.append(Received(kind, url.path, parse_qs(url.query),
                                               dict(self.headers), body))
                try:
                    if hooks.rate_limited:
                        hooks.rate_limited -= 1
                        raise _too_many(kind)
                    handle = {"slack": _slack, "mattermost": _mattermost, "teams": _teams}[kind]
                    answer = handle(hooks.state.get(kind, ""), url.path, url.query, body)
                except Answer as raised:
                    answer = raised
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.kind)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)

    return Handler


def _too_many(kind: str) -> Answer:
    if kind == "slack":
        return Answer(429, b"rate_limited", headers={"Retry-After": "30"})
    if kind == "teams":
        return _json(429, {"error": {"code": "WorkflowRequestsThrottled",
                                     "message": "Number of requests exceeded the limit."}},
                     {"Retry-After": "30"})
    return _json(429, {"id": "api.context.429.app_error", "message": "Too many requests.",
                       "detailed_error": "", "request_id": "r1", "status_code": 429},
                 {"Retry-After": "30"})


def _slack(state: str, path: str, query: str, body: bytes) -> Answer:
    errors = {"archived": (410, b"channel_is_archived"), "gone": (404, b"channel_not_found"),
              "no_service": (404, b"no_service"), "broken": (500, b"rollup_error")}
    if path != SLACK_PATH:
        return Answer(403, b"invalid_token")
    if state in errors:
        return Answer(*errors[state])
    try:
        payload = json.loads(body)
    except ValueError:
        return Answer(400, b"invalid_payload")
    if not payload.get("text") and not payload.get("blocks"):
        return Answer(400, b"no_text")
    for block in payload.get("blocks", []):
        text = block.get("text", {}).get("text", "")
        if block.get("type") != "section" or not 0 < len(text) <= 3000:
            return Answer(400, b"invalid_blocks")
    return Answer(200, b"ok", "text/html")


def _mattermost(state: str, path: str, query: str, body: bytes) -> Answer:
    if path != MATTERMOST_PATH:
        return _json(400, {"id": "web.incoming_webhook.invalid.app_error",
                           "message": "Invalid webhook.", "detailed_error": "",
                           "request_id": "r2", "status_code": 400})
    if state == "broken":
        return _json(500, {"id": "web.incoming_webhook.post.app_error",
                           "message": "Unable to create post.", "detailed_error": "",
                           "request_id": "r3", "status_code": 500})
    payload = json.loads(body)
    if not payload.get("text") and not payload.get("attachments"):
        return _json(400, {"id": "web.incoming_webhook.text.app_error",
                           "message": "No text specified.", "detailed_error": "",
                           "request_id": "r4", "status_code": 400})
    return Answer(200, b"ok")


def _teams(state: str, path: str, query: str, body: bytes) -> Answer:
    if path != TEAMS_PATH or parse_qs(query).get("sig") != [SIGNATURE]:
        return _json(401, {"error": {"code": "DirectApiInvalidAuthorizationSignature",
                                     "message": "The provided authorization signature is "
                                                "not valid."}})
    payload = json.loads(body)
    [attachment] = payload["attachments"]
    if payload.get("type") != "message" or \
            attachment["contentType"] != "application/vnd.microsoft.card.adaptive":
        return _json(400, {"error": {"code": "InvalidRequestContent",
                                     "message": "The request content is not valid."}})
    return Answer(202)
