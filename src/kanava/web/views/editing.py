"""Editing a plan in the browser, part by part, with the rule checks shown live.

Every page edits the plan's latest version; only Owners and Leads may (Action.EDIT_PLAN).
A part is named in the address by its path in the plan: ``general`` (the plan's own
fields), ``organization``, ``goals`` (the list), ``goals.0`` (an item), ``goals.0.kpis.1``.
Saving writes the edited plan into the stored YAML (comments survive) as a new version;
the live check applies the form to a copy of the plan and saves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, register_converter, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanava.accounts.models import Organization
from kanava.accounts.roles import Action
from kanava.plans.model import Plan
from kanava.planstore import editing, services
from kanava.planstore.editing import EditConflict, EditInvalid, Node, NotFound
from kanava.planstore.models import PlanDocument, PlanVersion
from kanava.web.access import member_view
from kanava.web.forms.pages import edit_page, list_page, overview, part_form
from kanava.web.forms.plan import PlanPartForm, breadcrumbs, slots_of
from kanava.web.forms.wizard import wizard_form

NODE_TEMPLATE = "kanava/edit/node.html"


class WhereConverter:
    """A part of the plan in an address: ``general``, ``goals``, ``goals.0.kpis.1``…"""

    regex = r"general|[a-z_]+(?:\.(?:[a-z_]+|[0-9]{1,6}))*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(WhereConverter, "where")


def _required() -> str:
    return _("This field is required.")


@dataclass
class Editing:
    """What every editor view resolves first: the plan, its latest version and the part."""

    document: PlanDocument
    version: PlanVersion
    plan: Plan
    node: Node
    lang: str

    @classmethod
    def resolve(cls, organization: Organization, slug: str, where: str = "general") -> Editing:
        document = get_object_or_404(PlanDocument, organization=organization, slug=slug)
        version = document.latest()
        if version is None:
            raise Http404
        plan = services.loaded(version).plan
        try:
            node = editing.node_at(editing.parse_where(where))
            if node.path:
                editing.node_value(plan, node)  # an index past a list's end is not found
        except (NotFound, ValueError):
            raise Http404 from None
        return cls(document, version, plan, node, get_language() or "en")

    def form(self, data: Mapping[str, Any] | None = None, *, new: bool = False) -> PlanPartForm:
        return part_form(self.node, self.plan, self.lang, self.version.number, new=new,
                         data=data)

    def message(self) -> str:
        """The version's message: what was edited, as the editor's breadcrumbs say it."""
        where = " › ".join(label for label, _where in breadcrumbs(self.node.path, self.plan,
                                                                   self.lang))
        return _("Edited in the browser: %(part)s") % {"part": where}

    def page_of(self, where: str, anchor: str = "") -> HttpResponse:
        return redirect(_url("plan-edit-node", self.document, where) + anchor)


def _url(name: str, document: PlanDocument, where: str | None = None) -> str:
    kwargs = {"org": document.organization.slug, "plan": document.slug}
    return reverse(name, kwargs={**kwargs, "where": where} if where else kwargs)


@member_view(Action.EDIT_PLAN)
def editor(request: HttpRequest, organization: Organization, role: str,
           plan: str) -> HttpResponse:
    """The editor's first page: every section with its findings."""
    ctx = Editing.resolve(organization, plan)
    return render(request, "kanava/edit/overview.html", {
        "document": ctx.document, "version": ctx.version, "plan": ctx.plan,
        "overview": overview(ctx.plan, ctx.lang)})


@member_view(Action.EDIT_PLAN)
def edit_node(request: HttpRequest, organization: Organization, role: str, plan: str,
              where: str) -> HttpResponse:
    """A list's page, or the form of a section or an item (saved on POST)."""
    ctx = Editing.resolve(organization, plan, where)
    if ctx.node.is_list:
        return render(request, "kanava/edit/list.html", {
            "document": ctx.document, "version": ctx.version,
            "page": list_page(ctx.node, ctx.plan, ctx.lang)})
    return _form_view(request, ctx, new=False)


@member_view(Action.EDIT_PLAN)
def new_item(request: HttpRequest, organization: Organization, role: str, plan: str,
             where: str) -> HttpResponse:
    """The form of a new item of a list (added to its end on POST)."""
    ctx = Editing.resolve(organization, plan, where)
    if not ctx.node.is_list:
        raise Http404
    return _form_view(request, ctx, new=True)


def _form_view(request: HttpRequest, ctx: Editing, *, new: bool) -> HttpResponse:
    form = ctx.form(request.POST if request.method == "POST" else None, new=new)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST" and not form.is_valid():
        errors, status = form.input_errors(), 400
    elif request.method == "POST":
        try:
            version, saved = editing.do_save_node(
                ctx.document, request.user, form.cleaned_data["base"] or 0, ctx.node,
                form.raw(), ctx.lang, ctx.message(), new=new, required=_required())
        except EditInvalid as invalid:
            errors, status = invalid.errors, 400
        except EditConflict as conflict:
            errors, status = _conflict(form, conflict), 409
        except services.PlanRejected as rejected:
            errors, status = {"": [p.message for p in rejected.problems]}, 400
        else:
            _saved(request, ctx, version)
            return ctx.page_of(editing.where_of(saved))
    page = edit_page(ctx.node, ctx.plan, form, ctx.lang, new=new, errors=errors)
    return render(request, NODE_TEMPLATE, {"document": ctx.document, "version": ctx.version,
                                           "page": page}, status=status)


def _saved(request: HttpRequest, ctx: Editing, version: PlanVersion) -> None:
    if version.number == ctx.version.number:
        messages.info(request, _("Nothing was changed."))
    else:
        messages.success(request, _("Saved as version %(number)s.") % {"number": version.number})


def _conflict(form: PlanPartForm, conflict: EditConflict) -> dict[str, list[str]]:
    """Keep what was typed, based on the latest version, and say why it was not saved."""
    data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    data["base"] = str(conflict.latest)
    form.data = data
    return {"": [_("Someone saved version %(number)s of the plan while you were editing, so "
                   "your changes are not saved yet. They are still in the form: check them "
                   "against the latest version and save again.") % {"number": conflict.latest}]}


@require_POST
@member_view(Action.EDIT_PLAN)
def check_node(request: HttpRequest, organization: Organization, role: str, plan: str,
               where: str) -> HttpResponse:
    """The live check: the form applied to a copy of the plan; nothing is saved."""
    return _check(request, Editing.resolve(organization, plan, where), new=False)


@require_POST
@member_view(Action.EDIT_PLAN)
def check_new(request: HttpRequest, organization: Organization, role: str, plan: str,
              where: str) -> HttpResponse:
    ctx = Editing.resolve(organization, plan, where)
    if not ctx.node.is_list:
        raise Http404
    return _check(request, ctx, new=True)


def _check(request: HttpRequest, ctx: Editing, *, new: bool) -> HttpResponse:
    if ctx.node.is_list and not new:
        raise Http404
    form = ctx.form(request.POST, new=new)
    refused = {} if form.is_valid() else form.input_errors()
    raw = {**form.raw(), **{name: form.initial.get(name) for name in refused}}
    checked = editing.preview(ctx.plan, ctx.node, raw, form.initial, ctx.lang, new=new,
                              required=_required())
    page = edit_page(ctx.node, ctx.plan, form, ctx.lang, new=new,
                     errors=editing.merge_errors(refused, checked.errors), checked=checked.plan)
    return render(request, "kanava/edit/_live.html",
                  {"document": ctx.document, "version": ctx.version, "page": page})


@member_view(Action.EDIT_PLAN)
def delete_item(request: HttpRequest, organization: Organization, role: str, plan: str,
                where: str) -> HttpResponse:
    """Ask before deleting an item (and say which references it leaves broken); delete."""
    ctx = Editing.resolve(organization, plan, where)
    if not ctx.node.is_item:
        raise Http404
    if request.method == "POST":
        try:
            version = editing.do_delete_item(ctx.document, request.user, _base(request),
                                             ctx.node, ctx.message())
        except EditConflict:
            messages.error(request, _("The plan was changed meanwhile; nothing was deleted. "
                                      "Check the list and try again."))
        else:
            _saved(request, ctx, version)
        return ctx.page_of(*_list_page(ctx.node))
    broken = editing.broken_references(ctx.plan, editing.delete_item(ctx.plan, ctx.node),
                                       ctx.lang)
    return render(request, "kanava/edit/delete.html", {
        "document": ctx.document, "version": ctx.version, "broken": broken,
        "crumbs": breadcrumbs(ctx.node.path, ctx.plan, ctx.lang),
        "back": _list_page(ctx.node)[0]})


@require_POST
@member_view(Action.EDIT_PLAN)
def move_item(request: HttpRequest, organization: Organization, role: str, plan: str,
              where: str) -> HttpResponse:
    """Move an item one place up or down its list."""
    ctx = Editing.resolve(organization, plan, where)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if not ctx.node.is_item or offset is None:
        raise Http404
    try:
        version = editing.do_move_item(ctx.document, request.user, _base(request), ctx.node,
                                       offset, ctx.message())
    except EditConflict:
        messages.error(request, _("The plan was changed meanwhile; nothing was moved. "
                                  "Check the list and try again."))
    except NotFound:
        messages.info(request, _("The item is already at the end of its list."))
    else:
        _saved(request, ctx, version)
    return ctx.page_of(*_list_page(ctx.node))


def _base(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("base", ""))
    except ValueError:
        return 0


def _list_page(node: Node) -> tuple[str, str]:
    """(where, anchor) of the page that shows an item's list: its parent's, or its own."""
    items = node.path[:-1]
    if len(items) > 1:
        return editing.where_of(items[:-1]), f"#live-list-{items[-1]}"
    return editing.where_of(items), "#live-list"


@member_view(Action.EDIT_PLAN)
def wizard(request: HttpRequest, organization: Organization, role: str) -> HttpResponse:
    """Start a new plan from the wizard's questions."""
    lang = get_language() or "en"
    form = wizard_form(organization, request.user, lang,
                       request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            answers = editing.answers_from(form.raw(), lang, required=_required(),
                                           unknown_audience=_("A channel names an audience "
                                                              "that is not among the "
                                                              "audiences: write its name as "
                                                              "it is written there."))
        except EditInvalid as invalid:
            form.add_errors(invalid.errors)
        else:
            document = editing.do_start_plan(organization, request.user, answers)
            messages.success(request, _("The plan was started. Fill in the rest part by "
                                        "part."))
            return redirect(_url("plan-edit", document))
    slots = slots_of({}, {})
    return render(request, "kanava/edit/wizard.html",
                  {"form": form, "blocks": form.blocks(slots)},
                  status=400 if form.errors else 200)


_PLAN = "o/<slug:org>/plans/<slug:plan>/edit/"
urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/new-plan/", wizard, name="plan-wizard"),
    path(_PLAN, editor, name="plan-edit"),
    path(f"{_PLAN}<where:where>/", edit_node, name="plan-edit-node"),
    path(f"{_PLAN}<where:where>/check/", check_node, name="plan-edit-check"),
    path(f"{_PLAN}<where:where>/new/", new_item, name="plan-edit-new"),
    path(f"{_PLAN}<where:where>/new/check/", check_new, name="plan-edit-new-check"),
    path(f"{_PLAN}<where:where>/delete/", delete_item, name="plan-edit-delete"),
    path(f"{_PLAN}<where:where>/move/", move_item, name="plan-edit-move"),
]
