import pytest

from courses.services import enrolment_create
from tests.factories.assessments import MULTIPLE, SHORT, SINGLE, question_create, quiz_create
from tests.factories.courses import catalogue_create, course_create


@pytest.fixture
def questions(db):
    return [
        question_create("q-single", "single_choice", SINGLE),
        question_create("q-multiple", "multiple_response", MULTIPLE),
        question_create("q-short", "short_answer", SHORT),
    ]


@pytest.fixture
def course_with_quiz(home_page, questions):
    course, lessons = course_create(catalogue_create(home_page), code="PCMD-Q1", lessons=1)
    quiz = quiz_create(course, questions, attempts_allowed=3, cooldown_minutes=10)
    return course, lessons, quiz


@pytest.fixture
def quiz(course_with_quiz):
    return course_with_quiz[2]


@pytest.fixture
def taker(client, trainee, course_with_quiz):
    enrolment_create(user=trainee, course=course_with_quiz[0])
    client.force_login(trainee)
    return trainee
