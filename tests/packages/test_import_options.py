"""What an import does with installed courses, who may import what, and a crash halfway."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from accounts.roles import ADMINISTRATOR, TRAINER
from content.h5p.services import h5p_processing_cleanup
from content.models import H5PContent, H5PLibrary, H5PStatus, LegalProvision
from courses.models import CoursePage, Enrolment, LessonPage
from packages import importer
from packages.importer import ImportOptions, ImportRefused, package_apply, package_plan
from packages.reader import package_read_zip
from tests.factories.accounts import UserFactory
from tests.h5p import hostile

from .conftest import COURSE, PROVISIONS, tree, zipped

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _package(**changes):
    return package_read_zip(zipped(tree(**changes)))


def _import(options=None, user=None, **changes):
    return package_apply(package=_package(**changes), options=options or ImportOptions(), user=user)


def test_an_installed_course_is_refused_unless_the_caller_says_what_to_do(catalogue):
    _import()

    with pytest.raises(ImportRefused) as error:
        _import()
    assert error.value.plan.refusals[0].name == "TINY-101"
    assert "mã mới" in error.value.plan.refusals[0].reason
    assert CoursePage.objects.count() == 1


def test_skip_leaves_the_installed_course_and_changes_nothing(catalogue):
    _import()
    lesson = LessonPage.objects.get()

    result = _import(ImportOptions(on_existing="skip"))

    assert result.courses == [] and LessonPage.objects.get() == lesson


def test_a_copy_gets_the_new_code_its_own_slug_and_lesson_keys(catalogue):
    _import()

    options = ImportOptions(course_actions={"TINY-101": "copy"}, new_codes={"TINY-101": "TINY-HN"})
    result = _import(options)

    copy = result.courses[0]
    assert copy.code == "TINY-HN" and copy.slug != CoursePage.objects.get(code="TINY-101").slug
    assert LessonPage.objects.child_of(copy).get().key == "tiny-hn-l1"
    assert CoursePage.objects.count() == 2


def test_a_copy_needs_a_free_valid_code(catalogue):
    _import()
    for new_code in ("", "TINY-101", "có dấu"):
        options = ImportOptions(
            course_actions={"TINY-101": "copy"}, new_codes={"TINY-101": new_code}
        )
        plan = package_plan(package=_package(), options=options, user=None)
        assert [r.kind for r in plan.refusals] == ["course"], new_code


def test_replace_swaps_a_draft_but_never_a_published_or_attended_course(catalogue, trainee):
    _import()
    changed = COURSE | {"title": "Khóa học thử, bản mới"}
    options = ImportOptions(on_existing="replace")

    _import(options, **{"courses/TINY-101.yaml": changed})
    course = CoursePage.objects.get(code="TINY-101")
    assert course.title == "Khóa học thử, bản mới" and LessonPage.objects.count() == 1

    Enrolment.objects.create(user=trainee, course=course, source="self")
    with pytest.raises(ImportRefused):
        _import(options)
    Enrolment.objects.all().delete()
    course.save_revision().publish()
    with pytest.raises(ImportRefused) as error:
        _import(options)
    assert "đã được xuất bản" in error.value.plan.refusals[0].reason


def test_installed_provisions_are_kept_unless_an_update_is_asked_for(catalogue):
    _import()
    changed = {"provisions": [PROVISIONS["provisions"][0] | {"short_text": "Văn bản mới."}]}

    plan = package_plan(
        package=_package(**{"provisions/law.yaml": changed}),
        options=ImportOptions(on_existing="skip"),
        user=None,
    )
    line = next(line for line in plan.lines if line.kind == "provision")
    assert line.action == "skip" and "short_text" in line.reason

    _import(
        ImportOptions(on_existing="skip", update_provisions=True),
        **{"provisions/law.yaml": changed},
    )
    assert LegalProvision.objects.get(key="penal_code_art329").short_text == "Văn bản mới."


def test_a_provision_made_before_keys_existed_is_matched_and_given_its_key(catalogue):
    old = LegalProvision.objects.create(
        instrument="Bộ luật Hình sự số 100/2015/QH13", article="Điều 329", short_text="Cũ."
    )
    _import()
    old.refresh_from_db()
    assert old.key == "penal_code_art329" and LegalProvision.objects.count() == 1


def test_a_trainer_imports_a_draft_and_a_new_h5p_library_waits_for_an_administrator(catalogue):
    trainer = UserFactory(role=TRAINER)
    lesson = {
        "type": "lesson",
        "title": "Bài H5P",
        "body": [
            {"type": "h5p_activity", "value": {"activity": "h5p/choice.h5p", "title": "Luyện tập"}}
        ],
    }
    changes = {
        "courses/TINY-101.yaml": COURSE | {"children": [lesson]},
        "h5p/choice.h5p": hostile.genuine(),
    }

    plan = package_plan(package=_package(**changes), options=ImportOptions(), user=trainer)
    assert [line.action for line in plan.lines if line.kind == "h5p"] == ["wait"]
    result = _import(user=trainer, **changes)

    activity = H5PContent.objects.get()
    assert activity.status == H5PStatus.AWAITING_LIBRARY and activity.uploaded_by == trainer
    assert not H5PLibrary.objects.exists()
    assert not result.courses[0].live
    lesson_page = LessonPage.objects.get()
    assert lesson_page.body[0].value["activity"] == activity


def test_a_trainers_published_import_is_theirs_and_published_in_the_same_run(catalogue):
    """The importer makes the course, then publishes it and its lessons as the trainer: the
    ownership made a moment before must count already (no stale rights), and nobody else
    owns it."""
    from courses.models import CourseOwner

    trainer = UserFactory(role=TRAINER)
    other = UserFactory(role=TRAINER)

    result = _import(ImportOptions(publish=True), user=trainer)

    course = result.courses[0]
    course.refresh_from_db()
    assert course.live and LessonPage.objects.descendant_of(course).filter(live=True).exists()
    assert list(CourseOwner.objects.filter(course=course).values_list("user", flat=True)) == [
        trainer.pk
    ]
    assert course.permissions_for_user(trainer).can_edit()
    assert not course.permissions_for_user(other).can_edit()


def test_an_administrators_import_installs_the_libraries_it_brings(catalogue):
    from tests.factories.accounts import totp_activate

    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    totp_activate(admin)
    lesson = {
        "type": "lesson",
        "title": "Bài H5P",
        "body": [{"type": "h5p_activity", "value": {"activity": "h5p/choice.h5p"}}],
    }
    _import(
        user=admin,
        **{
            "courses/TINY-101.yaml": COURSE | {"children": [lesson]},
            "h5p/choice.h5p": hostile.genuine(),
        },
    )
    assert H5PContent.objects.get().status == H5PStatus.READY
    assert H5PLibrary.objects.get().approved_by == admin


def test_a_trainee_may_not_import_anything(catalogue, trainee):
    plan = package_plan(package=_package(), options=ImportOptions(), user=trainee)
    assert {line.kind for line in plan.refusals} >= {"provision", "question", "course"}


def test_a_crash_between_two_writes_leaves_nothing_behind(catalogue, monkeypatch, settings):
    from pathlib import Path

    lesson = {
        "type": "lesson",
        "title": "Bài H5P",
        "body": [{"type": "h5p_activity", "value": {"activity": "h5p/choice.h5p"}}],
    }
    changes = {
        "courses/TINY-101.yaml": COURSE | {"children": [lesson]},
        "h5p/choice.h5p": hostile.genuine(),
    }

    def crash(self):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(importer._Writer, "write_paths", crash)
    root = Path(settings.H5P_ROOT)

    def files():
        return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()

    before = files()

    with pytest.raises(RuntimeError):
        _import(**changes)

    assert not CoursePage.objects.exists() and not H5PContent.objects.exists()
    assert not LegalProvision.objects.exists()
    # The upload is removed at once; store folders written for the rolled-back row go with
    # the H5P clean-up job, as for any upload whose worker died.
    h5p_processing_cleanup(now=timezone.now() + timedelta(hours=2))
    assert files() == before
