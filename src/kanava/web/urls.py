"""URL map: each area of the workbench keeps its own patterns beside its views."""

from __future__ import annotations

from kanava.api.urls import urlpatterns as api
from kanava.web.views import (
    account,
    calendar,
    connections,
    editing,
    members,
    plans,
    posts,
    utm,
)

urlpatterns = [*account.urlpatterns, *plans.urlpatterns, *editing.urlpatterns,
               *members.urlpatterns, *utm.urlpatterns, *posts.urlpatterns, *calendar.urlpatterns,
               *connections.urlpatterns, *api]
