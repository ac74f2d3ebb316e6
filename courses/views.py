from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import calendar, services
from .activities import required_activities_passed
from .models import CoursePage, LessonPage
from .positions import positions_apply
from .selectors import (
    active_enrolment,
    active_enrolment_progress,
    completed_step_ids,
    continue_lesson,
    course_of_lesson,
    course_steps,
    lesson_outline,
    user_may_preview,
)


def lesson_serve(request, lesson: LessonPage, *, super_serve, args, kwargs):
    """Lessons are for enrolled trainees; trainers and administrators may preview them.
    No database write: the position goes to the cache (courses.positions)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    outline = lesson_outline(lesson=lesson)
    if outline is None:
        raise Http404
    enrolment, completed = active_enrolment_progress(user=request.user, course_id=outline.pk)
    if enrolment is None:
        course = CoursePage.objects.get(pk=outline.pk)
        if not user_may_preview(request=request, course=course):
            messages.warning(request, _("Enrol in the course to open its lessons."))
            return redirect(outline.url)
    else:
        services.enrolment_touch(enrolment=enrolment, step=lesson)
    request.lesson_context = lesson_context(
        request=request, lesson=lesson, outline=outline, enrolment=enrolment, completed=completed
    )
    return super_serve(request, *args, **kwargs)


def lesson_context(
    *, request, lesson: LessonPage, outline, enrolment, completed: set[int] | None = None
) -> dict:
    lessons = list(outline.steps)
    if completed is None:
        completed = completed_step_ids(enrolment=enrolment)
    position = _position(lessons, lesson) or 0
    return {
        "course": outline,
        "enrolment": enrolment,
        "lessons": lessons,
        "completed_ids": completed,
        "is_completed": lesson.pk in completed,
        "previous_lesson": lessons[position - 1] if position > 0 else None,
        "next_lesson": lessons[position + 1] if position + 1 < len(lessons) else None,
        "position": position + 1,
        "is_preview": enrolment is None,
        "activities_pending": enrolment is not None
        and not required_activities_passed(
            user=request.user, lesson=lesson, cached=not getattr(request, "is_preview", False)
        ),
    }


def lesson_preview_context(*, request, lesson: LessonPage) -> dict:
    """The admin's preview renders the lesson without serve(): show it as a preview."""
    outline = lesson_outline(lesson=lesson)
    if outline is None:
        return {}
    return lesson_context(request=request, lesson=lesson, outline=outline, enrolment=None)


def _position(steps: list, step) -> int | None:
    return next((i for i, item in enumerate(steps) if item.pk == step.pk), None)


def _course_or_404(course_id: int) -> CoursePage:
    return get_object_or_404(CoursePage.objects.live(), pk=course_id)


@login_required
@require_POST
def enrol(request, course_id: int):
    course = _course_or_404(course_id)
    try:
        services.enrolment_create(user=request.user, course=course)
    except services.CourseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect(course.get_url(request))


@login_required
@require_POST
def leave(request, course_id: int):
    course = _course_or_404(course_id)
    try:
        services.enrolment_leave(user=request.user, course=course)
    except services.CourseError as error:
        messages.error(request, str(error))
    else:
        messages.info(
            request,
            _("You have left the course. Your progress is kept if you enrol again."),
        )
    return redirect(course.get_url(request))


@login_required
@require_POST
def restart(request, course_id: int):
    course = _course_or_404(course_id)
    try:
        services.enrolment_restart(user=request.user, course=course)
    except services.CourseError as error:
        messages.error(request, str(error))
    else:
        messages.info(
            request, _("You are taking the course again. Completing it renews your certificate.")
        )
    return redirect(course.get_url(request))


@login_required
@require_POST
def complete_lesson(request, course_id: int, lesson_id: int):
    course = _course_or_404(course_id)
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        result = services.lesson_complete(user=request.user, course=course, lesson=lesson)
    except services.CourseError as error:
        messages.error(request, str(error))
        return redirect(course.get_url(request))
    if result.course_newly_completed:
        messages.success(request, _("Congratulations! You have completed this course."))
        return redirect(course.get_url(request))
    if result.lesson_newly_completed:
        messages.success(request, _("Lesson completed."))
    lessons = course_steps(course=course)
    position = _position(lessons, lesson)
    if position is not None and position + 1 < len(lessons):
        return redirect(lessons[position + 1].get_url(request))
    return redirect(course.get_url(request))


@login_required
def continue_course(request, course_id: int):
    course = _course_or_404(course_id)
    enrolment = active_enrolment(user=request.user, course=course)
    if enrolment is None:
        return redirect(course.get_url(request))
    positions_apply([enrolment])
    lessons = course_steps(course=course)
    target = continue_lesson(
        enrolment=enrolment,
        lessons=lessons,
        completed_ids=completed_step_ids(enrolment=enrolment),
    )
    return redirect(target.get_url(request) if target else course.get_url(request))


MAX_STATEMENT_BYTES = 64 * 1024
STATEMENTS_PER_MINUTE = 120  # per learner, every verb counted


def _over_statement_rate(user) -> bool:
    from django.core.cache import cache

    key = f"h5p-statements:{user.pk}"
    cache.add(key, 0, 60)  # a fixed one-minute window from the learner's first statement
    try:
        return cache.incr(key) > STATEMENTS_PER_MINUTE
    except ValueError:  # expired between add and incr
        return False


@login_required
@require_POST
def h5p_statement(request, lesson_id: int, activity_id: int):
    """Receives one xAPI statement relayed from the H5P player on the content origin.
    Anything malformed, oversized, too deep or with impossible numbers gets a 400 and writes
    nothing; more than STATEMENTS_PER_MINUTE from one learner gets a 429."""
    from content.models import H5PContent
    from ops.safeinput import request_json

    from .activities import (
        MAX_STATEMENT_DEPTH,
        StatementRejected,
        statement_parse,
        statement_record,
    )

    if _over_statement_rate(request.user):
        return JsonResponse(
            {"error": "rate_limited", "message": _("Too many results sent; wait a minute.")},
            status=429,
        )
    # Not JSON, too large, too deep, NaN: InputRejected, a 4xx with its message.
    request_json(request, max_bytes=MAX_STATEMENT_BYTES, max_depth=MAX_STATEMENT_DEPTH)
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    activity = get_object_or_404(H5PContent, pk=activity_id, status="ready")
    course = course_of_lesson(lesson=lesson)
    if active_enrolment(user=request.user, course=course) is None:
        return JsonResponse(
            {"error": "not_enrolled", "message": _("Enrol in the course to open its lessons.")},
            status=403,
        )
    try:
        statement = statement_parse(request.body)
        outcome = statement_record(
            user=request.user, lesson=lesson, activity=activity, statement=statement
        )
    except StatementRejected as error:
        return JsonResponse(
            {
                "error": "rejected",
                "reason": str(error),
                "message": _("The activity's result was not accepted: the data sent is invalid."),
            },
            status=400,
        )
    return JsonResponse(outcome)


@require_safe
def calendar_feed(request, feed_token: str):
    """The trainee's due dates for a calendar app: no session, the address is the key."""
    user = calendar.feed_user(feed_token)
    if user is None:
        raise Http404
    response = HttpResponse(
        calendar.feed_ics(user=user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="han-hoc-tap.ics"'
    response["Cache-Control"] = "private, no-transform, max-age=900"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_safe
def calendar_settings(request):
    """The trainee's calendar address: turn it on, renew it, turn it off."""
    context = {}
    feed = calendar.feed_of(request.user)
    if feed is not None:
        address = request.build_absolute_uri(calendar.feed_path(feed))
        context["calendar_url"] = address
        context["calendar_webcal"] = "webcal://" + address.split("://", 1)[1]
    return render(request, "courses/calendar.html", context)


@login_required
@require_POST
def calendar_renew(request):
    had_feed = calendar.feed_of(request.user) is not None
    calendar.feed_renew(user=request.user)
    if had_feed:
        messages.success(
            request,
            _(
                "Your calendar has a new address; the old one no longer works. Subscribe again "
                "with the new address."
            ),
        )
    else:
        messages.success(request, _("Your calendar address is ready; add it to your calendar app."))
    return redirect("courses:calendar")


@login_required
@require_POST
def calendar_stop(request):
    calendar.feed_stop(user=request.user)
    messages.info(
        request,
        _("Your calendar address is turned off; calendars subscribed to it get nothing more."),
    )
    return redirect("courses:calendar")
