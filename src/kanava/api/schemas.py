"""What goes in and out of /api/v1: pydantic schemas, so the OpenAPI document is exact."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import P, PathEx, Schema
from pydantic import AfterValidator, Field

from kanava.accounts.roles import Role
from kanava.plans.loader import Problem, format_path
from kanava.plans.rules import Finding
from kanava.planstore.models import MAX_PLAN_CHARS

#: The largest number a version can have (PositiveIntegerField on every database).
MAX_VERSION = 2_147_483_647

#: Organization and plan slugs (what Django's <slug:…> path converter matches).
Slug = PathEx[str, P(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60)]
#: A username as Django allows it.
Username = PathEx[str, P(pattern=r"^[\w.@+-]+$", max_length=150)]
VersionNumber = PathEx[int, P(ge=1, le=MAX_VERSION, description="The version number.")]

Language = Literal["en", "fi", "nb", "sv"]
ExportFormat = Literal["yaml", "html", "md", "pdf"]
Severity = Literal["error", "warning", "info"]


def _one_line(value: str) -> str:
    """No control characters and no lone surrogates: the database stores neither."""
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in value):
        raise ValueError("must be one line of text without control characters")
    return value


def _email(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError:
        raise ValueError("is not a valid e-mail address") from None
    return value


OneLine = Annotated[str, AfterValidator(_one_line)]
Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
#: The smallest plan that loads: a start for a new one, and an example for the docs.
SMALLEST_PLAN = ("kanava: 1\ntitle: Our social media plan\nlanguage: en\n"
                 "organization:\n  name: Example Oy\n  kind: company\n")
PlanText = Annotated[str, Field(min_length=1, max_length=MAX_PLAN_CHARS,
                                description="The whole plan file, YAML or JSON.",
                                examples=[SMALLEST_PLAN])]


# --- errors ---------------------------------------------------------------------------

class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, for a person to read.")


class ValidationErrorOut(ErrorOut):
    errors: list[dict[str, Any]] = Field(
        description="Each invalid part of the request: where (loc) and why (msg).")


class ProblemOut(Schema):
    """One reason a plan file cannot be loaded, located in the file."""

    line: int | None
    column: int | None
    path: str = Field(description="The field, such as channels[2].owner; empty for the file.")
    message: str

    @classmethod
    def of(cls, problem: Problem) -> ProblemOut:
        return cls(line=problem.line, column=problem.column, path=format_path(problem.path),
                   message=problem.message)


class PlanRejectedOut(ErrorOut):
    problems: list[ProblemOut]


# --- organizations and members ----------------------------------------------------------

class OrganizationOut(Schema):
    slug: str
    name: str
    role: Role = Field(description="The caller's role in the organization.")
    timezone: str
    language: str


class MemberOut(Schema):
    username: str
    name: str
    email: str
    role: Role
    joined: datetime


class RoleIn(Schema):
    role: Role


class InvitationIn(Schema):
    email: Email = Field(examples=["new.member@example.org"])
    role: Role = Role.VIEWER


class InvitationOut(Schema):
    email: str
    role: Role
    expires: datetime
    link: str = Field(description="The link that was e-mailed; whoever holds it can join.")


# --- plans ------------------------------------------------------------------------------

class PlanIn(Schema):
    text: PlanText


class PlanUpdateIn(Schema):
    text: PlanText
    message: OneLine = Field("", max_length=500, description="What changed, in a line.")


class VersionOut(Schema):
    number: int
    message: str
    author: str | None
    created: datetime
    errors: int = Field(description="Rule findings of severity error in this version.")
    warnings: int
    approved_by: str | None
    approved_at: datetime | None


class PlanSummaryOut(Schema):
    slug: str
    title: str
    created: datetime
    latest_version: int | None
    approved_version: int | None


class PlanOut(Schema):
    slug: str
    title: str
    created: datetime
    approved_version: int | None
    version: VersionOut = Field(description="The version shown (the latest unless asked).")
    plan: dict[str, Any] = Field(
        description="The plan as JSON: the fields the file sets (see `kanava plan schema`).")


class FindingOut(Schema):
    """A rule's finding, as `kanava plan check --format json` prints it."""

    rule: str
    severity: Severity
    path: str
    line: int | None
    column: int | None
    message: str

    @classmethod
    def of(cls, finding: Finding) -> FindingOut:
        return cls(**finding.as_dict())


class CheckOut(Schema):
    plan: str
    version: int
    findings: list[FindingOut]


class TextCheckOut(Schema):
    valid: bool = Field(description="Whether the text loads as a plan at all.")
    problems: list[ProblemOut] = Field(description="Why it does not load (when not valid).")
    findings: list[FindingOut] = Field(description="The rule findings (when valid).")


class LangQuery(Schema):
    lang: Language | None = Field(
        None, description="Language of the messages; by default the request's.")


class CheckQuery(LangQuery):
    version: int | None = Field(None, ge=1, le=MAX_VERSION,
                                description="Version number; the latest when left out.")


class ExportQuery(CheckQuery):
    format: ExportFormat = "yaml"
    lang: Language | None = Field(
        None, description="Language of a rendered document's headings; by default the plan's.")
