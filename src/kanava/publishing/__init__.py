"""Publishing by the plan's rules: posts, their checks, approvals and the outbox."""
