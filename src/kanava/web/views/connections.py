"""Accounts: connect the network account behind each channel of the plan, see whether it
still works, reconnect or disconnect it. Thin over publishing.connections.

Bluesky, WordPress and chat webhooks are connected with a form (the first two are signed
in to once before anything is saved); Mastodon, X, LinkedIn and Facebook through their
OAuth consent. An OAuth flow's ``state`` is random, kept in the session with what the
callback needs, and used once: a callback whose state this session did not start is
refused and saves nothing. The callback's address is the same for every organization, as
the networks want one fixed redirect address per app.

Talking to a network inside a request is the exception STYLE.md allows: the user asked
for it, and a wrong password is best told at once.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kanava.accounts.models import Organization
from kanava.accounts.roles import Action, can
from kanava.accounts.services import audit
from kanava.connectors import http, registry
from kanava.connectors.base import ConnectorError, TokenSet
from kanava.connectors.bluesky.publisher import DEFAULT_SERVICE
from kanava.connectors.chat.publisher import NAMES as CHAT_NAMES
from kanava.connectors.wordpress.publisher import WordPressPublisher
from kanava.planstore.models import PlanDocument
from kanava.publishing import connections, sealing, services
from kanava.publishing.models import Connection
from kanava.web.access import member_of, member_view

FORM_NETWORKS = ("bluesky", "wordpress", "chat", "mastodon")
OAUTH_NETWORKS = ("x", "linkedin", "facebook")
NETWORK_NAMES = {"bluesky": "Bluesky", "wordpress": "WordPress", "chat": "Slack, Mattermost, Teams",
                 "mastodon": "Mastodon", "x": "X", "linkedin": "LinkedIn",
                 "facebook": "Facebook"}
#: The environment variables that configure each network's OAuth app (web/settings.py).
APP_VARIABLES = {"x": ("KANAVA_X_CLIENT_ID", "KANAVA_X_CLIENT_SECRET"),
                 "linkedin": ("KANAVA_LINKEDIN_CLIENT_ID", "KANAVA_LINKEDIN_CLIENT_SECRET"),
                 "facebook": ("KANAVA_FACEBOOK_APP_ID", "KANAVA_FACEBOOK_APP_SECRET")}
NEEDS_SECRET = ("linkedin", "facebook")  # X also takes a public client (PKCE alone)
PENDING_KEY = "kanava.connect.pending"  # session: state -> an OAuth flow under way
PAGES_KEY = "kanava.connect.pages"  # session: "org:channel" -> sealed pages to choose from
PENDING_SECONDS = 15 * 60  # an OAuth consent not finished by then must be started again
PENDING_MOST = 5  # flows kept per session; older ones are dropped


def loopback_allowed() -> bool:
    """Whether a network address may be http://127.0.0.1 (a local test server).

    ``ALLOW_LOOPBACK_ADDRESSES`` in the settings, by default on only with DEBUG: in
    production every address is https, so a token never travels in clear text.
    """
    return bool(settings.ALLOW_LOOPBACK_ADDRESSES)


def api_url(network: str, default: str) -> str:
    """The network's API address: ``NETWORK_API_URLS`` in the settings points a network
    at a local stand-in (tests, demos); empty means the network's real address."""
    return str(settings.NETWORK_API_URLS.get(network) or default)


def app_of(network: str) -> tuple[str, str] | None:
    """The configured OAuth app (client id, secret) of a network; None when missing."""
    client_id, secret = settings.NETWORK_APPS.get(network, ("", ""))
    if not client_id or (network in NEEDS_SECRET and not secret):
        return None
    return str(client_id), str(secret)


# --- forms ---------------------------------------------------------------------------------

class AddressField(forms.URLField):
    """A network address: https only (see :func:`loopback_allowed`). ``server``: only the
    server's origin and path are kept (no query, no user name, no trailing slash)."""

    def __init__(self, *, server: bool = True, **kwargs: Any) -> None:
        super().__init__(assume_scheme="https", max_length=500, **kwargs)
        self.server = server

    def clean(self, value: Any) -> str:
        address = str(super().clean(value) or "")
        if not address:
            return address
        parts = urlsplit(address)
        local = parts.scheme == "http" and parts.hostname == "127.0.0.1" and loopback_allowed()
        if (parts.scheme != "https" and not local) or not parts.hostname:
            raise forms.ValidationError(_("Give an address that starts with https://."))
        if parts.username or parts.password:
            raise forms.ValidationError(_("Give the address without a user name or password."))
        if self.server:
            return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")
        return address


class BlueskyForm(forms.Form):
    handle = forms.CharField(label=gettext_lazy("Handle"), max_length=253,
                             help_text=gettext_lazy("For example kunta.bsky.social."))
    app_password = forms.CharField(
        label=gettext_lazy("App password"), max_length=100,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Make one in Bluesky under Settings, Privacy and security, "
                               "App passwords. Never give the account's own password."))
    server = AddressField(
        label=gettext_lazy("Server (PDS)"), required=False,
        help_text=gettext_lazy("Leave empty for an account on bsky.social; otherwise give "
                               "the address of the account's own server."))

    def clean_handle(self) -> str:
        return str(self.cleaned_data["handle"]).strip().lstrip("@")

    def verified(self) -> Connected | None:
        """Sign in once: the account as Bluesky names it, or None and a form error."""
        data = self.cleaned_data
        service = data["server"] or DEFAULT_SERVICE
        try:
            handle = bluesky_sign_in(data["handle"], data["app_password"], service)
        except ConnectorError as error:
            self.add_error("app_password" if error.permanent else None, _refusal(
                error, _("Bluesky did not accept this handle and app password.")))
            return None
        base_url = "" if service == DEFAULT_SERVICE else service
        return Connected(handle, {"app_password": data["app_password"]}, base_url)


class WordPressForm(forms.Form):
    site = AddressField(label=gettext_lazy("Site address"),
                        help_text=gettext_lazy("For example https://blog.example.org."))
    user = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    app_password = forms.CharField(
        label=gettext_lazy("Application password"), max_length=100,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Make one in WordPress under Users, Profile, Application "
                               "passwords. Never give the user's own password."))

    def verified(self) -> Connected | None:
        """Ask the site who the user is: the name, or None and a form error."""
        data = self.cleaned_data
        publisher = WordPressPublisher(data["site"], data["user"], data["app_password"])
        try:
            name = publisher.verify()
        except ConnectorError as error:
            self.add_error("app_password" if error.permanent else None, _refusal(
                error, _("The site did not accept this user name and application password.")))
            return None
        finally:
            publisher.close()
        return Connected(name or data["user"], {"user": data["user"],
                                                "app_password": data["app_password"]},
                         data["site"])


class ChatForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Chat"), choices=list(CHAT_NAMES.items()))
    url = AddressField(server=False, label=gettext_lazy("Webhook address"),
                       widget=forms.URLInput(attrs={"autocomplete": "off"}),
                       help_text=gettext_lazy("The incoming webhook made for the channel. "
                                              "Anyone who has it can post, so it is stored "
                                              "encrypted and never shown again."))

    def verified(self) -> Connected:
        """Nothing to ask: sending a test would post a message to the channel."""
        data = self.cleaned_data
        host = urlsplit(data["url"]).netloc
        return Connected(f"{CHAT_NAMES[data['kind']]} ({host})",
                         {"kind": data["kind"], "url": data["url"]}, "")


class MastodonForm(forms.Form):
    server = AddressField(label=gettext_lazy("Server"),
                          help_text=gettext_lazy("The address of the account's server, for "
                                                 "example mastodon.social."))


class PageForm(forms.Form):
    page = forms.ChoiceField(label=gettext_lazy("Page"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, pages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        page = self.fields["page"]
        assert isinstance(page, forms.ChoiceField)  # noqa: S101 - narrows the type
        page.choices = pages
        if len(pages) == 1:
            page.initial = pages[0][0]


FORMS: dict[str, type[forms.Form]] = {"bluesky": BlueskyForm, "wordpress": WordPressForm,
                                      "chat": ChatForm, "mastodon": MastodonForm}


@dataclass(frozen=True)
class Connected:
    """What a connect flow found: the account's name, its secrets and its address."""

    account: str
    secrets: dict[str, Any]
    base_url: str


def _refusal(error: ConnectorError, refused: str) -> str:
    if error.permanent:
        return f"{refused} ({error})"
    return _("The server could not be reached; try again later. (%(error)s)") % {
        "error": str(error)}


# --- asking the network who the account is -----------------------------------------------

def bluesky_sign_in(handle: str, app_password: str, service: str) -> str:
    """The handle as the PDS has it, after signing in (com.atproto.server.createSession)."""
    with http.client(service.rstrip("/")) as session:
        body = http.call(session, "POST", "/xrpc/com.atproto.server.createSession",
                         writes=False, json={"identifier": handle,
                                             "password": app_password}).json()
    return str(body.get("handle") or handle)


def x_username(token: str, base_url: str) -> str:
    """@name of the X account the token is for (GET /2/users/me)."""
    with http.client(base_url.rstrip("/"), {"Authorization": f"Bearer {token}"}) as session:
        body = http.call(session, "GET", "/2/users/me", writes=False).json()
    return f"@{body['data']['username']}"


# --- the page ------------------------------------------------------------------------------

def _latest_plan(organization: Organization) -> PlanDocument | None:
    return organization.plans.order_by("-versions__created").first()


@dataclass
class Row:
    channel: str
    name: str
    network: str
    connection: Connection | None
    in_plan: bool = True

    @property
    def how(self) -> str:
        """form, oauth, unconfigured or unsupported: what connecting takes."""
        if self.network in FORM_NETWORKS:
            return "form"
        if self.network in OAUTH_NETWORKS:
            return "oauth" if app_of(self.network) else "unconfigured"
        return "unsupported"

    @property
    def variables(self) -> str:
        return ", ".join(APP_VARIABLES.get(self.network, ()))


def _rows(organization: Organization) -> list[Row]:
    plan = _latest_plan(organization)
    channels, _themes = services.plan_channels(plan)
    names = services.plan_channel_names(plan)
    connected = {c.channel: c for c in organization.connections.all()}
    rows = [Row(channel, names.get(channel, channel), registry.connector_of(network),
                connected.pop(channel, None)) for channel, network in channels.items()]
    # A connection whose channel left the plan is listed so that it can be disconnected.
    return rows + [Row(c.channel, c.channel, c.network, c, in_plan=False)
                   for c in connected.values()]


@member_view(Action.VIEW)
def connection_list(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    return render(request, "kanava/connections.html", {
        "rows": _rows(organization), "can_connect": can(role, Action.CONNECT_ACCOUNT)})


def _channel_network(organization: Organization, channel: str) -> str:
    """The network of a channel of the plan that Kanava can connect; else 404."""
    channels, _themes = services.plan_channels(_latest_plan(organization))
    network = registry.connector_of(channels.get(channel, ""))
    if network not in (*FORM_NETWORKS, *OAUTH_NETWORKS):
        raise Http404
    return str(network)


def _form_page(request: HttpRequest, organization: Organization, channel: str, network: str,
               form: forms.Form | None, status: int = 200, action: str = "") -> HttpResponse:
    names = services.plan_channel_names(_latest_plan(organization))
    return render(request, "kanava/connection_form.html", {
        "channel": channel, "channel_name": names.get(channel, channel), "network": network,
        "network_name": NETWORK_NAMES.get(network, network), "form": form,
        "action": action or reverse("connection-connect", kwargs={"org": organization.slug,
                                                                  "channel": channel})},
        status=status)


def _saved(request: HttpRequest, organization: Organization, channel: str, network: str,
           found: Connected) -> HttpResponse:
    connections.connect(organization, channel, network, account=found.account,
                        secrets=found.secrets, base_url=found.base_url)
    audit(organization, request.user, "connection.connect", channel, network=network,
          account=found.account)
    messages.success(request, _("%(channel)s is now connected as %(account)s.") % {
        "channel": channel, "account": found.account})
    return redirect("connections", org=organization.slug)


@never_cache
@member_view(Action.CONNECT_ACCOUNT)
def connection_connect(request: HttpRequest, organization: Organization, role: str,
                       channel: str) -> HttpResponse:
    network = _channel_network(organization, channel)
    if network in OAUTH_NETWORKS:
        if request.method == "POST":
            return _start_oauth(request, organization, channel, network)
        return _form_page(request, organization, channel, network, None)
    form = FORMS[network](request.POST or None)
    if request.method == "POST" and form.is_valid():
        if isinstance(form, MastodonForm):
            started = _start_mastodon(request, organization, channel, form)
            if started is not None:
                return started
        else:
            found = form.verified()  # type: ignore[attr-defined]
            if found is not None:
                return _saved(request, organization, channel, network, found)
    return _form_page(request, organization, channel, network, form,
                      status=400 if form.errors else 200)


@require_POST
@member_view(Action.CONNECT_ACCOUNT)
def connection_disconnect(request: HttpRequest, organization: Organization, role: str,
                          channel: str) -> HttpResponse:
    connection = get_object_or_404(Connection, organization=organization, channel=channel)
    connection.delete()
    audit(organization, request.user, "connection.disconnect", channel,
          network=connection.network, account=connection.account)
    messages.success(request, _("The account of %(channel)s was disconnected.") % {
        "channel": channel})
    return redirect("connections", org=organization.slug)


# --- OAuth: start, callback, choosing a page ------------------------------------------------

def _redirect_uri(request: HttpRequest, network: str) -> str:
    return request.build_absolute_uri(reverse("connection-callback",
                                              kwargs={"network": network}))


def _remember(request: HttpRequest, organization: Organization, channel: str, network: str,
              **extra: Any) -> str:
    """A new random state, kept in the session with what the callback needs."""
    state = secrets.token_urlsafe(32)
    now = time.time()
    pending = {key: flow for key, flow in request.session.get(PENDING_KEY, {}).items()
               if now - flow["at"] < PENDING_SECONDS}
    pending[state] = {"org": organization.pk, "channel": channel, "network": network,
                      "at": now, **extra}
    newest = sorted(pending.items(), key=lambda item: item[1]["at"])[-PENDING_MOST:]
    request.session[PENDING_KEY] = dict(newest)
    return state


def _recall(request: HttpRequest, state: str, network: str) -> dict[str, Any] | None:
    """The flow this state started (used once), if it is this session's and still fresh."""
    pending = request.session.get(PENDING_KEY, {})
    flow = pending.pop(state, None) if state else None
    request.session[PENDING_KEY] = pending
    if flow is None or flow["network"] != network or time.time() - flow["at"] > PENDING_SECONDS:
        return None
    return dict(flow)


def _start_mastodon(request: HttpRequest, organization: Organization, channel: str,
                    form: MastodonForm) -> HttpResponse | None:
    from kanava.connectors.mastodon import oauth

    server, redirect_uri = form.cleaned_data["server"], _redirect_uri(request, "mastodon")
    app = _known_mastodon_app(organization, channel, server, redirect_uri)
    if app is None:
        try:
            app = oauth.register_app(server, redirect_uri)
        except ConnectorError as error:
            form.add_error("server", _("%(server)s did not let Kanava register as a Mastodon "
                                       "app: %(error)s") % {"server": server,
                                                            "error": str(error)})
            return None
    state = _remember(request, organization, channel, "mastodon", server=server,
                      client_id=app.client_id, client_secret=app.client_secret,
                      redirect_uri=redirect_uri)
    return redirect(oauth.authorize_url(server, app.client_id, redirect_uri, state))


def _known_mastodon_app(organization: Organization, channel: str, server: str,
                        redirect_uri: str) -> Any:
    """The registration kept with the channel's connection, when it fits: registering
    again on every reconnect would leave the server a trail of unused apps."""
    from kanava.connectors.mastodon.oauth import App

    connection = Connection.objects.filter(organization=organization, channel=channel,
                                           network="mastodon", base_url=server).first()
    if connection is None:
        return None
    try:
        known = connections.secrets_of(connection)
    except ValueError:
        return None
    if known.get("redirect_uri") != redirect_uri or not known.get("client_id"):
        return None
    return App(str(known["client_id"]), str(known.get("client_secret", "")))


def _start_oauth(request: HttpRequest, organization: Organization, channel: str,
                 network: str) -> HttpResponse:
    app = app_of(network)
    if app is None:
        messages.error(request, _("The administrator must first set %(variables)s.") % {
            "variables": ", ".join(APP_VARIABLES[network])})
        return redirect("connections", org=organization.slug)
    client_id, redirect_uri = app[0], _redirect_uri(request, network)
    if network == "x":
        from kanava.connectors.x import oauth as x_oauth

        verifier, challenge = x_oauth.new_pkce()
        state = _remember(request, organization, channel, network, verifier=verifier,
                          redirect_uri=redirect_uri)
        return redirect(x_oauth.authorize_url(client_id, redirect_uri, state, challenge))
    state = _remember(request, organization, channel, network, redirect_uri=redirect_uri)
    if network == "linkedin":
        from kanava.connectors.linkedin import oauth as linkedin_oauth

        return redirect(linkedin_oauth.authorize_url(client_id, redirect_uri, state))
    from kanava.connectors.facebook import oauth as facebook_oauth

    return redirect(facebook_oauth.authorize_url(client_id, redirect_uri, state))


@never_cache
@login_required
def connection_callback(request: HttpRequest, network: str) -> HttpResponse:
    """Where the network sends the person back: the code for the tokens, and the state."""
    flow = _recall(request, request.GET.get("state", ""), network)
    organization = Organization.objects.filter(pk=flow["org"]).first() if flow else None
    if flow is None or organization is None:
        return render(request, "kanava/connection_form.html",
                      {"problem": _foreign_answer(request, network)}, status=400)
    organization, role = member_of(request, organization.slug, Action.CONNECT_ACCOUNT)
    request.organization, request.role = organization, role  # type: ignore[attr-defined]
    code = request.GET.get("code", "")
    if not code:
        messages.error(request, _("%(network)s did not give access: %(reason)s") % {
            "network": NETWORK_NAMES[network],
            "reason": request.GET.get("error_description") or request.GET.get("error") or "—"})
        return redirect("connections", org=organization.slug)
    try:
        return _finish(request, organization, flow, code)
    except ConnectorError as error:
        messages.error(request, _("The account could not be connected: %(error)s") % {
            "error": str(error)})
        return redirect("connections", org=organization.slug)


def _foreign_answer(request: HttpRequest, network: str) -> str:
    """Why a callback without a known state is refused. Facebook's guide shows a refused
    consent coming back without the state: that person is told access was not given. The
    network's own words are not repeated, as anyone can make such an address."""
    if request.GET.get("error") and network in NETWORK_NAMES:
        return _("%(network)s did not give access, so nothing was connected. Start "
                 "connecting again on the Accounts page.") % {"network": NETWORK_NAMES[network]}
    return _("This answer from the network does not belong to a connection started here, or "
             "it came too late. Start connecting again on the Accounts page.")


def _finish(request: HttpRequest, organization: Organization, flow: dict[str, Any],
            code: str) -> HttpResponse:
    network, channel, redirect_uri = flow["network"], flow["channel"], flow["redirect_uri"]
    if network == "mastodon":
        from kanava.connectors.mastodon import oauth

        app = oauth.App(flow["client_id"], flow["client_secret"])
        token = oauth.exchange_code(flow["server"], app, code, redirect_uri)
        account = oauth.account_name(flow["server"], token)
        return _saved(request, organization, channel, network, Connected(
            account, {"access_token": token, "client_id": app.client_id,
                      "client_secret": app.client_secret, "redirect_uri": redirect_uri},
            flow["server"]))
    client_id, client_secret = app_of(network) or ("", "")
    if network == "x":
        from kanava.connectors.x import oauth as x_oauth
        from kanava.connectors.x.publisher import DEFAULT_API

        base = api_url("x", DEFAULT_API)
        tokens = x_oauth.exchange_code(code, flow["verifier"], client_id, client_secret,
                                       redirect_uri, base_url=base)
        return _saved(request, organization, channel, network, Connected(
            x_username(tokens.access_token, base), connections.with_tokens({}, tokens),
            api_url("x", "")))
    if network == "linkedin":
        return _linkedin_pages(request, organization, channel, code, redirect_uri,
                               (client_id, client_secret))
    return _facebook_pages(request, organization, channel, code, redirect_uri,
                           (client_id, client_secret))


def _linkedin_pages(request: HttpRequest, organization: Organization, channel: str, code: str,
                    redirect_uri: str, app: tuple[str, str]) -> HttpResponse:
    from kanava.connectors.linkedin import oauth as linkedin_oauth
    from kanava.connectors.linkedin.publisher import API

    tokens: TokenSet = linkedin_oauth.exchange(code, *app, redirect_uri,
                                               base_url=api_url("linkedin", linkedin_oauth.WWW))
    pages = linkedin_oauth.organizations(tokens.access_token, api_url("linkedin", API))
    choices = [{"id": page.urn, "name": page.name,
                "secrets": connections.with_tokens({"organization_urn": page.urn}, tokens)}
               for page in pages]
    return _offer_pages(request, organization, channel, "linkedin", choices)


def _facebook_pages(request: HttpRequest, organization: Organization, channel: str, code: str,
                    redirect_uri: str, app: tuple[str, str]) -> HttpResponse:
    from kanava.connectors.facebook.oauth import FacebookLogin
    from kanava.connectors.facebook.publisher import GRAPH

    login = FacebookLogin(*app, base_url=api_url("facebook", GRAPH))
    try:
        short = login.exchange_code(code, redirect_uri)
        # Page tokens got with a long-lived user token do not run out (facebook/oauth.py).
        pages = login.pages(login.long_lived_user_token(short.access_token).access_token)
    finally:
        login.close()
    choices = [{"id": page.page_id, "name": page.name,
                "secrets": {"page_id": page.page_id, "access_token": page.access_token}}
               for page in pages]
    return _offer_pages(request, organization, channel, "facebook", choices)


def _offer_pages(request: HttpRequest, organization: Organization, channel: str, network: str,
                 choices: list[dict[str, Any]]) -> HttpResponse:
    """Keep the pages (sealed: they carry tokens) until the person has chosen one."""
    if not choices:
        messages.error(request, _("This %(network)s account administers no page that Kanava "
                                  "could post to.") % {"network": NETWORK_NAMES[network]})
        return redirect("connections", org=organization.slug)
    offered = dict(request.session.get(PAGES_KEY, {}))
    offered[f"{organization.pk}:{channel}"] = sealing.seal({"network": network,
                                                            "pages": choices})
    request.session[PAGES_KEY] = offered
    return redirect("connection-choose", org=organization.slug, channel=channel)


@never_cache
@member_view(Action.CONNECT_ACCOUNT)
def connection_choose(request: HttpRequest, organization: Organization, role: str,
                      channel: str) -> HttpResponse:
    """Which of the member's LinkedIn or Facebook pages the channel posts as."""
    key = f"{organization.pk}:{channel}"
    sealed = request.session.get(PAGES_KEY, {}).get(key)
    if not sealed:
        messages.error(request, _("Start connecting the account again."))
        return redirect("connections", org=organization.slug)
    offer = sealing.unseal(sealed)
    pages = {page["id"]: page for page in offer["pages"]}
    form = PageForm(request.POST or None, pages=[(p["id"], p["name"]) for p in pages.values()])
    if request.method == "POST" and form.is_valid():
        chosen = pages[form.cleaned_data["page"]]
        offered = dict(request.session.get(PAGES_KEY, {}))
        offered.pop(key, None)
        request.session[PAGES_KEY] = offered
        return _saved(request, organization, channel, offer["network"], Connected(
            chosen["name"], chosen["secrets"], api_url(offer["network"], "")))
    return _form_page(request, organization, channel, offer["network"], form,
                      status=400 if form.errors else 200, action=request.path)


urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/accounts/", connection_list, name="connections"),
    path("o/<slug:org>/accounts/<slug:channel>/connect/", connection_connect,
         name="connection-connect"),
    path("o/<slug:org>/accounts/<slug:channel>/choose/", connection_choose,
         name="connection-choose"),
    path("o/<slug:org>/accounts/<slug:channel>/disconnect/", connection_disconnect,
         name="connection-disconnect"),
    path("connect/<slug:network>/callback", connection_callback, name="connection-callback"),
]
