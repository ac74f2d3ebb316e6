"""Least privilege beyond the course page: the question bank, H5P activities, a course's
certificate template and its in-person sessions. A trainer sees and edits their own items
and the shared ones; another trainer's private item, another's course's template or
session answers 403 with a plain Vietnamese message on every admin URL that names it
(walked from the resolver); administrators keep everything."""

import pytest
from django.test import Client
from wagtail.test.utils.form_data import querydict_from_html

from accounts.roles import ADMINISTRATOR, TRAINER
from assessments.models import Question
from certificates.models import CertificateTemplate
from content.models import H5PContent, H5PStatus
from courses.models import Assignment, LessonPage
from tests.factories.accounts import UserFactory
from tests.factories.assessments import SINGLE, question_create, quiz_create
from tests.factories.courses import course_create, owner_add
from tests.mfa import staff_login
from tests.urlwalk import walk
from tests.workshops.conftest import session_create, step_create

pytestmark = pytest.mark.django_db

REFUSAL = "không phải của bạn"


def _client(user) -> Client:
    client = Client()
    staff_login(client, user)
    return client


def _text(response) -> str:
    """A page's HTML, or a chooser's (sent inside JSON)."""
    if response["Content-Type"].startswith("application/json"):
        return response.json()["html"]
    return response.content.decode()


def _activity(title, owner, shared=False):
    return H5PContent.objects.create(
        title=title, owner=owner, uploaded_by=owner, shared=shared, status=H5PStatus.READY
    )


@pytest.fixture
def bank(catalogue):
    a = UserFactory(role=TRAINER, full_name="Trần Văn An")
    b = UserFactory(role=TRAINER, full_name="Lê Thị Bình")
    course, _lessons = course_create(catalogue, code="ITM-101", lessons=1)
    owner_add(course, a)
    step = step_create(course)
    return {
        "a": a,
        "b": b,
        "course": course,
        "private": question_create("Câu riêng của An", "single_choice", SINGLE, owner=a),
        "shared": question_create(
            "Câu chia sẻ của An", "single_choice", SINGLE, owner=a, shared=True
        ),
        "b_own": question_create("Câu của Bình", "single_choice", SINGLE, owner=b),
        "h5p_private": _activity("Hoạt động riêng của An", a),
        "h5p_shared": _activity("Hoạt động chia sẻ", a, shared=True),
        "template": CertificateTemplate.objects.create(
            name="Mẫu của An", course=course, issuer_name="Ban Chỉ đạo"
        ),
        "session": session_create(step),
        "step": step,
        "assignment": Assignment.objects.create(
            course=course, user=UserFactory(full_name="Học Viên Được Giao")
        ),
    }


def _routes(fragment: str, values: dict):
    """Every admin route under `fragment` that names an object, with `values` filled in."""
    return [
        r
        for r in walk(values)
        if r.samples
        and r.samples[0].startswith("/admin/")
        and fragment in r.route
        and any(f":{name}>" in r.route for name in values)
    ]


def test_every_admin_url_naming_another_trainers_item_refuses_them_and_answers_its_owner(
    bank, vietnamese
):
    b = _client(bank["b"])
    a = _client(bank["a"])
    admin = _client(UserFactory(role=ADMINISTRATOR, is_superuser=True))
    targets = [
        ("snippets/assessments/question/", {"pk": [bank["private"].pk]}),
        ("snippets/choose/assessments/question/", {"pk": [bank["private"].pk]}),
        ("questions/", {"question_id": [bank["private"].pk]}),
        ("snippets/content/h5pcontent/", {"pk": [bank["h5p_private"].pk]}),
        ("snippets/choose/content/h5pcontent/", {"pk": [bank["h5p_private"].pk]}),
        ("h5p/", {"content_id": [bank["h5p_private"].pk]}),
        ("snippets/certificates/certificatetemplate/", {"pk": [bank["template"].pk]}),
        ("training_sessions/", {"pk": [bank["session"].pk]}),
        ("assignments/", {"pk": [bank["assignment"].pk]}),
    ]
    leaks, unplain, owner_refused, admin_refused, walked = [], [], [], [], 0
    for fragment, values in targets:
        routes = _routes(fragment, values)
        assert routes, fragment
        for route in routes:
            for path in route.samples:
                walked += 1
                for method in ("get", "post"):
                    response = getattr(b, method)(path)
                    if response.status_code != 403:
                        leaks.append((method, path, response.status_code))
                    elif method == "get" and REFUSAL not in response.content.decode():
                        unplain.append(path)
                if admin.get(path).status_code == 403:
                    admin_refused.append(path)
                # Approving H5P libraries is the administrators' alone.
                if "approve-libraries" not in path and a.get(path).status_code == 403:
                    owner_refused.append(path)
    assert walked >= 25
    assert leaks == []
    assert unplain == []
    assert owner_refused == []
    assert admin_refused == []


def test_the_bank_lists_a_trainers_own_and_the_shared_items_and_nothing_else(bank):
    b = _client(bank["b"])
    admin = _client(UserFactory(role=ADMINISTRATOR, is_superuser=True))

    for path in (
        "/admin/snippets/assessments/question/",
        "/admin/snippets/choose/assessments/question/",
    ):
        text = _text(b.get(path))
        assert "Câu chia sẻ của An" in text and "Câu của Bình" in text, path
        assert "Câu riêng của An" not in text, path
        assert "Câu riêng của An" in _text(admin.get(path)), path
    for path in (
        "/admin/snippets/content/h5pcontent/",
        "/admin/snippets/choose/content/h5pcontent/",
    ):
        text = _text(b.get(path))
        assert "Hoạt động chia sẻ" in text and "Hoạt động riêng của An" not in text, path
        assert "Hoạt động riêng của An" in _text(admin.get(path)), path
    templates = b.get("/admin/snippets/certificates/certificatetemplate/").content.decode()
    assert "Mẫu của An" not in templates
    sessions = b.get("/admin/training_sessions/").content.decode()
    assert bank["session"].place not in sessions
    assignments = b.get("/admin/assignments/").content.decode()
    assert "Học Viên Được Giao" not in assignments
    assert "Học Viên Được Giao" in admin.get("/admin/assignments/").content.decode()
    bulk = b.post(f"/admin/bulk/assessments/question/delete/?id={bank['private'].pk}")
    assert bulk.status_code == 403 and Question.objects.filter(pk=bank["private"].pk).exists()


def _question_form(client, url, **changes):
    """The question form as the browser sends it (the StreamField's inputs are drawn by
    its script, so they are written out here)."""
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code, page.get("Location"))
    data = querydict_from_html(page.content.decode(), form_id="w-editor-form")
    choices = {"count": 2}
    for i, (text, correct) in enumerate((("Đúng", True), ("Sai", False))):
        value = {"text": text, "correct": "on" if correct else ""}
        choices[str(i)] = {"value": value, "deleted": "", "order": i, "id": ""}
    body = streamfield([("single_choice", {"choices": choices})])
    for key, value in nested_form_data({"body": body}).items():
        data[key] = value
    for key, value in changes.items():
        data[key] = value
    return dict(data.lists())


def test_a_shared_question_is_edited_by_another_trainer_and_a_copy_is_its_authors(bank):
    b = _client(bank["b"])
    url = f"/admin/snippets/assessments/question/edit/{bank['shared'].pk}/"

    # A tampered form cannot unshare An's question: only its author or an administrator.
    edited = b.post(url, _question_form(b, url, title="Câu chia sẻ, đã sửa", shared=""))

    assert edited.status_code == 302
    shared = Question.objects.get(pk=bank["shared"].pk)
    assert shared.title == "Câu chia sẻ, đã sửa" and shared.shared
    # Copying a shared question makes B's own private question.
    copy = f"/admin/snippets/assessments/question/copy/{bank['shared'].pk}/"
    response = b.post(copy, _question_form(b, copy, title="Bản sao của Bình", shared=""))
    assert response.status_code == 302
    created = Question.objects.get(title="Bản sao của Bình")
    assert created.owner == bank["b"] and not created.shared
    # A copy is a new question: the original keeps its title, author and sharing.
    original = Question.objects.get(pk=bank["shared"].pk)
    assert original.title == "Câu chia sẻ, đã sửa" and original.owner == bank["a"]
    assert original.shared and Question.objects.count() == 4


def test_a_tampered_quiz_cannot_take_another_trainers_private_question(bank, vietnamese):
    b_course, _lessons = course_create(bank["course"].get_parent(), code="ITM-202", lessons=1)
    owner_add(b_course, bank["b"])
    quiz = quiz_create(b_course, [bank["b_own"]])
    b = _client(bank["b"])
    url = f"/admin/pages/{quiz.pk}/edit/"
    data = querydict_from_html(b.get(url).content.decode(), form_id="page-edit-form")
    data["fixed_questions-0-question"] = str(bank["private"].pk)

    response = b.post(url, dict(data.lists()))

    assert response.status_code == 200
    assert "không được chia sẻ" in response.content.decode()
    quiz.refresh_from_db()
    revision = quiz.get_latest_revision_as_object()
    assert [f.question_id for f in revision.fixed_questions.all()] == [bank["b_own"].pk]
    # A shared question is fine.
    data["fixed_questions-0-question"] = str(bank["shared"].pk)
    assert b.post(url, dict(data.lists())).status_code == 302


def test_a_trainer_schedules_sessions_only_for_steps_of_their_own_courses(bank):
    from workshops.models import TrainingSession

    b = _client(bank["b"])
    add = "/admin/training_sessions/new/"
    form = b.get(add)
    assert form.status_code == 200
    assert bank["step"].title not in form.content.decode()
    data = querydict_from_html(form.content.decode(), form_id="w-editor-form")
    session = bank["session"]
    data.update(
        {
            "step": str(bank["step"].pk),  # tampered: a step of An's course
            "starts_at": session.starts_at.strftime("%Y-%m-%d %H:%M"),
            "ends_at": session.ends_at.strftime("%Y-%m-%d %H:%M"),
            "place": "Phòng họp giả mạo",
            "capacity": "5",
        }
    )
    response = b.post(add, dict(data.lists()))
    assert response.status_code == 200
    assert not TrainingSession.objects.filter(place="Phòng họp giả mạo").exists()
    a = _client(bank["a"])
    assert bank["step"].title in a.get(add).content.decode()


def test_a_shared_questions_regrade_by_another_trainer_touches_only_their_courses(bank):
    from assessments.models import Attempt
    from assessments.services import attempt_start, attempt_submit
    from courses.services import enrolment_create

    a_quiz = quiz_create(bank["course"], [bank["shared"]], slug="kt-an")
    b_course, _lessons = course_create(bank["course"].get_parent(), code="ITM-303", lessons=1)
    owner_add(b_course, bank["b"])
    b_quiz = quiz_create(b_course, [bank["shared"]], slug="kt-binh")
    learner = UserFactory()
    for course, quiz in ((bank["course"], a_quiz), (b_course, b_quiz)):
        enrolment_create(user=learner, course=course)
        attempt = attempt_start(user=learner, quiz=quiz)
        attempt_submit(user=learner, attempt_id=attempt.pk, raw_answers={})

    b = _client(bank["b"])
    page = b.get(f"/admin/questions/{bank['shared'].pk}/regrade/")
    assert page.status_code == 200
    assert b.post(f"/admin/questions/{bank['shared'].pk}/regrade/").status_code == 302

    from assessments.models import RegradeRecord

    touched = set(RegradeRecord.objects.values_list("attempt__quiz_id", flat=True))
    assert touched == {b_quiz.pk}
    assert Attempt.objects.filter(quiz=a_quiz).count() == 1


def test_a_trainers_import_does_not_overwrite_another_trainers_private_question(catalogue):
    from packages.importer import ImportOptions, package_apply
    from packages.reader import package_read_zip
    from tests.packages.conftest import tree, zipped

    a = UserFactory(role=TRAINER)
    b = UserFactory(role=TRAINER)
    package = package_read_zip(zipped(tree()))
    package_apply(package=package, options=ImportOptions(), user=a)
    mine = Question.objects.get()
    assert mine.owner == a and not mine.shared
    before = (mine.title, mine.version)

    plan = package_apply(
        package=package_read_zip(zipped(tree())),
        options=ImportOptions(update_questions=True, on_existing="skip"),
        user=b,
    ).plan

    mine.refresh_from_db()
    assert (mine.title, mine.version) == before
    assert [line.action for line in plan.lines if line.kind == "question"] == ["skip"]


def test_a_trainer_assigns_only_their_own_courses(bank):
    b = _client(bank["b"])
    learner = UserFactory(full_name="Người Bị Giao")
    form = b.get("/admin/assignments/new/")
    assert form.status_code == 200 and "ITM-101" not in form.content.decode()

    tampered = b.post("/admin/assignments/new/", {"course": bank["course"].pk, "user": learner.pk})

    assert tampered.status_code == 200
    assert not Assignment.objects.filter(user=learner).exists()
    a = _client(bank["a"])
    assert (
        a.post(
            "/admin/assignments/new/", {"course": bank["course"].pk, "user": learner.pk}
        ).status_code
        == 302
    )
    assert Assignment.objects.filter(user=learner, course=bank["course"]).exists()


def test_a_category_draw_never_brings_another_trainers_private_question(bank):
    from assessments.models import QuestionCategory, QuizDraw
    from assessments.services import attempt_start
    from courses.services import enrolment_create

    category = QuestionCategory.objects.create(name="Rút ngẫu nhiên")
    Question.objects.filter(pk__in=[bank["private"].pk, bank["b_own"].pk]).update(category=category)
    b_course, _lessons = course_create(bank["course"].get_parent(), code="ITM-404", lessons=1)
    owner_add(b_course, bank["b"])
    quiz = quiz_create(b_course, [], slug="rut")
    QuizDraw.objects.create(quiz=quiz, category=category, count=2)
    learner = UserFactory()
    enrolment_create(user=learner, course=b_course)

    attempt = attempt_start(user=learner, quiz=quiz)

    assert [item.question_id for item in attempt.items.all()] == [bank["b_own"].pk]


def _lesson_with(client, url, activity_pk):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    for key in [k for k in data if k.startswith("body-")]:
        del data[key]
    body = streamfield(
        [("h5p_activity", {"activity": activity_pk, "required": "on", "pass_threshold": "80"})]
    )
    for key, value in nested_form_data({"body": body}).items():
        data[key] = value
    return dict(data.lists())


def test_a_tampered_lesson_cannot_take_another_trainers_private_h5p_activity(bank, vietnamese):
    b_course, lessons = course_create(bank["course"].get_parent(), code="ITM-303", lessons=1)
    owner_add(b_course, bank["b"])
    lesson = lessons[0]
    b = _client(bank["b"])
    url = f"/admin/pages/{lesson.pk}/edit/"

    refused = b.post(url, _lesson_with(b, url, bank["h5p_private"].pk))
    accepted = b.post(url, _lesson_with(b, url, bank["h5p_shared"].pk))

    assert refused.status_code == 200
    assert "là hoạt động H5P của giảng viên khác" in refused.content.decode()
    assert accepted.status_code == 302
    saved = LessonPage.objects.get(pk=lesson.pk).get_latest_revision_as_object().body
    assert [(b.block_type, b.value.get("activity")) for b in saved] == [
        ("h5p_activity", bank["h5p_shared"])
    ]
    # An administrator may use any activity.
    admin = _client(UserFactory(role=ADMINISTRATOR, is_superuser=True))
    assert admin.post(url, _lesson_with(admin, url, bank["h5p_private"].pk)).status_code == 302
