"""Reads for HR: whose staff an officer manages."""

from accounts.models import Organisation


def hr_scope_unit(*, user) -> Organisation | None:
    """The unit whose subtree an HR officer manages: their own unit. Administrators manage
    every unit (their scope is None everywhere it is used)."""
    return user.organisation if user.organisation_id else None
