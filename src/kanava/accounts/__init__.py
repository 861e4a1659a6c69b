"""Organizations, their members and roles, invitations, API tokens and the audit log."""
