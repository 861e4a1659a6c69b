"""The link checker against pages on 127.0.0.1: what counts as broken, redirects, HEAD
refused, a slow page, and the addresses it must never ask."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from typing import Any

import pytest
from django.utils import timezone

from kanava.publishing import checks, links, services
from kanava.publishing.links import Result, check_url
from kanava.publishing.models import LinkCheck
from kanava.publishing.services import VariantInput
from kanava.publishing.tasks import check_links, recheck_upcoming_links
from kanava.publishing.workflow import State
from tests.publishing.conftest import Team

#: path → (status, Location); "/no-head" refuses HEAD, "/slow" waits for the test.
PAGES = {"/ok": (200, ""), "/missing": (404, ""), "/gone": (410, ""), "/error": (500, ""),
         "/moved": (301, "/ok"), "/loop": (302, "/loop"), "/robots": (403, ""),
         "/no-head": (200, ""), "/slow": (200, ""), "/to-file": (302, "file:///etc/passwd")}


class LinkServer:
    """Pages that answer HEAD and GET on a free port of 127.0.0.1; it records
    (method, path) of every request."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.release = threading.Event()  # lets "/slow" answer
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.pages = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01},
                         daemon=True).start()

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the checker hangs up without reading a GET's body, as it should


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        pages: LinkServer = self.server.pages  # type: ignore[attr-defined]
        pages.requests.append((self.command, self.path))
        status, location = PAGES.get(self.path, (404, ""))
        if self.path == "/no-head" and self.command == "HEAD":
            status = 405
        if self.path == "/slow":
            pages.release.wait(5)
        body = b"" if self.command == "HEAD" else b"<p>page</p>"
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(b"<p>page</p>")))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_HEAD = _answer


@pytest.fixture
def pages() -> Iterator[LinkServer]:
    server = LinkServer()
    yield server
    server.stop()


def _check(url: str, timeout: float = 5.0) -> Result:
    with links.client(timeout) as session:
        return check_url(url, session, allow_loopback=True)


def test_a_page_that_answers_opens_with_one_head_request(pages: LinkServer) -> None:
    assert _check(pages.url + "/ok") == Result(True, 200, "HTTP 200")
    assert pages.requests == [("HEAD", "/ok")]


@pytest.mark.parametrize(("path", "status"), [("/missing", 404), ("/gone", 410)])
def test_a_page_that_is_gone_is_broken_after_a_get_confirms_it(
    pages: LinkServer, path: str, status: int
) -> None:
    assert _check(pages.url + path) == Result(False, status, f"HTTP {status}")
    assert pages.requests == [("HEAD", path), ("GET", path)]


def test_a_failing_server_is_unknown_not_broken(pages: LinkServer) -> None:
    assert _check(pages.url + "/error") == Result(None, 500, "HTTP 500: the server failed")
    assert pages.requests == [("HEAD", "/error"), ("GET", "/error")]


def test_a_redirect_is_followed_to_the_page(pages: LinkServer) -> None:
    assert _check(pages.url + "/moved") == Result(True, 200, "HTTP 200")
    assert pages.requests == [("HEAD", "/moved"), ("HEAD", "/ok")]


def test_a_redirect_loop_is_broken_after_five_redirects(pages: LinkServer) -> None:
    result = _check(pages.url + "/loop")
    assert result == Result(False, 302, "more than 5 redirects")
    assert pages.requests.count(("HEAD", "/loop")) == 6


def test_a_page_that_refuses_head_is_asked_with_get(pages: LinkServer) -> None:
    assert _check(pages.url + "/no-head") == Result(True, 200, "HTTP 200")
    assert pages.requests == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_a_page_that_refuses_robots_is_not_broken(pages: LinkServer) -> None:
    result = _check(pages.url + "/robots")
    assert (result.ok, result.status) == (True, 403)
    assert "refuses robots" in result.detail


def test_a_page_that_does_not_answer_in_time_is_unknown(pages: LinkServer) -> None:
    result = _check(pages.url + "/slow", timeout=0.2)
    assert (result.ok, result.status) == (None, None)
    assert result.detail == "no answer in 0.2 s"


def test_a_server_that_is_not_there_is_unknown(pages: LinkServer) -> None:
    url = pages.url
    pages.stop()
    result = _check(url + "/ok")
    assert (result.ok, result.status) == (None, None)
    assert result.detail.startswith("cannot connect")


def test_a_redirect_target_is_vetted_like_the_first_address(pages: LinkServer) -> None:
    result = _check(pages.url + "/to-file")
    assert result == Result(None, None, "not checked: only http and https addresses")
    assert pages.requests == [("HEAD", "/to-file")]


def test_private_addresses_and_other_schemes_are_never_asked(
    pages: LinkServer, settings: Any
) -> None:
    settings.ALLOW_LOOPBACK_ADDRESSES = False
    port = pages.url.rsplit(":", 1)[1]
    with links.client(0.5) as session:
        for url in (pages.url + "/ok", f"http://localhost:{port}/ok", "http://10.0.0.1/",
                    "http://169.254.169.254/latest/meta-data/", "http://[::1]/"):
            assert check_url(url, session) == Result(None, None, links.PRIVATE), url
        assert check_url("file:///etc/passwd", session).ok is None
        assert check_url("ftp://127.0.0.1/", session).ok is None
    assert pages.requests == []


def test_allowing_loopback_addresses_allows_no_other_private_one(settings: Any) -> None:
    settings.ALLOW_LOOPBACK_ADDRESSES = True
    with links.client(0.5) as session:
        for url in ("http://10.0.0.1/", "http://169.254.169.254/", "http://192.168.0.1/"):
            assert check_url(url, session) == Result(None, None, links.PRIVATE), url


@pytest.mark.parametrize(("address", "public"), [
    ("127.0.0.1", False), ("10.0.0.1", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False),  # noqa: S104
    ("224.0.0.1", False), ("240.0.0.1", False), ("::1", False), ("fe80::1", False),
    ("fc00::1", False), ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False),
    ("93.184.215.14", True), ("2606:4700::1111", True), ("::ffff:93.184.215.14", True),
])
def test_only_public_addresses_are_asked(address: str, public: bool) -> None:
    assert links._public(ip_address(address)) is public


# --- the store and the tasks ---------------------------------------------------------


def test_results_are_kept_and_a_fresh_one_is_not_asked_again(
    pages: LinkServer, db: None, settings: Any
) -> None:
    settings.ALLOW_LOOPBACK_ADDRESSES = True
    ok, missing = pages.url + "/ok", pages.url + "/missing"
    assert links.check_stored([ok, missing, ok]) == {"fresh": 0, "ok": 1, "broken": 1}
    row = LinkCheck.objects.get(url=missing)
    assert (row.ok, row.status, row.url_hash) == (False, 404, LinkCheck.hash(missing))
    pages.requests.clear()
    # A working link checked now is fresh; a broken one is asked again (it may be mended).
    assert links.check_stored([ok, missing]) == {"fresh": 1, "broken": 1}
    assert pages.requests == [("HEAD", "/missing"), ("GET", "/missing")]
    later = timezone.now() + links.FRESH + timedelta(minutes=1)
    assert links.check_stored([ok], now=later) == {"fresh": 0, "ok": 1}
    assert LinkCheck.objects.count() == 2


def test_the_task_checks_a_posts_links_and_the_checks_find_the_broken_one(
    pages: LinkServer, team: Team, settings: Any
) -> None:
    settings.ALLOW_LOOPBACK_ADDRESSES = True
    ok, missing = pages.url + "/ok", pages.url + "/missing"
    post = services.create_post(team.organization, team.editor, [
        VariantInput("mastodon", "mastodon", f"Read {missing} now. What do you think?"),
        VariantInput("bluesky", "bluesky", "Our results, tell us what you think.", link=ok)])
    assert all(f.check != "link-broken" for f in services.findings(post))  # none asked yet
    assert check_links.call_local(post.pk) == {"fresh": 0, "ok": 1, "broken": 1}
    broken = [f for f in services.findings(post) if f.check == "link-broken"]
    assert [(f.channel, f.params["url"]) for f in broken] == [("mastodon", missing)]
    draft = [checks.Variant("x", "x", f"See {missing}"), checks.Variant("y", "y", f"See {ok}")]
    found = services.findings_for_draft(team.organization, draft, False, None)
    assert [f.channel for f in found if f.check == "link-broken"] == ["x"]


def test_a_link_not_asked_is_no_finding(team: Team) -> None:
    LinkCheck.objects.create(url="http://10.0.0.1/", url_hash=LinkCheck.hash("http://10.0.0.1/"),
                             ok=None, detail=links.PRIVATE)
    draft = [checks.Variant("x", "x", "See http://10.0.0.1/ and http://example.org/a")]
    found = services.findings_for_draft(team.organization, draft, False, None)
    assert [f for f in found if f.check == "link-broken"] == []


def test_the_periodic_task_asks_again_for_posts_going_out_within_a_week(
    pages: LinkServer, team: Team, settings: Any
) -> None:
    settings.ALLOW_LOOPBACK_ADDRESSES = True
    now = timezone.now()
    for path, state, days in (("/ok", State.IN_REVIEW, 2), ("/gone", State.SCHEDULED, 6),
                              ("/missing", State.DRAFT, 2), ("/error", State.APPROVED, 9)):
        post = services.create_post(team.organization, team.editor, [
            VariantInput("mastodon", "mastodon", f"See {pages.url}{path}")],
            publish_at=now + timedelta(days=days))
        post.state = state
        post.save(update_fields=["state"])
    assert recheck_upcoming_links.call_local() == {"fresh": 0, "ok": 1, "broken": 1}
    assert sorted(LinkCheck.objects.values_list("status", flat=True)) == [200, 410]
