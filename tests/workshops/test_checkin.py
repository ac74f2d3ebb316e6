"""Check-in: the rotating code (fresh, expired, forged, yesterday's, another session's),
the receipt bound to the trainee, the trainer scanning a personal code, manual marking
(audited), partial attendance, and completion through courses."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from audit.models import AuditEntry
from courses.models import Enrolment, StepCompletion
from tests.mfa import staff_login
from tests.workshops.conftest import session_create
from workshops import services, tokens
from workshops.models import Attendance, AttendanceMethod

pytestmark = pytest.mark.django_db


@pytest.fixture
def now_session(blended):
    """The blended course's step with a session that started 5 minutes ago."""
    course, lessons, step, _ = blended
    return course, lessons, step, session_create(step, starts_in=timedelta(minutes=-5))


def _checkin_url(session, now=None):
    return reverse("workshops:checkin", args=[tokens.session_token(session_id=session.pk, now=now)])


def _trainers_edit_no_course():
    """Today every trainer may edit every course (the catalogue's group permission); with
    course ownership (issue 9) only owners will. Without it, only a session's own trainers
    reach its tools."""
    from wagtail.models import GroupPagePermission

    from accounts.roles import TRAINER

    GroupPagePermission.objects.filter(group__name=TRAINER).delete()


def _denied(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to its dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def _scan_and_confirm(client, url):
    page = client.get(url)
    if page.status_code != 200:
        return page, None
    receipt = page.context["receipt"]
    return page, client.post(reverse("workshops:checkin_confirm"), {"receipt": receipt})


def test_a_fresh_code_checks_the_trainee_in_and_completes_step_and_course(
    client, now_session, trainee, enrol
):
    course, lessons, step, session = now_session
    enrol(trainee, course)
    from courses.services import lesson_complete

    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    client.force_login(trainee)
    page, done = _scan_and_confirm(client, _checkin_url(session))
    assert page.status_code == 200
    assert done.status_code == 200
    assert "Chúc mừng" in done.content.decode()
    attendance = Attendance.objects.get(user=trainee, session=session)
    assert (attendance.status, attendance.method) == ("present", AttendanceMethod.SESSION_QR)
    assert StepCompletion.objects.filter(enrolment__user=trainee, step=step).exists()
    assert Enrolment.objects.get(user=trainee, course=course).status == "completed"


def test_opening_the_code_writes_nothing(client, now_session, trainee, enrol):
    course, _, _, session = now_session
    enrol(trainee, course)
    client.force_login(trainee)
    assert client.get(_checkin_url(session)).status_code == 200
    assert not Attendance.objects.exists()


def test_the_previous_window_is_accepted_older_codes_are_refused_in_vietnamese(
    client, now_session, trainee, enrol
):
    course, _, _, session = now_session
    enrol(trainee, course)
    client.force_login(trainee)
    now = time.time()
    previous = _checkin_url(session, now=now - tokens.WINDOW_SECONDS)
    assert client.get(previous).status_code == 200
    for age in (2 * tokens.WINDOW_SECONDS, 24 * 3600):  # a minute old; copied yesterday
        refused = client.get(_checkin_url(session, now=now - age))
        assert refused.status_code == 400
        assert "đã hết hạn" in refused.content.decode()
    # A code from the future (someone who learned the secret's output pattern) is refused.
    assert client.get(_checkin_url(session, now=now + 3 * tokens.WINDOW_SECONDS)).status_code == 400
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "forge",
    [
        lambda s: signing.dumps({"s": s.pk, "w": tokens.current_window()}, salt="other"),
        lambda s: signing.dumps({"s": s.pk, "w": tokens.current_window()}, key="not-our-secret"),
        lambda s: tokens.session_token(session_id=s.pk)[:-3] + "AAA",
        lambda s: tokens.receipt_make(session_id=s.pk, user_id=1),  # another kind of token
        lambda s: "x" * 400,
        lambda s: "%00%ff..",
    ],
)
def test_forged_codes_are_refused_without_error(client, now_session, trainee, enrol, forge):
    course, _, _, session = now_session
    enrol(trainee, course)
    client.force_login(trainee)
    response = client.get(reverse("workshops:checkin", args=[forge(session)]))
    assert response.status_code == 400
    assert "không phải là mã điểm danh hợp lệ" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_receipt_is_bound_to_the_trainee_and_a_replay_records_once(
    client, now_session, trainee, enrol
):
    course, _, _, session = now_session
    enrol(trainee, course)
    client.force_login(trainee)
    receipt = client.get(_checkin_url(session)).context["receipt"]
    # Someone else posting the receipt they were sent gets nothing.
    from tests.factories.accounts import UserFactory

    other = UserFactory()
    enrol(other, course)
    client.force_login(other)
    response = client.post(reverse("workshops:checkin_confirm"), {"receipt": receipt})
    assert response.status_code == 400
    assert not Attendance.objects.exists()
    client.force_login(trainee)
    for _ in range(2):
        assert (
            client.post(reverse("workshops:checkin_confirm"), {"receipt": receipt}).status_code
            == 200
        )
    assert Attendance.objects.filter(user=trainee).count() == 1
    assert client.post(reverse("workshops:checkin_confirm"), {"receipt": ""}).status_code == 400


def test_an_expired_receipt_is_refused(client, now_session, trainee, enrol, monkeypatch):
    course, _, _, session = now_session
    enrol(trainee, course)
    client.force_login(trainee)
    receipt = tokens.receipt_make(session_id=session.pk, user_id=trainee.pk)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + tokens.RECEIPT_MAX_AGE + 5)
    response = client.post(reverse("workshops:checkin_confirm"), {"receipt": receipt})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_check_in_outside_the_session_or_without_enrolment_is_refused(
    client, blended, trainee, enrol
):
    course, _, step, future = blended  # in three days
    client.force_login(trainee)
    _, response = _scan_and_confirm(client, _checkin_url(future))
    assert response.status_code == 400  # not enrolled
    enrol(trainee, course)
    _, response = _scan_and_confirm(client, _checkin_url(future))
    assert response.status_code == 400
    assert "không nhận điểm danh" in response.content.decode()
    past = session_create(step, starts_in=timedelta(days=-1))
    _, response = _scan_and_confirm(client, _checkin_url(past))
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_arriving_late_is_recorded_and_counts_only_if_the_step_says_so(
    client, blended, trainee, enrol
):
    course, _, step, _ = blended
    step.partial_attendance_counts = False
    step.save_revision().publish()
    late = session_create(step, starts_in=timedelta(minutes=-40))
    enrol(trainee, course)
    result = services.checkin_record(session=late, user=trainee, method="session_qr")
    assert result.attendance.status == "late"
    assert not result.step_completed
    assert not StepCompletion.objects.filter(step=step).exists()


def test_trainer_scans_a_personal_code_after_seeing_the_name(client, now_session, trainee, enrol):
    from accounts.roles import TRAINER
    from tests.factories.accounts import UserFactory

    course, _, step, session = now_session
    enrol(trainee, course)
    trainer = UserFactory(role=TRAINER)
    session.trainers.add(trainer)
    from workshops.models import Registration

    # Registration closed at the start; the seat was taken before.
    registration = Registration.objects.create(
        session=session, step=step, user=trainee, status="registered", queued_at=session.starts_at
    )
    # The trainee's page shows the personal code today.
    client.force_login(trainee)
    page = client.get(step.url)
    qr = page.context["personal_qr"]
    assert qr is not None and "<svg" in qr["svg"]
    scan_path = qr["url"].split("testserver", 1)[1]
    staff_login(client, trainer)
    confirm = client.get(scan_path)
    assert confirm.status_code == 200
    assert trainee.full_name in confirm.content.decode()
    assert not Attendance.objects.exists()
    assert client.post(scan_path).status_code == 200
    attendance = Attendance.objects.get(user=trainee)
    assert attendance.method == AttendanceMethod.PERSONAL_QR
    assert attendance.recorded_by == trainer
    assert StepCompletion.objects.filter(step=step, enrolment__user=trainee).exists()
    # A trainer of another session (and no editor of the course) cannot use it; a forged
    # code is refused.
    _trainers_edit_no_course()
    outsider = UserFactory(role=TRAINER)
    staff_login(client, outsider)
    assert _denied(client.post(scan_path))
    assert Attendance.objects.get(user=trainee).recorded_by == trainer
    assert client.get(scan_path[:-5] + "xxxx/").status_code == 400
    assert registration.pk


def test_manual_marking_is_audited_and_only_for_people_on_the_list(
    client, now_session, trainee, enrol
):
    from accounts.roles import TRAINER
    from tests.factories.accounts import UserFactory
    from workshops.models import Registration

    course, _, step, session = now_session
    enrol(trainee, course)
    Registration.objects.create(
        session=session, step=step, user=trainee, status="registered", queued_at=session.starts_at
    )
    trainer = UserFactory(role=TRAINER)
    session.trainers.add(trainer)
    staff_login(client, trainer)
    url = reverse("workshops_session", args=[session.pk])
    assert client.get(url).status_code == 200
    prefix = f"u{trainee.pk}"
    response = client.post(
        url,
        {
            "row": [prefix],
            f"{prefix}-user": trainee.pk,
            f"{prefix}-status": "left_early",
            f"{prefix}-minutes_attended": "150",
            f"{prefix}-note": "Về sớm vì công tác",
        },
    )
    assert response.status_code == 302
    attendance = Attendance.objects.get(user=trainee, session=session)
    assert (attendance.status, attendance.minutes_attended, attendance.method) == (
        "left_early",
        150,
        "manual",
    )
    entry = AuditEntry.objects.filter(action="attendance.marked").latest("seq")
    assert entry.actor_id == trainer.pk
    assert entry.data["to"] == "left_early"
    # Partial attendance counts by default: the step is complete.
    assert StepCompletion.objects.filter(step=step, enrolment__user=trainee).exists()
    # Someone not on the list cannot be marked through a tampered form.
    stranger = UserFactory()
    enrol(stranger, course)
    client.post(
        url,
        {"row": ["u1"], "u1-user": stranger.pk, "u1-status": "present"},
    )
    assert not Attendance.objects.filter(user=stranger).exists()
    # A bad status is a clear message, not a 500.
    response = client.post(
        url, {"row": [prefix], f"{prefix}-user": trainee.pk, f"{prefix}-status": "x"}
    )
    assert response.status_code == 302


def test_trainer_tools_are_refused_to_other_trainers_and_to_trainees(
    client, now_session, trainee, enrol
):
    from accounts.roles import TRAINER
    from tests.factories.accounts import UserFactory

    _, _, _, session = now_session
    _trainers_edit_no_course()
    outsider = UserFactory(role=TRAINER)
    staff_login(client, outsider)
    for name in (
        "workshops_session",
        "workshops_checkin_screen",
        "workshops_checkin_code",
        "workshops_export",
        "workshops_no_shows",
        "workshops_sheet",
    ):
        assert _denied(client.get(reverse(name, args=[session.pk]))), name
    client.force_login(trainee)
    response = client.get(reverse("workshops_checkin_screen", args=[session.pk]))
    assert response.status_code in (302, 403)


def test_a_slow_connection_keeps_the_scan_valid_after_the_code_has_rotated(
    client, now_session, trainee, enrol, monkeypatch
):
    """The scan happened while the code was fresh; the tap arrives five minutes later over
    a weak connection, long after the code itself expired: it still counts, once."""
    course, _, _, session = now_session
    enrol(trainee, course)
    client.force_login(trainee)
    url = _checkin_url(session)
    receipt = client.get(url).context["receipt"]
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 5 * 60)
    assert client.get(url).status_code == 400  # the code itself has expired
    done = client.post(reverse("workshops:checkin_confirm"), {"receipt": receipt})
    assert done.status_code == 200
    assert Attendance.objects.filter(user=trainee, session=session).count() == 1
