"""Every sensitive action that exists today writes its audit entry: each test does the
action the way a person does it and reads the entry back (who, what, from where), and the
chain still verifies afterwards."""

import csv
import io

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.test import Client

from accounts.roles import ADMINISTRATOR, HR_OFFICER, TRAINEE, TRAINER
from assessments import grading
from assessments.services import attempt_start, attempt_submit, question_regrade
from audit.middleware import AuditRequestMiddleware
from audit.models import AuditEntry
from audit.selectors import audit_chain_verify
from certificates.models import Certificate
from certificates.services import certificate_reissue, certificate_revoke
from courses.services import enrolment_create, lesson_complete
from tests.factories.accounts import PASSWORD, UserFactory, organisation_create, totp_activate
from tests.factories.assessments import SINGLE, question_block_value, question_create, quiz_create
from tests.factories.courses import catalogue_create, course_create, owner_add
from tests.mfa import mfa_login, staff_login

pytestmark = pytest.mark.django_db

CLIENT_IP = "203.0.113.77"


def entries(action, **filters):
    return list(AuditEntry.objects.filter(action=action, **filters).order_by("seq"))


def browser() -> Client:
    return Client(REMOTE_ADDR=CLIENT_IP, HTTP_USER_AGENT="Trình duyệt thử")


@pytest.fixture(autouse=True)
def chain_still_verifies():
    yield
    assert audit_chain_verify().ok


# --- sign-ins and two-factor events -------------------------------------------------------


def test_a_staff_sign_in_records_the_code_step_and_the_sign_in():
    trainer = UserFactory(role=TRAINER, email="gv.binh@pcmd.example")
    totp = totp_activate(trainer)
    client = browser()

    mfa_login(client, trainer, totp)

    [step] = entries("mfa.authenticated", actor_id=trainer.pk)
    [login] = entries("auth.login", actor_id=trainer.pk)
    assert step.seq < login.seq
    assert login.data == {"second_factor": True}
    assert login.ip == CLIENT_IP and login.user_agent == "Trình duyệt thử"
    assert login.actor_label.endswith("<gv.binh@pcmd.example>")

    client.post("/accounts/logout/")
    assert entries("auth.logout", actor_id=trainer.pk)


def test_trainee_sign_ins_are_not_audited(client):
    trainee = UserFactory(role=TRAINEE)
    client.post("/accounts/login/", {"login": trainee.email, "password": PASSWORD})

    assert "_auth_user_id" in client.session
    assert entries("auth.login") == []


def test_failed_sign_ins_to_staff_accounts_and_wrong_codes_are_recorded():
    admin = UserFactory(role=ADMINISTRATOR, email="qt.lan@pcmd.example")
    totp_activate(admin)
    trainee = UserFactory(role=TRAINEE)
    client = browser()

    client.post("/accounts/login/", {"login": admin.email, "password": "sai-mat-khau-9"})
    client.post("/accounts/login/", {"login": trainee.email, "password": "sai-mat-khau-9"})
    client.post("/accounts/login/", {"login": "ai-do@pcmd.example", "password": "x-12345678"})

    [failed] = entries("auth.login_failed")
    assert failed.target_id == str(admin.pk) and failed.actor_id is None
    assert failed.ip == CLIENT_IP and failed.data == {"login": admin.email}

    client.post("/accounts/login/", {"login": admin.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    [refused] = entries("mfa.failed")
    assert refused.target_id == str(admin.pk) and refused.data == {"type": "totp"}
    assert entries("auth.login") == []


def _reauthenticate(client, totp=None):
    """allauth asks for the password (and code) again before authenticator changes."""
    step = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    if totp is not None and "/2fa/reauthenticate/" in step.get("Location", ""):
        client.post("/accounts/2fa/reauthenticate/", {"code": totp.now()})


def test_recovery_codes_and_removing_the_authenticator_are_recorded():
    trainer = UserFactory(role=TRAINER)
    client = browser()
    totp = staff_login(client, trainer)
    _reauthenticate(client, totp)

    generated = client.post("/accounts/2fa/recovery-codes/generate/")
    assert generated.status_code == 302
    removed = client.post("/accounts/2fa/totp/deactivate/")
    assert removed.status_code == 302
    assert not Authenticator.objects.filter(user=trainer, type="totp").exists()

    assert [e.target_id for e in entries("mfa.recovery_codes_generated")] == [str(trainer.pk)]
    [deactivated] = entries("mfa.deactivated")
    assert deactivated.actor_id == trainer.pk and deactivated.data == {"type": "totp"}


def test_setting_up_an_authenticator_is_recorded():
    import pyotp

    trainer = UserFactory(role=TRAINER)
    client = browser()
    client.post("/accounts/login/", {"login": trainer.email, "password": PASSWORD})
    _reauthenticate(client)
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret

    done = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})

    assert done.status_code == 302, done.content.decode()[:3000]
    assert Authenticator.objects.filter(user=trainer, type="totp").exists(), done["Location"]
    [activated] = entries("mfa.activated")
    assert activated.actor_id == trainer.pk and activated.ip == CLIENT_IP


# --- roles, groups and flags -------------------------------------------------------------


def _as(user, function):
    """Run `function` inside a request made by `user` (what an admin view does)."""
    from django.test import RequestFactory

    request = RequestFactory().post("/admin/users/", REMOTE_ADDR=CLIENT_IP)
    request.user = user
    AuditRequestMiddleware(lambda r: function())(request)


def test_granting_and_withdrawing_a_staff_role_is_recorded_with_who_did_it():
    admin = UserFactory(role=ADMINISTRATOR)
    person = UserFactory(role=TRAINEE, email="hv.an@pcmd.example")
    hr = Group.objects.get(name=HR_OFFICER)

    _as(admin, lambda: person.groups.add(hr))
    _as(admin, lambda: hr.user_set.remove(person))
    _as(admin, lambda: person.groups.clear())

    changes = entries("role.changed", target_id=str(person.pk))
    assert [(e.data["added"], e.data["removed"]) for e in changes[-3:]] == [
        ([HR_OFFICER], []),
        ([], [HR_OFFICER]),
        ([], [TRAINEE]),
    ]
    assert {e.actor_id for e in changes[-3:]} == {admin.pk}
    assert changes[-1].ip == CLIENT_IP


def test_a_role_changed_by_a_script_is_recorded_without_an_actor():
    person = UserFactory(role=TRAINEE)
    person.groups.add(Group.objects.get(name=TRAINER))

    [change] = entries("role.changed", target_id=str(person.pk))
    assert change.actor_id is None and change.data["added"] == [TRAINER]


def test_superuser_and_staff_flags_are_recorded():
    admin = UserFactory(role=ADMINISTRATOR)
    person = UserFactory(role=TRAINER)

    def promote():
        person.is_superuser = True
        person.save()

    _as(admin, promote)
    person.is_active = False
    person.save(update_fields=["is_active"])
    person.save(update_fields=["last_login"])  # no flag changed: no entry

    changes = entries("role.changed", target_id=str(person.pk))
    flags = [e.data["flags"] for e in changes if "flags" in e.data]
    assert flags == [{"is_superuser": [False, True]}, {"is_active": [True, False]}]
    # The stored summary is for the log's Vietnamese screen, not field names.
    summaries = [e.summary for e in changes if "flags" in e.data]
    assert summaries == [
        "Quản trị tối cao (mọi quyền): Không → Có",
        "Tài khoản đang hoạt động: Có → Không",
    ]


def test_group_permission_changes_made_in_the_admin_are_recorded():
    admin = UserFactory(role=ADMINISTRATOR)
    group = Group.objects.get(name=TRAINER)
    permission = Permission.objects.get(codename="access_hr_area")

    _as(admin, lambda: group.permissions.add(permission))

    [entry] = entries("group.permissions_changed")
    assert entry.actor_id == admin.pk and entry.target_label == TRAINER
    assert entry.data == {"change": "add", "permissions": ["access_hr_area"]}


def test_wagtail_user_editor_changing_roles_is_recorded(client):
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    staff_login(client, admin)
    person = UserFactory(role=TRAINEE, email="hv.hoa@pcmd.example")
    form = client.get(f"/admin/users/edit/{person.pk}/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "email": person.email,
            "full_name": person.full_name,
            "groups": [Group.objects.get(name=TRAINER).pk],
            "is_active": "on",
        }
    )

    client.post(f"/admin/users/edit/{person.pk}/", data)

    person.refresh_from_db()
    assert list(person.groups.values_list("name", flat=True)) == [TRAINER]
    changes = entries("role.changed", target_id=str(person.pk), actor_id=admin.pk)
    assert any(TRAINER in e.data.get("added", []) for e in changes)


# --- regrades, certificates, exports -----------------------------------------------------


def test_a_regrade_records_each_changed_score(home_page):
    trainer = UserFactory(role=TRAINER)
    question = question_create("q-khoa", "single_choice", SINGLE)
    course, _ = course_create(catalogue_create(home_page), code="PCMD-A1", lessons=1)
    quiz = quiz_create(course, [question])
    learner = UserFactory()
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, quiz=quiz)
    item = attempt.items.get()
    attempt = attempt_submit(
        user=learner,
        attempt_id=attempt.pk,
        raw_answers={str(item.pk): grading.correct_answer(item.kind, item.spec)},
    )
    fixed = {"choices": [{**c, "correct": not c["correct"]} for c in SINGLE["choices"]]}
    question.body = [
        {"type": "single_choice", "value": question_block_value("single_choice", fixed)}
    ]
    question.save()

    question_regrade(question=question, changed_by=trainer)

    [entry] = entries("quiz.regraded")
    assert entry.actor_id == trainer.pk and entry.target_id == str(attempt.pk)
    assert entry.data["learner_id"] == learner.pk
    assert entry.data["old_score"] != entry.data["new_score"]


def test_certificate_issue_revoke_and_reissue_are_recorded(
    home_page, django_capture_on_commit_callbacks
):
    unit = organisation_create("Công an huyện Mẫu")
    officer = UserFactory(role=HR_OFFICER, organisation=unit)
    holder = UserFactory(full_name="Nguyễn Văn Nam", organisation=unit)
    course, lessons = course_create(catalogue_create(home_page), code="PCMD-A2", lessons=1)
    enrolment_create(user=holder, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=holder, course=course, lesson=lessons[0])
    certificate = Certificate.objects.get(user=holder)

    new = certificate_reissue(
        certificate=certificate, by=officer, holder_name="Nguyễn Văn Nâm", reason="sai tên"
    )
    certificate_revoke(certificate=new, by=officer, reason="cấp nhầm")

    assert [e.target_id for e in entries("certificate.issued")][:1] == [str(certificate.pk)]
    [reissued] = entries("certificate.reissued")
    [revoked] = entries("certificate.revoked")
    assert reissued.actor_id == officer.pk and revoked.actor_id == officer.pk
    assert revoked.target_id == str(new.pk)


def test_the_hr_bulk_check_export_is_recorded_with_its_row_count(home_page):
    unit = organisation_create("Sở Tư pháp Mẫu")
    officer = UserFactory(role=HR_OFFICER, organisation=unit)
    client = browser()
    staff_login(client, officer)
    upload = io.BytesIO(b"KHONG-CO-1\nKHONG-CO-2\n")
    upload.name = "ma.csv"

    response = client.post("/hr/certificates/", {"file": upload, "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    [entry] = entries("export.personal_data")
    assert entry.actor_id == officer.pk and entry.ip == CLIENT_IP
    assert entry.data["what"] == "hr_bulk_check"
    assert entry.data["rows"] == len(rows) - 1 == 2
    assert entry.data["format"] == "csv"


def test_admin_spreadsheet_exports_are_recorded(home_page):
    trainer = UserFactory(role=TRAINER)
    course, _ = course_create(catalogue_create(home_page), code="PCMD-A3", lessons=1)
    owner_add(course, trainer)  # exports follow course ownership
    for i in range(3):
        enrolment_create(user=UserFactory(full_name=f"Học viên {i}"), course=course)
    client = browser()
    staff_login(client, trainer)

    response = client.get(f"/admin/courses/{course.pk}/learners/", {"export": "csv"})

    body = b"".join(response.streaming_content).decode()
    assert "Học viên 2" in body
    [entry] = entries("export.personal_data")
    assert entry.actor_id == trainer.pk
    assert entry.data["rows"] == 3 and entry.data["format"] == "csv"
    assert entry.data["what"] == "course_learners"
