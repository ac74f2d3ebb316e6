"""One guard in front of every admin URL about a page inside a course."""

from django.http import JsonResponse
from django.template.response import TemplateResponse

from .selectors import course_of_page, course_owner_list, user_manages_course

# The URL arguments through which admin views (Wagtail's and ours) name a page.
PAGE_ARGUMENTS = ("page_id", "parent_page_id", "course_id", "lesson_id", "quiz_id")
# Choosers list pages to link to (titles of published pages): no work on a course.
OPEN_VIEWS = frozenset({"wagtailadmin_choose_page_child"})


class CourseOwnershipGuardMiddleware:
    """Also refuses every admin URL naming an object registered in courses.items (bank
    items, certificate templates, training sessions) to those its rule leaves out.

    Refuses, before any view runs, every admin URL naming a page inside a course (the
    course page, its modules, lessons and quizzes: editor, preview, history, revisions,
    workflow, moves, copies, reports, results, exports) to anyone who is neither an owner
    of that course nor an administrator — and tells them plainly whose course it is.
    Wagtail's page permissions (courses.permissions) refuse the same people again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith("/admin/") or not request.user.is_authenticated:
            return None
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        for name in PAGE_ARGUMENTS:
            value = view_kwargs.get(name)
            if value is None:
                continue
            course = course_of_page(page_id=value) if str(value).isdigit() else None
            if course is not None and not user_manages_course(user=request.user, course=course):
                return not_your_course(request, course)
        if match is not None:
            from .items import refused_object

            refused = refused_object(request, match, view_kwargs)
            if refused is not None:
                return not_your_item(request, refused)
        return None


def not_your_course(request, course):
    from django.utils.translation import gettext as _

    message = _(
        "“%(course)s” is not one of your courses: only its owners and administrators can "
        "work on it. Ask an administrator to add you as an owner."
    ) % {"course": course}
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return JsonResponse({"error": "not_course_owner", "message": message}, status=403)
    return course_refusal(request, course, message, title=_("Not your course"))


def not_your_item(request, name: str):
    """A plain 403 about a bank item (a question, an H5P activity) or another object that
    belongs to someone else (courses.items)."""
    from django.utils.translation import gettext as _

    message = _(
        "“%(item)s” is not yours: only the trainer who made it (or who owns its course) and "
        "administrators can open it, unless it is shared with all trainers. Ask its author "
        "or an administrator."
    ) % {"item": name}
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return JsonResponse({"error": "not_item_owner", "message": message}, status=403)
    return TemplateResponse(
        request,
        "courses/admin/not_your_item.html",
        {"title": _("Not yours"), "message": message, "item": name},
        status=403,
    )


def course_refusal(request, course, message, *, title):
    """A plain 403 page about a course: what was refused and who owns the course."""
    return TemplateResponse(
        request,
        "courses/admin/not_your_course.html",
        {
            "course": course,
            "title": title,
            "message": message,
            "owners": course_owner_list(course=course),
        },
        status=403,
    )
