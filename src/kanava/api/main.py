"""The /api/v1 application: its authentication, error handling, docs and routers."""

from __future__ import annotations

from ninja import NinjaAPI

from kanava.api import errors, members, organizations, plans
from kanava.api.auth import BearerToken, SessionCookie
from kanava.api.docs import LocalSwagger

DESCRIPTION = """\
The REST API of Kanava: organizations, plans and members, with the same role rules as the
web interface (an outsider gets 404, a member whose role does not allow an action 403).

Authenticate with a personal API token: `Authorization: Bearer kv_…`. A signed-in
browser's session works too; its unsafe requests need the `X-CSRFToken` header.
Every error is JSON: `{"detail": "…"}`.
"""

api = NinjaAPI(
    title="Kanava API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[BearerToken(), SessionCookie()],
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", organizations.router)
api.add_router("", plans.router)
api.add_router("", members.router)
