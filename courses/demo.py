"""Loads the demo curriculum (courses/demo_content.py) as Wagtail pages. Idempotent: a
course that exists (by code) is left as a trainer may have edited it."""

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction

from content.models import LegalProvision

from .models import CoursePage, LearningPath, LearningPathCourse, LessonPage
from .services import course_catalogue_ensure

CATALOGUE_TITLE = "Khóa học"


def _raw_block(kind: str, value, provisions: dict[str, LegalProvision]) -> dict:
    if kind == "heading":
        return {"type": "heading", "value": {"text": value, "level": "h2"}}
    if kind == "paragraph":
        return {"type": "paragraph", "value": value}
    if kind == "callout":
        return {"type": "callout", "value": dict(value)}
    if kind == "legal_provision":
        return {
            "type": "legal_provision",
            "value": {"provision": provisions[value].pk, "note": ""},
        }
    if kind == "case_study":
        return {"type": "case_study", "value": dict(value)}
    if kind == "content_warning":
        return {
            "type": "content_warning",
            "value": {
                "warning": value["warning"],
                "content": [{"type": "paragraph", "value": value["content"]}],
            },
        }
    raise ValueError(f"Unknown demo block type: {kind}")


def _provisions_ensure(entries) -> dict[str, LegalProvision]:
    found = {}
    for entry in entries:
        effective = entry.get("effective_date")
        provision, _ = LegalProvision.objects.update_or_create(
            instrument=entry["instrument"],
            article=entry.get("article", ""),
            defaults={
                "short_text": entry["short_text"],
                "effective_date": date.fromisoformat(effective) if effective else None,
                "source_name": entry.get("source_name", ""),
                "source_url": entry.get("source_url", ""),
            },
        )
        found[entry["key"]] = provision
    for entry in entries:
        if entry.get("superseded_by"):
            provision = found[entry["key"]]
            provision.superseded_by = found[entry["superseded_by"]]
            provision.save(update_fields=["superseded_by"])
    return found


def _objectives_html(objectives) -> str:
    return "<ul>" + "".join(f"<li>{o}</li>" for o in objectives) + "</ul>"


def _course_ensure(catalogue, data, provisions, prerequisite=None) -> CoursePage:
    course = CoursePage.objects.filter(code=data["code"]).first()
    if course is not None:
        return course
    course = catalogue.add_child(
        instance=CoursePage(
            title=data["title"],
            slug=data["code"].lower(),
            code=data["code"],
            summary=data["summary"],
            objectives=_objectives_html(data.get("objectives") or [data["summary"]]),
            target_job_roles=list(data.get("target_job_roles", [])),
            estimated_hours=data.get("estimated_hours", 1),
            certificate_validity_months=data.get("certificate_validity_months", 24),
        )
    )
    course.legal_provisions.set(
        [provisions[key] for key in data.get("legal_provisions", []) if key in provisions]
    )
    if prerequisite is not None:
        course.prerequisites.set([prerequisite])
    course.save()
    for lesson in data["lessons"]:
        course.add_child(
            instance=LessonPage(
                title=lesson["title"],
                slug=lesson["slug"],
                estimated_minutes=lesson.get("estimated_minutes", 15),
                body=[_raw_block(kind, value, provisions) for kind, value in lesson["body"]],
            )
        )
    return course


@transaction.atomic
def demo_curriculum_load(*, home) -> dict[str, CoursePage]:
    from . import demo_content

    provisions = _provisions_ensure(demo_content.LEGAL_PROVISIONS)
    catalogue = course_catalogue_ensure(home=home, title=CATALOGUE_TITLE)
    foundation = _course_ensure(catalogue, demo_content.FOUNDATION_COURSE, provisions)
    courses = {foundation.code: foundation}
    for data in demo_content.PLACEHOLDER_COURSES:
        course = _course_ensure(catalogue, data, provisions, prerequisite=foundation)
        courses[course.code] = course
    for entry in demo_content.ROLE_PATHS:
        path, _ = LearningPath.objects.update_or_create(
            job_role=entry["job_role"],
            defaults={
                "name": entry["name"],
                "description": entry.get("description", ""),
                "due_days": entry.get("due_days"),
            },
        )
        if not path.path_courses.exists():
            for order, code in enumerate(entry["courses"]):
                LearningPathCourse.objects.create(path=path, course=courses[code], sort_order=order)
    return courses


DEMO_ACTIVITY_TITLE = "Luyện tập: nhận diện nạn nhân tiềm năng"
DEMO_ACTIVITY_CHOICES = [
    {
        "text": "Lập biên bản xử phạt hành chính đối với người đó",
        "correct": False,
        "feedback": "Chưa đúng. Người dưới 18 tuổi phải được coi là nạn nhân tiềm năng.",
    },
    {
        "text": "Coi là nạn nhân tiềm năng, bảo vệ và chuyển cơ quan điều tra",
        "correct": True,
        "feedback": "Đúng. Bảo vệ trước, rồi chuyển cơ quan điều tra xác minh.",
    },
    {
        "text": "Bỏ qua vì không thuộc thẩm quyền của Đội",
        "correct": False,
        "feedback": "Chưa đúng. Đội phải bảo vệ người đó và chuyển thông tin.",
    },
]


@transaction.atomic
def demo_activity_load(*, foundation: CoursePage) -> LessonPage:
    """An optional practice lesson with our own H5P content type (built offline)."""
    from content.h5p.packaging import LIBRARIES_DIR, build_choice_package
    from content.h5p.services import h5p_content_process, h5p_library_install_directory
    from content.models import H5PContent

    lesson = LessonPage.objects.child_of(foundation).filter(slug="luyen-tap-nhan-dien").first()
    if lesson is not None:
        return lesson
    # The platform's own library is installed with it, trusted as its own code.
    h5p_library_install_directory(directory=LIBRARIES_DIR / "H5P.PcmdChoice-1.1")
    data = build_choice_package(
        title=DEMO_ACTIVITY_TITLE,
        question=(
            "<p>Phát hiện người dưới 18 tuổi bán dâm tại cơ sở kinh doanh, Đội kiểm tra "
            "liên ngành cần ưu tiên làm gì?</p>"
        ),
        choices=DEMO_ACTIVITY_CHOICES,
    )
    activity = H5PContent.objects.create(
        title=DEMO_ACTIVITY_TITLE, package=ContentFile(data, name="demo.h5p")
    )
    activity = h5p_content_process(content_id=activity.pk)
    return foundation.add_child(
        instance=LessonPage(
            title=DEMO_ACTIVITY_TITLE,
            slug="luyen-tap-nhan-dien",
            estimated_minutes=5,
            is_required=False,
            body=[
                {
                    "type": "paragraph",
                    "value": "<p>Bài luyện tập không bắt buộc: trả lời câu hỏi tình huống "
                    "để hoàn thành bài này.</p>",
                },
                {
                    "type": "h5p_activity",
                    "value": {"activity": activity.pk, "required": True, "pass_threshold": 100},
                },
            ],
        )
    )
