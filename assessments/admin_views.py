"""Wagtail admin: the question bank, quiz results, item analysis and regrading."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets import MenuItem
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.admin_views import EditablePageReportView, editable_page_or_403

from .models import AttemptItem, AttemptStatus, Question, QuestionCategory, QuizPage
from .selectors import item_analysis, quiz_attempts_report, score_distribution
from .services import question_regrade


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["title", "category", "version", "updated_at"]
    list_filter = ["category"]
    search_fields = ["title"]

    def get_list_more_buttons(self, instance):  # pragma: no cover - exercised in admin
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(
                _("Regrade attempts"),
                url=reverse("assessments_regrade", args=[instance.pk]),
                icon_name="resubmit",
                priority=60,
            ),
        ]


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Question categories")


class QuestionBankGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "help"
    menu_label = _("Question bank")
    menu_order = 230


class QuizResultsView(EditablePageReportView):
    page_model = QuizPage
    url_name = "assessments_results"
    page_title = _("Quiz results")
    header_icon = "doc-full"
    paginate_by = 100
    default_ordering = "-submitted_at"
    columns = [
        Column(
            "full_name", accessor="user.full_name", label=_("Full name"), sort_key="user__full_name"
        ),
        Column("organisation", accessor="user.organisation", label=_("Organisation")),
        Column("number", label="#", sort_key="number"),
        Column("percent", label=_("Score (%)"), sort_key="percent"),
        Column("passed", accessor="passed", label=_("Passed"), sort_key="passed"),
        DateColumn("submitted_at", label=_("Submitted"), sort_key="submitted_at"),
    ]
    list_export = [
        "user.full_name",
        "user.email",
        "user.staff_id",
        "user.organisation",
        "number",
        "score",
        "max_score",
        "percent",
        "passed",
        "closed_by_timeout",
        "started_at",
        "submitted_at",
    ]
    export_headings = {
        "user.full_name": _("Full name"),
        "user.email": _("E-mail"),
        "user.staff_id": _("Staff ID"),
        "user.organisation": _("Organisation"),
        "number": _("Attempt"),
        "score": _("Score"),
        "max_score": _("Maximum"),
        "percent": _("Score (%)"),
        "passed": _("Passed"),
        "closed_by_timeout": _("Closed when time ran out"),
        "started_at": _("Started"),
        "submitted_at": _("Submitted"),
    }

    def get_base_queryset(self):
        return quiz_attempts_report(quiz=self.page_object)

    def get_filename(self):
        return f"ket-qua-{self.page_object.slug}"


class QuizAnalysisView(TemplateView):
    template_name = "assessments/admin/analysis.html"

    def dispatch(self, request, *args, **kwargs):
        self.quiz = editable_page_or_403(request, QuizPage, kwargs["quiz_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from .models import RegradeRecord

        context = super().get_context_data(**kwargs)
        distribution = score_distribution(quiz=self.quiz)
        context.update(
            {
                "quiz": self.quiz,
                "header_title": _("Item analysis"),
                "page_title": _("Item analysis"),
                "distribution": distribution,
                "chart_data": {
                    "labels": [band["label"] for band in distribution],
                    "counts": [band["count"] for band in distribution],
                    "title": str(_("Attempts by score")),
                },
                "rows": item_analysis(quiz=self.quiz),
                "regrades": RegradeRecord.objects.filter(attempt__quiz=self.quiz).select_related(
                    "changed_by", "attempt__user"
                )[:50],
            }
        )
        return context


class QuestionRegradeView(TemplateView):
    template_name = "assessments/admin/regrade_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        self.question = get_object_or_404(Question, pk=kwargs["question_id"])
        if not request.user.has_perm("assessments.change_question"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "question": self.question,
                "header_title": _("Regrade attempts"),
                "affected": AttemptItem.objects.filter(
                    question=self.question, attempt__status=AttemptStatus.GRADED
                ).count(),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        records = question_regrade(question=self.question, changed_by=request.user)
        changed = sum(1 for r in records if r.old_score != r.new_score)
        messages.success(
            request,
            _("%(count)s attempts regraded; %(changed)s scores changed.")
            % {"count": len(records), "changed": changed},
        )
        return redirect("wagtailsnippets_assessments_question:list")
