"""A minimal, fast stand-in for a Mastodon server, for the outbox benchmark only.

mastodon-mock (the full stand-in the tests use) answers about 90 statuses a second on
this machine, so a benchmark against it would measure the mock. This server speaks just
the part of Mastodon's documented REST API that publishing uses, in memory:

- ``POST /api/v1/statuses`` (form ``status``; the ``Idempotency-Key`` header is honoured);
- ``GET /api/v1/accounts/verify_credentials`` and ``GET /api/v1/accounts/1/statuses``.

    python -m tests.publishing.fast_mastodon PORT
"""

from __future__ import annotations

import html
import json
import sys
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_lock = threading.Lock()
_statuses: list[dict[str, Any]] = []
_by_key: dict[str, dict[str, Any]] = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real server offers
    disable_nagle_algorithm = True  # headers and body go out at once, as from nginx

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        if urlsplit(self.path).path != "/api/v1/statuses":
            self._send(404, {"error": "Record not found"})
            return
        key = self.headers.get("Idempotency-Key")
        with _lock:
            if key and key in _by_key:
                self._send(200, _by_key[key])
                return
            number = len(_statuses) + 1
            status = {"id": str(number), "url": f"http://fast.example/@bench/{number}",
                      "created_at": datetime.now(UTC).isoformat(),
                      "content": f"<p>{html.escape(form.get('status', [''])[0])}</p>"}
            _statuses.append(status)
            if key:
                _by_key[key] = status
        self._send(200, status)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/api/v1/accounts/verify_credentials":
            self._send(200, {"id": "1", "username": "bench"})
        elif url.path == "/api/v1/accounts/1/statuses":
            query = parse_qs(url.query)
            limit = int(query.get("limit", ["20"])[0])
            newest_first = list(reversed(_statuses))
            if "max_id" in query:
                newest_first = [s for s in newest_first if int(s["id"]) < int(query["max_id"][0])]
            self._send(200, newest_first[:limit])
        elif url.path == "/api/v1/instance":
            self._send(200, {"uri": "fast.example"})
        else:
            self._send(404, {"error": "Record not found"})


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
