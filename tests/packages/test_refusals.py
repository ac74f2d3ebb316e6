"""A package that is wrong anywhere is refused whole, with a Vietnamese reason, and nothing
is written: tampered hashes, unknown versions, hostile zips and YAML, broken references."""

import io
import stat
import zipfile

import pytest
from django.utils import translation

from assessments.models import Question, QuestionCategory
from content.models import H5PContent, LegalProvision
from courses.models import CoursePage, LessonPage
from packages.importer import ImportOptions, ImportRefused, package_apply, package_plan
from packages.reader import PackageInvalid, package_read_zip
from tests.h5p import hostile

from .conftest import COURSE, QUESTIONS, manifest_of, rezip, tree, zipped

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def counts():
    return (
        LegalProvision.objects.count(),
        QuestionCategory.objects.count(),
        Question.objects.count(),
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        H5PContent.objects.count(),
    )


def refused(data: bytes) -> list[str]:
    with pytest.raises(PackageInvalid) as error:
        package_read_zip(data)
    assert error.value.errors
    return error.value.errors


def test_a_valid_small_package_imports_as_a_draft(catalogue):
    package = package_read_zip(zipped(tree()))
    result = package_apply(package=package, options=ImportOptions(), user=None)

    course = CoursePage.objects.get(code="TINY-101")
    assert result.courses == [course]
    assert not course.live and course.has_unpublished_changes
    assert course.slug == "khoa-hoc-thu"  # ASCII, from the Vietnamese title
    lesson = LessonPage.objects.child_of(course).get()
    assert lesson.key == "tiny-l1"
    assert [b.block_type for b in lesson.body] == ["heading", "paragraph", "legal_provision"]
    assert lesson.body[2].value["provision"].key == "penal_code_art329"
    assert Question.objects.get(key="q_age").source == "Bộ luật Hình sự 2015, Điều 329"


def test_a_changed_file_no_longer_matches_its_hash():
    data = zipped(tree())
    changed = COURSE | {"title": "Khóa học đã bị sửa"}
    from packages.exporter import dump_yaml

    tampered = rezip(data, replace={"courses/TINY-101.yaml": dump_yaml(changed)})

    errors = refused(tampered)
    assert any("không khớp" in e and "courses/TINY-101.yaml" in e for e in errors)


def test_a_file_added_after_export_is_refused():
    errors = refused(rezip(zipped(tree()), add={"media/extra.png": b"x"}))
    assert any("media/extra.png" in e for e in errors)


def test_the_file_form_must_list_hashes():
    errors = refused(zipped(tree(), hashes=False))
    assert any("SHA-256" in e for e in errors)


@pytest.mark.parametrize("version", [2, 0, "1", None])
def test_unknown_major_versions_are_refused(version):
    manifest = tree()["package.yaml"] | {"version": version}
    errors = refused(zipped(tree(**{"package.yaml": manifest})))
    assert "phiên bản" in errors[0]


def test_a_zip_of_something_else_is_refused():
    assert "zip" in refused(b"not a zip at all")[0]
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "package.yaml" in refused(other.getvalue())[0]


@pytest.mark.parametrize(
    "name", ["../evil.yaml", "/etc/evil.yaml", "courses\\..\\x.yaml", "a/../../b"]
)
def test_traversal_member_names_are_refused(name):
    errors = refused(rezip(zipped(tree()), add={name: b"x: 1"}))
    assert errors


def test_symlinks_are_refused():
    data = zipped(tree())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        link = zipfile.ZipInfo("media/link.png")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        target.writestr(link, "/etc/passwd")
    assert any("liên kết" in e.lower() for e in refused(out.getvalue()))


def test_a_zip_bomb_member_is_refused(settings):
    settings.COURSE_PACKAGE_LIMITS = {**settings.COURSE_PACKAGE_LIMITS, "max_compression_ratio": 50}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("package.yaml", b"x" * 2_000_000)
    assert any("nén" in e for e in refused(out.getvalue()))


def test_yaml_aliases_are_refused_before_they_can_expand():
    bomb = (
        b'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
        b"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        b"d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    )
    files = tree(**{"questions/bomb.yaml": bomb})
    errors = refused(zipped(files))
    assert any("questions/bomb.yaml" in e and "YAML" in e for e in errors)


def test_python_objects_in_yaml_are_not_constructed():
    evil = b"questions: !!python/object/apply:os.system ['touch /tmp/pwned-by-yaml']\n"
    errors = refused(zipped(tree(**{"questions/evil.yaml": evil})))
    assert any("questions/evil.yaml" in e for e in errors)


def test_every_schema_error_names_its_file_and_place_in_vietnamese():
    course = COURSE | {
        "unknown_field": 1,
        "estimated_hours": "nhiều",
        "children": [
            {"type": "lesson", "title": "Bài", "body": [{"type": "marquee", "value": {}}]}
        ],
    }
    questions = QUESTIONS | {
        "questions": [
            QUESTIONS["questions"][0]
            | {"spec": {"choices": [{"id": "a", "text": "18", "correct": True}] * 2}}
        ]
    }
    errors = refused(
        zipped(tree(**{"courses/TINY-101.yaml": course, "questions/q.yaml": questions}))
    )
    text = "\n".join(errors)
    assert "courses/TINY-101.yaml: unknown_field: trường không có trong định dạng" in text
    assert "courses/TINY-101.yaml: estimated_hours:" in text
    assert "children[1].body[1]" in text and "marquee" in text
    assert "questions/q.yaml: questions[1]" in text


def test_a_scenario_whose_points_differ_from_its_parts_is_refused():
    scenario = {
        "key": "q_s",
        "title": "Tình huống",
        "category": "legal",
        "kind": "scenario",
        "points": 5,
        "stem": "<p>Đọc tình huống.</p>",
        "explanation": "<p>Giải thích.</p>",
        "source": "Luật số 53/2024/QH15",
        "spec": {
            "vignette": "<p>Em A. (giả định)…</p>",
            "parts": [
                {
                    "id": "p1",
                    "prompt": "Đúng hay sai?",
                    "points": 1,
                    "kind": "true_false",
                    "spec": {"correct": True},
                },
                {
                    "id": "p2",
                    "prompt": "Đúng hay sai?",
                    "points": 2,
                    "kind": "true_false",
                    "spec": {"correct": False},
                },
            ],
        },
    }
    files = tree(
        **{"questions/q.yaml": QUESTIONS | {"questions": [*QUESTIONS["questions"], scenario]}}
    )
    assert any("(5)" in e and "(3)" in e for e in refused(zipped(files)))


def test_missing_media_and_names_not_in_the_format_are_refused():
    lesson = {
        "type": "lesson",
        "title": "Bài ảnh",
        "body": [{"type": "image", "value": {"image": "media/absent.png", "alt": "Sơ đồ"}}],
    }
    files = tree(
        **{"courses/TINY-101.yaml": COURSE | {"children": [lesson]}, "scripts/run.sh": b"x"}
    )
    text = "\n".join(refused(zipped(files)))
    assert "media/absent.png" in text and "scripts/run.sh" in text


def test_a_course_file_must_be_listed_and_named_by_its_code():
    files = tree(**{"courses/OTHER.yaml": COURSE})
    text = "\n".join(refused(zipped(files)))
    assert "OTHER.yaml" in text


def test_unknown_references_refuse_the_whole_import_and_write_nothing(catalogue):
    course = COURSE | {"prerequisites": ["NOPE-1"], "legal_provisions": ["no_such_law"]}
    package = package_read_zip(zipped(tree(**{"courses/TINY-101.yaml": course})))
    before = counts()

    with pytest.raises(ImportRefused) as error:
        package_apply(package=package, options=ImportOptions(), user=None)

    reasons = " ".join(line.reason for line in error.value.plan.refusals)
    assert "NOPE-1" in reasons and "no_such_law" in reasons
    assert counts() == before


def test_a_hostile_h5p_package_refuses_the_import_and_leaves_no_file(catalogue, settings):
    from pathlib import Path

    lesson = {
        "type": "lesson",
        "title": "Bài H5P",
        "body": [{"type": "h5p_activity", "value": {"activity": "h5p/evil.h5p"}}],
    }
    files = tree(
        **{
            "courses/TINY-101.yaml": COURSE | {"children": [lesson]},
            "h5p/evil.h5p": hostile.zip_slip(),
        }
    )
    package = package_read_zip(zipped(files))
    plan = package_plan(package=package, options=ImportOptions(), user=None)
    assert [line.kind for line in plan.refusals] == ["h5p"]
    before = counts()
    on_disk = set(Path(settings.H5P_ROOT).rglob("*")) if Path(settings.H5P_ROOT).exists() else set()

    with pytest.raises(ImportRefused):
        package_apply(package=package, options=ImportOptions(), user=None)

    assert counts() == before
    now = set(Path(settings.H5P_ROOT).rglob("*")) if Path(settings.H5P_ROOT).exists() else set()
    assert now == on_disk


def test_the_hash_list_cannot_smuggle_paths():
    data = zipped(tree())
    manifest = manifest_of(data)
    manifest["files"]["../../outside.yaml"] = "0" * 64
    from packages.exporter import dump_yaml

    errors = refused(rezip(data, replace={"package.yaml": dump_yaml(manifest)}))
    assert any("outside.yaml" in e for e in errors)
