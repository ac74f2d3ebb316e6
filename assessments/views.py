from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .forms import answers_from_post
from .models import Attempt, AttemptStatus, QuizPage
from .selectors import review_allowed, review_rows


def _attempt_context(attempt: Attempt, items, *, errors=None, remaining=None) -> dict:
    for item in items:
        item.field_name = f"q-{item.pk}"
        item.error = (errors or {}).get(str(item.pk))
    return {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": items,
        "remaining_seconds": remaining,
        "true_false_choices": [("true", _("True")), ("false", _("False"))],
        "unknown_errors": [
            message
            for key, message in (errors or {}).items()
            if key not in {str(i.pk) for i in items}
        ],
    }


def _own_attempt(request, attempt_id: int) -> Attempt:
    # Another person's attempt id answers exactly like a missing one.
    attempt = (
        Attempt.objects.select_related("quiz").filter(pk=attempt_id, user=request.user).first()
    )
    if attempt is None:
        raise Http404
    return attempt


@login_required
@require_POST
def start(request, quiz_id: int):
    quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    try:
        attempt = services.attempt_start(user=request.user, quiz=quiz)
    except services.QuizError as error:
        messages.error(request, str(error))
        return redirect(quiz.get_url(request))
    return redirect("assessments:attempt", attempt_id=attempt.pk)


@login_required
@require_GET
def attempt_page(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open and services.attempt_is_late(attempt, timezone.now()):
        services.attempt_close_if_expired(attempt_id=attempt.pk)
        attempt.refresh_from_db()
    if not attempt.is_open:
        return redirect("assessments:result", attempt_id=attempt.pk)
    remaining = (
        max(0, int((attempt.deadline_at - timezone.now()).total_seconds()))
        if attempt.deadline_at
        else None
    )
    return render(
        request,
        "assessments/attempt.html",
        _attempt_context(attempt, list(attempt.items.all()), remaining=remaining),
    )


@login_required
@require_POST
def save(request, attempt_id: int):
    try:
        # As for submit: the items are read once, in the service, under the attempt's lock.
        services.attempt_save(
            user=request.user,
            attempt_id=attempt_id,
            raw_answers=lambda items: answers_from_post(items, request.POST),
        )
    except Attempt.DoesNotExist:
        raise Http404 from None  # another person's attempt answers exactly like a missing one
    except services.AnswersRejected as error:
        return JsonResponse({"saved": False, "errors": error.errors}, status=400)
    except services.QuizError as error:
        return JsonResponse({"saved": False, "closed": True, "message": str(error)}, status=409)
    return JsonResponse({"saved": True, "saved_at": timezone.localtime().strftime("%H:%M:%S")})


@login_required
@require_POST
def submit(request, attempt_id: int):
    try:
        # The items are read once, in the service, under the attempt's lock.
        attempt = services.attempt_submit(
            user=request.user,
            attempt_id=attempt_id,
            raw_answers=lambda items: answers_from_post(items, request.POST),
        )
    except Attempt.DoesNotExist:
        raise Http404 from None  # another person's attempt answers exactly like a missing one
    except services.AnswersRejected as error:
        attempt = _own_attempt(request, attempt_id)
        messages.error(request, str(error))
        return render(
            request,
            "assessments/attempt.html",
            _attempt_context(attempt, list(attempt.items.all()), errors=error.errors),
            status=400,
        )
    if attempt.closed_by_timeout:
        messages.warning(
            request, _("Time was up: your attempt was graded from the answers saved in time.")
        )
    return redirect("assessments:result", attempt_id=attempt.pk)


@login_required
@require_GET
def result(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.status != AttemptStatus.GRADED:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    quiz = attempt.quiz
    any_passed = Attempt.objects.filter(user=request.user, quiz=quiz, passed=True).exists()
    show_review = review_allowed(attempt=attempt, quiz=quiz, any_passed=any_passed)
    return render(
        request,
        "assessments/result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "show_review": show_review,
            "rows": review_rows(attempt=attempt) if show_review else [],
        },
    )
