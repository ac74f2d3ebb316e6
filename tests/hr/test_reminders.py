"""Reminders: one e-mail per event, however often the job runs; in Vietnamese."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from courses.models import Assignment, Enrolment, LearningPath, LearningPathCourse
from hr.models import SentReminder
from hr.reminders import hr_digests_send, training_reminders_send
from tests.factories.accounts import UserFactory
from tests.factories.courses import catalogue_create, course_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def path(home_page):
    catalogue = catalogue_create(home_page)
    course, _ = course_create(catalogue, code="PCMD-202", lessons=1)
    path = LearningPath.objects.create(name="Lộ trình điều tra viên", job_role="investigator")
    LearningPathCourse.objects.create(path=path, course=course, sort_order=0)
    path.course = course
    return path


def assigned(tree, path, *, email, due, role="prosecutor"):
    user = UserFactory(email=email, job_role=role, organisation=tree["a_pc02"])
    Assignment.objects.create(user=user, path=path, due_date=due)
    return user


def test_due_soon_and_overdue_each_send_one_email_once_even_when_run_twice(tree, path):
    today = timezone.localdate()
    soon = assigned(tree, path, email="soon@ag.example", due=today + timedelta(days=3))
    late = assigned(tree, path, email="late@ag.example", due=today - timedelta(days=2))
    assigned(tree, path, email="far@ag.example", due=today + timedelta(days=40))
    finished = assigned(tree, path, email="done@ag.example", due=today - timedelta(days=2))
    Enrolment.objects.create(
        user=finished,
        course=path.course,
        source="assignment",
        status="completed",
        completed_at=timezone.now(),
    )

    first = training_reminders_send()
    call_command("send_training_reminders")  # the scheduled job, a second time

    assert first == {"due_soon": 1, "overdue": 1}
    assert sorted(m.to[0] for m in mail.outbox) == ["late@ag.example", "soon@ag.example"]
    by_person = {m.to[0]: m for m in mail.outbox}
    assert (
        "Sắp đến hạn" in by_person["soon@ag.example"].subject
        or "hạn" in by_person["soon@ag.example"].subject
    )
    assert "Quá hạn" in by_person["late@ag.example"].subject
    assert "Lộ trình điều tra viên" in by_person["late@ag.example"].body
    assert SentReminder.objects.count() == 2
    assert {r.user_id for r in SentReminder.objects.all()} == {soon.pk, late.pk}


def test_a_moved_due_date_is_a_new_event(tree, path):
    today = timezone.localdate()
    late = assigned(tree, path, email="late@ag.example", due=today - timedelta(days=2))
    training_reminders_send()
    Assignment.objects.filter(user=late).update(due_date=today - timedelta(days=1))

    training_reminders_send()
    training_reminders_send()

    assert len(mail.outbox) == 2


def test_a_mail_that_fails_is_not_marked_sent_and_goes_out_next_time(tree, path, monkeypatch):
    today = timezone.localdate()
    assigned(tree, path, email="late@ag.example", due=today - timedelta(days=2))

    def broken(self, *args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(ConnectionError):
        training_reminders_send()
    assert not SentReminder.objects.exists()
    monkeypatch.undo()

    training_reminders_send()
    assert len(mail.outbox) == 1


def test_role_path_due_dates_count_from_joining(tree, path):
    LearningPath.objects.filter(pk=path.pk).update(
        due_days=30, created_at=timezone.now() - timedelta(days=400)
    )
    joined_long_ago = UserFactory(email="old@ag.example", organisation=tree["a_pc02"])
    joined_long_ago.date_joined = timezone.now() - timedelta(days=60)
    joined_long_ago.save()
    UserFactory(email="new@ag.example", organisation=tree["a_pc02"])  # due in 30 days

    assert training_reminders_send() == {"due_soon": 0, "overdue": 1}
    assert [m.to for m in mail.outbox] == [["old@ag.example"]]


def test_hr_officers_get_one_weekly_digest_of_their_subtree(tree, path, hr_officer):
    today = timezone.localdate()
    assigned(tree, path, email="late@ag.example", due=today - timedelta(days=2))
    outsider = UserFactory(email="bt@bt.example", job_role="prosecutor", organisation=tree["b"])
    Assignment.objects.create(user=outsider, path=path, due_date=today - timedelta(days=2))
    other = UserFactory(
        email="hr-bt@bt.example", role="Cán bộ nhân sự", organisation=tree["b_pc02"]
    )

    assert hr_digests_send() == 2
    assert hr_digests_send() == 0
    call_command("send_hr_digests")

    digests = {m.to[0]: m for m in mail.outbox}
    assert set(digests) == {hr_officer.email, other.email}
    mine = digests[hr_officer.email].body
    assert "late@ag.example" not in mine  # names, not addresses
    assert "Lộ trình điều tra viên" in mine and outsider.full_name not in mine
    assert outsider.full_name not in mine
    assert "Nguyễn Văn Thử" in mine or "quá hạn" in mine.lower()
