"""Reads for the accounts app."""

import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import QuerySet

from .models import Organisation
from .roles import MFA_REQUIRED_ROLES


def user_requires_mfa(*, user) -> bool:
    """Staff roles (and anyone who can open a staff area) must use two-factor sign-in."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        user.groups.filter(name__in=MFA_REQUIRED_ROLES).exists()
        or user.has_perm("wagtailadmin.access_admin")
        or user.has_perm("accounts.access_hr_area")
    )


# The second factors that count: what allauth records after a TOTP or recovery code.
_SECOND_FACTORS = frozenset({Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES})


def session_passed_mfa(*, request) -> bool:
    """Whether *this session* completed a TOTP or recovery-code step, by allauth's own record
    of how it authenticated (at sign-in or since, by re-authenticating), recently enough.

    Having an authenticator is not enough: a session that signed in some other way, or
    before its role was raised, has no such record and must pass the step first.
    """
    user = request.user
    if not user.is_authenticated:
        return False
    max_age = settings.STAFF_MFA_MAX_AGE_SECONDS
    now = time.time()
    for record in get_authentication_records(request, user):
        if (
            record.get("method") == "mfa"
            and record.get("type") in _SECOND_FACTORS
            and now - float(record.get("at", 0)) <= max_age
        ):
            return True
    return False


def user_has_totp(*, user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_may_enter_area(*, user, path: str) -> bool:
    if path.startswith("/admin/"):
        return user.has_perm("wagtailadmin.access_admin")
    if path.startswith("/hr/"):
        return user.has_perm("accounts.access_hr_area")
    return True


def unit_within(unit: Organisation | str | None, scope: Organisation | None) -> bool:
    """Whether `unit` (a unit or its tree path) is `scope` or a unit below it. No scope (an
    administrator's) holds every unit; no unit is within any scope."""
    if scope is None:
        return True
    if unit is None:
        return False
    path = unit if isinstance(unit, str) else unit.path
    return path.startswith(scope.path)


def organisation_choices() -> QuerySet[Organisation]:
    # Materialised-path order lists each parent directly above its children.
    return Organisation.objects.order_by("path")


def organisation_subtree(*, organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.get_tree(parent=organisation)


def organisation_requests_for(*, hr_user):
    """Pending moves an HR officer decides on: into their organisation or its sub-units
    (every pending move for an administrator)."""
    from .models import ChangeRequestStatus, OrganisationChangeRequest

    pending = OrganisationChangeRequest.objects.filter(
        status=ChangeRequestStatus.PENDING
    ).select_related("user", "from_organisation", "to_organisation")
    if hr_user.is_superuser:
        return pending.order_by("requested_at")
    if not hr_user.organisation_id:
        return pending.none()
    return pending.filter(to_organisation__path__startswith=hr_user.organisation.path).order_by(
        "requested_at"
    )
