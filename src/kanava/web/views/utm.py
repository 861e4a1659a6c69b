"""The campaign link builder: a link with the campaign's tags for every channel of the
plan, to paste wherever a post is written by hand. Thin over publishing.utm."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy

from kanava.accounts.models import Organization
from kanava.accounts.roles import Action
from kanava.publishing import services, utm
from kanava.web.access import member_view
from kanava.web.views.posts import _plan


class LinkForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("Link"), max_length=2_000, assume_scheme="https")
    campaign = forms.CharField(label=gettext_lazy("Campaign"), max_length=100)


@member_view(Action.VIEW)
def link_builder(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    form = LinkForm(request.GET or None)
    links: list[tuple[str, str, str]] = []
    if form.is_valid():
        plan = _plan(organization)
        channels, _themes = services.plan_channels(plan)
        names = services.plan_channel_names(plan)
        data = form.cleaned_data
        links = [(names.get(channel, channel), network,
                  utm.tagged(data["url"], campaign=data["campaign"], network=network,
                             channel=channel))
                 for channel, network in channels.items()]
    campaigns = (organization.posts.exclude(campaign="").values_list("campaign", flat=True)
                 .distinct().order_by("campaign"))
    return render(request, "kanava/link_builder.html",
                  {"form": form, "links": links, "campaigns": list(campaigns)})


urlpatterns = [path("o/<slug:org>/posts/links/", link_builder, name="link-builder")]
