"""Writes for training sessions: registration and its waiting list, check-in, attendance.

Seats are counted under a lock on the session's row, so two trainees asking for the last
seat at once get one seat and one place on the waiting list (tests/workshops).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from courses.selectors import active_enrolment, course_of_lesson
from courses.services import CourseError, step_complete

from . import tokens
from .models import (
    ACTIVE_REGISTRATION,
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    MailKind,
    Registration,
    RegistrationStatus,
    SessionMail,
    TrainingSession,
)

# The check-in opens before the start and closes after the end, for early birds and for
# trainers finishing the list.
CHECKIN_OPENS_BEFORE = timedelta(minutes=60)
CHECKIN_CLOSES_AFTER = timedelta(minutes=30)
# Checking in later than this after the start records "arrived late".
LATE_AFTER = timedelta(minutes=15)


class WorkshopError(Exception):
    """A request the person can fix or should know about; the message is shown to them."""


def _locked_session(session_id: int) -> TrainingSession:
    return (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("step")
        .get(pk=session_id)
    )


def _mail_queue(registration: Registration, kind: str, key: str | None = None) -> None:
    """Write the e-mail with the change it tells; it is sent after the commit (and by the
    scheduled job if that process dies first)."""
    key = key or f"{registration.pk}:{kind}:{registration.revision}"
    mail, created = SessionMail.objects.get_or_create(
        key=key, defaults={"registration": registration, "kind": kind}
    )
    if created:
        from .tasks import send_session_mail

        transaction.on_commit(lambda: send_session_mail.enqueue(mail.pk), robust=True)


def _check_may_register(*, user, session: TrainingSession, by, now) -> None:
    step = session.step
    if not step.live:
        raise WorkshopError(_("This training session is not open."))
    course = course_of_lesson(lesson=step)
    if course is None or active_enrolment(user=user, course=course) is None:
        if by is None:
            raise WorkshopError(_("Enrol in the course before registering for its sessions."))
        raise WorkshopError(
            _("%(name)s is not enrolled in the course %(course)s.")
            % {"name": user, "course": course.title if course else step.title}
        )
    if now >= session.starts_at:
        raise WorkshopError(_("This session has already started."))
    if by is None:
        # HR may still register their staff outside the window, until the session starts.
        if session.registration_opens_at and now < session.registration_opens_at:
            raise WorkshopError(_("Registration for this session is not open yet."))
        if now >= session.closes_registration_at:
            raise WorkshopError(_("Registration for this session has closed."))


def registration_create(*, user, session: TrainingSession, by=None, now=None) -> Registration:
    """Register a trainee (themselves, or `by` an HR officer) for a session: a seat if one
    is free, else the waiting list. Registering again is harmless."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _registration_create(user=user, session=session, by=by, now=now)
    except IntegrityError:
        # Another request registered this trainee for another session of the step at once.
        raise WorkshopError(
            _("You are already registered for another session of this training.")
        ) from None


def _registration_create(*, user, session, by, now) -> Registration:
    session = _locked_session(session.pk)
    _check_may_register(user=user, session=session, by=by, now=now)
    other = (
        Registration.objects.filter(step=session.step, user=user, status__in=ACTIVE_REGISTRATION)
        .exclude(session=session)
        .select_related("session")
        .first()
    )
    if other is not None:
        raise WorkshopError(
            _("Already registered for another session of this training (%(session)s).")
            % {"session": other.session}
        )
    existing = Registration.objects.filter(session=session, user=user).first()
    if existing is not None and existing.status in ACTIVE_REGISTRATION:
        return existing
    taken = Registration.objects.filter(
        session=session, status=RegistrationStatus.REGISTERED
    ).count()
    status = (
        RegistrationStatus.REGISTERED if taken < session.capacity else RegistrationStatus.WAITLISTED
    )
    if existing is None:
        registration = Registration.objects.create(
            session=session,
            step=session.step,
            user=user,
            status=status,
            registered_by=by,
            queued_at=now,
        )
    else:
        registration = existing
        registration.status = status
        registration.registered_by = by
        registration.queued_at = now
        registration.revision += 1
        registration.save(update_fields=["status", "registered_by", "queued_at", "revision"])
    if by is not None:
        audit_record(
            action="session.registered",
            actor=by,
            target=registration,
            summary=f"{user} → {session}",
            data={"session": session.pk, "user": user.pk, "status": status},
        )
    _mail_queue(
        registration,
        MailKind.CONFIRMED if status == RegistrationStatus.REGISTERED else MailKind.WAITLISTED,
    )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by=None, now=None) -> Registration:
    """Cancel a registration. Trainees may cancel until the session's deadline; a trainer
    or HR officer (`by`) at any time before it starts. A freed seat goes to the first
    person on the waiting list."""
    now = now or timezone.now()
    session = _locked_session(registration.session_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    if now >= session.starts_at:
        raise WorkshopError(_("This session has already started."))
    if by is None and now > session.cancellable_until:
        raise WorkshopError(
            _("Registrations for this session can no longer be cancelled online. Tell the trainer.")
        )
    had_seat = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.revision += 1
    registration.save(update_fields=["status", "revision"])
    if by is not None and by.pk != registration.user_id:
        audit_record(
            action="session.registration_cancelled",
            actor=by,
            target=registration,
            summary=f"{registration.user} → {session}",
            data={"session": session.pk, "user": registration.user_id},
        )
    if had_seat:
        _mail_queue(registration, MailKind.CANCELLED)
    session_fill_from_waitlist(session=session, locked=True)
    return registration


@transaction.atomic
def session_fill_from_waitlist(*, session: TrainingSession, locked: bool = False) -> list:
    """Give free seats to the waiting list in order (after a cancellation, or when a
    trainer raises the capacity)."""
    if not locked:
        session = _locked_session(session.pk)
    taken = Registration.objects.filter(
        session=session, status=RegistrationStatus.REGISTERED
    ).count()
    free = max(session.capacity - taken, 0)
    if not free or timezone.now() >= session.starts_at:
        return []
    promoted = list(
        Registration.objects.select_for_update()
        .filter(session=session, status=RegistrationStatus.WAITLISTED)
        .order_by("queued_at", "pk")[:free]
    )
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.revision += 1
        registration.save(update_fields=["status", "revision"])
        _mail_queue(registration, MailKind.PROMOTED)
    return promoted


# --------------------------------------------------------------------------------------------
# Check-in and attendance
# --------------------------------------------------------------------------------------------


def checkin_is_open(session: TrainingSession, now=None) -> bool:
    now = now or timezone.now()
    return session.starts_at - CHECKIN_OPENS_BEFORE <= now <= session.ends_at + CHECKIN_CLOSES_AFTER


@dataclass
class CheckinResult:
    attendance: Attendance
    newly_recorded: bool
    step_completed: bool
    course_completed: bool


def _step_complete_for(attendance: Attendance, session: TrainingSession) -> tuple[bool, bool]:
    """Attendance that counts completes the step now, through courses."""
    step = session.step
    if not attendance.attended:
        return False, False
    if attendance.status != AttendanceStatus.PRESENT and not step.partial_attendance_counts:
        return False, False
    course = course_of_lesson(lesson=step)
    if course is None:
        return False, False
    try:
        result = step_complete(user=attendance.user, course=course, step=step)
    except CourseError:
        # Left the course since: the attendance stays on record, the step waits.
        return False, False
    return result.lesson_newly_completed, result.course_newly_completed


@transaction.atomic
def checkin_record(
    *, session: TrainingSession, user, method: str, recorded_by=None, now=None
) -> CheckinResult:
    """A trainee checks in (session QR), or a trainer scans their personal QR. Arriving
    more than LATE_AFTER after the start is recorded as late. Checking in twice keeps the
    first record."""
    now = now or timezone.now()
    session = TrainingSession.objects.select_related("step").get(pk=session.pk)
    if not checkin_is_open(session, now):
        raise WorkshopError(_("Check-in for this session is closed."))
    course = course_of_lesson(lesson=session.step)
    if course is None or active_enrolment(user=user, course=course) is None:
        raise WorkshopError(_("Enrol in the course before checking in."))
    late = now > session.starts_at + LATE_AFTER
    status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
    attendance, created = Attendance.objects.get_or_create(
        session=session,
        user=user,
        defaults={
            "status": status,
            "method": method,
            "checked_in_at": now,
            "recorded_by": recorded_by,
        },
    )
    if not created and attendance.status == AttendanceStatus.ABSENT:
        # Marked absent by mistake, then seen in the room: the check-in wins.
        attendance.status, attendance.method, attendance.checked_in_at = status, method, now
        attendance.recorded_by = recorded_by
        attendance.save(update_fields=["status", "method", "checked_in_at", "recorded_by"])
        created = True
    step_done, course_done = _step_complete_for(attendance, session)
    return CheckinResult(attendance, created, step_done, course_done)


def checkin_by_session_token(*, token: str, user, now=None) -> TrainingSession:
    """The rotating QR's token, as the trainee's phone opened it: the session it is for,
    or TokenRefused."""
    session_id = tokens.session_token_check(token, now=now)
    session = TrainingSession.objects.select_related("step").filter(pk=session_id).first()
    if session is None:
        raise tokens.TokenRefused("forged")
    return session


def checkin_by_receipt(*, receipt: str, user, now=None) -> CheckinResult:
    session_id = tokens.receipt_check(receipt, user_id=user.pk)
    session = TrainingSession.objects.filter(pk=session_id).first()
    if session is None:
        raise tokens.TokenRefused("forged")
    return checkin_record(session=session, user=user, method=AttendanceMethod.SESSION_QR, now=now)


@transaction.atomic
def attendance_mark(
    *,
    session: TrainingSession,
    user,
    status: str,
    by,
    method: str = AttendanceMethod.MANUAL,
    minutes_attended: int | None = None,
    note: str = "",
    request=None,
) -> Attendance:
    """A trainer records or corrects one trainee's attendance by hand (or from the paper
    sign-in sheet); every change is in the audit log."""
    if status not in AttendanceStatus.values:
        raise WorkshopError(_("Choose an attendance status."))
    session = TrainingSession.objects.select_related("step").get(pk=session.pk)
    if timezone.now() < session.starts_at - CHECKIN_OPENS_BEFORE:
        raise WorkshopError(_("Attendance can be recorded once the session is about to start."))
    attendance = Attendance.objects.select_for_update().filter(session=session, user=user).first()
    before = attendance.status if attendance else ""
    if attendance is None:
        attendance = Attendance(session=session, user=user)
    if (
        before == status
        and attendance.note == note
        and attendance.minutes_attended == minutes_attended
    ):
        return attendance
    attendance.status = status
    attendance.method = method
    attendance.minutes_attended = minutes_attended
    attendance.note = note
    attendance.recorded_by = by
    if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY):
        attendance.checked_in_at = attendance.checked_in_at or timezone.now()
    attendance.save()
    audit_record(
        action="attendance.marked",
        actor=by,
        target=attendance,
        request=request,
        summary=f"{user} · {session}: {before or '-'} → {status}",
        data={
            "session": session.pk,
            "user": user.pk,
            "from": before,
            "to": status,
            "method": method,
            "minutes": minutes_attended,
        },
    )
    _step_complete_for(attendance, session)
    return attendance


# --------------------------------------------------------------------------------------------
# Reminders and the outbox
# --------------------------------------------------------------------------------------------

REMIND_BEFORE = timedelta(hours=24)


def reminders_queue(*, now=None) -> int:
    """One reminder per seat, the day before the session (any number of runs at once: the
    outbox key is unique). A rescheduled session gets a new reminder."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + REMIND_BEFORE,
        session__step__live=True,
    ).select_related("session")
    queued = 0
    for registration in due.iterator():
        key = f"{registration.pk}:reminder:{registration.session.starts_at.isoformat()}"
        with transaction.atomic():
            _, created = SessionMail.objects.get_or_create(
                key=key, defaults={"registration": registration, "kind": MailKind.REMINDER}
            )
        queued += created
    return queued


def mails_send_pending(*, older_than: timedelta = timedelta(0)) -> int:
    """Send the outbox e-mails still unsent (reminders, and those whose task was lost)."""
    from .mail import mail_send

    cutoff = timezone.now() - older_than
    ids = list(
        SessionMail.objects.filter(sent_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    return sum(1 for mail_id in ids if mail_send(mail_id=mail_id))
