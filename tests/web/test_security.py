"""Sign-in rate limiting, password reset, security headers, cookies, CSRF, open redirects."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from kanava.accounts.models import LoginFailure
from tests.web.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a fresh start passphrase 3"  # noqa: S105 - test password
REFUSED = "Too many failed sign-ins. Wait 15 minutes and try again."


def _page(response: Any) -> str:
    return str(response.content.decode())


def _sign_in(client: Client, username: str, password: str, ip: str = "192.0.2.1") -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- rate limiting --------------------------------------------------------------------------

@pytest.fixture
def three_attempts(settings: Any) -> int:
    settings.LOGIN_ATTEMPTS = 3
    return 3


def test_a_few_wrong_passwords_do_not_lock_anyone_out(cast: Cast, three_attempts: int) -> None:
    client = Client()
    for _n in range(three_attempts - 1):
        assert _sign_in(client, "editor", "wrong").status_code == 200
    assert _sign_in(client, "editor", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_after_too_many_failures_for_a_user_name_even_the_right_password_is_refused(
        cast: Cast, three_attempts: int) -> None:
    for n in range(three_attempts):  # from a different address each time
        _sign_in(Client(), "Editor", "wrong", ip=f"198.51.100.{n}")
    client = Client()
    response = _sign_in(client, "editor", PASSWORD, ip="203.0.113.9")
    assert response.status_code == 200
    assert REFUSED in _page(response)
    assert not _signed_in(client)
    assert _sign_in(Client(), "lead", PASSWORD, ip="203.0.113.9").status_code == 302


def test_after_too_many_failures_from_an_address_every_user_name_is_refused(
        cast: Cast, three_attempts: int) -> None:
    for name in ("nobody", "somebody", "anybody"):
        _sign_in(Client(), name, "wrong", ip="192.0.2.66")
    client = Client()
    response = _sign_in(client, "owner", PASSWORD, ip="192.0.2.66")
    assert REFUSED in _page(response)
    assert not _signed_in(client)
    assert _sign_in(Client(), "owner", PASSWORD, ip="192.0.2.67").status_code == 302


def test_a_refused_sign_in_is_not_counted_again(cast: Cast, three_attempts: int) -> None:
    for _n in range(three_attempts):
        _sign_in(Client(), "editor", "wrong")
    for _n in range(5):
        _sign_in(Client(), "editor", PASSWORD)
    assert LoginFailure.objects.count() == three_attempts


def test_sign_in_works_again_after_the_window(cast: Cast, three_attempts: int) -> None:
    """GIVEN a user name locked by failures WHEN 15 minutes have passed THEN it works again."""
    for _n in range(three_attempts):
        _sign_in(Client(), "editor", "wrong")
    assert REFUSED in _page(_sign_in(Client(), "editor", PASSWORD))
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=14))
    assert REFUSED in _page(_sign_in(Client(), "editor", PASSWORD))
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=15, seconds=1))
    client = Client()
    assert _sign_in(client, "editor", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_the_limit_comes_from_the_settings(cast: Cast, settings: Any) -> None:
    settings.LOGIN_ATTEMPTS = 5
    for _n in range(4):
        _sign_in(Client(), "editor", "wrong")
    assert _sign_in(Client(), "editor", PASSWORD).status_code == 302
    _sign_in(Client(), "editor", "wrong")
    assert REFUSED in _page(_sign_in(Client(), "editor", PASSWORD))


# --- password reset -------------------------------------------------------------------------

def _reset_link(body: str) -> str:
    found = re.search(r"http://testserver(/accounts/password/reset/[\w-]+/[\w-]+/)", body)
    assert found is not None, body
    return found.group(1)


def test_a_password_is_reset_by_e_mail_end_to_end(cast: Cast) -> None:
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": "editor@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editor@example.org"]
    assert "reset the password of your Kanava account" in message.body
    link = _reset_link(message.body)

    form = client.get(link)
    assert form.status_code == 302  # Django hides the token from the page's address
    response = client.post(form["Location"], {"new_password1": NEW_PASSWORD,
                                              "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/accounts/password/reset/done/"

    fresh = Client()
    assert _sign_in(fresh, "editor", NEW_PASSWORD).status_code == 302
    assert _signed_in(fresh)
    assert _sign_in(Client(), "editor", PASSWORD).status_code == 200

    used = Client().get(link, follow=True)
    assert "The link is not valid any more" in _page(used)


def test_the_reset_mail_has_kanava_s_own_subject(cast: Cast) -> None:
    Client().post("/accounts/password/reset/", {"email": "editor@example.org"})
    assert mail.outbox[0].subject == "Your new Kanava password"


def test_a_weak_new_password_is_refused(cast: Cast) -> None:
    client = Client()
    client.post("/accounts/password/reset/", {"email": "editor@example.org"})
    form = client.get(_reset_link(mail.outbox[0].body))
    response = client.post(form["Location"], {"new_password1": "12345678",
                                              "new_password2": "12345678"})
    assert response.status_code == 200
    assert "This password is too short." in _page(response)
    assert _sign_in(Client(), "editor", PASSWORD).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(cast: Cast) -> None:
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


# --- headers --------------------------------------------------------------------------------

PAGES = [("anonymous", "/accounts/login/", 200), ("anonymous", "/accounts/password/reset/", 200),
         ("anonymous", "/invite/no-such-token/", 404), ("anonymous", "/o/acme/", 302),
         ("owner", "/o/acme/", 200), ("owner", "/o/acme/members/", 200),
         ("owner", "/o/acme/settings/", 200), ("owner", "/o/acme/audit/", 200),
         ("owner", "/account/", 200), ("owner", "/organizations/new/", 200),
         ("viewer", "/o/acme/members/", 403), ("outsider", "/o/acme/members/", 404)]


@pytest.mark.parametrize(("who", "url", "status"), PAGES)
def test_every_page_sends_the_security_headers(cast: Cast, who: str, url: str,
                                               status: int) -> None:
    response = cast.client(who).get(url)
    assert response.status_code == status
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(("who", "url", "status"), [p for p in PAGES if p[2] == 200])
def test_pages_need_nothing_the_policy_forbids(cast: Cast, who: str, url: str,
                                               status: int) -> None:
    """No inline script, event handler or style attribute: the CSP would block them."""
    page = _page(cast.client(who).get(url))
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\son[a-z]+\s*=", page)
    assert not re.search(r"\sstyle\s*=", page)


# --- cookies --------------------------------------------------------------------------------

def test_the_session_cookie_is_http_only_and_same_site(cast: Cast) -> None:
    response = _sign_in(Client(), "editor", PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]


def test_cookies_are_secure_when_served_over_https(cast: Cast, settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client = Client()
    client.get("/accounts/login/", secure=True)
    assert client.cookies["csrftoken"]["secure"] is True
    response = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD},
                           secure=True)
    assert response.cookies["sessionid"]["secure"] is True
    response = client.post("/language", {"language": "fi", "next": "/"}, secure=True)
    assert response.cookies["django_language"]["secure"] is True


def test_kanava_secure_turns_on_secure_cookies_and_hsts(tmp_path: Path) -> None:
    code = ("from kanava.web import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
            "s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)")

    def settings_with(secure: str) -> str:
        env = {**os.environ, "KANAVA_DATA_DIR": str(tmp_path), "KANAVA_SECURE": secure}
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, check=True, timeout=60).stdout.strip()

    assert settings_with("1") == "True True True True True Lax"
    assert settings_with("0") == "False False False False True Lax"


# --- CSRF -----------------------------------------------------------------------------------

def _csrf_client(cast: Cast, who: str | None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if who:
        client.force_login(cast.users[who])
    return client


def _csrf_token(client: Client, url: str) -> str:
    client.get(url)
    return str(client.cookies["csrftoken"].value)


@pytest.mark.parametrize(("url", "data"), [
    ("/o/acme/members/invite/", {"email": "x@example.org", "role": "owner"}),
    ("/o/acme/settings/", {"name": "Hijacked", "timezone": "UTC", "language": "en"}),
    ("/account/tokens/", {"name": "stolen"}),
    ("/language", {"language": "fi", "next": "/"}),
])
def test_a_post_without_the_csrf_token_is_refused(cast: Cast, url: str,
                                                  data: dict[str, str]) -> None:
    client = _csrf_client(cast, "owner")
    assert client.post(url, data).status_code == 403
    assert mail.outbox == []
    assert cast.users["owner"].api_tokens.count() == 0
    token = _csrf_token(client, "/o/acme/members/")
    assert client.post(url, {**data, "csrfmiddlewaretoken": token}).status_code in (200, 302)


def test_signing_in_needs_the_csrf_token(cast: Cast) -> None:
    client = _csrf_client(cast, None)
    assert _sign_in(client, "editor", PASSWORD).status_code == 403
    token = _csrf_token(client, "/accounts/login/")
    response = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD,
                                                "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_accepting_an_invitation_needs_the_csrf_token(cast: Cast) -> None:
    from kanava.accounts.services import do_invite

    _invitation, secret = do_invite(cast.organization, cast.users["owner"],
                                    "outsider@example.org", "viewer",
                                    lambda token: f"/invite/{token}/")
    client = _csrf_client(cast, "outsider")
    assert client.post(f"/invite/{secret}/").status_code == 403
    assert cast.organization.role_of(cast.users["outsider"]) is None


# --- open redirects -------------------------------------------------------------------------

EVIL = ["https://evil.example/", "//evil.example/path", "http:evil.example",
        "https:///evil.example", "/\\evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", EVIL)
def test_the_language_switch_refuses_to_leave_the_site(cast: Cast, target: str) -> None:
    response = cast.client("editor").post("/language", {"language": "fi", "next": target})
    assert response["Location"] == "/"


def test_the_language_switch_returns_to_a_page_of_the_site(cast: Cast) -> None:
    response = cast.client("editor").post("/language", {"language": "fi", "next": "/o/acme/"})
    assert response["Location"] == "/o/acme/"


@pytest.mark.parametrize("target", EVIL)
def test_signing_in_refuses_to_leave_the_site(cast: Cast, target: str) -> None:
    response = Client().post("/accounts/login/", {"username": "editor", "password": PASSWORD,
                                                  "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_signing_in_returns_to_the_page_asked_for(cast: Cast) -> None:
    response = Client().post("/accounts/login/", {"username": "editor", "password": PASSWORD,
                                                  "next": "/account/"})
    assert response["Location"] == "/account/"


@pytest.mark.parametrize("target", EVIL[:2])
def test_a_signed_in_user_is_not_sent_away_from_the_login_page(cast: Cast, target: str) -> None:
    response = cast.client("editor").get("/accounts/login/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_behind_a_proxy_the_forwarded_address_is_limited(cast: Cast, settings: Any) -> None:
    from django.test import RequestFactory

    from kanava.web.views.account import client_ip

    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3",
                                   REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "10.1.2.3"
    settings.PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
