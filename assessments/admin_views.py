"""Wagtail admin: the question bank, quiz results, item analysis and regrading."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.forms.choosers import BaseFilterForm, SearchFilterMixin
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.widgets import MenuItem
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from accounts.models import JobRole
from content.admin_copy import CopyAsNewView
from content.models import LegalProvision
from courses.admin_views import EditablePageReportView, editable_page_or_403
from exports import spreadsheet
from exports.spreadsheet import Column as ExportColumn

from .models import (
    AttemptItem,
    AttemptStatus,
    Question,
    QuestionCategory,
    QuestionKind,
    QuizPage,
)
from .selectors import item_analysis, quiz_attempts_report, score_distribution
from .services import question_regrade


def _job_roles(question) -> str:
    labels = dict(JobRole.choices)
    return ", ".join(str(labels.get(role, role)) for role in question.job_roles or [])


def _provision(question) -> str:
    return str(question.legal_provision) if question.legal_provision_id else "—"


def _filter_select():
    # The chooser modal refreshes its results when a select so marked changes.
    return forms.Select(attrs={"data-chooser-modal-search-filter": True})


class QuestionChooserFilterForm(SearchFilterMixin, BaseFilterForm):
    category = forms.ModelChoiceField(
        queryset=QuestionCategory.objects.order_by("name"),
        required=False,
        label=_("Category"),
        empty_label=_("All categories"),
        widget=_filter_select(),
    )
    kind = forms.ChoiceField(
        label=_("Question type"),
        choices=[("", _("All types")), *QuestionKind.choices],
        required=False,
        widget=_filter_select(),
    )
    job_role = forms.ChoiceField(
        label=_("Job role"),
        choices=[("", _("All job roles")), *JobRole.choices],
        required=False,
        widget=_filter_select(),
    )
    provision = forms.ModelChoiceField(
        queryset=LegalProvision.objects.all(),
        required=False,
        label=_("Legal provision cited"),
        empty_label=_("Any legal provision"),
        widget=_filter_select(),
    )

    def filter(self, objects):
        cleaned = self.cleaned_data
        if cleaned.get("category"):
            objects = objects.filter(category=cleaned["category"])
        if cleaned.get("kind"):
            objects = objects.filter(kind=cleaned["kind"])
        if cleaned.get("job_role"):
            # A JSON list of role codes; its text holds "code" with the quotes.
            objects = objects.filter(job_roles__icontains=f'"{cleaned["job_role"]}"')
        if cleaned.get("provision"):
            objects = objects.filter(legal_provision=cleaned["provision"])
        return super().filter(objects)  # the search term last: it returns search results


class _QuestionChooser:
    filter_form_class = QuestionChooserFilterForm

    def get_object_list(self):
        from courses.items import owned_or_shared_items

        questions = Question.objects.select_related("category", "legal_provision")
        return owned_or_shared_items(self.request.user, questions).order_by(
            "category__name", "title"
        )

    @property
    def columns(self):
        return [
            self.title_column,
            Column("category", label=_("Category")),
            Column("kind", label=_("Question type"), accessor="get_kind_display"),
            Column("job_roles", label=_("Job roles"), accessor=_job_roles),
            Column("legal_provision", label=_("Legal provision cited"), accessor=_provision),
        ]


class QuestionChooseView(_QuestionChooser, ChooseView):
    pass


class QuestionChooseResultsView(_QuestionChooser, ChooseResultsView):
    pass


class QuestionChooserViewSet(SnippetChooserViewSet):
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = [
        "title",
        "category",
        Column("kind", label=_("Question type"), accessor="get_kind_display"),
        Column("legal_provision", label=_("Legal provision cited"), accessor=_provision),
        Column("owner", label=_("Author"), accessor="owner"),
        BooleanColumn("shared", label=_("Shared")),
        "version",
        "updated_at",
    ]
    list_filter = ["category", "kind", "legal_provision", "shared"]
    search_fields = ["title"]
    chooser_viewset_class = QuestionChooserViewSet
    copy_view_class = CopyAsNewView

    def get_queryset(self, request):
        """A trainer's questions and the shared ones; administrators see every one."""
        from courses.items import owned_or_shared_items

        return owned_or_shared_items(
            request.user, Question.objects.select_related("category", "legal_provision", "owner")
        )

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
        DateColumn(
            "submitted_at",
            label=pgettext_lazy("quiz attempt", "Submitted"),
            sort_key="submitted_at",
        ),
    ]
    export_what = "quiz_results"
    export_columns = [
        ExportColumn(_("Full name"), "user__full_name"),
        ExportColumn(_("E-mail"), "user__email"),
        ExportColumn(_("Staff ID"), "user__staff_id"),
        ExportColumn(_("Organisation"), "user__organisation__name"),
        ExportColumn(_("Attempt"), "number", kind=spreadsheet.NUMBER),
        ExportColumn(_("Score"), "score", kind=spreadsheet.NUMBER),
        ExportColumn(pgettext_lazy("score", "Maximum"), "max_score", kind=spreadsheet.NUMBER),
        ExportColumn(_("Score (%)"), "percent", kind=spreadsheet.NUMBER),
        ExportColumn(_("Passed"), "passed", kind=spreadsheet.BOOL),
        ExportColumn(_("Closed when time ran out"), "closed_by_timeout", kind=spreadsheet.BOOL),
        ExportColumn(_("Started"), "started_at", kind=spreadsheet.DATETIME),
        ExportColumn(
            pgettext_lazy("quiz attempt", "Submitted"), "submitted_at", kind=spreadsheet.DATETIME
        ),
    ]

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
        from courses.selectors import pages_in_courses_managed_by

        # The attempts of the quizzes in this person's courses (all for administrators): a
        # shared question's fix regrades another trainer's learners only by their hand.
        self.quizzes = pages_in_courses_managed_by(user=request.user, model=QuizPage)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "question": self.question,
                "header_title": _("Regrade attempts"),
                "affected": AttemptItem.objects.filter(
                    question=self.question,
                    attempt__status=AttemptStatus.GRADED,
                    attempt__quiz__in=self.quizzes,
                ).count(),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        records = question_regrade(
            question=self.question, changed_by=request.user, quizzes=self.quizzes
        )
        changed = sum(1 for r in records if r.old_score != r.new_score)
        messages.success(
            request,
            _("%(count)s attempts regraded; %(changed)s scores changed.")
            % {"count": len(records), "changed": changed},
        )
        return redirect("wagtailsnippets_assessments_question:list")
