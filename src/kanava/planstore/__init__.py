"""Plans kept in the database: documents, their versions, approvals and comments.

The plan itself is the YAML text of each version, exactly as ``kanava plan check``
reads it, so a plan exported from the browser and one kept in git are the same file.
"""
