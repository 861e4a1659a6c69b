"""Every error of /api/v1 is JSON ``{"detail": "…"}`` with a status that says whose fault it is.

The caller's mistakes are 4xx with a sentence to act on; only a bug in Kanava is a 500,
and even that is JSON (the traceback goes to the log, never to the caller).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kanava.accounts.services import AccountError
from kanava.api.schemas import ProblemOut
from kanava.planstore.services import PlanRejected

logger = logging.getLogger("kanava.api")

Handler = Callable[[HttpRequest, Any], HttpResponse]


def error(status: int, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(404, str(exc) or _("Not found."))


def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(403, str(exc) or _("Your role in this organization does not allow this."))


def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = exc.message if exc.message != "Unauthorized" else _(
        "Authentication is required: send the header 'Authorization: Bearer <token>' "
        "with a personal API token.")
    response = error(401, detail)
    response["WWW-Authenticate"] = 'Bearer realm="kanava"'
    return response


def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and exc.__cause__ is not None:
        # Ninja's "Cannot parse request body": the JSON itself is broken.
        return error(422, _("The request body is not valid JSON: %(reason)s")
                     % {"reason": exc.__cause__})
    return error(exc.status_code, str(exc))


def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{key: value for key, value in item.items() if key in ("loc", "msg", "type")}
              for item in exc.errors]
    first = errors[0] if errors else {"loc": (), "msg": ""}
    where = ".".join(str(part) for part in first["loc"])
    return error(422, _("The request is not valid: %(where)s: %(reason)s")
                 % {"where": where, "reason": first["msg"]}, errors=errors)


def plan_rejected(request: HttpRequest, exc: PlanRejected) -> HttpResponse:
    return error(422, _("The text is not a valid plan: see the problems."),
                 problems=[ProblemOut.of(p).model_dump() for p in exc.problems])


def conflict(request: HttpRequest, exc: AccountError) -> HttpResponse:
    return error(409, str(exc))


def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error(413, _("The request body is too large."))


def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected error in %s %s", request.method, request.path, exc_info=exc)
    return error(500, _("Something went wrong on our side; the error was logged."))


HANDLERS: dict[type[Exception], Handler] = {
    Exception: server_error,
    Http404: not_found,
    PermissionDenied: forbidden,
    HttpError: http_error,
    AuthenticationError: unauthenticated,
    ValidationError: invalid,
    PlanRejected: plan_rejected,
    AccountError: conflict,
    RequestDataTooBig: too_large,
}


def install(api: NinjaAPI) -> None:
    for exc_class, handler in HANDLERS.items():
        api.add_exception_handler(exc_class, handler)
