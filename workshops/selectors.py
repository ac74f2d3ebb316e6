"""Reads for training sessions. Other apps (certificates, HR reports) use these, not the
models. Each runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from .models import (
    ACTIVE_REGISTRATION,
    ATTENDED,
    Attendance,
    AttendanceStatus,
    Registration,
    RegistrationStatus,
    TrainingSession,
    TrainingSessionPage,
)


def sessions_with_seats(*, step: TrainingSessionPage):
    return (
        TrainingSession.objects.filter(step=step)
        .select_related("organising_unit")
        .prefetch_related("trainers")
        .annotate(
            seats_taken=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            ),
            waiting=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
            ),
        )
        .order_by("starts_at", "pk")
    )


def sessions_upcoming():
    """Sessions not yet started, of live steps, soonest first (for HR's registration form)."""
    return (
        TrainingSession.objects.filter(starts_at__gt=timezone.now(), step__live=True)
        .select_related("step")
        .order_by("starts_at", "pk")
    )


def registration_for(*, user, step: TrainingSessionPage) -> Registration | None:
    """The trainee's active registration for any session of the step."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(user=user, step=step, status__in=ACTIVE_REGISTRATION)
        .select_related("session")
        .first()
    )


def waiting_position(*, registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return Registration.objects.filter(
        session_id=registration.session_id,
        status=RegistrationStatus.WAITLISTED,
        queued_at__lte=registration.queued_at,
    ).count()


def step_overview_for(*, request, step: TrainingSessionPage) -> dict:
    from courses.selectors import (
        active_enrolment,
        completed_step_ids,
        course_of_lesson,
        user_may_preview,
    )

    from .services import checkin_is_open

    user = request.user
    course = course_of_lesson(lesson=step)
    enrolment = active_enrolment(user=user, course=course) if course else None
    registration = registration_for(user=user, step=step)
    attendance = (
        Attendance.objects.filter(user=user, session__step=step).select_related("session").first()
        if user.is_authenticated
        else None
    )
    now = timezone.now()
    sessions = list(sessions_with_seats(step=step))
    for session in sessions:
        session.seats_free = max(session.capacity - session.seats_taken, 0)
        session.is_past = session.starts_at <= now
        session.registration_open = (
            not session.is_past
            and (session.registration_opens_at is None or session.registration_opens_at <= now)
            and now < session.closes_registration_at
        )
    personal_qr = None
    # The personal code is shown on the day (a trainee may screenshot it before going).
    if registration is not None and registration.status == RegistrationStatus.REGISTERED:
        session = registration.session
        if checkin_is_open(session, now) or (
            timezone.localdate(session.starts_at) == timezone.localdate(now)
        ):
            personal_qr = personal_qr_for(request=request, registration=registration)
    return {
        "course": course,
        "enrolment": enrolment,
        "sessions": sessions,
        "registration": registration,
        "waiting_position": waiting_position(registration=registration) if registration else None,
        "may_cancel": registration is not None and now <= registration.session.cancellable_until,
        "attendance": attendance,
        "is_completed": enrolment is not None
        and step.pk in completed_step_ids(enrolment=enrolment),
        "personal_qr": personal_qr,
        "may_preview": course is not None and user_may_preview(request=request, course=course),
    }


def personal_qr_for(*, request, registration: Registration) -> dict:
    """The trainee's own QR: a link the trainer's phone opens to record them."""
    from django.urls import reverse

    from . import qr, tokens

    token = tokens.personal_token(registration_id=registration.pk)
    url = request.build_absolute_uri(reverse("workshops_scan_personal", args=[token]))
    return {"url": url, "svg": qr.svg(url)}


def session_editable_by(*, user, session: TrainingSession) -> bool:
    """Scheduling a session (add, edit, delete, copy) is the work of its course's owners
    and administrators (courses.selectors.user_manages_course)."""
    from courses.selectors import course_of_page, user_manages_course

    if not (user.is_authenticated and user.is_active):
        return False
    course = course_of_page(page_id=session.step_id)
    return course is not None and user_manages_course(user=user, course=course)


def session_manageable_by(*, user, session: TrainingSession) -> bool:
    """Running a session (roster, check-in, attendance, its export): the trainers it names
    (an owner or administrator put them there) and those who may schedule it."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or session.trainers.filter(pk=user.pk).exists():
        return True
    return session_editable_by(user=user, session=session)


def session_steps_editable_by(*, user):
    """The in-person steps of the courses this person owns (every one for administrators)."""
    from courses.selectors import pages_in_courses_managed_by

    return pages_in_courses_managed_by(user=user, model=TrainingSessionPage)


def _with_seats(qs):
    return qs.select_related("step").annotate(
        seats_taken=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        )
    )


def sessions_editable_by(*, user):
    """Sessions of the courses this person owns (all for administrators), soonest first."""
    qs = _with_seats(TrainingSession.objects.all())
    if user.is_superuser:
        return qs.order_by("-starts_at")
    steps = session_steps_editable_by(user=user).values("pk")
    return qs.filter(step_id__in=steps).order_by("-starts_at")


def sessions_managed_by(*, user):
    """Sessions the person leads or whose course they own, soonest first."""
    qs = _with_seats(TrainingSession.objects.all())
    if user.is_superuser:
        return qs.order_by("-starts_at")
    steps = session_steps_editable_by(user=user).values("pk")
    led = TrainingSession.trainers.through.objects.filter(user=user).values("trainingsession_id")
    return qs.filter(Q(pk__in=led) | Q(step_id__in=steps)).order_by("-starts_at")


@dataclass
class RosterRow:
    user: object
    registration: Registration | None
    attendance: Attendance | None

    @property
    def attended(self) -> bool:
        return self.attendance is not None and self.attendance.status in ATTENDED


def session_roster(*, session: TrainingSession) -> list[RosterRow]:
    """Everyone with a seat or on the waiting list, plus anyone recorded without a seat
    (walk-ins), by name: two queries."""
    registrations = {
        r.user_id: r
        for r in Registration.objects.filter(
            session=session, status__in=ACTIVE_REGISTRATION
        ).select_related("user", "user__organisation")
    }
    attendances = {
        a.user_id: a
        for a in Attendance.objects.filter(session=session).select_related(
            "user", "user__organisation", "recorded_by"
        )
    }
    users = {r.user_id: r.user for r in registrations.values()}
    users.update({a.user_id: a.user for a in attendances.values()})
    rows = [RosterRow(u, registrations.get(pk), attendances.get(pk)) for pk, u in users.items()]
    return sorted(rows, key=lambda row: (row.registration is None, _waiting(row), _name(row)))


def _waiting(row: RosterRow) -> bool:
    return row.registration is not None and row.registration.status == "waitlisted"


def _name(row: RosterRow) -> str:
    return (row.user.full_name or row.user.email).casefold()


def session_no_shows(*, session: TrainingSession) -> list[RosterRow]:
    """Seat holders not recorded as attending (absent, or not recorded at all)."""
    return [
        row
        for row in session_roster(session=session)
        if row.registration is not None
        and row.registration.status == RegistrationStatus.REGISTERED
        and not row.attended
    ]


@dataclass
class AttendanceRecord:
    """One person's registration or attendance at one session (for HR views)."""

    user_id: int
    course_id: int | None
    course_title: str
    step_id: int
    step_title: str
    session_id: int
    starts_at: object
    place: str
    registration_status: str
    attendance_status: str
    attended: bool
    is_required: bool


def attendance_for(*, users) -> dict[int, list[AttendanceRecord]]:
    """Per user id, their sessions: registered, waiting, attended or missed, soonest
    first. `users` is a queryset or a list of users or ids. Three queries."""
    from courses.models import CoursePage

    ids = [getattr(u, "pk", u) for u in users]
    registrations = Registration.objects.filter(user_id__in=ids).select_related("session__step")
    attendances = Attendance.objects.filter(user_id__in=ids).select_related("session__step")
    by_key: dict[tuple[int, int], dict] = {}
    for registration in registrations:
        by_key[(registration.user_id, registration.session_id)] = {
            "session": registration.session,
            "registration": registration.status,
            "attendance": "",
        }
    for attendance in attendances:
        entry = by_key.setdefault(
            (attendance.user_id, attendance.session_id),
            {"session": attendance.session, "registration": "", "attendance": ""},
        )
        entry["attendance"] = attendance.status
    steps = {entry["session"].step for entry in by_key.values()}
    ancestors = {step.path[: 4 * depth] for step in steps for depth in range(1, step.depth)}
    courses = {
        course.path: course
        for course in CoursePage.objects.filter(path__in=ancestors).only("pk", "title", "path")
    }
    result: dict[int, list[AttendanceRecord]] = {pk: [] for pk in ids}
    for (user_id, _session_id), entry in by_key.items():
        session = entry["session"]
        step = session.step
        course = next(
            (
                courses[step.path[: 4 * d]]
                for d in range(1, step.depth)
                if step.path[: 4 * d] in courses
            ),
            None,
        )
        result.setdefault(user_id, []).append(
            AttendanceRecord(
                user_id=user_id,
                course_id=course.pk if course else None,
                course_title=course.title if course else "",
                step_id=step.pk,
                step_title=step.title,
                session_id=session.pk,
                starts_at=session.starts_at,
                place=session.place,
                registration_status=entry["registration"],
                attendance_status=entry["attendance"],
                attended=entry["attendance"] in ATTENDED,
                is_required=step.is_required,
            )
        )
    for records in result.values():
        records.sort(key=lambda r: r.starts_at)
    return result


def in_person_sessions_attended(*, user, course) -> list[TrainingSession]:
    """The sessions of a course the trainee attended, first first (for the certificate)."""
    return list(
        TrainingSession.objects.filter(
            attendances__user=user,
            attendances__status__in=ATTENDED,
            step__path__startswith=course.path,
        ).order_by("starts_at")
    )


def attendance_counts(*, session: TrainingSession) -> dict:
    counts = dict(
        Attendance.objects.filter(session=session)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "attended": sum(counts.get(s, 0) for s in ATTENDED),
        "absent": counts.get(AttendanceStatus.ABSENT, 0),
    }
