"""The organization's home page and its plans: import, read, compare, approve, export."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanava.accounts.models import Organization
from kanava.accounts.roles import Action, can
from kanava.plans.model import Plan
from kanava.planstore import services
from kanava.planstore.editing import sections
from kanava.planstore.models import MAX_PLAN_CHARS, PlanDocument, PlanVersion
from kanava.web.access import member_view
from kanava.web.forms.plan import node_label

EXPORT_FORMATS = ("yaml", "html", "pdf", "md")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Plan file (YAML or JSON)"), required=False)
    text = forms.CharField(label=gettext_lazy("…or paste the plan"), required=False,
                           strip=False,
                           widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
                           max_length=MAX_PLAN_CHARS)

    def plan_text(self) -> tuple[str, str]:
        """(text, file name) from the upload or the pasted text."""
        upload = self.cleaned_data.get("file")
        if upload:
            if upload.size > MAX_PLAN_CHARS:
                raise forms.ValidationError(_("The file is too large."))
            try:
                return upload.read().decode("utf-8-sig"), upload.name
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        text = self.cleaned_data.get("text") or ""
        if not text.strip():
            raise forms.ValidationError(_("Choose a file or paste a plan."))
        return text, "plan.yaml"


def _document(organization: Organization, slug: str) -> PlanDocument:
    return get_object_or_404(PlanDocument, organization=organization, slug=slug)


def _version(document: PlanDocument, number: int | None = None) -> PlanVersion:
    version = (document.versions.filter(number=number).first() if number
               else document.latest())
    if version is None:
        raise Http404
    return version


@member_view(Action.VIEW)
def org_home(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    document = organization.plans.order_by("-versions__created").first()
    context: dict[str, object] = {"document": document}
    if document is not None:
        version = _version(document)
        plan = services.loaded(version).plan
        context.update(version=version, plan=plan, names={p.id: p.name for p in plan.people},
                       findings=services.findings(version, get_language()),
                       approved=document.approved())
    return render(request, "kanava/org_home.html", context)


@member_view(Action.VIEW)
def plan_list(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    return render(request, "kanava/plan_list.html",
                  {"documents": organization.plans.all(), "form": ImportForm(),
                   "can_edit": can(role, Action.EDIT_PLAN)})


@member_view(Action.EDIT_PLAN)
def plan_import(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[object] = []
    if request.method == "POST" and form.is_valid():
        try:
            text, name = form.plan_text()
            document = services.do_import_plan(organization, request.user, text, name,
                                               get_language())
        except forms.ValidationError as error:
            form.add_error(None, error)
        except services.PlanRejected as rejected:
            problems = list(rejected.problems)
        else:
            messages.success(request, _("The plan was imported."))
            return redirect("plan-detail", org=organization.slug, plan=document.slug)
    return render(request, "kanava/plan_import.html", {"form": form, "problems": problems},
                  status=400 if problems or form.errors else 200)


@member_view(Action.VIEW)
def plan_detail(request: HttpRequest, organization: Organization, role: str,
                plan: str, number: int | None = None) -> HttpResponse:
    document = _document(organization, plan)
    version = _version(document, number)
    the_plan = services.loaded(version).plan
    sections = comment_sections(the_plan, get_language())
    return render(request, "kanava/plan_detail.html", {
        "document": document, "version": version, "plan": the_plan,
        "sections": sections, "section_names": dict(sections),
        "findings": services.findings(version, get_language()),
        "versions": document.versions.all()[:50], "comments": document.comments.all(),
        "can_edit": can(role, Action.EDIT_PLAN), "can_approve": can(role, Action.APPROVE_PLAN),
        "can_comment": can(role, Action.COMMENT), "export_formats": EXPORT_FORMATS,
    })


@member_view(Action.VIEW)
def plan_export(request: HttpRequest, organization: Organization, role: str, plan: str,
                number: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    version = _version(_document(organization, plan), number)
    content, content_type, name = services.export(version, fmt, request.GET.get("lang"))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_view(Action.VIEW)
def plan_diff(request: HttpRequest, organization: Organization, role: str,
              plan: str) -> HttpResponse:
    document = _document(organization, plan)
    try:
        old = _version(document, int(request.GET.get("from", "0")))
        new = _version(document, int(request.GET.get("to", "0")))
    except ValueError:
        raise Http404 from None
    return render(request, "kanava/plan_diff.html", {
        "document": document, "old": old, "new": new,
        "lines": services.diff_versions(old, new), "versions": document.versions.all(),
    })


@require_POST
@member_view(Action.APPROVE_PLAN)
def plan_approve(request: HttpRequest, organization: Organization, role: str, plan: str,
                 number: int) -> HttpResponse:
    version = _version(_document(organization, plan), number)
    services.do_approve(version, request.user)
    messages.success(request, _("Version %(number)s is approved.") % {"number": number})
    return redirect("plan-version", org=organization.slug, plan=plan, number=number)


def comment_sections(plan: Plan, lang: str) -> list[tuple[str, str]]:
    """(key, label) of every section a comment can be about, the whole plan first."""
    return [("plan", _("The whole plan"))] + [
        (node.where or "general", node_label(node.path, plan, lang)) for node in sections()
    ]


class CommentForm(forms.Form):
    section = forms.CharField(max_length=200)
    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                           label=gettext_lazy("Comment"))


@require_POST
@member_view(Action.COMMENT)
def plan_comment(request: HttpRequest, organization: Organization, role: str,
                 plan: str) -> HttpResponse:
    document = _document(organization, plan)
    form = CommentForm(request.POST)
    if form.is_valid():
        section = form.cleaned_data["section"]
        labels = dict(comment_sections(services.loaded(_version(document)).plan,
                                       get_language()))
        services.do_comment(document, request.user, section, form.cleaned_data["text"],
                            labels.get(section, section))
        messages.success(request, _("Your comment was added."))
    else:
        messages.error(request, _("The comment could not be added: write something first."))
    return redirect("plan-detail", org=organization.slug, plan=plan)


urlpatterns = [
    path("o/<slug:org>/", org_home, name="org-home"),
    path("o/<slug:org>/plans/", plan_list, name="plan-list"),
    path("o/<slug:org>/plans/import/", plan_import, name="plan-import"),
    path("o/<slug:org>/plans/<slug:plan>/", plan_detail, name="plan-detail"),
    path("o/<slug:org>/plans/<slug:plan>/v<int:number>/", plan_detail, name="plan-version"),
    path("o/<slug:org>/plans/<slug:plan>/v<int:number>/approve/", plan_approve,
         name="plan-approve"),
    path("o/<slug:org>/plans/<slug:plan>/v<int:number>/export.<str:fmt>", plan_export,
         name="plan-export"),
    path("o/<slug:org>/plans/<slug:plan>/diff/", plan_diff, name="plan-diff"),
    path("o/<slug:org>/plans/<slug:plan>/comments/", plan_comment, name="plan-comment"),
]
