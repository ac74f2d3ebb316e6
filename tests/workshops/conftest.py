from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories.courses import catalogue_create, course_create
from workshops.models import TrainingSession, TrainingSessionPage


def step_create(course, **fields) -> TrainingSessionPage:
    return course.add_child(
        instance=TrainingSessionPage(
            title=fields.pop("title", "Tập huấn trực tiếp tại tỉnh"),
            slug=fields.pop("slug", "tap-huan"),
            **fields,
        )
    )


def session_create(step, *, starts_in=timedelta(days=3), hours=4, **fields) -> TrainingSession:
    starts = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    return TrainingSession.objects.create(
        step=step,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        place=fields.pop("place", "Hội trường Công an tỉnh, tầng 3"),
        capacity=fields.pop("capacity", 2),
        **fields,
    )


@pytest.fixture
def blended(home_page):
    """A course of one lesson and one required in-person step with one session."""
    course, lessons = course_create(catalogue_create(home_page), code="PCMD-TH1", lessons=1)
    step = step_create(course)
    return course, lessons, step, session_create(step)


@pytest.fixture
def enrol():
    from courses.services import enrolment_create

    def _enrol(user, course):
        return enrolment_create(user=user, course=course)

    return _enrol


@pytest.fixture
def people(db):
    from tests.factories.accounts import UserFactory

    return [UserFactory(full_name=f"Học viên {i}") for i in range(4)]
