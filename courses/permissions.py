"""Who may do what to a course in the Wagtail admin: course owners and administrators only.

A course has owners (`CourseOwner`: the trainer who created it, plus trainers an
administrator adds). Wagtail's page permissions propagate down the tree, so a right given
on the course catalogue would reach every course; here they stop at the catalogue:

- inside a course (the course page, its modules, lessons and quizzes) a trainer's rights
  come only from owning that course — as if their group held add, change, publish, lock
  and unlock on that one course page;
- group page permissions held on the catalogue or above apply to the catalogue itself (the
  trainers' group holds "add" there, so a trainer may create a course, and may publish it
  in the same step: they own it from its first save);
- permissions an administrator grants on a course page itself (Wagtail's group page
  permissions on that page or below) still count, and the administrators' group and
  superusers keep everything.

The policy is registered for every page model (CoursesConfig.ready), so the page
explorer, the editor, previews, choosers and our own reports (which ask
`page.permissions_for_user(user).can_edit()`) all follow the same rule.
"""

from functools import cached_property

from django.contrib.auth.models import Permission
from wagtail.models import GroupPagePermission, Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from content.pages import CachedViewRestrictions

OWNER_ACTIONS = ("add", "change", "publish", "lock", "unlock")


class CourseContent(CachedViewRestrictions):
    """Mixin for page models that live inside a course (the course page included): their
    permissions are the course's, see the module docstring. Put it before `Page`."""

    def permissions_for_user(self, user):
        return CourseContentPermissionTester(user, self)


class CourseCatalogue(CachedViewRestrictions):
    """Mixin for the catalogue page: a trainer who may add a course may publish it at once
    (they own it from its first save), without any right to publish the catalogue."""

    def permissions_for_user(self, user):
        return CataloguePermissionTester(user, self)


def _is_course_content(page) -> bool:
    model = page.specific_class
    return model is not None and issubclass(model, CourseContent)


def _counts_inside_courses(perm) -> bool:
    """Whether a permission entry reaches inside courses: an owner's, one granted on a
    course or below it, or the administrators' group's."""
    from accounts.roles import ADMINISTRATOR

    if getattr(perm, "from_ownership", False):
        return True
    if perm.group_id and _group_name(perm) == ADMINISTRATOR:
        return True
    return _is_course_content(perm.page)


def _group_name(perm) -> str:
    # Fetched with select_related in the policy, so no query here.
    return perm.group.name if perm.group_id else ""


def codenames_for_page(user, page, perms) -> set[str]:
    """The actions ("add", "change", ...) that `perms` give `user` on `page`."""
    inside = _is_course_content(page)
    return {
        perm.permission.codename.rsplit("_", maxsplit=1)[0]
        for perm in perms
        if page.path.startswith(perm.page.path) and (not inside or _counts_inside_courses(perm))
    }


class CourseContentPermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        if self.user.is_active and not self.user.is_superuser:
            self.permissions = codenames_for_page(
                user, page, self.permission_policy.get_cached_permissions_for_user(user)
            )

    def can_edit(self):
        # Wagtail lets whoever holds "add" edit the pages they created; inside a course only
        # ownership counts, and owners hold "change" anyway.
        if not self.user.is_active or self.page_is_root:
            return False
        if self.user.is_superuser or "change" in self.permissions:
            return True
        current_workflow_task = self.page.current_workflow_task
        return bool(
            current_workflow_task
            and current_workflow_task.user_can_access_editor(self.page, self.user)
        )

    def can_delete(self, ignore_bulk=False):
        if not self.user.is_superuser and "change" not in self.permissions:
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)


class CataloguePermissionTester(PagePermissionTester):
    def can_publish_subpage(self):
        return super().can_publish_subpage() or self.can_add_subpage()


class CourseOwnershipPagePolicy(PagePermissionPolicy):
    """Wagtail's page policy with each owned course's rights added, and catalogue-level
    rights kept out of courses (module docstring)."""

    def get_all_permissions_for_user(self, user):
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return []
        perms = list(
            GroupPagePermission.objects.filter(group__user=user).select_related(
                "page", "permission", "group"
            )
        )
        return perms + self._ownership_permissions(user)

    @cached_property
    def _owner_permissions(self) -> list:
        return list(
            Permission.objects.filter(
                content_type__app_label="wagtailcore",
                codename__in=[f"{action}_page" for action in OWNER_ACTIONS],
            )
        )

    def _ownership_permissions(self, user) -> list:
        from .models import CourseOwner

        courses = Page.objects.filter(
            pk__in=CourseOwner.objects.filter(user=user).values("course_id")
        )
        entries = []
        for course in courses:
            for permission in self._owner_permissions:
                entry = GroupPagePermission(page=course, permission=permission)
                entry.from_ownership = True
                entries.append(entry)
        return entries

    def user_has_any_permission_for_instance(self, user, actions, instance):
        base = self._base_user_has_permission(user)
        if base is not None:
            return base
        return bool(
            set(actions) & instance.permissions_for_user(user).permissions
            or ("change" in actions and instance.permissions_for_user(user).can_edit())
        )

    def instances_user_has_any_permission_for(self, user, actions):
        base = self._base_queryset_for_user(user)
        if base is not None:
            return base
        pages = self.model._default_manager.none()
        course_content = _course_content_types()
        for perm in self.get_cached_permissions_for_user(user):
            action = perm.permission.codename.rsplit("_", maxsplit=1)[0]
            if action == "add" and "add" not in actions and "change" in actions:
                if getattr(perm, "from_ownership", False):
                    continue  # owners hold "change" as well
                scope = self.model._default_manager.descendant_of(perm.page, inclusive=True)
                scope = scope.filter(owner=user)
            elif action in actions:
                scope = self.model._default_manager.descendant_of(perm.page, inclusive=True)
            else:
                continue
            if not _counts_inside_courses(perm):
                scope = scope.exclude(content_type__in=course_content)
            pages |= scope
        return pages


def _course_content_types() -> list[int]:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import get_page_models

    models = [m for m in get_page_models() if issubclass(m, CourseContent)]
    return [ct.pk for ct in ContentType.objects.get_for_models(*models).values()]
