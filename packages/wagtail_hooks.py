from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from courses.models import CoursePage

from .admin_views import IMPORT_PERMISSION, ImportDetailView, ImportIndexView, course_export


@hooks.register("register_admin_urls")
def register_package_urls():
    return [
        path("course-packages/", ImportIndexView.as_view(), name="packages_index"),
        path(
            "course-packages/<int:import_id>/", ImportDetailView.as_view(), name="packages_import"
        ),
        path("courses/<int:page_id>/export/", course_export, name="packages_course_export"),
    ]


class _PackagesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(IMPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_packages_menu_item():
    return _PackagesMenuItem(
        _("Course packages"), reverse("packages_index"), icon_name="download", order=215
    )


@hooks.register("register_page_header_buttons")
def export_button(page, user, view_name, next_url=None):
    if (
        isinstance(page.specific_deferred, CoursePage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            _("Export as a package"),
            reverse("packages_course_export", args=[page.pk]),
            icon_name="download",
            priority=45,
        )
