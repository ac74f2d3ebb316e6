"""Writes for the courses app: enrolment and progress. Other apps call these."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    LessonPage,
    StepCompletion,
)
from .selectors import (
    course_is_assigned,
    course_steps,
    lesson_in_course,
    progress_percent,
    unmet_prerequisites,
)
from .signals import course_completed, course_completion_recorded, course_copied


class CourseError(Exception):
    """A request the trainee can fix; the message is shown to them."""


@transaction.atomic
def enrolment_create(*, user, course: CoursePage) -> Enrolment:
    """Enrol a trainee who chose the course, or who was assigned it."""
    if not course.live:
        raise CourseError(_("This course is not open."))
    assigned = course_is_assigned(user=user, course=course)
    if not course.self_enrolment and not assigned:
        raise CourseError(_("This course is open by assignment only."))
    unmet = unmet_prerequisites(user=user, course=course)
    if unmet:
        raise CourseError(
            _("Complete these courses first: %(courses)s.")
            % {"courses": "; ".join(c.title for c in unmet)}
        )
    source = EnrolmentSource.ASSIGNMENT if assigned else EnrolmentSource.SELF
    enrolment, created = Enrolment.objects.select_for_update().get_or_create(
        user=user, course=course, defaults={"source": source}
    )
    if not created and enrolment.status == EnrolmentStatus.WITHDRAWN:
        # Coming back restores earlier progress rather than starting again.
        enrolment.status = (
            EnrolmentStatus.COMPLETED if enrolment.completed_at else EnrolmentStatus.ACTIVE
        )
        enrolment.source = source
        enrolment.save(update_fields=["status", "source"])
    return enrolment


@transaction.atomic
def enrolment_leave(*, user, course: CoursePage) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if enrolment is None or enrolment.status != EnrolmentStatus.ACTIVE:
        raise CourseError(_("You are not taking this course."))
    if enrolment.source != EnrolmentSource.SELF:
        raise CourseError(_("This course was assigned to you, so you cannot leave it."))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status"])
    return enrolment


@transaction.atomic
def enrolment_restart(*, user, course: CoursePage) -> Enrolment:
    """Take a finished course again (e.g. to renew a certificate that expires). The earlier
    completion stays on record in what it produced (certificates keep their own copy);
    completing again is a new completion, with a new date."""
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course=course, status=EnrolmentStatus.COMPLETED)
        .first()
    )
    if enrolment is None:
        raise CourseError(_("Only a completed course can be taken again."))
    StepCompletion.objects.filter(enrolment=enrolment).delete()
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.completed_at = None
    enrolment.progress_percent = 0
    enrolment.last_step = None
    enrolment.save(update_fields=["status", "completed_at", "progress_percent", "last_step"])
    return enrolment


def enrolment_touch(*, enrolment: Enrolment, step) -> None:
    """Remember where the trainee is, for "continue where you left off": in the cache,
    without a database write (courses.positions)."""
    from .positions import position_remember

    position_remember(enrolment=enrolment, step=step)


@dataclass
class CompletionResult:
    enrolment: Enrolment
    lesson_newly_completed: bool
    course_newly_completed: bool


def _apply_progress(enrolment: Enrolment, course: CoursePage, now) -> bool:
    """Recompute progress under the row lock; completes the course when every required
    lesson is done. Returns True when this call completed the course."""
    lessons = course_steps(course=course)
    done = set(StepCompletion.objects.filter(enrolment=enrolment).values_list("step_id", flat=True))
    percent = progress_percent(lessons=lessons, completed_ids=done)
    enrolment.progress_percent = max(enrolment.progress_percent, percent)
    if enrolment.status == EnrolmentStatus.ACTIVE and percent == 100:
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.completed_at = now
        enrolment.progress_percent = 100
        return True
    return False


def _completion_announce(enrolment: Enrolment, course: CoursePage) -> None:
    """After the completed enrolment is saved, in its transaction: receivers of
    course_completion_recorded write with it; course_completed follows the commit."""
    details = {
        "sender": Enrolment,
        "user": enrolment.user,
        "course": course,
        "enrolment": enrolment,
        "completed_at": enrolment.completed_at,
    }
    course_completion_recorded.send(**details)
    transaction.on_commit(lambda: course_completed.send(**details))


def lesson_complete(*, user, course: CoursePage, lesson: LessonPage) -> CompletionResult:
    """A trainee marks a lesson complete (only steps that allow it)."""
    if not getattr(lesson.specific_class, "manual_completion", False):
        raise CourseError(_("This step completes by itself when you pass it."))
    from .activities import required_activities_passed

    if not required_activities_passed(user=user, lesson=lesson.specific):
        raise CourseError(_("Complete this lesson's interactive activities first."))
    return step_complete(user=user, course=course, step=lesson)


@transaction.atomic
def step_complete(*, user, course: CoursePage, step) -> CompletionResult:
    """Record a completed step. Idempotent: a double click or a retried call records it
    once. Completing the last required step completes the course in this transaction."""
    lesson = step
    if not lesson.live or not lesson_in_course(lesson=lesson, course=course):
        raise CourseError(_("This lesson is not part of this course."))
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course=course)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .first()
    )
    if enrolment is None:
        raise CourseError(_("Enrol in the course before completing its lessons."))
    now = timezone.now()
    created = StepCompletion.objects.get_or_create(enrolment=enrolment, step_id=lesson.pk)[1]
    enrolment.last_step_id = lesson.pk
    enrolment.last_activity_at = now
    course_done = _apply_progress(enrolment, course, now)
    enrolment.save(
        update_fields=[
            "progress_percent",
            "status",
            "completed_at",
            "last_step",
            "last_activity_at",
        ]
    )
    if course_done:
        _completion_announce(enrolment, course)
    return CompletionResult(enrolment, created, course_done)


@transaction.atomic
def enrolment_recheck(*, enrolment: Enrolment) -> bool:
    """Complete an enrolment whose remaining required lessons were all done before a
    trainer removed the others (see course_progress_recheck)."""
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.status != EnrolmentStatus.ACTIVE:
        return False
    done = _apply_progress(locked, locked.course, timezone.now())
    locked.save(update_fields=["progress_percent", "status", "completed_at"])
    if done:
        _completion_announce(locked, locked.course)
    enrolment.refresh_from_db()
    return done


def course_progress_recheck(*, course: CoursePage) -> int:
    """After a course's structure changed (a step published, unpublished, moved, deleted or
    made optional): recheck the active enrolments whose progress the change raised, and
    complete those it finished. One aggregate query finds them, whatever the number of
    learners; returns how many were rechecked. Run by a task when a trainer publishes
    (courses.receivers) and hourly by the `recheck_course_progress` job, never on a GET."""
    from django.db.models import Count, Q

    course = CoursePage.objects.filter(pk=course.pk).first()
    if course is None:
        return 0
    required = [step.pk for step in course_steps(course=course) if step.is_required]
    active = Enrolment.objects.filter(course=course, status=EnrolmentStatus.ACTIVE)
    if required:
        rows = active.annotate(
            done=Count("completions", filter=Q(completions__step_id__in=required))
        ).values_list("pk", "progress_percent", "done")
        stale = [pk for pk, saved, done in rows if done * 100 // len(required) > saved]
    else:
        stale = list(active.values_list("pk", flat=True))
    for enrolment in Enrolment.objects.filter(pk__in=stale):
        enrolment_recheck(enrolment=enrolment)
    return len(stale)


def course_catalogue_ensure(*, home, title: str) -> CourseIndexPage:
    """The catalogue page under the home page, where trainers may add courses (and only
    that: inside a course, rights come from owning it; see courses.permissions)."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    from accounts.roles import TRAINER

    catalogue = CourseIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = home.add_child(instance=CourseIndexPage(title=title, slug="khoa-hoc"))
    trainer_group = Group.objects.get_or_create(name=TRAINER)[0]
    GroupPagePermission.objects.get_or_create(
        group=trainer_group,
        page=catalogue,
        permission__codename="add_page",
        defaults={"permission": _page_permission("add_page")},
    )
    # Earlier versions let every trainer change and publish every course from here.
    GroupPagePermission.objects.filter(group=trainer_group, page=catalogue).exclude(
        permission__codename="add_page"
    ).delete()
    return catalogue


def _page_permission(codename: str):
    from django.contrib.auth.models import Permission

    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


class CourseCopyError(ValueError):
    pass


@transaction.atomic
def course_copy(*, course: CoursePage, code: str, title: str, user) -> CoursePage:
    """A new draft of `course` with its modules, lessons and quizzes (their latest drafts),
    under the same catalogue, with a new code and title. Enrolments, progress and results
    stay with the original; lesson keys are not copied (a key names one lesson)."""
    from content.keys import ascii_slug

    code = code.strip()
    if not code or CoursePage.objects.filter(code=code).exists():
        raise CourseCopyError(_("A course with the code %(code)s already exists.") % {"code": code})
    catalogue = course.get_parent()
    if user is not None and not (
        catalogue.permissions_for_user(user).can_add_subpage()
        and course.permissions_for_user(user).can_edit()
    ):
        raise PermissionError("may not copy this course into this catalogue")
    base = ascii_slug(f"{code} {title}") or ascii_slug(code) or "khoa-hoc"
    taken = set(catalogue.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    copy = course.copy(
        recursive=True,
        to=catalogue,
        update_attrs={"title": title, "draft_title": title, "slug": slug, "code": code},
        keep_live=False,
        user=user,
        log_action="wagtail.copy",
    ).specific
    course_copied.send(sender=CoursePage, original=course, copy=copy, user=user)
    return copy


class CourseOwnershipError(ValueError):
    """A refused ownership change; the message is shown to the administrator."""


def may_manage_course_owners(user) -> bool:
    """Only administrators add or remove course owners."""
    from accounts.roles import ADMINISTRATOR

    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists())
    )


def forget_page_permissions(user) -> None:
    """Wagtail keeps a user's page permissions on the user object for the rest of the
    request. An ownership change must reach the checks still to come in the same request:
    the create view publishes the course its creator has owned since a moment ago (and a
    package import publishes the courses it has just made), asking again for rights first
    worked out before that ownership existed."""
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    name = policy_registry.get_by_type(Page).permission_cache_name
    if name and hasattr(user, name):
        delattr(user, name)


@transaction.atomic
def course_owner_add(*, course: CoursePage, user, by=None, reason: str = "", request=None):
    """Make `user` an owner of `course` (idempotent), with an audit entry. `by` is the
    administrator who adds them; None when the platform does (the creator of a course)."""
    from audit.services import audit_record

    from .models import CourseOwner

    if by is not None and not may_manage_course_owners(by):
        raise PermissionError("only administrators change course owners")
    if by is not None and not (user.is_active and user.has_perm("wagtailadmin.access_admin")):
        raise CourseOwnershipError(
            _("%(person)s is not a trainer: only trainers can own a course.") % {"person": user}
        )
    owner, created = CourseOwner.objects.get_or_create(
        course=course, user=user, defaults={"added_by": by}
    )
    if created:
        forget_page_permissions(user)
        audit_record(
            action="course.owner_added",
            actor=by or user,
            target=course,
            summary=_("%(person)s now owns %(course)s") % {"person": user, "course": course},
            data={"owner_id": user.pk, "owner_email": user.email, "reason": reason},
            request=request,
        )
    return owner


@transaction.atomic
def course_owner_remove(*, course: CoursePage, user, by, request=None) -> bool:
    """Take `user` off the owners of `course`, with an audit entry. True if they were one."""
    from audit.services import audit_record

    from .models import CourseOwner

    if not may_manage_course_owners(by):
        raise PermissionError("only administrators change course owners")
    deleted, _count = CourseOwner.objects.filter(course=course, user=user).delete()
    if deleted:
        forget_page_permissions(user)
        audit_record(
            action="course.owner_removed",
            actor=by,
            target=course,
            summary=_("%(person)s no longer owns %(course)s") % {"person": user, "course": course},
            data={"owner_id": user.pk, "owner_email": user.email},
            request=request,
        )
    return bool(deleted)


def user_path_assignment_ensure(*, user, path, due_date, assigned_by=None):
    """Assign a learning path to one person (e.g. their role's path when HR sets the role),
    unless it is already assigned to them personally. Returns (assignment, created)."""
    from .models import Assignment

    existing = Assignment.objects.filter(user=user, path=path).first()
    if existing is not None:
        return existing, False
    return (
        Assignment.objects.create(user=user, path=path, due_date=due_date, assigned_by=assigned_by),
        True,
    )
