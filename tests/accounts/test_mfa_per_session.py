"""Staff areas need *this session* to have passed TOTP or a recovery code, by allauth's own
record of how it authenticated; an authenticator merely existing is not enough.

One test walks the whole URL resolver (Wagtail admin included) so that no staff URL, today's
or a future one, answers a password-only staff session.
"""

import pytest
from django.conf import settings
from django.test import Client

from accounts.roles import ADMINISTRATOR, HR_OFFICER, TRAINER
from assessments.services import attempt_start
from courses.services import enrolment_create
from tests.factories.accounts import UserFactory, organisation_create, totp_activate
from tests.factories.assessments import SINGLE, question_create, quiz_create
from tests.factories.certificates import certificate_create
from tests.factories.courses import catalogue_create, course_create
from tests.mfa import mfa_login, password_login, staff_login
from tests.urlwalk import walk

pytestmark = pytest.mark.django_db

PREFIXES = tuple(settings.MFA_REQUIRED_PATH_PREFIXES)
MFA_STEPS = ("/accounts/2fa/reauthenticate/", "/accounts/2fa/totp/activate/")
# allauth's own two-factor pages: the step itself and a person's own authenticator settings,
# which open only to those who have one (not a staff privilege).
OWN_MFA_PAGES = "/accounts/2fa/"
# Signing out would end the sessions under test; it is no privilege either.
SIGN_OUT = "/accounts/logout/"


@pytest.fixture
def world(home_page):
    """Real objects for every kind of id a URL takes, owned by someone else."""
    unit = organisation_create("Công an tỉnh Mẫu")
    holder = UserFactory(organisation=unit, staff_id="CA-1")
    course, lessons = course_create(catalogue_create(home_page), code="PCMD-W1", lessons=1)
    question = question_create("q-walk", "single_choice", SINGLE)
    quiz = quiz_create(course, [question])
    enrolment_create(user=holder, course=course)
    attempt = attempt_start(user=holder, quiz=quiz)
    certificate = certificate_create(user=holder, course=course)
    return {
        "unit": unit,
        "holder": holder,
        "course": course,
        "lesson": lessons[0],
        "quiz": quiz,
        "question": question,
        "attempt": attempt,
        "certificate": certificate,
    }


def _values(world):
    ids = sorted(
        {
            world[k].pk
            for k in ("course", "lesson", "quiz", "question", "attempt", "certificate", "unit")
        }
    )
    return {
        "code": [world["certificate"].code],
        "course_id": [world["course"].pk],
        "lesson_id": [world["lesson"].pk],
        "quiz_id": [world["quiz"].pk],
        "attempt_id": [world["attempt"].pk],
        "question_id": [world["question"].pk],
        "page_id": [world["course"].pk, world["lesson"].pk, world["quiz"].pk],
        "pk": ids,
        "revision_id_a": ["earliest"],
        "revision_id_b": ["latest"],
    }


def _password_only_admin(*, with_totp: bool) -> Client:
    """A session that signed in with a password, as a trainee, and was then made an
    administrator (and, for `with_totp`, set up an authenticator) without any code step."""
    person = UserFactory()
    client = Client()
    password_login(client, person)
    person.is_superuser = True
    person.save(update_fields=["is_superuser"])
    from accounts.services import user_add_to_role

    user_add_to_role(user=person, role=ADMINISTRATOR)
    if with_totp:
        totp_activate(person)
    return client


def _ok(response) -> bool:
    return 200 <= response.status_code < 300


def test_no_url_answers_a_password_only_staff_session(world):
    routes = walk(_values(world))
    unsampled = [r.route for r in routes if not r.samples and not r.candidates]
    assert unsampled == []
    with_totp = _password_only_admin(with_totp=True)
    without_totp = _password_only_admin(with_totp=False)
    trainee = Client()
    password_login(trainee, UserFactory())

    staff_paths, other_paths = set(), set()
    for route in routes:
        if route.samples and route.samples[0].startswith(PREFIXES):
            # The guard acts on the path before any view runs: one address per route.
            staff_paths.add(route.samples[0])
        else:
            other_paths.update(route.samples)
    # Pages served by Wagtail's catch-all: the course, a lesson and a quiz.
    other_paths |= {world[k].url for k in ("course", "lesson", "quiz")}
    assert len(staff_paths) > 250  # the Wagtail admin is in the walk

    checks = [("get", with_totp, MFA_STEPS[0]), ("post", with_totp, MFA_STEPS[0])]
    checks.append(("get", without_totp, MFA_STEPS[1]))
    for path in sorted(staff_paths):
        for method, client, step in checks:
            response = getattr(client, method)(path)
            assert response.status_code == 302, (method, path, response.status_code)
            assert response["Location"].startswith(step), (method, path, response["Location"])

    leaks = []
    for path in sorted(p for p in other_paths if not p.startswith((OWN_MFA_PAGES, SIGN_OUT))):
        for method in ("get", "post"):
            as_trainee = getattr(trainee, method)(path)
            for client in (with_totp, without_totp):
                response = getattr(client, method)(path)
                if _ok(response) and not _ok(as_trainee):
                    leaks.append((method, path, response.status_code, as_trainee.status_code))
    assert leaks == []
    # The sessions were signed in all along, so every answer above was to them.
    for client in (trainee, with_totp, without_totp):
        assert "_auth_user_id" in client.session


def test_the_same_staff_session_passes_once_it_enters_its_code(client, world):
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    password_login(client, admin)
    totp = totp_activate(admin)
    assert client.get("/admin/")["Location"].startswith(MFA_STEPS[0])

    response = client.post(
        "/accounts/2fa/reauthenticate/?next=/admin/", {"code": totp.now()}, follow=False
    )

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    pdf = client.get(f"/certificates/{world['certificate'].code}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_role_raised_after_sign_in_must_pass_mfa_before_the_staff_area(client):
    person = UserFactory()
    password_login(client, person)
    from accounts.services import user_add_to_role

    user_add_to_role(user=person, role=TRAINER)

    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


def test_hr_officer_without_the_code_step_gets_no_foreign_certificate_pdf(world):
    hr = UserFactory(role=HR_OFFICER, organisation=world["unit"])
    client = Client()
    password_login(client, hr)
    totp = totp_activate(hr)
    path = f"/certificates/{world['certificate'].code}/pdf/"

    refused = client.get(path)
    assert refused.status_code == 302 and refused["Location"].startswith(MFA_STEPS[0])
    assert client.get("/hr/certificates/")["Location"].startswith(MFA_STEPS[0])

    mfa_login(client, hr, totp)
    assert client.get(path)["Content-Type"] == "application/pdf"
    assert client.get("/hr/certificates/").status_code == 200


def test_a_holder_downloads_their_own_certificate_without_any_code(client, world):
    password_login(client, world["holder"])

    response = client.get(f"/certificates/{world['certificate'].code}/pdf/")

    assert response["Content-Type"] == "application/pdf"


def test_a_recovery_code_counts_as_the_second_step(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    trainer = UserFactory(role=TRAINER)
    totp_activate(trainer)
    codes = RecoveryCodes.activate(trainer).get_unused_codes()
    client.post("/accounts/login/", {"login": trainer.email, "password": "Mat-khau-an-toan-2026"})
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})

    assert client.get("/admin/").status_code == 200


def test_an_old_code_step_expires_and_is_asked_again(client, settings, trainer):
    staff_login(client, trainer)
    assert client.get("/admin/").status_code == 200

    settings.STAFF_MFA_MAX_AGE_SECONDS = 0

    assert client.get("/admin/")["Location"].startswith(MFA_STEPS[0])


def test_a_script_without_the_code_step_is_told_plainly(client):
    person = UserFactory(role=TRAINER)
    password_login(client, person)
    totp_activate(person)

    response = client.get("/admin/pages/", HTTP_X_REQUESTED_WITH="XMLHttpRequest")

    assert response.status_code == 403
    assert response.json()["error"] == "mfa_required"
