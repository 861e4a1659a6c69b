"""What every local stand-in for a network's API shares: an HTTP server on a free port of
127.0.0.1, each request read whole into a ``Request``, recorded, and answered under one
lock by the stand-in's ``answer``, which returns (or raises, from deep inside) an
``Answer``. A stand-in subclasses ``LocalServer`` and keeps only its network's protocol.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """One request as the stand-in received it."""

    method: str
    target: str  # the path and query string, as sent
    headers: Message  # looked up without regard to case, as HTTP names are
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query)

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        """A form-encoded body, the first value of each field."""
        return {name: values[0] for name, values in parse_qs(self.body.decode()).items()}

    def parts(self) -> dict[str, Message]:
        """A multipart/form-data body, by field name."""
        head = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode()
        message = message_from_bytes(head + self.body)
        return {str(part.get_param("name", header="content-disposition")): part
                for part in message.walk() if part is not message}


class Answer(Exception):
    """What the stand-in sends back; raise it to answer from inside a helper."""

    def __init__(self, status: int, body: bytes = b"", content_type: str = "",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}
        self.content_type = content_type  # none sent when empty


def json_answer(status: int, body: Any, headers: dict[str, str] | None = None,
                content_type: str = "application/json") -> Answer:
    return Answer(status, json.dumps(body).encode(), content_type, headers)


class LocalServer:
    """Started on creation; ``stop`` it after the test."""

    def __init__(self) -> None:
        self.requests: list[Any] = []
        self.lock = threading.Lock()
        self.server = _Server(self)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # A short poll: shutdown() waits for it, half a second by default, in every test.
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01},
                         daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def record(self, request: Request) -> Any:
        """What ``requests`` keeps of a request: by default all of it."""
        return request

    def answer(self, request: Request) -> Answer:
        raise NotImplementedError

    def serve(self, request: Request) -> Answer:
        with self.lock:
            self.requests.append(self.record(request))
            try:
                return self.answer(request)
            except Answer as answer:
                return answer


class _Server(ThreadingHTTPServer):
    def __init__(self, stand_in: LocalServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stand_in = stand_in


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real APIs offer
    disable_nagle_algorithm = True  # headers and body go out at once
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the tests' output stays readable

    def _serve(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        answer = self.server.stand_in.serve(Request(self.command, self.path, self.headers, body))
        self.send_response(answer.status)
        if answer.content_type:
            self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve
