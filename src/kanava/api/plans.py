"""Plans: list, import, read, save a version, check, export and approve.

Every version goes through the same loader and services as the web UI and
``kanava plan check``; permissions are the roles' (kanava.accounts.roles).
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kanava.accounts.models import Organization
from kanava.accounts.roles import Action
from kanava.api.auth import member
from kanava.api.schemas import (
    CheckOut,
    CheckQuery,
    ErrorOut,
    ExportQuery,
    FindingOut,
    LangQuery,
    PlanIn,
    PlanOut,
    PlanRejectedOut,
    PlanSummaryOut,
    PlanUpdateIn,
    ProblemOut,
    Slug,
    TextCheckOut,
    ValidationErrorOut,
    VersionNumber,
    VersionOut,
)
from kanava.plans.rules import check
from kanava.planstore import services
from kanava.planstore.models import PlanDocument, PlanVersion

router = Router(tags=["plans"])
ERRORS = {frozenset({401, 403, 404}): ErrorOut, 422: ValidationErrorOut}
REJECTED = {frozenset({401, 403, 404}): ErrorOut, 422: PlanRejectedOut | ValidationErrorOut}
PLAN = "/organizations/{slug:org}/plans/{slug:plan}"

EXPORT_RESPONSES = {"responses": {200: {
    "description": "The plan file (YAML, as stored) or the rendered document.",
    "content": {content_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                for content_type in services.EXPORT_TYPES.values()},
}}}


def _document(organization: Organization, slug: str) -> PlanDocument:
    document = PlanDocument.objects.filter(organization=organization, slug=slug).first()
    if document is None:
        raise Http404(_("No such plan in this organization."))
    return document


def _version(document: PlanDocument, number: int | None = None) -> PlanVersion:
    versions = document.versions.select_related("author", "approved_by")
    version = versions.filter(number=number).first() if number else versions.first()
    if version is None:
        raise Http404(_("No such version of this plan."))
    return version


def _username(user: AbstractBaseUser | None) -> str | None:
    return user.get_username() if user is not None else None


def version_out(version: PlanVersion) -> VersionOut:
    return VersionOut(number=version.number, message=version.message,
                      author=_username(version.author), created=version.created,
                      errors=version.errors, warnings=version.warnings,
                      approved_by=_username(version.approved_by),
                      approved_at=version.approved_at)


def plan_out(document: PlanDocument, version: PlanVersion) -> PlanOut:
    approved = document.approved()
    plan = services.loaded(version).plan
    return PlanOut(slug=document.slug, title=document.title, created=document.created,
                   approved_version=approved.number if approved else None,
                   version=version_out(version),
                   plan=plan.model_dump(mode="json", exclude_unset=True))


@router.get("/organizations/{slug:org}/plans",
            response={200: list[PlanSummaryOut], **ERRORS}, summary="The plans")
def list_plans(request: HttpRequest, org: Slug) -> list[PlanSummaryOut]:
    organization, _role = member(request, org, Action.VIEW)
    documents = organization.plans.annotate(
        latest_version=Max("versions__number"),
        approved_version=Max("versions__number",
                             filter=Q(versions__approved_at__isnull=False)))
    return [PlanSummaryOut(slug=d.slug, title=d.title, created=d.created,
                           latest_version=d.latest_version,
                           approved_version=d.approved_version) for d in documents]


@router.post("/organizations/{slug:org}/plans", response={201: PlanOut, **REJECTED},
             summary="Import a plan (Owner, Lead)")
def create_plan(request: HttpRequest, org: Slug, body: PlanIn) -> Status[PlanOut]:
    organization, _role = member(request, org, Action.EDIT_PLAN)
    document = services.do_import_plan(organization, request.user, body.text,
                                       lang=get_language())
    return Status(201, plan_out(document, _version(document)))


@router.post("/organizations/{slug:org}/check", response={200: TextCheckOut, **ERRORS},
             summary="Check a plan text without saving it (any member)")
def check_text(request: HttpRequest, org: Slug, body: PlanIn,
               query: Query[LangQuery]) -> TextCheckOut:
    member(request, org, Action.VIEW)
    lang = query.lang or get_language()
    try:
        loaded = services.validate(body.text, lang=lang)
    except services.PlanRejected as rejected:
        return TextCheckOut(valid=False, problems=[ProblemOut.of(p) for p in rejected.problems],
                            findings=[])
    return TextCheckOut(valid=True, problems=[],
                        findings=[FindingOut.of(f) for f in check(loaded, lang=lang)])


@router.get(PLAN, response={200: PlanOut, **ERRORS}, summary="A plan, its latest version")
def get_plan(request: HttpRequest, org: Slug, plan: Slug) -> PlanOut:
    organization, _role = member(request, org, Action.VIEW)
    document = _document(organization, plan)
    return plan_out(document, _version(document))


@router.put(PLAN, response={200: PlanOut, **REJECTED},
            summary="Save a new version (Owner, Lead); unchanged text adds none")
def update_plan(request: HttpRequest, org: Slug, plan: Slug, body: PlanUpdateIn) -> PlanOut:
    organization, _role = member(request, org, Action.EDIT_PLAN)
    document = _document(organization, plan)
    version = services.do_save_version(document, request.user, body.text, body.message,
                                       lang=get_language())
    document.refresh_from_db(fields=["title"])
    return plan_out(document, _version(document, version.number))


@router.get(PLAN + "/versions", response={200: list[VersionOut], **ERRORS},
            summary="Every version, the newest first")
def list_versions(request: HttpRequest, org: Slug, plan: Slug) -> list[VersionOut]:
    organization, _role = member(request, org, Action.VIEW)
    versions = _document(organization, plan).versions.select_related("author", "approved_by")
    return [version_out(v) for v in versions]


@router.get(PLAN + "/versions/{int:n}", response={200: PlanOut, **ERRORS},
            summary="One version of a plan")
def get_version(request: HttpRequest, org: Slug, plan: Slug, n: VersionNumber) -> PlanOut:
    organization, _role = member(request, org, Action.VIEW)
    document = _document(organization, plan)
    return plan_out(document, _version(document, n))


@router.post(PLAN + "/versions/{int:n}/approve", response={200: VersionOut, **ERRORS},
             summary="Approve a version (Owner, Lead)")
def approve_version(request: HttpRequest, org: Slug, plan: Slug, n: VersionNumber) -> VersionOut:
    organization, _role = member(request, org, Action.APPROVE_PLAN)
    version = _version(_document(organization, plan), n)
    return version_out(services.do_approve(version, request.user))


@router.get(PLAN + "/check", response={200: CheckOut, **ERRORS},
            summary="The rule findings of a version, like `kanava plan check --format json`")
def check_plan(request: HttpRequest, org: Slug, plan: Slug, query: Query[CheckQuery]) -> CheckOut:
    organization, _role = member(request, org, Action.VIEW)
    document = _document(organization, plan)
    version = _version(document, query.version)
    findings = services.findings(version, query.lang or get_language())
    return CheckOut(plan=document.slug, version=version.number,
                    findings=[FindingOut.of(f) for f in findings])


@router.get(PLAN + "/export", response={frozenset({401, 403, 404}): ErrorOut,
                                        422: ValidationErrorOut},
            summary="A version as YAML, HTML, Markdown or PDF", openapi_extra=EXPORT_RESPONSES)
def export_plan(request: HttpRequest, org: Slug, plan: Slug,
                query: Query[ExportQuery]) -> HttpResponse:
    organization, _role = member(request, org, Action.VIEW)
    version = _version(_document(organization, plan), query.version)
    content, content_type, name = services.export(version, query.format, query.lang)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
