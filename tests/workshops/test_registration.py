"""Registration: seats, the waiting list and its promotions, deadlines, races on PostgreSQL,
and the e-mails with their calendar invitations."""

import threading
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from tests.workshops.conftest import session_create
from workshops import services
from workshops.models import Registration, RegistrationStatus, SessionMail

pytestmark = pytest.mark.django_db


def _register(user, session, **kwargs):
    return services.registration_create(user=user, session=session, **kwargs)


def test_seats_then_waiting_list_then_promotion_in_order(
    blended, people, enrol, django_capture_on_commit_callbacks
):
    course, _, _, session = blended  # capacity 2
    for person in people:
        enrol(person, course)
    with django_capture_on_commit_callbacks(execute=True):
        regs = [_register(p, session) for p in people]
    assert [r.status for r in regs] == ["registered", "registered", "waitlisted", "waitlisted"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=regs[0])
    regs = [Registration.objects.get(pk=r.pk) for r in regs]
    assert [r.status for r in regs] == ["cancelled", "registered", "registered", "waitlisted"]
    # The one who waited longest got the seat, and both were told, with a calendar file.
    kinds = sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox)
    assert len(mail.outbox) == 2, kinds
    promoted = next(m for m in mail.outbox if m.to == [people[2].email])
    assert "[Tập huấn PCMD]" in promoted.subject or "PCMD" in promoted.subject
    ics = icalendar.Calendar.from_ical(promoted.attachments[0][1])
    assert ics["method"] == "REQUEST"
    cancelled = next(m for m in mail.outbox if m.to == [people[0].email])
    assert icalendar.Calendar.from_ical(cancelled.attachments[0][1])["method"] == "CANCEL"


def test_registering_twice_is_one_registration_and_a_second_session_of_the_step_is_refused(
    blended, trainee, enrol
):
    course, _, step, session = blended
    other = session_create(step, starts_in=timedelta(days=5))
    enrol(trainee, course)
    first = _register(trainee, session)
    assert _register(trainee, session).pk == first.pk
    with pytest.raises(services.WorkshopError):
        _register(trainee, other)
    assert Registration.objects.filter(user=trainee).count() == 1


def test_not_enrolled_closed_window_and_started_sessions_are_refused(blended, trainee, enrol):
    course, _, step, session = blended
    with pytest.raises(services.WorkshopError, match="ghi danh"):
        _register(trainee, session)
    enrol(trainee, course)
    later = session_create(
        step, starts_in=timedelta(days=9), registration_opens_at=timezone.now() + timedelta(days=1)
    )
    with pytest.raises(services.WorkshopError):
        _register(trainee, later)
    closed = session_create(
        step,
        starts_in=timedelta(days=9),
        registration_closes_at=timezone.now() - timedelta(minutes=1),
    )
    with pytest.raises(services.WorkshopError):
        _register(trainee, closed)
    started = session_create(step, starts_in=timedelta(minutes=-5))
    with pytest.raises(services.WorkshopError):
        _register(trainee, started)
    assert not Registration.objects.filter(user=trainee).exists()


def test_cancellation_deadline_binds_trainees_not_staff(blended, trainee, trainer, enrol):
    course, _, step, _ = blended
    enrol(trainee, course)
    soon = session_create(step, starts_in=timedelta(hours=10))  # deadline: 24 h before
    registration = _register(trainee, soon)
    with pytest.raises(services.WorkshopError):
        services.registration_cancel(registration=registration)
    assert Registration.objects.get(pk=registration.pk).status == "registered"
    services.registration_cancel(registration=registration, by=trainer)
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"


def test_cancel_and_register_through_the_pages(client, blended, trainee, enrol):
    course, _, step, session = blended
    enrol(trainee, course)
    client.force_login(trainee)
    page = client.get(step.url)
    assert page.status_code == 200
    assert f"/sessions/{session.pk}/register/" in page.content.decode()
    assert client.post(f"/sessions/{session.pk}/register/").status_code == 302
    registration = Registration.objects.get(user=trainee)
    assert registration.status == "registered"
    assert "Hủy đăng ký" in client.get(step.url).content.decode()
    # Nobody cancels another trainee's registration.
    stranger = type(trainee).objects.create_user(email="x@pcmd.example", password="x")
    client.force_login(stranger)
    assert client.post(f"/sessions/registrations/{registration.pk}/cancel/").status_code == 404
    client.force_login(trainee)
    client.post(f"/sessions/registrations/{registration.pk}/cancel/")
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"
    # GET on the write URLs writes nothing.
    assert client.get(f"/sessions/{session.pk}/register/").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_two_registrations_for_the_last_seat_get_one_seat_and_one_waiting_place(home_page):
    from courses.services import enrolment_create
    from tests.factories.accounts import UserFactory
    from tests.factories.courses import catalogue_create, course_create
    from tests.workshops.conftest import step_create

    assert connection.vendor == "postgresql"
    course, _ = course_create(catalogue_create(home_page), code="PCMD-RACE", lessons=1)
    session = session_create(step_create(course), capacity=3)
    people = [UserFactory() for _ in range(8)]
    for person in people:
        enrolment_create(user=person, course=course)
    # Two seats are taken; six people ask for the last one at the same moment.
    for person in people[:2]:
        _register(person, session)
    barrier = threading.Barrier(6)
    errors = []

    def attempt(person):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            _register(person, session)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people[2:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(Registration.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count("registered") == 3
    assert statuses.count("waitlisted") == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_promote_each_waiting_person_once(home_page):
    from courses.services import enrolment_create
    from tests.factories.accounts import UserFactory
    from tests.factories.courses import catalogue_create, course_create
    from tests.workshops.conftest import step_create

    course, _ = course_create(catalogue_create(home_page), code="PCMD-RACE2", lessons=1)
    session = session_create(step_create(course), capacity=2)
    people = [UserFactory() for _ in range(5)]
    for person in people:
        enrolment_create(user=person, course=course)
    regs = [_register(p, session) for p in people]  # 2 seats, 3 waiting
    barrier = threading.Barrier(2)

    def cancel(registration):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.registration_cancel(registration=registration)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in regs[:2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = {r.user_id: r.status for r in Registration.objects.filter(session=session)}
    assert [after[p.pk] for p in people] == [
        "cancelled",
        "cancelled",
        "registered",
        "registered",
        "waitlisted",
    ]
    promoted = SessionMail.objects.filter(kind="promoted").values_list(
        "registration__user_id", flat=True
    )
    assert sorted(promoted) == sorted([people[2].pk, people[3].pk])


def test_raising_the_capacity_in_the_admin_form_fills_from_the_waiting_list(blended, people, enrol):
    course, _, _, session = blended
    for person in people:
        enrol(person, course)
    for person in people:
        _register(person, session)
    session.capacity = 3
    session.save()
    promoted = services.session_fill_from_waitlist(session=session)
    assert [r.user_id for r in promoted] == [people[2].pk]
    assert Registration.objects.filter(session=session, status="registered").count() == 3


def test_confirmation_invitation_is_in_vietnam_time_with_place_and_a_stable_uid(
    blended, trainee, enrol, django_capture_on_commit_callbacks
):
    course, _, step, session = blended
    enrol(trainee, course)
    with django_capture_on_commit_callbacks(execute=True):
        _register(trainee, session)
    (message,) = mail.outbox
    assert message.to == [trainee.email]
    assert "Hội trường Công an tỉnh" in message.body
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    content = content.encode() if isinstance(content, str) else content
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == session.starts_at
    assert str(event.decoded("dtstart").tzinfo) == "Asia/Ho_Chi_Minh"
    assert b"TZID=Asia/Ho_Chi_Minh" in content
    assert calendar.walk("VTIMEZONE"), "the time zone is described for calendars that need it"
    assert str(event["location"]).startswith("Hội trường Công an tỉnh")
    assert str(event["summary"]) == step.title
    assert trainee.email in str(event["attendee"])
    uid = str(event["uid"])
    # The cancellation replaces the same event, with a higher sequence.
    registration = Registration.objects.get(user=trainee)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration)
    cancel = icalendar.Calendar.from_ical(mail.outbox[-1].attachments[0][1])
    (cancelled,) = cancel.walk("VEVENT")
    assert str(cancelled["uid"]) == uid
    assert int(cancelled["sequence"]) > int(event["sequence"])


def test_reminders_are_sent_once_per_seat_whatever_the_runs(blended, people, enrol):
    course, _, step, _ = blended
    tomorrow = session_create(step, starts_in=timedelta(hours=20), capacity=2)
    for person in people[:3]:
        enrol(person, course)
        services.registration_create(user=person, session=tomorrow, by=None)
    SessionMail.objects.update(sent_at=timezone.now())  # confirmations already out
    mail.outbox.clear()
    assert services.reminders_queue() == 2  # the two seats, not the waiting place
    assert services.reminders_queue() == 0
    assert services.mails_send_pending() == 2
    assert services.mails_send_pending() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[:2])
    assert all(m.attachments[0][0].endswith(".ics") for m in mail.outbox)
    assert "Nhắc" in mail.outbox[0].subject or "nhắc" in mail.outbox[0].subject.lower()


def test_a_mail_overtaken_by_events_is_not_sent(blended, trainee, enrol):
    course, _, _, session = blended
    enrol(trainee, course)
    registration = _register(trainee, session)
    # The worker was slow: the trainee cancelled before the confirmation went out.
    Registration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.CANCELLED)
    mail.outbox.clear()
    services.mails_send_pending()
    assert mail.outbox == []
    assert not SessionMail.objects.filter(sent_at__isnull=True).exists()
