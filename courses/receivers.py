"""A course's structure changed (a step published, unpublished, moved or deleted): recheck
its learners' progress in a task after the commit. If the process dies before the task is
enqueued, the hourly `recheck_course_progress` job does it; no GET ever writes progress."""

from django.db import transaction

from .selectors import STEP


def course_ids_above(path: str) -> set[int]:
    from .models import CoursePage

    ancestors = [path[:i] for i in range(STEP, len(path) + 1, STEP)]
    return set(CoursePage.objects.filter(path__in=ancestors).values_list("pk", flat=True))


def _recheck_later(course_ids: set[int]) -> None:
    from .tasks import recheck_course_progress

    for course_id in course_ids:
        transaction.on_commit(lambda pk=course_id: recheck_course_progress.enqueue(pk), robust=True)


def on_page_changed(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.path:
        _recheck_later(course_ids_above(instance.path))


def on_page_moved(sender, instance, parent_page_before=None, **kwargs):
    ids = course_ids_above(instance.path)
    if parent_page_before is not None:
        ids |= course_ids_above(parent_page_before.path)
    _recheck_later(ids)


def on_page_deleted(sender, instance, **kwargs):
    from .steps import step_models

    if isinstance(instance, tuple(step_models())) and instance.path:
        _recheck_later(course_ids_above(instance.path))
