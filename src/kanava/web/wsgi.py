"""WSGI entry point: ``kanava serve`` uses it, and so can any WSGI server."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanava.web.settings")
application = get_wsgi_application()
