import pytest

from tests.factories.courses import catalogue_create, course_create


@pytest.fixture
def catalogue(home_page):
    return catalogue_create(home_page)


@pytest.fixture
def course(catalogue):
    return course_create(catalogue, code="PCMD-T1", lessons=3)


@pytest.fixture
def enrolled(client, trainee, course):
    from courses.services import enrolment_create

    client.force_login(trainee)
    enrolment_create(user=trainee, course=course[0])
    return course
