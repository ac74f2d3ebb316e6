from content.models import LegalProvision
from courses.models import CoursePage, LessonPage
from courses.services import course_catalogue_ensure


def catalogue_create(home):
    return course_catalogue_ensure(home=home, title="Khóa học")


def legal_provision_create(**kwargs):
    defaults = {
        "instrument": "Bộ luật Hình sự số 100/2015/QH13",
        "article": "Điều 329",
        "short_text": "Tội mua dâm người dưới 18 tuổi.",
    }
    defaults.update(kwargs)
    return LegalProvision.objects.create(**defaults)


def lesson_body(blocks: int = 3, provision: LegalProvision | None = None) -> list[dict]:
    body = [{"type": "heading", "value": {"text": "Mục 1", "level": "h2"}}]
    for i in range(blocks):
        body.append({"type": "paragraph", "value": f"<p>Đoạn văn số {i}.</p>"})
        if provision is not None:
            body.append(
                {"type": "legal_provision", "value": {"provision": provision.pk, "note": ""}}
            )
        body.append(
            {
                "type": "case_study",
                "value": {
                    "title": f"Tình huống {i}",
                    "scenario": "<p>Chị H. (giả định) làm việc tại cơ sở X.</p>",
                    "questions": ["Dấu hiệu nào cho thấy chị H. là nạn nhân?"],
                },
            }
        )
        body.append(
            {
                "type": "content_warning",
                "value": {
                    "warning": "Phần sau mô tả hành vi bạo lực.",
                    "content": [{"type": "paragraph", "value": "<p>Nội dung nhạy cảm.</p>"}],
                },
            }
        )
    return body


def course_create(
    catalogue, code="TEST-101", lessons=3, blocks=2, provision=None, **fields
) -> tuple[CoursePage, list[LessonPage]]:
    course = catalogue.add_child(
        instance=CoursePage(
            title=fields.pop("title", f"Khóa học {code}"),
            slug=code.lower(),
            code=code,
            summary="Tóm tắt khóa học.",
            objectives="<ul><li>Mục tiêu.</li></ul>",
            **fields,
        )
    )
    created = [
        course.add_child(
            instance=LessonPage(
                title=f"Bài {i + 1}",
                slug=f"bai-{i + 1}",
                body=lesson_body(blocks, provision),
            )
        )
        for i in range(lessons)
    ]
    return course, created


def owner_add(course, user):
    """Make `user` an owner of `course` the way an administrator does (the real service,
    audited), for tests in which a trainer works on a course someone else created."""
    from courses.services import course_owner_add

    return course_owner_add(course=course, user=user)
