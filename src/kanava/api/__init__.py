"""The REST API, /api/v1 (Django Ninja): the same services and role rules as the web UI."""
