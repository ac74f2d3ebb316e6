import csv
import io
from decimal import Decimal

import pytest

from accounts.roles import TRAINER
from assessments import grading
from assessments.models import Question, RegradeRecord
from assessments.selectors import item_analysis, score_distribution
from assessments.services import attempt_start, attempt_submit
from courses.services import enrolment_create
from tests.factories.accounts import UserFactory
from tests.factories.assessments import SINGLE, question_block_value
from tests.factories.courses import owner_add
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db


def _take(user, course, quiz, right: set[str]):
    """One attempt answering the named questions right and the rest wrong."""
    enrolment_create(user=user, course=course)
    attempt = attempt_start(user=user, quiz=quiz)
    answers = {}
    for item in attempt.items.all():
        title = item.question.title
        answer = grading.correct_answer(item.kind, item.spec)
        if title not in right:
            if item.kind == "single_choice":
                answer = next(c["id"] for c in item.spec["choices"] if not c["correct"])
            elif item.kind == "multiple_response":
                answer = [c["id"] for c in item.spec["choices"] if not c["correct"]]
            else:
                answer = "sai"
        answers[str(item.pk)] = answer
    return attempt_submit(user=user, attempt_id=attempt.pk, raw_answers=answers)


@pytest.fixture
def cohort(course_with_quiz):
    course, _, quiz = course_with_quiz
    everything = {"q-single", "q-multiple", "q-short"}
    patterns = [everything, everything, {"q-single", "q-multiple"}, {"q-single"}, set()]
    return [
        _take(UserFactory(full_name=f"Học viên {i}"), course, quiz, right)
        for i, right in enumerate(patterns)
    ]


def test_item_analysis_reports_facility_discrimination_and_option_counts(quiz, cohort):
    rows = {row["title"]: row for row in item_analysis(quiz=quiz)}

    assert rows["q-single"]["facility"] == pytest.approx(4 / 5)
    assert rows["q-short"]["facility"] == pytest.approx(2 / 5)
    assert rows["q-short"]["discrimination"] > 0.5
    options = rows["q-single"]["options"]
    assert [o["count"] for o in options] == [1, 4, 0]
    assert [o["correct"] for o in options] == [False, True, False]


def test_score_distribution_counts_every_graded_attempt(quiz, cohort):
    bands = score_distribution(quiz=quiz)

    assert sum(b["count"] for b in bands) == 5
    assert bands[-1]["count"] == 2  # two perfect scores
    assert bands[0]["count"] == 1


def _trainer(client, course=None):
    trainer = UserFactory(role=TRAINER)
    if course is not None:
        owner_add(course, trainer)
    staff_login(client, trainer)
    return trainer


def test_trainer_sees_results_and_exports_them_as_csv(client, quiz, cohort):
    _trainer(client, course=quiz.get_parent().specific)

    page = client.get(f"/admin/quizzes/{quiz.pk}/results/")
    export = client.get(f"/admin/quizzes/{quiz.pk}/results/?export=csv")
    analysis = client.get(f"/admin/quizzes/{quiz.pk}/analysis/")

    assert page.status_code == 200
    assert "Học viên 0" in page.content.decode()
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Họ và tên"
    assert len(rows) == 6
    assert analysis.status_code == 200
    assert 'id="score-chart-data"' in analysis.content.decode()


def test_trainee_cannot_see_quiz_results(client, trainee, quiz):
    client.force_login(trainee)

    assert client.get(f"/admin/quizzes/{quiz.pk}/results/").status_code == 403


def test_regrade_after_fixing_a_wrong_key_updates_scores_and_records_who_did_it(
    client, quiz, cohort, questions
):
    # The quiz's course is the trainer's: a trainer regrades the attempts of their courses.
    trainer = _trainer(client, course=quiz.get_parent().specific)
    question = questions[0]
    # The trainer realises the key was wrong: option one was the right answer all along.
    fixed = {"choices": [{**c, "correct": i == 0} for i, c in enumerate(SINGLE["choices"])]}
    question.body = [
        {"type": "single_choice", "value": question_block_value("single_choice", fixed)}
    ]
    question.save()
    before = {a.pk: a.score for a in cohort}

    response = client.post(f"/admin/questions/{question.pk}/regrade/")

    assert response.status_code == 302
    records = RegradeRecord.objects.filter(question=question)
    assert records.count() == 5
    assert all(r.changed_by == trainer for r in records)
    assert {r.new_version for r in records} == {Question.objects.get(pk=question.pk).version}
    changed = {r.attempt_id: (r.old_score, r.new_score) for r in records}
    for attempt in cohort:
        attempt.refresh_from_db()
        old, new = changed[attempt.pk]
        assert old == before[attempt.pk]
        assert new == attempt.score
    # Four trainees chose the old key and lose the point; the one who chose option one gains it.
    assert sorted(new - old for old, new in changed.values()) == [Decimal(-1)] * 4 + [Decimal(1)]


def test_single_choice_question_with_two_keys_is_refused_at_authoring():
    from wagtail.blocks import StreamBlockValidationError

    from assessments.blocks import QuestionTypeBlock

    block = QuestionTypeBlock(min_num=1, max_num=1)
    value = block.to_python(
        [
            {
                "type": "single_choice",
                "value": {
                    "choices": [{"text": "A", "correct": True}, {"text": "B", "correct": True}]
                },
            }
        ]
    )
    with pytest.raises(StreamBlockValidationError):
        block.clean(value)
