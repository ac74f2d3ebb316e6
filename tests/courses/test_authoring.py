"""A trainer builds a course in the Wagtail admin, as they would in the browser: the form
is read from the admin page, filled in and posted."""

import re

import pytest
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from accounts.roles import TRAINER
from courses.models import CoursePage, Enrolment, LessonPage
from tests.factories.accounts import UserFactory
from tests.factories.courses import owner_add
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db


def _post_page(client, url, fields):
    form = client.get(url)
    assert form.status_code == 200, url
    html = form.content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    # A browser sends "on" for a ticked checkbox without a value attribute.
    for name in re.findall(
        r'<input type="checkbox" name="([^"]+)"(?![^>]*value=)[^>]*checked', html
    ):
        data.setlist(name, ["on"])
    for key, value in fields.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    data["action-publish"] = "action-publish"
    return client.post(url, dict(data.lists()))


def test_trainer_creates_and_publishes_a_course_with_two_lessons_and_a_trainee_enrols(
    client, catalogue, trainee
):
    trainer = UserFactory(role=TRAINER)
    staff_login(client, trainer)

    response = _post_page(
        client,
        f"/admin/pages/add/courses/coursepage/{catalogue.pk}/",
        {
            "title": "Kỹ năng lấy lời khai nạn nhân",
            "slug": "ky-nang-lay-loi-khai",
            "code": "PCMD-310",
            "summary": "Phỏng vấn nạn nhân theo mô hình PEACE.",
            "objectives": rich_text("<ul><li>Áp dụng mô hình PEACE.</li></ul>"),
            "target_job_roles": ["investigator", "prosecutor"],
            "estimated_hours": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    course = CoursePage.objects.get(code="PCMD-310")
    assert course.live
    assert course.target_job_roles == ["investigator", "prosecutor"]

    for number, title in ((1, "Chuẩn bị phỏng vấn"), (2, "Kết thúc và đánh giá")):
        response = _post_page(
            client,
            f"/admin/pages/add/courses/lessonpage/{course.pk}/",
            {
                "title": title,
                "slug": f"bai-{number}",
                "estimated_minutes": "20",
                **nested_form_data(
                    {
                        "body": streamfield(
                            [("paragraph", rich_text(f"<p>Nội dung bài {number}.</p>"))]
                        )
                    }
                ),
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    assert [p.title for p in LessonPage.objects.child_of(course).live()] == [
        "Chuẩn bị phỏng vấn",
        "Kết thúc và đánh giá",
    ]

    client.force_login(trainee)
    enrolled = client.post(f"/learn/{course.pk}/enrol/", follow=True)
    assert "Bạn đã ghi danh" in enrolled.content.decode()
    assert Enrolment.objects.filter(user=trainee, course=course).exists()
    lesson = LessonPage.objects.child_of(course).first()
    assert "Nội dung bài 1." in client.get(lesson.url).content.decode()


def test_page_types_restrict_their_parents(catalogue, home_page):
    from courses.models import CourseIndexPage, ModulePage

    assert CoursePage.can_create_at(catalogue)
    assert not CoursePage.can_create_at(home_page)
    assert not LessonPage.can_create_at(catalogue)
    assert ModulePage.allowed_parent_page_models() == [CoursePage]
    assert not CourseIndexPage.can_create_at(home_page)  # one catalogue already exists


def test_trainee_cannot_open_the_course_authoring_screens(client, trainee, catalogue):
    client.force_login(trainee)

    response = client.get(f"/admin/pages/add/courses/coursepage/{catalogue.pk}/")

    assert response.status_code == 403


@pytest.mark.parametrize("new", [False, True], ids=["edited lesson", "new lesson"])
def test_trainer_previews_a_lesson_in_the_admin_as_it_will_read(client, course, new):
    course_page, lessons = course
    trainer = UserFactory(role=TRAINER)
    owner_add(course_page, trainer)
    staff_login(client, trainer)
    if new:
        url = f"/admin/pages/add/courses/lessonpage/{course_page.pk}/"
    else:
        url = f"/admin/pages/{lessons[0].pk}/edit/"
    html = client.get(url).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data["title"] = "Bài xem trước"
    data["slug"] = "bai-xem-truoc"
    # The StreamField's inputs are drawn by the browser; send what it would.
    body = streamfield([("paragraph", rich_text("<p>Đoạn mở đầu của bài.</p>"))])
    for key, value in nested_form_data({"body": body}).items():
        data[key] = value

    checked = client.post(url + "preview/", dict(data.lists()))
    preview = client.get(url + "preview/")

    assert checked.json()["is_valid"] is True
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Bài xem trước" in body
    assert course_page.title in body
    assert "nothing you do here is recorded" not in body  # Vietnamese, like the lesson
    assert "Xem trước:" in body
