"""URL map: each area of the workbench keeps its own patterns beside its views."""

from __future__ import annotations

from kanava.web.views import account, plans

urlpatterns = [*account.urlpatterns, *plans.urlpatterns]
