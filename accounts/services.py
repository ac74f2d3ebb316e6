"""Writes for the accounts app. Other apps call these, not the models."""

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import STAFF_ID_CONSTRAINT, JobRole, Organisation
from .roles import ROLE_PERMISSIONS, TRAINEE
from .selectors import unit_within


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


class StaffIdTaken(ValueError):
    """Another account of the same top-level agency already holds this staff ID."""


class OrganisationChangeError(ValueError):
    """A refused organisation change; the message is shown to the person."""


def staff_id_taken_message() -> str:
    return _(
        "Another account in your agency already uses this staff ID. If it is yours, "
        "contact your HR department."
    )


@transaction.atomic
def profile_update(
    *,
    user,
    full_name: str,
    staff_id: str,
    job_role: str,
    organisation: Organisation | None = None,
    request=None,
):
    """Save a person's own profile. The organisation is set here once (when they have
    none yet); after that only an approved change request moves them
    (organisation_change_request / organisation_change_decide). A staff ID another
    account of the same agency holds raises StaffIdTaken (the database decides, so two
    people saving at once cannot both get it)."""
    from audit.services import audit_record

    from .models import User

    # What the database holds, not the instance (a form may have written to it already).
    current = User.objects.filter(pk=user.pk).values_list("organisation_id", flat=True).first()
    first_organisation = current is None and organisation is not None
    user.full_name = " ".join(full_name.split())
    user.staff_id = staff_id.strip()
    user.job_role = job_role or JobRole.OTHER
    if first_organisation:
        user.organisation = organisation
    else:
        user.organisation_id = current
    try:
        with transaction.atomic():
            user.save(update_fields=["full_name", "staff_id", "job_role", "organisation"])
    except IntegrityError as error:
        if STAFF_ID_CONSTRAINT in str(error):
            raise StaffIdTaken(staff_id_taken_message()) from error
        raise
    if first_organisation:
        audit_record(
            action="organisation.set",
            actor=user,
            target=user,
            summary=_("Organisation set to %(organisation)s") % {"organisation": organisation},
            data={"organisation_id": organisation.pk},
            request=request,
        )
    return user


def may_decide_organisation_request(*, hr_user, change_request) -> bool:
    """An HR officer of the requested organisation (it or a unit above it) or an
    administrator decides on a move."""
    if hr_user.is_superuser:
        return True
    if not hr_user.has_perm("accounts.access_hr_area") or not hr_user.organisation_id:
        return False
    target = change_request.to_organisation
    return unit_within(target, hr_user.organisation)


@transaction.atomic
def organisation_change_request(
    *, user, to_organisation: Organisation, reason: str, staff_id: str = "", request=None
):
    """Ask to move to another organisation; nothing moves until it is approved."""
    from audit.services import audit_record

    from .models import ChangeRequestStatus, OrganisationChangeRequest

    if to_organisation.pk == user.organisation_id:
        raise OrganisationChangeError(_("You are already in this organisation."))
    from .models import User

    locked = User.objects.select_for_update().get(pk=user.pk)
    if OrganisationChangeRequest.objects.filter(
        user=locked, status=ChangeRequestStatus.PENDING
    ).exists():
        raise OrganisationChangeError(
            _("You already have a request awaiting approval; wait for the decision.")
        )
    change = OrganisationChangeRequest.objects.create(
        user=locked,
        from_organisation_id=locked.organisation_id,
        to_organisation=to_organisation,
        staff_id=staff_id.strip(),
        reason=" ".join(reason.split())[:500],
    )
    audit_record(
        action="organisation.change_requested",
        actor=user,
        target=user,
        summary=_("Asked to move from %(old)s to %(new)s")
        % {"old": locked.organisation or "—", "new": to_organisation},
        data={
            "request_id": change.pk,
            "from_organisation_id": locked.organisation_id,
            "to_organisation_id": to_organisation.pk,
        },
        request=request,
    )
    return change


@transaction.atomic
def organisation_change_decide(*, change_request, by, approve: bool, request=None):
    """Approve (the person moves, with the staff ID they gave for the new organisation)
    or reject a pending request. Certificates already issued keep the organisation they
    were issued in, so the move changes nothing about who manages them."""
    from audit.services import audit_record

    from .models import ChangeRequestStatus, OrganisationChangeRequest

    change = (
        OrganisationChangeRequest.objects.select_for_update()
        .select_related("to_organisation", "user")
        .get(pk=change_request.pk)
    )
    if not may_decide_organisation_request(hr_user=by, change_request=change):
        raise PermissionError("not an HR officer of the requested organisation")
    if change.status != ChangeRequestStatus.PENDING:
        raise OrganisationChangeError(_("This request has already been decided."))
    person = change.user.__class__.objects.select_for_update().get(pk=change.user_id)
    if approve:
        old = person.organisation
        person.organisation = change.to_organisation
        if change.staff_id:
            person.staff_id = change.staff_id
        try:
            with transaction.atomic():
                person.save(update_fields=["organisation", "staff_id"])
        except IntegrityError as error:
            if STAFF_ID_CONSTRAINT in str(error):
                raise StaffIdTaken(staff_id_taken_message()) from error
            raise
    change.status = ChangeRequestStatus.APPROVED if approve else ChangeRequestStatus.REJECTED
    change.decided_by = by
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        action="organisation.change_approved" if approve else "organisation.change_rejected",
        actor=by,
        target=person,
        summary=(
            _("Moved from %(old)s to %(new)s") % {"old": old or "—", "new": person.organisation}
            if approve
            else _("Move to %(new)s refused") % {"new": change.to_organisation}
        ),
        data={
            "request_id": change.pk,
            "from_organisation_id": change.from_organisation_id,
            "to_organisation_id": change.to_organisation_id,
        },
        request=request,
    )
    return change


def organisation_create(
    *, name: str, agency_type: str, province: str = "", parent: Organisation | None = None
) -> Organisation:
    fields = {"name": name, "agency_type": agency_type, "province": province}
    if parent is None:
        return Organisation.add_root(**fields)
    return parent.add_child(**fields)
