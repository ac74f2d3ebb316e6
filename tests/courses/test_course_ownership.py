"""Least privilege for trainers: a course is worked on by its owners (its creator and the
trainers an administrator adds) and administrators, and by nobody else — tried the way
another trainer would try it, on every admin URL about a course that the resolver knows."""

import csv
import io

import pytest
from django.test import Client

from accounts.roles import ADMINISTRATOR, TRAINER
from assessments.services import attempt_start
from audit.models import AuditEntry
from courses.models import CourseOwner, CoursePage, ModulePage
from courses.services import course_owner_add, enrolment_create
from tests.factories.accounts import UserFactory
from tests.factories.assessments import SINGLE, question_create, quiz_create
from tests.factories.courses import course_create, owner_add
from tests.mfa import staff_login
from tests.urlwalk import walk

pytestmark = pytest.mark.django_db

PAGE_ARGUMENTS = ("page_id", "parent_page_id", "course_id", "lesson_id", "quiz_id")
REFUSED = (403, 404)
# Who owns a course is the administrators' to change, not the owners' (tested below).
ADMIN_ONLY = {"courses_owners"}


@pytest.fixture
def world(catalogue):
    """Trainer A's course (a module, a lesson, a quiz, a learner with an attempt)."""
    owner = UserFactory(role=TRAINER, full_name="Trần Văn An")
    course, lessons = course_create(catalogue, code="OWN-101", lessons=1)
    owner_add(course, owner)
    module = course.add_child(instance=ModulePage(title="Chương 1", slug="chuong-1"))
    quiz = quiz_create(course, [question_create("q-own", "single_choice", SINGLE)])
    learner = UserFactory(full_name="Học Viên Một", staff_id="CA-77")
    enrolment_create(user=learner, course=course)
    attempt_start(user=learner, quiz=quiz)
    return {
        "owner": owner,
        "course": course,
        "module": module,
        "lesson": lessons[0],
        "quiz": quiz,
        "catalogue": catalogue,
    }


def _client(user) -> Client:
    client = Client()
    staff_login(client, user)
    return client


def _course_routes(world, kinds=("course", "lesson", "quiz")):
    pages = [world[k].pk for k in kinds]
    values = dict.fromkeys(PAGE_ARGUMENTS, pages)
    values.update({"revision_id": [world["course"].latest_revision_id or 1]})
    routes = [
        r
        for r in walk(values)
        if r.samples
        and r.samples[0].startswith("/admin/")
        and any(f"<int:{name}>" in r.route or f"<{name}>" in r.route for name in PAGE_ARGUMENTS)
        # Choosers list page titles to link to: no work on a course.
        and r.name != "wagtailadmin_choose_page_child"
    ]
    return routes


def test_every_admin_url_about_a_course_refuses_another_trainer_and_answers_its_owner(world):
    routes = _course_routes(world)
    assert len(routes) > 40  # Wagtail's page views and ours are in the walk
    other = _client(UserFactory(role=TRAINER))
    owner = _client(world["owner"])
    admin = _client(UserFactory(role=ADMINISTRATOR, is_superuser=True))

    leaks, owner_refused, answered = [], [], 0
    for route in routes:
        for path in route.samples:
            for method in ("get", "post"):  # a POST is a tampered form, straight to the URL
                response = getattr(other, method)(path)
                if response.status_code not in REFUSED:
                    leaks.append((method, path, response.status_code))
        # The owner is answered wherever an administrator is (some routes take only a
        # lesson or only a quiz, and answer 404 to everyone for the other pages).
        for path in route.samples:
            if owner.get(path).status_code not in REFUSED:
                answered += 1
                break
        else:
            if route.name in ADMIN_ONLY:
                continue
            if any(admin.get(path).status_code not in REFUSED for path in route.samples):
                owner_refused.append(route.route)
    assert leaks == []
    assert owner_refused == []
    assert answered >= 25


def test_trainer_b_is_told_plainly_and_gets_403_on_trainer_as_course_screens(world, vietnamese):
    b = _client(UserFactory(role=TRAINER))
    admin = _client(UserFactory(role=ADMINISTRATOR, is_superuser=True))
    course, quiz = world["course"], world["quiz"]
    screens = [
        f"/admin/pages/{course.pk}/edit/",
        f"/admin/pages/{world['lesson'].pk}/edit/",
        f"/admin/courses/{course.pk}/learners/",
        f"/admin/courses/{course.pk}/learners/?export=csv",
        f"/admin/courses/{course.pk}/learners/?export=xlsx",
        f"/admin/courses/{course.pk}/export/",
        f"/admin/quizzes/{quiz.pk}/results/",
        f"/admin/quizzes/{quiz.pk}/results/?export=csv",
        f"/admin/quizzes/{quiz.pk}/analysis/",
        f"/admin/lessons/{world['lesson'].pk}/activities/?export=csv",
    ]
    for path in screens:
        refused = b.get(path)
        assert refused.status_code == 403, path
        text = refused.content.decode()
        assert "không phải khóa học của bạn" in text and "Trần Văn An" in text, path
        assert "CA-77" not in text and "Học Viên Một" not in text
        assert admin.get(path).status_code == 200, path
    script = b.get(f"/admin/pages/{course.pk}/edit/", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert script.status_code == 403 and script.json()["error"] == "not_course_owner"


def test_the_owners_export_has_the_learners_and_an_added_owner_gets_the_same(world):
    second = UserFactory(role=TRAINER)
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    course_owner_add(course=world["course"], user=second, by=admin)
    client = _client(second)

    export = client.get(f"/admin/courses/{world['course'].pk}/learners/?export=csv")

    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[1][0] == "Học Viên Một" and rows[1][2] == "CA-77"


def test_without_the_guard_wagtail_and_our_views_still_refuse_another_trainer(world, settings):
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "courses.middleware.CourseOwnershipGuardMiddleware"
    ]
    b_user = UserFactory(role=TRAINER)
    b = _client(b_user)
    course, lesson, quiz = world["course"], world["lesson"], world["quiz"]

    for path in (
        f"/admin/pages/{course.pk}/edit/",
        f"/admin/pages/{lesson.pk}/edit/",
        f"/admin/pages/{quiz.pk}/edit/",
        f"/admin/pages/{lesson.pk}/delete/",
        f"/admin/pages/{lesson.pk}/unpublish/",
        f"/admin/courses/{course.pk}/learners/?export=csv",
        f"/admin/courses/{course.pk}/copy/",
        f"/admin/courses/{course.pk}/export/",
        f"/admin/quizzes/{quiz.pk}/results/",
        f"/admin/quizzes/{quiz.pk}/analysis/",
    ):
        response = b.get(path)
        assert response.status_code in (302, 403), path
        if response.status_code == 302:  # Wagtail's own "permission denied" answer
            assert response["Location"] == "/admin/", path
    add_lesson = b.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", {"title": "X"})
    assert add_lesson.status_code in (302, 403) and add_lesson.get("Location", "/admin/") in (
        "/admin/"
    )
    assert CoursePage.objects.get(pk=course.pk).get_children().count() == 3
    # The lesson preview on the site is for owners (and administrators) only.
    preview = b.get(lesson.url)
    assert preview.status_code == 302 and preview["Location"] == course.url

    perms = course.permissions_for_user(b_user)
    assert not (perms.can_edit() or perms.can_publish() or perms.can_add_subpage())
    assert not lesson.permissions_for_user(b_user).can_edit()
    owner_perms = lesson.permissions_for_user(world["owner"])
    assert owner_perms.can_edit() and owner_perms.can_publish()


def test_trainers_add_courses_but_do_not_edit_or_unpublish_the_catalogue(world):
    b_user = UserFactory(role=TRAINER)
    perms = world["catalogue"].permissions_for_user(b_user)

    assert perms.can_add_subpage() and perms.can_publish_subpage()
    assert not (perms.can_edit() or perms.can_unpublish() or perms.can_delete())
    assert not perms.can_reorder_children()


def test_the_explorer_lists_only_a_trainers_own_courses(world, catalogue):
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    b_user = UserFactory(role=TRAINER)
    mine, _lessons = course_create(catalogue, code="OWN-202", lessons=1)
    owner_add(mine, b_user)
    policy = policy_registry.get_by_type(Page)

    editable = set(policy.instances_user_has_permission_for(b_user, "change"))
    explorable = set(policy.explorable_instances(b_user))

    assert mine.page_ptr in editable and world["course"].page_ptr not in editable
    assert world["lesson"].page_ptr not in editable
    assert world["course"].page_ptr not in explorable and mine.page_ptr in explorable
    assert not policy.user_has_permission_for_instance(b_user, "change", world["course"])
    assert policy.user_has_permission_for_instance(b_user, "change", mine)


def test_the_creator_owns_a_new_course_from_its_first_save_and_it_is_audited(client, catalogue):
    trainer = UserFactory(role=TRAINER)
    staff_login(client, trainer)
    url = f"/admin/pages/add/courses/coursepage/{catalogue.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    from wagtail.test.utils.form_data import querydict_from_html

    data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
    data.update({"title": "Khóa mới", "slug": "khoa-moi", "code": "NEW-1", "summary": "Tóm tắt"})

    autosave = client.post(url, dict(data.lists()), HTTP_ACCEPT="application/json")

    assert autosave.status_code == 200 and autosave.json()["success"]
    course = CoursePage.objects.get(code="NEW-1")
    assert [o.user for o in CourseOwner.objects.filter(course=course)] == [trainer]
    entry = AuditEntry.objects.filter(action="course.owner_added", target_id=str(course.pk)).get()
    assert entry.actor_id == trainer.pk
    # The autosave's next post goes to the editor, which now answers its owner.
    assert client.get(f"/admin/pages/{course.pk}/edit/").status_code == 200


def test_a_trainer_publishes_a_new_course_straight_from_the_create_form(client, catalogue):
    """No autosave first: the course, its ownership and its publication happen in one post,
    and the publish step must already see the creator as an owner (it used to answer
    "no permission" because Wagtail had worked out the trainer's rights before the course
    existed)."""
    from wagtail.test.utils.form_data import querydict_from_html

    trainer = UserFactory(role=TRAINER)
    staff_login(client, trainer)
    url = f"/admin/pages/add/courses/coursepage/{catalogue.pk}/"
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data.update({"title": "Khóa xuất bản ngay", "slug": "khoa-xuat-ban-ngay", "code": "PUB-1"})
    data.update({"summary": "Tóm tắt", "action-publish": "action-publish"})

    response = client.post(url, dict(data.lists()))

    assert response.status_code == 302
    assert response.url == f"/admin/pages/{catalogue.pk}/"
    course = CoursePage.objects.get(code="PUB-1")
    assert course.live
    assert [o.user for o in CourseOwner.objects.filter(course=course)] == [trainer]
    explorer = client.get(response.url)
    assert explorer.status_code == 200
    assert "Khóa xuất bản ngay" in explorer.content.decode()
    assert client.get(f"/admin/pages/{course.pk}/edit/").status_code == 200


def test_a_failed_creation_leaves_no_owner_behind(client, catalogue, monkeypatch):
    """The page and its ownership are written in one transaction: if anything after the
    page's insert fails, neither is kept."""
    from wagtail.models import Page

    trainer = UserFactory(role=TRAINER)
    staff_login(client, trainer)
    url = f"/admin/pages/add/courses/coursepage/{catalogue.pk}/"
    from wagtail.test.utils.form_data import querydict_from_html

    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data.update({"title": "Khóa hỏng", "slug": "khoa-hong", "code": "BAD-1", "summary": "X"})

    def boom(self, *args, **kwargs):
        raise RuntimeError("process died after the page's insert")

    monkeypatch.setattr(Page, "save_revision", boom)
    client.raise_request_exception = False
    response = client.post(url, dict(data.lists()))

    assert response.status_code == 500
    assert not CoursePage.objects.filter(code="BAD-1").exists()
    assert not CourseOwner.objects.filter(user=trainer).exists()


def test_only_administrators_add_and_remove_owners_and_each_change_is_audited(world):
    trainer = UserFactory(role=TRAINER, full_name="Lê Văn Ba")
    course = world["course"]
    path = f"/admin/courses/{course.pk}/owners/"
    owner = _client(world["owner"])
    # An owner is no administrator: they cannot add themselves a co-owner, nor remove one.
    assert owner.get(path).status_code == 403
    assert owner.post(path, {"user": trainer.pk}).status_code == 403
    assert owner.post(path, {"remove": world["owner"].pk}).status_code == 403
    assert not CourseOwner.objects.filter(course=course, user=trainer).exists()

    admin = _client(UserFactory(role=ADMINISTRATOR, is_superuser=True))
    assert "Trần Văn An" in admin.get(path).content.decode()
    added = admin.post(path, {"user": trainer.pk})
    assert added.status_code == 302
    assert CourseOwner.objects.filter(course=course, user=trainer).exists()
    removed = admin.post(path, {"remove": world["owner"].pk})
    assert removed.status_code == 302
    assert not CourseOwner.objects.filter(course=course, user=world["owner"]).exists()
    trainee = UserFactory()
    refused = admin.post(path, {"user": trainee.pk})  # a tampered choice: not a trainer
    assert refused.status_code == 400
    assert admin.post(path, {"remove": "abc"}).status_code == 302

    actions = list(
        AuditEntry.objects.filter(target_id=str(course.pk))
        .order_by("seq")
        .values_list("action", "data__owner_id")
    )
    assert ("course.owner_added", trainer.pk) in actions
    assert actions[-1] == ("course.owner_removed", world["owner"].pk)
    # The removed trainer is refused from then on.
    assert owner.get(f"/admin/pages/{course.pk}/edit/").status_code == 403
