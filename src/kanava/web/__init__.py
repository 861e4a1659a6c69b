"""The web workbench: the Django project, its views and templates (thin over the services)."""
