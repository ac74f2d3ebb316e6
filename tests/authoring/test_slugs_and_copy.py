"""ASCII slugs from Vietnamese titles, and copying a course as a new draft."""

import pytest
from django.urls import reverse

from accounts.roles import TRAINER
from assessments.models import QuizPage
from certificates.models import CertificateSignatory, CertificateTemplate
from content.keys import ascii_slug
from courses.models import CoursePage, Enrolment, LessonPage, ModulePage
from courses.services import CourseCopyError, course_copy
from tests.factories.accounts import UserFactory
from tests.factories.assessments import SINGLE, question_create
from tests.factories.courses import course_create, owner_add
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Kỹ năng lấy lời khai", "ky-nang-lay-loi-khai"),
        ("Đội kiểm tra liên ngành", "doi-kiem-tra-lien-nganh"),
        ("Điều 329: mua dâm người dưới 18 tuổi", "dieu-329-mua-dam-nguoi-duoi-18-tuoi"),
        ("Ưu tiên bảo vệ nạn nhân – trẻ em", "uu-tien-bao-ve-nan-nhan-tre-em"),
    ],
)
def test_vietnamese_titles_give_ascii_slugs(title, slug):
    assert ascii_slug(title) == slug


def test_a_page_saved_without_a_slug_gets_an_ascii_one(catalogue):
    course = catalogue.add_child(
        instance=CoursePage(
            title="Kỹ năng đối thoại với nạn nhân",
            code="PCMD-901",
            summary="Tóm tắt.",
            objectives="<ul><li>Mục tiêu.</li></ul>",
        )
    )
    lesson = course.add_child(instance=LessonPage(title="Bài đầu tiên: Đặt câu hỏi", body=[]))
    assert course.slug == "ky-nang-doi-thoai-voi-nan-nhan"
    assert lesson.slug == "bai-dau-tien-dat-cau-hoi"
    assert lesson.url.isascii()


def test_a_slug_typed_with_diacritics_is_kept_without_them(client, catalogue):
    trainer = UserFactory(role=TRAINER)
    staff_login(client, trainer)
    url = f"/admin/pages/add/courses/coursepage/{catalogue.pk}/"
    response = client.post(
        url,
        {
            "title": "Khóa học",
            "slug": "kỹ-năng",
            "code": "PCMD-902",
            "summary": "Tóm tắt.",
            "objectives": '{"blocks":[],"entityMap":{}}',
            "estimated_hours": "1",
        },
    )
    assert response.status_code == 302
    assert CoursePage.objects.get(code="PCMD-902").slug == "ky-nang"


def _course_with_everything(catalogue, trainee):
    course, lessons = course_create(catalogue, code="PCMD-501", lessons=2)
    lessons[0].key = "pcmd-501-l1"
    lessons[0].save()
    module = course.add_child(instance=ModulePage(title="Học phần 2", slug="hoc-phan-2"))
    module.add_child(instance=LessonPage(title="Bài trong học phần", slug="bai-hp", body=[]))
    question = question_create("Câu hỏi một", "single_choice", SINGLE)
    quiz = QuizPage(title="Kiểm tra", slug="kiem-tra")
    from assessments.models import QuizFixedQuestion

    quiz.fixed_questions = [QuizFixedQuestion(question=question, sort_order=0)]
    module.add_child(instance=quiz)
    template = CertificateTemplate.objects.create(
        name="Chứng nhận PCMD-501", course=course, issuer_name="Ban Chỉ đạo"
    )
    CertificateSignatory.objects.create(template=template, name="Nguyễn Văn A", title="Trưởng ban")
    Enrolment.objects.create(user=trainee, course=course, source="self")
    return course, question


def test_copying_a_course_makes_a_draft_with_its_modules_lessons_and_quizzes(catalogue, trainee):
    course, question = _course_with_everything(catalogue, trainee)
    trainer = UserFactory(role=TRAINER)
    owner_add(course, trainer)

    copy = course_copy(course=course, code="PCMD-501-HN", title="Bản Hà Nội", user=trainer)

    assert copy.code == "PCMD-501-HN" and copy.title == "Bản Hà Nội" and not copy.live
    assert copy.slug == "pcmd-501-hn-ban-ha-noi"
    original = [(p.specific_class, p.title) for p in course.get_descendants()]
    copied = [(p.specific_class, p.title) for p in copy.get_descendants()]
    assert copied == original and len(copied) == 5
    assert all(not p.live for p in copy.get_descendants())
    quiz = QuizPage.objects.descendant_of(copy).get()
    assert [f.question for f in quiz.fixed_questions.all()] == [question]
    assert not LessonPage.objects.descendant_of(copy).exclude(key="").exists()
    assert LessonPage.objects.get(key="pcmd-501-l1").get_parent().specific == course
    assert not Enrolment.objects.filter(course=copy).exists()
    template = CertificateTemplate.objects.get(course=copy)
    assert template.issuer_name == "Ban Chỉ đạo" and template.signatories.count() == 1
    assert CertificateTemplate.objects.get(course=course).signatories.count() == 1
    assert copy.get_latest_revision().as_object().code == "PCMD-501-HN"
    assert [o.user for o in copy.owners.all()] == [trainer]  # whoever copies owns the copy


def test_a_copy_needs_a_new_code(catalogue, trainee):
    course, _question = _course_with_everything(catalogue, trainee)
    with pytest.raises(CourseCopyError):
        course_copy(course=course, code="PCMD-501", title="Trùng mã", user=None)
    assert CoursePage.objects.count() == 1


def test_the_copy_screen_copies_and_wagtails_own_copy_is_sent_to_it(client, catalogue, trainee):
    course, _question = _course_with_everything(catalogue, trainee)
    trainer = UserFactory(role=TRAINER)
    owner_add(course, trainer)
    staff_login(client, trainer)

    wagtail_copy = client.get(reverse("wagtailadmin_pages:copy", args=[course.pk]))
    assert wagtail_copy.status_code == 302
    assert wagtail_copy["Location"] == reverse("courses_copy", args=[course.pk])

    form = client.get(reverse("courses_copy", args=[course.pk]))
    assert "Bản sao của" in form.content.decode()
    taken = client.post(
        reverse("courses_copy", args=[course.pk]), {"code": "PCMD-501", "title": "X"}
    )
    assert (
        taken.status_code == 200 and "đã có khóa học mang mã này" in taken.content.decode().lower()
    )
    done = client.post(
        reverse("courses_copy", args=[course.pk]),
        {"code": "PCMD-501-QN", "title": "Bản Quảng Ninh"},
    )
    copy = CoursePage.objects.get(code="PCMD-501-QN")
    assert done["Location"] == reverse("wagtailadmin_pages:edit", args=[copy.pk])


def test_a_trainee_cannot_copy_a_course(client, catalogue, trainee):
    course, _lessons = course_create(catalogue, code="PCMD-502", lessons=1)
    client.force_login(trainee)
    response = client.post(
        reverse("courses_copy", args=[course.pk]), {"code": "PCMD-502-X", "title": "X"}
    )
    assert response.status_code in (302, 403)
    assert CoursePage.objects.count() == 1
