"""Reads for the accounts app."""

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from .models import Organisation
from .roles import MFA_REQUIRED_ROLES


def user_requires_mfa(*, user) -> bool:
    """Staff roles (and anyone who can open a staff area) must use two-factor sign-in."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=MFA_REQUIRED_ROLES).exists() or user.has_perm(
        "wagtailadmin.access_admin"
    )


def user_has_totp(*, user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_may_enter_area(*, user, path: str) -> bool:
    if path.startswith("/admin/"):
        return user.has_perm("wagtailadmin.access_admin")
    if path.startswith("/hr/"):
        return user.has_perm("accounts.access_hr_area")
    return True


def organisation_choices() -> QuerySet[Organisation]:
    # Materialised-path order lists each parent directly above its children.
    return Organisation.objects.order_by("path")


def organisation_subtree(*, organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.get_tree(parent=organisation)
