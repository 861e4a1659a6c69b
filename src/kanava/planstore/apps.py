from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanstoreConfig(AppConfig):
    name = "kanava.planstore"
    label = "planstore"
    verbose_name = _("Plans")
