from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from .admin_views import (
    AssignmentViewSet,
    CourseCopyView,
    CourseLearnersView,
    CourseOwnersView,
    LearningPathViewSet,
    LessonActivitiesView,
)
from .models import CoursePage, LessonPage

register_snippet(LearningPathViewSet)


@hooks.register("register_admin_viewset")
def register_assignment_viewset():
    return AssignmentViewSet("assignments")


@hooks.register("register_admin_urls")
def register_learner_report_urls():
    return [
        path(
            "courses/<int:page_id>/learners/",
            CourseLearnersView.as_view(),
            name="courses_learners",
        ),
        path("courses/<int:page_id>/copy/", CourseCopyView.as_view(), name="courses_copy"),
        path("courses/<int:page_id>/owners/", CourseOwnersView.as_view(), name="courses_owners"),
        path(
            "courses/<int:page_id>/learners/results/",
            CourseLearnersView.as_view(results_only=True),
            name="courses_learners_results",
        ),
        path(
            "lessons/<int:page_id>/activities/",
            LessonActivitiesView.as_view(),
            name="courses_lesson_activities",
        ),
        path(
            "lessons/<int:page_id>/activities/results/",
            LessonActivitiesView.as_view(results_only=True),
            name="courses_lesson_activities_results",
        ),
    ]


@hooks.register("register_page_header_buttons")
def learners_button(page, user, view_name, next_url=None):
    if (
        isinstance(page.specific_deferred, CoursePage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            _("Learners"),
            reverse("courses_learners", args=[page.pk]),
            icon_name="group",
            priority=40,
        )


@hooks.register("register_page_header_buttons")
def copy_course_button(page, user, view_name, next_url=None):
    if (
        isinstance(page.specific_deferred, CoursePage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            _("Copy course"),
            reverse("courses_copy", args=[page.pk]),
            icon_name="copy",
            priority=42,
        )


@hooks.register("before_copy_page")
def copy_courses_with_a_new_code(request, page):
    """Wagtail's own copy would keep the course code, which must be unique: courses are
    copied by our view, which asks for the new code."""
    if isinstance(page.specific_deferred, CoursePage):
        return redirect("courses_copy", page.pk)
    return None


@hooks.register("register_page_header_buttons")
def lesson_activities_button(page, user, view_name, next_url=None):
    if (
        isinstance(page.specific_deferred, LessonPage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            _("Activity results"),
            reverse("courses_lesson_activities", args=[page.pk]),
            icon_name="pick",
            priority=45,
        )


@hooks.register("register_page_header_buttons")
def course_owners_button(page, user, view_name, next_url=None):
    from .services import may_manage_course_owners

    if isinstance(page.specific_deferred, CoursePage) and may_manage_course_owners(user):
        yield Button(
            _("Owners"),
            reverse("courses_owners", args=[page.pk]),
            icon_name="user",
            priority=43,
        )
