"""A local stand-in for a Bluesky PDS, written from the AT Protocol's XRPC documentation
(com.atproto.server.createSession, com.atproto.repo.createRecord / getRecord /
deleteRecord / uploadBlob), with its error shapes: ``{"error": Name, "message": …}``.

Only the calls Kanava makes are here. ``FakePds.rate_limited`` makes the next calls
answer 429 with the RateLimit-* headers the PDS sends.
"""

from __future__ import annotations

import hashlib
from typing import Any

import regex

from tests.connectors.local_server import Answer, LocalServer, Request, json_answer

HANDLE, DID, PASSWORD = "kunta.bsky.social", "did:plc:kunta1234567890", "abcd-efgh-ijkl-mnop"


def _error(status: int, name: str, message: str,
           headers: dict[str, str] | None = None) -> Answer:
    return json_answer(status, {"error": name, "message": message}, headers)


class FakePds(LocalServer):
    requests: list[tuple[str, str, bytes]]  # method, XRPC method name, body

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        self.blobs: dict[str, bytes] = {}
        self.rate_limited = 0
        super().__init__()

    def record(self, request: Request) -> tuple[str, str, bytes]:
        return request.method, request.path.removeprefix("/xrpc/"), request.body

    def answer(self, request: Request) -> Answer:
        name = request.path.removeprefix("/xrpc/")
        if self.rate_limited:
            self.rate_limited -= 1
            return _error(429, "RateLimitExceeded", "Rate Limit Exceeded",
                          {"RateLimit-Limit": "5000", "RateLimit-Remaining": "0",
                           "RateLimit-Reset": "1893456000"})
        if name == "com.atproto.server.createSession":
            return self._session(request.json())
        if request.headers.get("Authorization") != "Bearer access-jwt":
            return _error(401, "AuthenticationRequired", "Authentication Required")
        if name == "com.atproto.repo.uploadBlob":
            return self._upload(request.body, request.headers.get("Content-Type"))
        handler = {"com.atproto.repo.createRecord": self._create,
                   "com.atproto.repo.getRecord": self._get,
                   "com.atproto.repo.deleteRecord": self._delete}.get(name)
        if handler is None:
            return _error(501, "MethodNotImplemented", "Method Not Implemented")
        return handler(request.json() if request.method == "POST" else request.query)

    def _session(self, given: dict[str, Any]) -> Answer:
        if given.get("identifier") != HANDLE or given.get("password") != PASSWORD:
            return _error(401, "AuthenticationRequired", "Invalid identifier or password")
        return json_answer(200, {"did": DID, "handle": HANDLE, "accessJwt": "access-jwt",
                                 "refreshJwt": "refresh-jwt"})

    def _create(self, given: dict[str, Any]) -> Answer:
        record, rkey = given["record"], given["rkey"]
        text = record.get("text", "")
        if len(regex.findall(r"\X", text)) > 300 or len(text.encode()) > 3000:
            return _error(400, "InvalidRequest", "Invalid app.bsky.feed.post record: "
                          "Record/text must not be longer than 300 graphemes")
        if rkey in self.records:
            return _error(400, "InvalidRequest", "Record already exists")
        self.records[rkey] = record
        return json_answer(200, {
            "uri": f"at://{DID}/{given['collection']}/{rkey}",
            "cid": "bafyrei" + hashlib.sha256(rkey.encode()).hexdigest()[:20]})

    def _get(self, query: dict[str, list[str]]) -> Answer:
        rkey = query["rkey"][0]
        if rkey not in self.records:
            return _error(400, "RecordNotFound", f"Could not locate record: {rkey}")
        return json_answer(200, {"uri": f"at://{DID}/app.bsky.feed.post/{rkey}",
                                 "value": self.records[rkey]})

    def _delete(self, given: dict[str, Any]) -> Answer:
        self.records.pop(given["rkey"], None)
        return json_answer(200, {})

    def _upload(self, data: bytes, mime_type: str | None) -> Answer:
        if len(data) > 1_000_000:
            return _error(400, "BlobTooLarge", "Blob too large")
        link = "bafkrei" + hashlib.sha256(data).hexdigest()[:24]
        self.blobs[link] = data
        return json_answer(200, {"blob": {"$type": "blob", "ref": {"$link": link},
                                          "mimeType": mime_type, "size": len(data)}})
