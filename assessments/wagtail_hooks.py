from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from .admin_views import (
    QuestionBankGroup,
    QuestionRegradeView,
    QuizAnalysisView,
    QuizResultsView,
)
from .models import QuizPage

register_snippet(QuestionBankGroup)


@hooks.register("register_admin_urls")
def register_assessment_admin_urls():
    return [
        path(
            "quizzes/<int:page_id>/results/", QuizResultsView.as_view(), name="assessments_results"
        ),
        path(
            "quizzes/<int:page_id>/results/results/",
            QuizResultsView.as_view(results_only=True),
            name="assessments_results_results",
        ),
        path(
            "quizzes/<int:quiz_id>/analysis/",
            QuizAnalysisView.as_view(),
            name="assessments_analysis",
        ),
        path(
            "questions/<int:question_id>/regrade/",
            QuestionRegradeView.as_view(),
            name="assessments_regrade",
        ),
    ]


@hooks.register("register_page_header_buttons")
def quiz_result_buttons(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, QuizPage) and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Results"),
            reverse("assessments_results", args=[page.pk]),
            icon_name="doc-full",
            priority=40,
        )
        yield Button(
            _("Item analysis"),
            reverse("assessments_analysis", args=[page.pk]),
            icon_name="table",
            priority=41,
        )
