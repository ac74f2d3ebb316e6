import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_load_demo_creates_one_verified_account_per_role_and_is_idempotent(capsys, demo):
    demo()  # what load_demo built on an empty database (tests/demo.py)
    first = (User.objects.count(), Organisation.objects.count(), EmailAddress.objects.count())
    call_command("load_demo")
    second = (User.objects.count(), Organisation.objects.count(), EmailAddress.objects.count())

    assert first == second == (4, 7, 4)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.groups.filter(name=account.role).exists()
        assert EmailAddress.objects.get(user=user).verified
    assert "hocvien@pcmd.example" in capsys.readouterr().out


def test_demo_trainee_can_sign_in(client, demo):
    demo()

    response = client.post(
        "/accounts/login/", {"login": "hocvien@pcmd.example", "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/").content.decode().count("Nguyễn Thị Minh Anh") >= 1


def test_load_demo_refuses_when_demo_data_is_not_allowed(settings):
    from django.core.management.base import CommandError

    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not User.objects.filter(email="hocvien@pcmd.example").exists()


def test_load_demo_builds_the_foundation_course_and_the_role_paths(demo):
    from content.models import LegalProvision
    from courses.models import CoursePage, LearningPath, LessonPage
    from courses.selectors import course_steps

    demo()  # load_demo's work; a second run changing nothing is checked above

    foundation = CoursePage.objects.get(code="PCMD-101")
    lessons = course_steps(course=foundation)
    assert len([s for s in lessons if isinstance(s, LessonPage)]) >= 4
    kinds = {b.block_type for step in lessons if hasattr(step, "body") for b in step.body}
    assert {"legal_provision", "case_study", "content_warning"} <= kinds
    assert CoursePage.objects.count() == 7
    roles = set(LearningPath.objects.values_list("job_role", flat=True))
    assert {"inspection_team_member", "investigator", "prosecutor", "judge", "peoples_juror"} <= (
        roles
    )
    for path in LearningPath.objects.all():
        assert path.path_courses.first().course == foundation
    assert LegalProvision.objects.filter(superseded_by__isnull=False).exists()
    assert all(p.source_name for p in LegalProvision.objects.all())
