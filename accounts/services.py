"""Writes for the accounts app. Other apps call these, not the models."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import JobRole, Organisation
from .roles import ROLE_PERMISSIONS, TRAINEE


@transaction.atomic
def role_groups_sync() -> dict[str, Group]:
    """Create the role groups and give each exactly the permissions in ROLE_PERMISSIONS."""
    groups = {}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        if perms == ["*"]:
            wanted = Permission.objects.all()
        else:
            wanted = Permission.objects.none()
            for entry in perms:
                app_label, codename = entry.split(".", 1)
                wanted |= Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
        group.permissions.set(wanted)
        _collection_permissions_sync(group, wanted)
        groups[role] = group
    return groups


# Wagtail checks image and document permissions per collection, not on the group itself.
_COLLECTION_MEDIA_APPS = ("wagtailimages", "wagtaildocs")


def _collection_permissions_sync(group: Group, wanted) -> None:
    """Grant the group's image and document permissions on the root collection (so on
    every collection), and nothing more there."""
    from wagtail.models import Collection, GroupCollectionPermission

    # Wagtail's migrations make the root collection; a flushed test database lacks it.
    root = Collection.get_first_root_node() or Collection.add_root(name="Gốc")
    media = wanted.filter(content_type__app_label__in=_COLLECTION_MEDIA_APPS)
    on_root = GroupCollectionPermission.objects.filter(group=group, collection=root)
    on_root.filter(permission__content_type__app_label__in=_COLLECTION_MEDIA_APPS).exclude(
        permission__in=media
    ).delete()
    for permission in media:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )


def user_add_to_role(*, user, role: str) -> None:
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)


@transaction.atomic
def trainee_register(*, user, full_name: str) -> None:
    """Finish a self sign-up: keep the name as written and make the person a trainee."""
    user.full_name = " ".join(full_name.split())
    user.save(update_fields=["full_name"])
    user_add_to_role(user=user, role=TRAINEE)


def profile_update(
    *, user, full_name: str, staff_id: str, job_role: str, organisation: Organisation | None
):
    user.full_name = " ".join(full_name.split())
    user.staff_id = staff_id.strip()
    user.job_role = job_role or JobRole.OTHER
    user.organisation = organisation
    user.save(update_fields=["full_name", "staff_id", "job_role", "organisation"])
    return user


def organisation_create(
    *, name: str, agency_type: str, province: str = "", parent: Organisation | None = None
) -> Organisation:
    fields = {"name": name, "agency_type": agency_type, "province": province}
    if parent is None:
        return Organisation.add_root(**fields)
    return parent.add_child(**fields)
