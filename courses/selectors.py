"""Reads for the courses app. Each function runs a fixed number of queries, whatever the
number of courses, lessons or enrolments involved."""

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import (
    Assignment,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LearningPath,
    LessonPage,
    ModulePage,
    StepCompletion,
)
from .steps import step_models

STEP = 4  # treebeard's materialised-path step length used by Wagtail


def course_of_page(*, page_id) -> CoursePage | None:
    """The course a page belongs to (the course itself, or the course above a module,
    lesson or quiz); None for pages outside courses and for unknown ids."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).only("path", "depth").first()
    if page is None:
        return None
    return CoursePage.objects.ancestor_of(page, inclusive=True).first()


def user_manages_course(*, user, course: CoursePage) -> bool:
    """The one check for trainer work on a course (editing, publishing, previewing,
    reports, results, exports): its owners and administrators (courses.permissions)."""
    return bool(user.is_authenticated and course.permissions_for_user(user).can_edit())


def course_owner_list(*, course: CoursePage) -> list:
    from .models import CourseOwner

    return [
        owner.user
        for owner in CourseOwner.objects.filter(course=course)
        .select_related("user")
        .order_by("user__full_name")
    ]


def courses_owned_by(*, user):
    return CoursePage.objects.filter(owners__user=user).order_by("code")


def pages_in_courses_managed_by(*, user, model):
    """The `model` pages inside the courses `user` works on (as owner); every one for an
    administrator. Two queries, whatever the number of courses."""
    from .items import is_administrator

    pages = model.objects.all()
    if is_administrator(user):
        return pages
    paths = list(courses_owned_by(user=user).values_list("path", flat=True))
    if not paths:
        return pages.none()
    inside = Q()
    for path in paths:
        inside |= Q(path__startswith=path)
    return pages.filter(inside)


def user_may_preview(*, request, course) -> bool:
    """Those who may edit a course (its owners, administrators) open its lessons without
    enrolling, once this session has passed the two-factor step like any staff area."""
    from accounts.selectors import session_passed_mfa

    user = request.user
    return (
        user.is_authenticated
        # Trainees have no admin access: no page-permission queries for them.
        and user.has_perm("wagtailadmin.access_admin")
        and user_manages_course(user=user, course=course)
        and session_passed_mfa(request=request)
    )


STEP_FIELDS = (
    "id",
    "title",
    "slug",
    "path",
    "depth",
    "url_path",
    "is_required",
    "estimated_minutes",
)


def course_steps(*, course: CoursePage) -> list:
    """The live steps of a course in reading order: one query per step type."""
    steps = []
    for model in step_models():
        steps.extend(model.objects.live().descendant_of(course).only(*STEP_FIELDS))
    return sorted(steps, key=lambda step: step.path)


def course_of_lesson(*, lesson: LessonPage) -> CoursePage | None:
    return CoursePage.objects.ancestor_of(lesson).first()


def lesson_in_course(*, lesson: LessonPage, course: CoursePage) -> bool:
    return lesson.path.startswith(course.path) and lesson.depth > course.depth


def enrolment_for(*, user, course: CoursePage) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course=course).first()


def active_enrolment(*, user, course: CoursePage) -> Enrolment | None:
    """The user's enrolment in the course unless they left it."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(user=user, course=course)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .first()
    )


def active_enrolment_in(*, user, course_id: int) -> Enrolment | None:
    """The user's enrolment in the course (by id) unless they left it."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(user=user, course_id=course_id)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .first()
    )


PROGRESS_SECONDS = 10 * 60  # the bound for a change made without the models' signals
PROGRESS_COURSES = 20  # courses kept in one trainee's entry (the last read)


def enrolment_progress(*, user, course_id: int) -> tuple[Enrolment | None, set[int]]:
    """The user's enrolment in the course (a withdrawn one too) and the steps it completed,
    from the cache, tagged with the trainee's progress version (courses.learnercache), which
    every save or delete of their enrolments bumps; a step is completed, a course restarted
    or left only with its enrolment saved (courses.services). An entry of another version,
    or not theirs, is read afresh. Each read is its own copy.

    One entry per trainee holds the courses they read under that version (the version is
    theirs, not the course's, so the courses' rows go out of date together): its key is
    known from the user alone, so a page reads it in the round trip that reads the session's
    user (ops.requestcache)."""
    if not user.is_authenticated:
        return None, set()
    from django.core.cache import cache

    from .learnercache import PROGRESS_ENTRY_KEY, progress_version_with

    course_id = int(course_id)
    key = PROGRESS_ENTRY_KEY.format(user.pk)
    version, found = progress_version_with(user.pk, key)
    courses = found[1] if _progress_entry_of(found, version) else {}
    hit = courses.get(course_id)
    if hit is None or (
        hit[0] is not None and (hit[0].user_id, hit[0].course_id) != (user.pk, course_id)
    ):
        enrolment = Enrolment.objects.filter(user=user, course_id=course_id).first()
        hit = (enrolment, frozenset(completed_step_ids(enrolment=enrolment)))
        courses = {k: v for k, v in courses.items() if k != course_id}
        courses = dict(list(courses.items())[-(PROGRESS_COURSES - 1) :])
        courses[course_id] = hit
        cache.set(key, (version, courses), PROGRESS_SECONDS)
    enrolment, completed = hit
    return enrolment, set(completed)


def _progress_entry_of(found, version) -> bool:
    return (
        isinstance(found, tuple)
        and len(found) == 2
        and found[0] == version
        and isinstance(found[1], dict)
    )


def active_enrolment_progress(*, user, course_id: int) -> tuple[Enrolment | None, set[int]]:
    """enrolment_progress without an enrolment the trainee left."""
    enrolment, completed = enrolment_progress(user=user, course_id=course_id)
    if enrolment is None or enrolment.status == EnrolmentStatus.WITHDRAWN:
        return None, set()
    return enrolment, completed


def completed_step_ids(*, enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(StepCompletion.objects.filter(enrolment=enrolment).values_list("step_id", flat=True))


def progress_percent(*, lessons: list[LessonPage], completed_ids: set[int]) -> int:
    required = [lesson.pk for lesson in lessons if lesson.is_required]
    if not required:
        return 100
    done = sum(1 for pk in required if pk in completed_ids)
    return done * 100 // len(required)


def continue_lesson(
    *, enrolment: Enrolment | None, lessons: list[LessonPage], completed_ids: set[int]
) -> LessonPage | None:
    """Where "continue" should take the trainee: the lesson they were reading if they have
    not finished it, else the first lesson they have not completed, else the first lesson."""
    if not lessons:
        return None
    if enrolment and enrolment.last_step_id and enrolment.last_step_id not in completed_ids:
        for lesson in lessons:
            if lesson.pk == enrolment.last_step_id:
                return lesson
    for lesson in lessons:
        if lesson.pk not in completed_ids:
            return lesson
    return lessons[0]


def completed_course_ids(*, user) -> set[int]:
    return set(
        Enrolment.objects.filter(user=user, status=EnrolmentStatus.COMPLETED).values_list(
            "course_id", flat=True
        )
    )


def unmet_prerequisites(*, user, course: CoursePage) -> list[CoursePage]:
    prerequisites = list(course.prerequisites.all())
    if not prerequisites:
        return []
    done = completed_course_ids(user=user) if user.is_authenticated else set()
    return [p for p in prerequisites if p.pk not in done]


def assignment_q(*, user) -> Q:
    """Assignments that reach this user: personally, through their organisation or any
    organisation above it, or through one of their groups."""
    q = Q(user=user) | Q(group__in=user.groups.all())
    if user.organisation_id:
        org_path = user.organisation.path
        ancestors = [org_path[:i] for i in range(STEP, len(org_path) + 1, STEP)]
        q |= Q(organisation__path__in=ancestors)
    return q


def role_path_for(*, user) -> LearningPath | None:
    if not user.job_role:
        return None
    return LearningPath.objects.filter(job_role=user.job_role).first()


def course_is_assigned(*, user, course: CoursePage) -> bool:
    if not user.is_authenticated:
        return False
    direct = Assignment.objects.filter(assignment_q(user=user)).filter(
        Q(course=course) | Q(path__path_courses__course=course)
    )
    if direct.exists():
        return True
    return LearningPath.objects.filter(job_role=user.job_role, path_courses__course=course).exists()


def course_overview_for(*, user, course: CoursePage, request=None) -> dict:
    from .positions import positions_apply

    outline = course_outline(course=course)
    lessons = list(outline.steps)
    enrolment, completed_ids = enrolment_progress(user=user, course_id=course.pk)
    active = enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN
    positions_apply([enrolment])
    completed_ids = completed_ids if active else set()
    # The live course's prerequisites are in its cached outline: none, no query (a preview
    # shows the draft's own).
    has_prerequisites = bool(outline.prerequisite_ids) or getattr(request, "is_preview", False)
    unmet = (
        unmet_prerequisites(user=user, course=course)
        if user.is_authenticated and has_prerequisites
        else []
    )
    assigned = course_is_assigned(user=user, course=course) if not active else False
    may_preview = (
        request is not None and not active and user_may_preview(request=request, course=course)
    )
    return {
        "enrolment": enrolment if active else None,
        # The outline is the same for everyone who sees it with (or without) links: the
        # course page renders it once (a {% pagecache %}) and joins in the learner's own
        # "Completed" badges, so its sections are worked out only then (the template calls
        # the function).
        "sections": functools.partial(outline_sections, outline=outline),
        "outline_links": active or may_preview,
        "completed_ids": completed_ids,
        "lesson_count": len(lessons),
        "progress": max(
            enrolment.progress_percent if active else 0,
            progress_percent(lessons=lessons, completed_ids=completed_ids) if active else 0,
        ),
        "continue_lesson": continue_lesson(
            enrolment=enrolment, lessons=lessons, completed_ids=completed_ids
        )
        if active
        else None,
        "unmet_prerequisites": unmet,
        "can_enrol": not active and not unmet and (course.self_enrolment or assigned),
        "can_leave": active
        and enrolment.source == "self"
        and enrolment.status == EnrolmentStatus.ACTIVE,
        # An enrolled learner opens the lessons anyway: no permission queries for them.
        "may_preview": may_preview,
    }


def outline_sections(*, outline: "CourseOutline") -> list[dict]:
    """The outline's lessons in runs of the same module (none for lessons outside one)."""
    sections: list[dict] = []
    for lesson in outline.steps:
        module = outline.modules.get(lesson.path[:-STEP])
        if not sections or sections[-1]["module"] != module:
            sections.append({"module": module, "lessons": []})
        sections[-1]["lessons"].append(lesson)
    return sections


@dataclass(frozen=True)
class CourseSummary:
    """A live course of the catalogue as its cards show it (no model instance)."""

    pk: int
    title: str
    url: str
    code: str
    summary: str
    is_required: bool
    estimated_hours: object
    target_job_roles: tuple

    def get_url(self, request=None) -> str:
        return self.url


def catalogue_courses(*, catalogue: CourseIndexPage) -> list[CourseSummary]:
    """The catalogue's live courses by title, the same for everyone: from the cache until
    content changes (a publish, unpublish, move or delete makes a new generation)."""
    from content.rendercache import cached_get, cached_set, generation

    key = f"courses:catalogue:{catalogue.pk}:{generation()}"
    courses = cached_get(key)
    if courses is None:
        courses = [
            CourseSummary(
                pk=course.pk,
                title=course.title,
                url=course.get_url(),
                code=course.code,
                summary=course.summary,
                is_required=course.is_required,
                estimated_hours=course.estimated_hours,
                target_job_roles=tuple(course.target_job_roles or ()),
            )
            for course in CoursePage.objects.live().child_of(catalogue).order_by("title")
        ]
        cached_set(key, courses)
    return courses


def catalogue_role(*, user, role: str | None = None) -> str:
    """The job role a catalogue shows courses for: the one asked for (the filter), else the
    trainee's own; "" for all roles (also for anything that is not a role)."""
    from accounts.models import JobRole

    if role is None and user.is_authenticated and user.job_role != JobRole.OTHER:
        role = user.job_role
    return role if role and role in JobRole.values else ""


def catalogue_for(*, user, catalogue: CourseIndexPage, role: str | None = None) -> dict:
    from accounts.models import JobRole

    role = catalogue_role(user=user, role=role)
    courses = catalogue_courses(catalogue=catalogue)
    if role:
        # Filtered in Python: JSON containment is not portable to SQLite (`make run`).
        courses = [c for c in courses if not c.target_job_roles or role in c.target_job_roles]
    return {"courses": courses, "role": role, "roles": JobRole.choices}


@dataclass
class PathItem:
    course: CoursePage
    enrolment: Enrolment | None


@dataclass
class AssignedEntry:
    title: str
    due_date: date | None
    items: list[PathItem] = field(default_factory=list)
    is_path: bool = True
    key: str = ""  # "path-<id>" or "course-<id>": one entry per key, stable for calendars

    @property
    def is_done(self) -> bool:
        return all(i.enrolment is not None and i.enrolment.is_completed for i in self.items)

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None and self.due_date < timezone.localdate() and not self.is_done
        )

    @property
    def completed_count(self) -> int:
        return sum(1 for i in self.items if i.enrolment is not None and i.enrolment.is_completed)


def dashboard_for(*, user) -> dict:
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("course")
        .order_by("-enrolled_at")
    )
    from .positions import positions_apply

    positions_apply(enrolments)  # where the trainee was last, cached since the last flush
    enrolments.sort(key=lambda e: e.last_activity_at or e.enrolled_at, reverse=True)
    by_course = {e.course_id: e for e in enrolments}

    entries = assigned_for(user=user, by_course=by_course)

    in_progress = [e for e in enrolments if e.status == EnrolmentStatus.ACTIVE]
    completed = sorted(
        (e for e in enrolments if e.status == EnrolmentStatus.COMPLETED),
        key=lambda e: e.completed_at,
        reverse=True,
    )
    catalogue = CourseIndexPage.objects.live().first()
    suggestions = []
    if catalogue is not None:
        suggestions = [
            c
            for c in catalogue_for(user=user, catalogue=catalogue)["courses"]
            if c.pk not in by_course
        ]
    return {
        "assigned": entries,
        "in_progress": in_progress,
        "recently_completed": completed[:5],
        "suggested_courses": suggestions,
        "catalogue": catalogue,
    }


def assigned_for(*, user, by_course: dict | None = None) -> list[AssignedEntry]:
    """What is assigned to the person, with its due date, as the dashboard shows it (and
    the calendar feed publishes it): their role's path first (due `due_days` after they
    joined or the path was made, whichever is later, counted in local days), then
    assignments to them, their unit or group, by due date. `by_course` maps a course id to
    the person's enrolment in it (their active and completed ones when not given)."""
    if by_course is None:
        by_course = {
            e.course_id: e
            for e in Enrolment.objects.filter(user=user).exclude(status=EnrolmentStatus.WITHDRAWN)
        }
    assignments = list(
        Assignment.objects.filter(assignment_q(user=user))
        .select_related("course", "path")
        .prefetch_related("path__path_courses__course")
        .order_by("due_date", "created_at")
    )
    role_path = (
        LearningPath.objects.filter(job_role=user.job_role)
        .prefetch_related("path_courses__course")
        .first()
        if user.job_role
        else None
    )

    entries: list[AssignedEntry] = []
    seen_paths: set[int] = set()
    seen_courses: set[int] = set()
    if role_path is not None:
        start = max(user.date_joined, role_path.created_at)
        due = (
            timezone.localtime(start).date() + timedelta(days=role_path.due_days)
            if role_path.due_days
            else None
        )
        entries.append(_path_entry(role_path, due, by_course))
        seen_paths.add(role_path.pk)
    for assignment in assignments:
        if assignment.path_id:
            if assignment.path_id in seen_paths:
                continue
            seen_paths.add(assignment.path_id)
            entries.append(_path_entry(assignment.path, assignment.due_date, by_course))
        elif assignment.course.live and assignment.course_id not in seen_courses:
            seen_courses.add(assignment.course_id)  # the earliest due of its assignments
            entries.append(
                AssignedEntry(
                    title=assignment.course.title,
                    due_date=assignment.due_date,
                    items=[PathItem(assignment.course, by_course.get(assignment.course_id))],
                    is_path=False,
                    key=f"course-{assignment.course_id}",
                )
            )
    return entries


def _path_entry(path: LearningPath, due: date | None, by_course: dict) -> AssignedEntry:
    items = [
        PathItem(pc.course, by_course.get(pc.course_id))
        for pc in path.path_courses.all()
        if pc.course.live
    ]
    return AssignedEntry(title=path.name, due_date=due, items=items, key=f"path-{path.pk}")


def course_learners(*, course: CoursePage):
    """Everyone enrolled in a course, for the trainer's report."""
    return (
        Enrolment.objects.filter(course=course)
        .select_related("user", "user__organisation")
        .order_by("user__full_name")
    )


def lesson_activity_results(*, lesson):
    """Each learner's result per H5P activity of a lesson: attempts, best score, time."""
    from .models import ActivityResult

    return ActivityResult.objects.filter(lesson=lesson).select_related(
        "user", "user__organisation", "activity"
    )


# --- cached outlines: the same for every trainee, cached until content changes -------------


@dataclass(frozen=True)
class OutlineStep:
    """A live step of a course, as outlines and navigation show it (no model instance)."""

    pk: int
    title: str
    url: str
    estimated_minutes: int
    is_required: bool
    path: str

    @property
    def id(self) -> int:
        return self.pk

    def get_url(self, request=None) -> str:
        return self.url


@dataclass(frozen=True)
class OutlineModule:
    pk: int
    title: str


@dataclass(frozen=True)
class CourseOutline:
    pk: int
    title: str
    url: str
    path: str
    steps: tuple[OutlineStep, ...]
    modules: dict  # module path -> OutlineModule
    prerequisite_ids: tuple[int, ...] = ()

    def get_url(self, request=None) -> str:
        return self.url


def _outline_key(course_id: int) -> str:
    from content.rendercache import generation

    return f"courses:outline:{course_id}:{generation()}"


def course_outline(*, course: CoursePage) -> CourseOutline:
    """The course's live steps and modules in reading order, from the cache (a publish,
    unpublish, move or delete anywhere makes a new one)."""
    from content import rendercache

    key = _outline_key(course.pk)
    outline = rendercache.cached_get(key)
    if outline is None:
        steps = tuple(
            OutlineStep(
                pk=step.pk,
                title=step.title,
                url=step.get_url(),
                estimated_minutes=step.estimated_minutes,
                is_required=step.is_required,
                path=step.path,
            )
            for step in course_steps(course=course)
        )
        modules = {
            m.path: OutlineModule(pk=m.pk, title=m.title)
            for m in ModulePage.objects.live().child_of(course).only("id", "title", "path")
        }
        outline = CourseOutline(
            pk=course.pk,
            title=course.title,
            url=course.get_url(),
            path=course.path,
            steps=steps,
            modules=modules,
            prerequisite_ids=tuple(
                CoursePage.objects.filter(required_for=course).values_list("pk", flat=True)
            ),
        )
        rendercache.cached_set(key, outline)
    return outline


def lesson_outline(*, lesson) -> CourseOutline | None:
    """The outline of the course a lesson (or quiz) belongs to; no query when cached."""
    from content import rendercache

    if lesson.pk is None:  # the admin's preview of a page not saved yet
        course = course_of_lesson(lesson=lesson)
        return course_outline(course=course) if course is not None else None
    key = f"courses:course-of:{lesson.pk}:{rendercache.generation()}"
    course_id = rendercache.cached_get(key)
    if course_id is not None:
        outline = rendercache.cached_get(_outline_key(course_id))
        if outline is not None:
            return outline
    course = course_of_lesson(lesson=lesson)
    if course is None:
        return None
    rendercache.cached_set(key, course.pk)
    return course_outline(course=course)
