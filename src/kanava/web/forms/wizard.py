"""The wizard's questions as a web form: a new plan for Owners and Leads.

The form is generated from :class:`kanava.plans.wizard.Answers` like the editor's forms
from the plan, with three rows for first audiences and channels and one first goal; the
answers become the same commented starter plan as ``kanava plan new`` writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from kanava.accounts.models import Organization
from kanava.plans.model import Language
from kanava.planstore.editing import initial as shown
from kanava.planstore.editing import wizard_layout
from kanava.web.forms.plan import PlanPartForm


def wizard_form(organization: Organization, user: Any, lang: str,
                data: Mapping[str, Any] | None = None) -> PlanPartForm:
    """The wizard's form, filled in with what the workbench knows already."""
    specs = wizard_layout()
    initial: dict[str, Any] = {
        **shown(specs, {}),  # the defaults, so that a row left alone stays empty
        "organization": organization.name,
        "timezone": organization.timezone,
        "owner_name": user.get_full_name() or user.get_username(),
        "owner_email": user.email,
        "language": lang if lang in get_args(Language) else "en",
    }
    return PlanPartForm(specs, plan=None, lang=lang, data=data, initial=initial)
