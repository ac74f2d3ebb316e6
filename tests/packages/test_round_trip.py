"""Export → import into a fresh database → every lesson, question, provision, image,
document and H5P activity is there, and exporting again gives the same package."""

import hashlib
import io

import pytest
import yaml
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from accounts.roles import ADMINISTRATOR
from assessments.models import Question, QuizPage
from certificates.models import CertificateTemplate
from content.models import H5PContent, H5PStatus, LegalProvision
from courses.models import CoursePage, LearningPath, LessonPage
from packages.exporter import package_tree, zip_bytes
from packages.importer import ImportOptions, package_apply
from packages.reader import package_read_directory, package_read_zip
from packages.services import STARTER_CURRICULUM
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _add_media_lesson(course: CoursePage) -> None:
    from wagtail.models import Collection

    if not Collection.objects.exists():  # a transactional test starts with empty tables
        Collection.add_root(name="Root")
    image = Image.objects.create(title="Sơ đồ phối hợp", file=ContentFile(_png(), name="so-do.png"))
    document = Document.objects.create(
        title="Mẫu biên bản", file=ContentFile(b"%PDF-1.4\n%mau\n", name="mau-bien-ban.pdf")
    )
    course.add_child(
        instance=LessonPage(
            title="Tài liệu kèm theo",
            slug="tai-lieu-kem-theo",
            body=[
                {
                    "type": "image",
                    "value": {
                        "image": {"image": image.pk, "decorative": False, "alt_text": "Sơ đồ"},
                        "caption": "Sơ đồ phối hợp liên ngành",
                        "source": "Minh họa",
                    },
                },
                {"type": "document", "value": {"document": document.pk, "description": "Mẫu"}},
                {
                    "type": "video",
                    "value": {
                        "video": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                        "title": "Video minh họa",
                        "transcript": "<p>Lời thoại.</p>",
                    },
                },
            ],
        )
    )


def _normalised(files: dict[str, bytes]) -> dict[str, object]:
    """The package's YAML with media paths replaced by their content's hash (ids differ
    between databases) and the export time left out."""
    digests = {
        name: hashlib.sha256(data).hexdigest()
        for name, data in files.items()
        if name.startswith(("media/", "h5p/"))
    }

    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items() if k not in ("exported_at", "files")}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and value in digests:
            return digests[value]
        return value

    return {
        name: walk(yaml.safe_load(data)) for name, data in files.items() if name.endswith(".yaml")
    }


def _inventory():
    lessons = {
        (lesson.key, lesson.title, tuple(b.block_type for b in lesson.body))
        for lesson in LessonPage.objects.all()
    }
    questions = {(q.key, q.kind, q.source, str(q.max_points())) for q in Question.objects.all()}
    provisions = {(p.key, p.article, p.instrument) for p in LegalProvision.objects.all()}
    activities = {(a.title, a.status, a.main_library) for a in H5PContent.objects.all()}
    quizzes = {
        (q.title, tuple(f.question.key for f in q.fixed_questions.all()), q.draws.count())
        for q in QuizPage.objects.all()
    }
    return lessons, questions, provisions, activities, quizzes


def _starter_counts() -> tuple[int, int]:
    """Lessons and questions of the starter curriculum, as the package holds them."""
    package = package_read_directory(STARTER_CURRICULUM)
    lessons = sum(1 for c in package.courses for _, step in c.steps() if step.type == "lesson")
    return lessons, len(package.questions)


def test_the_whole_demo_survives_export_and_import_into_a_fresh_database(settings, tmp_path, demo):
    from home.services import site_homepage_ensure
    from tests.factories.courses import catalogue_create

    demo()
    _add_media_lesson(CoursePage.objects.get(code="PCMD-101"))
    courses = list(CoursePage.objects.order_by("path"))
    files = package_tree(
        courses=courses, key="all", title="Tất cả", include_paths=True, include_question_bank=True
    )
    data = zip_bytes(files)
    before = _inventory()
    starter_lessons, starter_questions = _starter_counts()
    # Everything the starter curriculum holds, and the lesson added in the admin above.
    assert len(before[0]) == starter_lessons + 1 and len(before[1]) == starter_questions
    assert len(before[3]) == 1

    # A fresh database, and fresh folders for uploaded files.
    call_command("flush", interactive=False)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.H5P_ROOT = str(tmp_path / "h5p")
    catalogue_create(site_homepage_ensure())
    assert not LessonPage.objects.exists() and not Question.objects.exists()

    # The province's administrator imports it: the H5P library it brings is approved by them.
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    result = package_apply(package=package_read_zip(data), options=ImportOptions(), user=admin)

    assert len(result.courses) == 7 and result.lessons == starter_lessons + 1
    assert result.activities == 1
    lessons, *rest = before
    # The lesson made in the admin had no key: the export gave it the course's default.
    lessons = {("pcmd-101-l7" if key == "" else key, *other) for key, *other in lessons}
    after = _inventory()
    for got, want in zip(after, (lessons, *rest), strict=True):
        assert got == want, (got - want, want - got)
    assert all(not c.live for c in CoursePage.objects.all())  # drafts
    assert H5PContent.objects.get().status == H5PStatus.READY
    image = Image.objects.get()
    with image.open_file() as handle:
        assert handle.read() == _png()
    assert Document.objects.get().file_size == len(b"%PDF-1.4\n%mau\n")
    assert LearningPath.objects.count() == 6
    assert CertificateTemplate.objects.get(course__code="PCMD-101").signatories.count() == 1
    foundation = CoursePage.objects.get(code="PCMD-101")
    assert set(CoursePage.objects.get(code="PCMD-202").prerequisites.all()) == {foundation}
    assert LegalProvision.objects.get(key="decree_144_2021").superseded_by.key == "decree_282_2025"

    again = package_tree(
        courses=list(CoursePage.objects.order_by("path")),
        key="all",
        title="Tất cả",
        include_paths=True,
        include_question_bank=True,
    )
    assert _normalised(again) == _normalised(files)
