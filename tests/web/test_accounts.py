"""'Your account': the password, the interface language and personal API tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from kanava.accounts.models import ApiToken, AuditEvent, Profile
from kanava.accounts.services import do_create_token, user_for_token
from tests.web.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long passphrase 7"  # noqa: S105 - test password
EVERYONE = ("owner", "lead", "editor", "expert", "viewer", "outsider")


def _page(response: Any) -> str:
    return str(response.content.decode())


def _secret(response: Any) -> str:
    found = re.search(r'<code class="token" id="new-token">(kv_[\w-]+)</code>', _page(response))
    assert found is not None, "the new token is not on the page"
    return found.group(1)


@pytest.mark.parametrize("who", EVERYONE)
def test_every_signed_in_user_has_an_account_page(cast: Cast, who: str) -> None:
    response = cast.client(who).get("/account/")
    assert response.status_code == 200
    page = _page(response)
    assert f"{who}@example.org" in page
    assert 'href="/accounts/password/change/"' in page
    assert "no-store" in response["Cache-Control"]


def test_an_anonymous_visitor_is_sent_to_sign_in(cast: Cast) -> None:
    client = cast.client("anonymous")
    for method, url in (("get", "/account/"), ("post", "/account/tokens/"),
                        ("post", "/account/tokens/1/revoke/"),
                        ("get", "/accounts/password/change/")):
        response = getattr(client, method)(url, {"name": "x"} if method == "post" else {})
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_the_account_page_lists_the_user_s_organizations_and_roles(cast: Cast) -> None:
    page = _page(cast.client("expert").get("/account/"))
    assert "Acme</a> · Expert" in page
    assert "Other" not in page
    assert 'href="/organizations/new/"' in page


# --- API tokens -----------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_a_new_token_is_shown_once_and_works_for_the_api(cast: Cast, who: str) -> None:
    client = cast.client(who)
    response = client.post("/account/tokens/", {"name": "Reporting script"})
    assert response.status_code == 200
    secret = _secret(response)
    assert "it is shown only this once" in _page(response)
    assert user_for_token(secret) == cast.users[who]
    token = ApiToken.objects.get(user=cast.users[who])
    assert secret not in (token.token_hash, token.prefix)
    assert secret.startswith(token.prefix)
    again = _page(client.get("/account/"))
    assert secret not in again
    assert "Reporting script" in again
    assert f"{token.prefix}…" in again
    assert AuditEvent.objects.filter(action="token.create", actor=cast.users[who]).exists()


def test_the_token_list_shows_when_a_token_was_last_used(cast: Cast) -> None:
    _token, secret = do_create_token(cast.users["editor"], "CI")
    client = cast.client("editor")
    assert "never" in _page(client.get("/account/"))
    user_for_token(secret)
    assert "never" not in _page(client.get("/account/"))


def test_a_token_needs_a_name(cast: Cast) -> None:
    response = cast.client("editor").post("/account/tokens/", {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_user_revokes_a_token(cast: Cast) -> None:
    token, secret = do_create_token(cast.users["lead"], "Old laptop")
    response = cast.client("lead").post(f"/account/tokens/{token.pk}/revoke/", follow=True)
    assert response.redirect_chain == [("/account/", 302)]
    assert "The token Old laptop was revoked." in _page(response)
    assert user_for_token(secret) is None
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert AuditEvent.objects.filter(action="token.revoke", target="Old laptop").exists()


def test_nobody_sees_or_revokes_another_user_s_token(cast: Cast) -> None:
    token, secret = do_create_token(cast.users["owner"], "Owner's token")
    client = cast.client("outsider")
    assert "Owner&#x27;s token" not in _page(client.get("/account/"))
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert user_for_token(secret) == cast.users["owner"]


def test_a_token_name_is_escaped(cast: Cast) -> None:
    client = cast.client("editor")
    client.post("/account/tokens/", {"name": "<script>alert(1)</script>"})
    page = _page(client.get("/account/"))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_tokens_are_refused_for_an_inactive_user(cast: Cast) -> None:
    _token, secret = do_create_token(cast.users["editor"], "CI")
    cast.users["editor"].is_active = False
    cast.users["editor"].save()
    assert user_for_token(secret) is None


# --- language and password ------------------------------------------------------------------

def test_the_chosen_language_is_kept_in_the_profile(cast: Cast) -> None:
    client = cast.client("editor")
    response = client.post("/language", {"language": "fi", "next": "/account/"})
    assert response["Location"] == "/account/"
    assert Profile.objects.get(user=cast.users["editor"]).language == "fi"
    assert '<option value="fi" selected>' in _page(client.get("/account/"))


def test_the_language_follows_the_user_to_a_new_session(cast: Cast) -> None:
    Profile.objects.create(user=cast.users["editor"], language="sv")
    client = Client()
    response = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "sv"


def test_a_user_changes_their_password(cast: Cast) -> None:
    client = cast.client("editor")
    assert client.get("/accounts/password/change/").status_code == 200
    response = client.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/accounts/password/change/done/"
    assert client.get("/account/").status_code == 200  # still signed in
    assert Client().login(username="editor", password=NEW_PASSWORD)
    assert not Client().login(username="editor", password=PASSWORD)


def test_a_wrong_old_password_changes_nothing(cast: Cast) -> None:
    response = cast.client("editor").post("/accounts/password/change/", {
        "old_password": "wrong", "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD})
    assert response.status_code == 200
    assert Client().login(username="editor", password=PASSWORD)
