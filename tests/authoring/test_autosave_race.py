"""The create form's autosave and a publish sent before the browser heard back must give
one page, published, with no error (the browser test shows the race in Chromium)."""

import pytest
from wagtail.test.utils.form_data import querydict_from_html

from accounts.roles import TRAINER
from assessments.models import QuizPage
from content.authoring import TOKEN_FIELD
from tests.factories.accounts import UserFactory
from tests.factories.courses import course_create, owner_add
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db

TOKEN = "3f2b8c1e-7a4d-4e6b-9c1a-2d5e8f0a1b2c"


@pytest.fixture
def quiz_form(client, catalogue):
    course, _lessons = course_create(catalogue, code="PCMD-601", lessons=1)
    trainer = UserFactory(role=TRAINER)
    owner_add(course, trainer)
    staff_login(client, trainer)
    url = f"/admin/pages/add/assessments/quizpage/{course.pk}/"
    html = client.get(url).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data["title"] = "Kiểm tra nhanh: Điều 329"
    data["slug"] = "kiem-tra-nhanh-dieu-329"  # as the admin's script fills it from the title
    return course, url, data, trainer


def _autosave(client, url, data):
    response = client.post(url, dict(data.lists()), HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["success"], response.content[:300]
    return response.json()["pk"]


def _publish(client, url, data):
    return client.post(url, {**dict(data.lists()), "action-publish": "action-publish"})


def test_without_the_forms_token_the_race_leaves_an_orphan_and_a_slug_error(client, quiz_form):
    # What a browser did before: the same create form posted twice.
    course, url, data, _trainer = quiz_form
    _autosave(client, url, data)

    response = _publish(client, url, data)

    assert response.status_code == 200  # the form again, with the slug refused
    quizzes = QuizPage.objects.child_of(course)
    assert quizzes.count() == 1 and not quizzes.get().live  # the autosaved draft, orphaned


def test_a_publish_from_the_create_form_replaces_the_draft_its_autosave_made(client, quiz_form):
    course, url, data, trainer = quiz_form
    data[TOKEN_FIELD] = TOKEN
    autosaved = _autosave(client, url, data)
    data["intro"] = (
        '{"blocks":[{"key":"a","text":"Sau lần tự lưu.","type":"unstyled",'
        '"depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'
    )

    response = _publish(client, url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    quiz = QuizPage.objects.child_of(course).get()
    assert quiz.live and quiz.pk != autosaved and quiz.owner == trainer
    assert quiz.slug == "kiem-tra-nhanh-dieu-329"
    assert "Sau lần tự lưu." in quiz.intro  # the latest content, not the autosaved one


def test_a_second_publish_from_the_same_form_opens_the_page_instead_of_failing(client, quiz_form):
    course, url, data, _trainer = quiz_form
    data[TOKEN_FIELD] = TOKEN
    assert _publish(client, url, data).status_code == 302
    quiz = QuizPage.objects.child_of(course).get()

    again = _publish(client, url, data)

    assert again.status_code == 302 and again["Location"] == f"/admin/pages/{quiz.pk}/edit/"
    assert QuizPage.objects.child_of(course).count() == 1


def test_another_persons_token_never_removes_their_draft(client, quiz_form):
    course, url, data, _trainer = quiz_form
    data[TOKEN_FIELD] = TOKEN
    _autosave(client, url, data)
    other = UserFactory(role=TRAINER)
    owner_add(course, other)  # a co-owner, who may add to the course
    staff_login(client, other)

    _publish(client, url, data)

    assert QuizPage.objects.child_of(course).filter(owner=_trainer).exists()
