"""schemathesis against the OpenAPI document: whatever an Owner sends, never a server error.

The served document is used as it is, except that its path parameters get the cast's
organization, plan, version 1 and members as examples, and about half of the generated
requests are aimed at them too, so the checks get past the 404s to the real work.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import hypothesis.strategies as st
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils.text import slugify
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from kanava.plans.loader import load_plan
from tests.api.conftest import Api
from tests.web.conftest import EXAMPLES

pytestmark = pytest.mark.django_db

#: The cast's plan is imported from this example, so its address is known before the test.
PLAN_SLUG = slugify(load_plan(EXAMPLES / "en-company.yaml").plan.title)[:50]
#: Never the owner among the usernames, so the caller stays an owner whatever roles change.
MEMBERS = ["lead", "editor", "expert", "viewer"]
EXAMPLE = {"org": "acme", "plan": PLAN_SLUG, "n": 1, "username": MEMBERS[0]}
EXISTING: dict[str, st.SearchStrategy[Any]] = {
    "org": st.just("acme"), "plan": st.just(PLAN_SLUG), "n": st.just(1),
    "username": st.sampled_from(MEMBERS),
}


def _load() -> schemathesis.BaseSchema:
    """The served document (building it needs no database), with the examples added."""
    application = get_wsgi_application()
    document = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).raw_schema
    for item in document["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    parameter["example"] = EXAMPLE[parameter["name"]]
    schema = schemathesis.openapi.from_dict(document)
    schema.app = application
    return schema


schema = _load()


@schema.hook("flatmap_path_parameters")
def aim_at_what_exists(context: Any, parameters: dict[str, Any] | None
                       ) -> st.SearchStrategy[Any]:
    if not parameters:
        return st.just(parameters)
    real = st.fixed_dictionaries({name: EXISTING[name] for name in parameters
                                  if name in EXISTING})
    return st.one_of(st.just(parameters), real.map(lambda found: parameters | found))


@pytest.fixture(autouse=True)
def _keep_the_test_transaction() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction; Django's own test client steps aside in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_request_makes_a_server_error(case: schemathesis.Case, api: Api) -> None:
    assert api.cast.plan.slug == PLAN_SLUG
    case.call_and_validate(headers={"Authorization": f"Bearer {api.tokens['owner']}"},
                           checks=[not_a_server_error])
