"""A local stand-in for a Bluesky PDS, written from the AT Protocol's XRPC documentation
(com.atproto.server.createSession, com.atproto.repo.createRecord / getRecord /
deleteRecord / uploadBlob), with its error shapes: ``{"error": Name, "message": …}``.

Only the calls Kanava makes are here. ``FakePds.rate_limited`` makes the next calls
answer 429 with the RateLimit-* headers the PDS sends.
"""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import regex

HANDLE, DID, PASSWORD = "kunta.bsky.social", "did:plc:kunta1234567890", "abcd-efgh-ijkl-mnop"


class FakePds:
    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        self.blobs: dict[str, bytes] = {}
        self.requests: list[tuple[str, str, Any]] = []
        self.rate_limited = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        pds = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any],
                      headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._route("GET", b"")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._route("POST", body)

            def _route(self, method: str, body: bytes) -> None:
                url = urlsplit(self.path)
                name = url.path.removeprefix("/xrpc/")
                with pds.lock:
                    pds.requests.append((method, name, body))
                    if pds.rate_limited:
                        pds.rate_limited -= 1
                        self._send(429, {"error": "RateLimitExceeded",
                                         "message": "Rate Limit Exceeded"},
                                   {"RateLimit-Limit": "5000", "RateLimit-Remaining": "0",
                                    "RateLimit-Reset": "1893456000"})
                        return
                    if name == "com.atproto.server.createSession":
                        self._session(json.loads(body))
                        return
                    if self.headers.get("Authorization") != "Bearer access-jwt":
                        self._send(401, {"error": "AuthenticationRequired",
                                         "message": "Authentication Required"})
                        return
                    handler = {"com.atproto.repo.createRecord": self._create,
                               "com.atproto.repo.getRecord": self._get,
                               "com.atproto.repo.deleteRecord": self._delete,
                               "com.atproto.repo.uploadBlob": self._upload}.get(name)
                    if handler is None:
                        self._send(501, {"error": "MethodNotImplemented",
                                         "message": "Method Not Implemented"})
                        return
                    handler(body if name == "com.atproto.repo.uploadBlob" else
                            json.loads(body) if method == "POST" else parse_qs(url.query))

            def _session(self, given: dict[str, Any]) -> None:
                if given.get("identifier") != HANDLE or given.get("password") != PASSWORD:
                    self._send(401, {"error": "AuthenticationRequired",
                                     "message": "Invalid identifier or password"})
                    return
                self._send(200, {"did": DID, "handle": HANDLE, "accessJwt": "access-jwt",
                                 "refreshJwt": "refresh-jwt"})

            def _create(self, given: dict[str, Any]) -> None:
                record, rkey = given["record"], given["rkey"]
                text = record.get("text", "")
                if len(regex.findall(r"\X", text)) > 300 or len(text.encode()) > 3000:
                    self._send(400, {"error": "InvalidRequest",
                                     "message": "Invalid app.bsky.feed.post record: "
                                                "Record/text must not be longer than 300 "
                                                "graphemes"})
                    return
                if rkey in pds.records:
                    self._send(400, {"error": "InvalidRequest",
                                     "message": "Record already exists"})
                    return
                pds.records[rkey] = record
                self._send(200, {"uri": f"at://{DID}/{given['collection']}/{rkey}",
                                 "cid": "bafyrei" + hashlib.sha256(rkey.encode()).hexdigest()[:20]})

            def _get(self, query: dict[str, list[str]]) -> None:
                rkey = query["rkey"][0]
                if rkey not in pds.records:
                    self._send(400, {"error": "RecordNotFound",
                                     "message": f"Could not locate record: {rkey}"})
                    return
                self._send(200, {"uri": f"at://{DID}/app.bsky.feed.post/{rkey}",
                                 "value": pds.records[rkey]})

            def _delete(self, given: dict[str, Any]) -> None:
                pds.records.pop(given["rkey"], None)
                self._send(200, {})

            def _upload(self, data: bytes) -> None:
                if len(data) > 1_000_000:
                    self._send(400, {"error": "BlobTooLarge", "message": "Blob too large"})
                    return
                link = "bafkrei" + hashlib.sha256(data).hexdigest()[:24]
                pds.blobs[link] = data
                self._send(200, {"blob": {"$type": "blob", "ref": {"$link": link},
                                          "mimeType": self.headers.get("Content-Type"),
                                          "size": len(data)}})

        return Handler
