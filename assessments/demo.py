"""Loads the demo question bank and the foundation course's final quiz. Idempotent."""

from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator

from content.models import LegalProvision

from .models import Question, QuestionCategory, QuizDraw, QuizFixedQuestion, QuizPage


def question_block_value(kind: str, spec: dict) -> dict:
    if kind in ("single_choice", "multiple_response"):
        value = {"choices": [{"text": c["text"], "correct": c["correct"]} for c in spec["choices"]]}
        if kind == "multiple_response":
            value["partial_credit"] = spec.get("partial_credit", "right_minus_wrong")
        return value
    if kind == "true_false":
        return {"correct": "true" if spec["correct"] else "false"}
    if kind == "short_answer":
        return {
            "accepted": list(spec["accepted"]),
            "diacritics_optional": bool(spec.get("diacritics_optional")),
        }
    if kind == "matching":
        return {
            "pairs": [{"left": p["left"], "right": p["right"]} for p in spec["pairs"]],
            "partial_credit": bool(spec.get("partial_credit", True)),
        }
    if kind == "ordering":
        return {
            "items": [i["text"] for i in spec["items"]],
            "partial_credit": bool(spec.get("partial_credit", True)),
        }
    if kind == "scenario":
        return {
            "vignette": spec["vignette"],
            "parts": [
                {
                    "prompt": part["prompt"],
                    "points": str(part.get("points", 1)),
                    "answer": [
                        {
                            "type": part["kind"],
                            "value": question_block_value(part["kind"], part["spec"]),
                        }
                    ],
                }
                for part in spec["parts"]
            ],
        }
    raise ValueError(f"Unknown question kind: {kind}")


def _provisions_by_key() -> dict[str, LegalProvision]:
    from courses import demo_content

    found = {}
    for entry in demo_content.LEGAL_PROVISIONS:
        provision = LegalProvision.objects.filter(
            instrument=entry["instrument"], article=entry.get("article", "")
        ).first()
        if provision:
            found[entry["key"]] = provision
    return found


@transaction.atomic
def demo_quiz_load(*, foundation) -> QuizPage:
    from . import demo_questions as data

    categories = {
        c["key"]: QuestionCategory.objects.get_or_create(name=c["name"])[0] for c in data.CATEGORIES
    }
    provisions = _provisions_by_key()
    questions = {}
    for entry in data.QUESTIONS:
        title = Truncator(strip_tags(entry["stem"]).strip()).chars(150)
        question = Question.objects.filter(title=title).first()
        if question is None:
            question = Question.objects.create(
                title=title,
                category=categories[entry["category"]],
                stem=entry["stem"],
                body=[
                    {
                        "type": entry["kind"],
                        "value": question_block_value(entry["kind"], entry["spec"]),
                    }
                ],
                points=entry.get("points", 1) if entry["kind"] != "scenario" else 1,
                explanation=entry["explanation"],
                legal_provision=provisions.get(entry.get("provision") or ""),
                job_roles=list(entry.get("job_roles", [])),
            )
        questions[entry["key"]] = question

    spec = data.FINAL_QUIZ
    quiz = QuizPage.objects.child_of(foundation).first()
    if quiz is not None:
        return quiz
    quiz = foundation.add_child(
        instance=QuizPage(
            title=spec["title"],
            slug=spec["slug"],
            intro=spec.get("intro", ""),
            pass_mark=spec["pass_mark"],
            time_limit_minutes=spec.get("time_limit_minutes"),
            attempts_allowed=spec.get("attempts_allowed"),
            cooldown_minutes=spec.get("cooldown_minutes", 0),
            grading_method=spec.get("grading_method", "highest"),
            shuffle_questions=spec.get("shuffle_questions", True),
            shuffle_choices=spec.get("shuffle_choices", True),
            review_policy=spec.get("review", "after_passing"),
            estimated_minutes=spec.get("time_limit_minutes") or 20,
        )
    )
    for order, key in enumerate(spec["fixed"]):
        QuizFixedQuestion.objects.create(quiz=quiz, question=questions[key], sort_order=order)
    for order, draw in enumerate(spec.get("draws", [])):
        QuizDraw.objects.create(
            quiz=quiz, category=categories[draw["category"]], count=draw["count"], sort_order=order
        )
    return quiz
