"""curriculum/starter is a valid package, every taught fact says where it was read, and
load_demo installs it through the importer, idempotently."""

import pytest
from django.core.management import call_command

from assessments.models import Question
from courses.models import CoursePage, LearningPath, LessonPage
from packages.reader import blocks_of, package_read_directory
from packages.services import STARTER_CURRICULUM


@pytest.fixture(scope="module")
def starter():
    return package_read_directory(STARTER_CURRICULUM)


def test_the_starter_curriculum_is_a_valid_package(starter):
    assert starter.manifest.key == "starter-curriculum"
    assert starter.courses[0].code == "PCMD-101"
    assert len(starter.courses) >= 7
    assert not (STARTER_CURRICULUM / "package.yaml").read_text().count("files:")


def test_every_course_and_question_is_covered_by_a_source_and_every_reference_resolves(starter):
    codes = {c.code for c in starter.courses}
    lesson_keys = {
        step.key for c in starter.courses for _m, step in c.steps() if getattr(step, "key", None)
    }
    question_keys = {q.key for q in starter.questions}
    used = {ref for source in starter.sources for ref in source.used_by}
    unknown = used - codes - lesson_keys - question_keys
    assert not unknown, f"sources name unknown items: {sorted(unknown)}"
    assert not codes - used, f"courses without a source: {sorted(codes - used)}"
    assert not question_keys - used, f"questions without a source: {sorted(question_keys - used)}"
    assert all(q.source.strip() for q in starter.questions)


def test_every_legal_provision_cited_in_a_lesson_is_in_the_package(starter):
    keys = {p.key for p in starter.provisions}
    for course in starter.courses:
        assert set(course.legal_provisions) <= keys
        for _lesson, block in blocks_of(course):
            if block.type == "legal_provision":
                assert block.value.provision in keys


@pytest.mark.django_db
def test_load_demo_installs_the_starter_published_and_a_second_run_changes_nothing(starter, demo):
    demo()  # what load_demo built on an empty database (tests/demo.py)
    snapshot = (
        list(CoursePage.objects.values_list("pk", "code", "live", "latest_revision_id")),
        list(LessonPage.objects.values_list("pk", "key", "latest_revision_id")),
        list(Question.objects.values_list("pk", "key", "version")),
        list(LearningPath.objects.values_list("pk", "key")),
    )
    assert all(live for _pk, _code, live, _rev in snapshot[0])
    assert {c.code for c in starter.courses} == {code for _pk, code, *_r in snapshot[0]}

    call_command("load_demo")

    assert snapshot == (
        list(CoursePage.objects.values_list("pk", "code", "live", "latest_revision_id")),
        list(LessonPage.objects.values_list("pk", "key", "latest_revision_id")),
        list(Question.objects.values_list("pk", "key", "version")),
        list(LearningPath.objects.values_list("pk", "key")),
    )
