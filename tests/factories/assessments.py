from assessments.blocks import block_value_from_spec as question_block_value
from assessments.models import Question, QuestionCategory, QuizFixedQuestion, QuizPage

SINGLE = {
    "choices": [
        {"text": "Phạt hành chính người đó", "correct": False},
        {"text": "Coi là nạn nhân tiềm năng, bảo vệ và chuyển cơ quan điều tra", "correct": True},
        {"text": "Bỏ qua", "correct": False},
    ]
}
MULTIPLE = {
    "choices": [
        {"text": "Giảm tác hại", "correct": True},
        {"text": "Phòng lây nhiễm HIV", "correct": True},
        {"text": "Cấp phép mại dâm", "correct": False},
    ],
    "partial_credit": "right_minus_wrong",
}
SHORT = {"accepted": ["Không gây hại"], "diacritics_optional": True}


def question_create(
    title,
    kind,
    spec,
    category=None,
    points=1,
    explanation="<p>Vì…</p>",
    owner=None,
    shared=None,
):
    """A question of the bank; without an author it is shared (as the platform's own and
    the bank before authors were), with one it is private unless `shared` says so."""
    category = category or QuestionCategory.objects.get_or_create(name="Chung")[0]
    return Question.objects.create(
        title=title,
        category=category,
        stem=f"<p>Câu hỏi {title}</p>",
        body=[{"type": kind, "value": question_block_value(kind, spec)}],
        points=points,
        explanation=explanation,
        owner=owner,
        shared=owner is None if shared is None else shared,
    )


def quiz_create(course, questions, **fields):
    defaults = {
        "title": "Bài kiểm tra",
        "slug": "kiem-tra",
        "pass_mark": 70,
        "shuffle_questions": False,
        "shuffle_choices": True,
    }
    defaults.update(fields)
    quiz = course.add_child(instance=QuizPage(**defaults))
    for order, question in enumerate(questions):
        QuizFixedQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
    return quiz
