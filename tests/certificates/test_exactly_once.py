"""Exactly one certificate, one stored PDF and one e-mail per completion, whatever fails
(issue 10, point 2). On PostgreSQL: faults raised at each step in this process, and a real
process killed with SIGKILL at each point, then the reconciler (several at once)."""

import json
import os
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection

from certificates import issuance
from certificates.issuance import certificates_reconcile, message_id, pdf_name
from certificates.models import (
    Certificate,
    CertificateRequest,
    CertificateSignatory,
    CertificateTemplate,
)
from courses.models import Enrolment, EnrolmentStatus, LearningPath, LearningPathCourse
from courses.services import enrolment_create, lesson_complete
from tests.factories.accounts import UserFactory
from tests.factories.courses import catalogue_create, course_create

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def course(home_page):
    course, lessons = course_create(
        catalogue_create(home_page), code="PCMD-X1", lessons=1, title="Khóa học chịu lỗi"
    )
    template = CertificateTemplate.objects.create(
        name="Mẫu", course=course, issuer_name="Cục Phòng, chống tệ nạn xã hội"
    )
    CertificateSignatory.objects.create(
        template=template, name="Trần Văn Ký", title="Cục trưởng", sort_order=0
    )
    return course, lessons[0]


def _trainee(course, n=0):
    user = UserFactory(email=f"hocvien{n}@pcmd.example", full_name=f"Học Viên Số {n}")
    enrolment_create(user=user, course=course)
    return user


def _pdf_files(certificate) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / Path(pdf_name(certificate)).parent
    return sorted(folder.glob(f"{certificate.code}*"))


def _exactly_once(user, mails) -> Certificate:
    certificate = Certificate.objects.get(user=user)
    assert certificate.pdf and Path(certificate.pdf.path).is_file()
    assert [p.name for p in _pdf_files(certificate)] == [f"{certificate.code}.pdf"]
    assert certificate.emailed_at is not None
    to_user = [m for m in mails if m["to"] == user.email]
    assert len(to_user) == 1, to_user
    assert to_user[0]["message_id"] == message_id(certificate)
    request = CertificateRequest.objects.get(user=user)
    assert request.certificate == certificate and request.done_at is not None
    return certificate


def _outbox():
    return [{"to": m.to[0], "message_id": m.extra_headers.get("Message-ID")} for m in mail.outbox]


# --------------------------------------------------------------------------------------------
# Faults raised in this process, at each step
# --------------------------------------------------------------------------------------------


def _raise(*args, **kwargs):
    raise RuntimeError("injected fault")


def _after(original):
    def run_then_raise(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("injected fault after the real work")

    return run_then_raise


FAULTS = {
    # where the fault strikes: (object, attribute, replacement factory)
    "inside the issuing transaction": (issuance, "audit_record", lambda original: _raise),
    "rendering fails": (issuance.pdf, "render_certificate_pdf", lambda original: _raise),
    "PDF stored, its row not updated": (issuance, "_store_pdf", _after),
    "mail server refuses": (
        EmailMessage,
        "send",
        lambda original: lambda *a, **k: (_ for _ in ()).throw(smtplib.SMTPException("down")),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_fault_at_any_step_ends_in_one_certificate_pdf_and_email_after_reconciling(
    course, fault, monkeypatch, django_capture_on_commit_callbacks
):
    course_page, lesson = course
    user = _trainee(course_page)
    target, name, replacement = FAULTS[fault]
    monkeypatch.setattr(target, name, replacement(getattr(target, name)))

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=user, course=course_page, lesson=lesson)  # the task fails

    assert Enrolment.objects.get(user=user).status == EnrolmentStatus.COMPLETED
    request = CertificateRequest.objects.get(user=user)
    assert request.done_at is None
    assert not mail.outbox
    monkeypatch.undo()

    report = certificates_reconcile()
    assert report.failures == []
    _exactly_once(user, _outbox())
    again = certificates_reconcile()  # idempotent
    assert (again.requests_created, again.requests_completed, again.emails_sent) == (0, 0, 0)
    _exactly_once(user, _outbox())


@pytest.mark.django_db
def test_a_lost_enqueue_and_a_repeated_task_still_give_one_of_each(
    course, django_capture_on_commit_callbacks
):
    course_page, lesson = course
    user = _trainee(course_page)
    with django_capture_on_commit_callbacks(execute=False):  # committed, never enqueued
        lesson_complete(user=user, course=course_page, lesson=lesson)
    assert not Certificate.objects.exists()

    from certificates.tasks import process_certificate_request

    request = CertificateRequest.objects.get(user=user)
    process_certificate_request.enqueue(request.pk)
    process_certificate_request.enqueue(request.pk)  # a retry after a worker's crash
    certificates_reconcile()
    _exactly_once(user, _outbox())


@pytest.mark.django_db
def test_a_crash_between_the_mail_servers_acceptance_and_our_commit_resends_the_same_message(
    course, monkeypatch, django_capture_on_commit_callbacks
):
    """The one window no database closes: the retry sends the e-mail again, with the same
    Message-ID, so a mail client shows it once."""
    course_page, lesson = course
    user = _trainee(course_page)
    monkeypatch.setattr(EmailMessage, "send", _after(EmailMessage.send))
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=user, course=course_page, lesson=lesson)
    monkeypatch.undo()
    certificates_reconcile()

    certificate = Certificate.objects.get(user=user)
    assert [m["message_id"] for m in _outbox()] == [message_id(certificate)] * 2
    assert len(_pdf_files(certificate)) == 1 and certificate.emailed_at is not None


@pytest.mark.django_db
def test_completions_from_before_the_outbox_are_found_and_certified_once(
    course, django_capture_on_commit_callbacks
):
    course_page, lesson = course
    user = _trainee(course_page)
    with django_capture_on_commit_callbacks(execute=False):
        lesson_complete(user=user, course=course_page, lesson=lesson)
    CertificateRequest.objects.all().delete()  # as if completed by the first version

    assert certificates_reconcile().requests_created == 1
    _exactly_once(user, _outbox())


@pytest.mark.django_db
def test_a_path_certificate_is_owed_in_the_completion_that_finishes_the_path(
    home_page, django_capture_on_commit_callbacks
):
    catalogue = catalogue_create(home_page)
    first, first_lessons = course_create(catalogue, code="PCMD-XP1", lessons=1)
    second, second_lessons = course_create(catalogue, code="PCMD-XP2", lessons=1)
    path = LearningPath.objects.create(name="Lộ trình chịu lỗi")
    for order, item in enumerate((first, second)):
        LearningPathCourse.objects.create(path=path, course=item, sort_order=order)
    CertificateTemplate.objects.create(name="Lộ trình", path=path, issuer_name="Cơ quan cấp")
    user = UserFactory()
    for item, lessons in ((first, first_lessons), (second, second_lessons)):
        enrolment_create(user=user, course=item)
        with django_capture_on_commit_callbacks(execute=False):  # every enqueue lost
            lesson_complete(user=user, course=item, lesson=lessons[0])

    assert CertificateRequest.objects.filter(user=user, path=path).count() == 1
    certificates_reconcile()
    certificates_reconcile()
    assert Certificate.objects.filter(user=user).count() == 3
    assert Certificate.objects.filter(user=user, path=path).count() == 1
    assert len([m for m in mail.outbox if m.to == [user.email]]) == 3


# --------------------------------------------------------------------------------------------
# A real process killed with SIGKILL at each point, then three reconcilers at once
# --------------------------------------------------------------------------------------------

KILL_POINTS = [
    "after-completion-commit",
    "inside-issue",
    "after-issue-commit",
    "after-pdf-stored",
    "after-render-commit",
    "after-mail-sent",
]


def _worker(plan: dict, mail_dir: Path) -> dict:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CERTIFICATE_SIGNING_KEY": settings.CERTIFICATE_SIGNING_KEY,
        "CRASH_MAIL_DIR": str(mail_dir),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.certificates.crash_worker", json.dumps(plan)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _mail_files(mail_dir: Path) -> list[dict]:
    import email

    messages = []
    for path in sorted(mail_dir.iterdir()):
        # The file backend writes each message followed by a line of 79 dashes.
        for chunk in path.read_text().split("\n" + "-" * 79 + "\n"):
            if chunk.strip():
                parsed = email.message_from_string(chunk)
                messages.append({"to": parsed["To"], "message_id": parsed["Message-ID"]})
    return messages


@pytest.mark.django_db(transaction=True)
def test_processes_killed_at_every_point_end_in_one_of_each_after_concurrent_reconcilers(
    course, tmp_path
):
    assert connection.vendor == "postgresql"
    course_page, lesson = course
    users = {point: _trainee(course_page, n) for n, point in enumerate(KILL_POINTS)}
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    scenarios = [
        {"name": p, "point": p, "user": u.pk, "course": course_page.pk, "lesson": lesson.pk}
        for p, u in users.items()
    ]

    result = _worker({"scenarios": scenarios}, mail_dir)

    assert result["killed"] == dict.fromkeys(KILL_POINTS, True)
    # Each kill struck where it was aimed: the completion is committed every time ...
    for user in users.values():
        assert Enrolment.objects.get(user=user).status == EnrolmentStatus.COMPLETED
        assert CertificateRequest.objects.get(user=user).done_at is None
    # ... and each step's own state shows how far the certificate got.
    state = {
        point: Certificate.objects.filter(user=user).values_list("pdf", "emailed_at").first()
        for point, user in users.items()
    }
    assert state["after-completion-commit"] is None
    assert state["inside-issue"] is None
    assert state["after-issue-commit"] == ("", None)
    assert state["after-pdf-stored"] == ("", None)
    assert state["after-render-commit"][0] and state["after-render-commit"][1] is None
    assert state["after-mail-sent"][0] and state["after-mail-sent"][1] is None
    stored = Certificate.objects.get(user=users["after-pdf-stored"])
    assert len(_pdf_files(stored)) == 1  # the file is there, unrecorded

    result = _worker({"reconcilers": 3}, mail_dir)

    assert result["reconcilers"] == [0, 0, 0]
    mails = _mail_files(mail_dir)
    for point, user in users.items():
        if point == "after-mail-sent":
            continue
        _exactly_once(user, mails)
    # Killed after the mail server took the message: sent again, as the same message.
    resent = Certificate.objects.get(user=users["after-mail-sent"])
    assert [m["message_id"] for m in mails if m["to"] == resent.user.email] == [
        message_id(resent)
    ] * 2
    assert len(_pdf_files(resent)) == 1
    assert Certificate.objects.count() == len(KILL_POINTS)
