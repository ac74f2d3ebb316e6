"""Wagtail admin screens: learning paths, assignments and the per-course learner report."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db.models import F, IntegerField
from django.db.models.functions import Cast, Round
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.forms import OrganisationChoiceField
from accounts.models import Organisation
from exports import spreadsheet
from exports.responses import StreamingExportMixin
from exports.spreadsheet import Column as ExportColumn

from .models import Assignment, CoursePage, EnrolmentStatus, LearningPath, LessonPage
from .selectors import course_learners, lesson_activity_results


class LearningPathViewSet(SnippetViewSet):
    model = LearningPath
    icon = "list-ol"
    menu_label = _("Learning paths")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "job_role", "due_days"]


class AssignmentForm(WagtailAdminModelForm):
    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.order_by("path"),
        required=False,
        label=_("Organisation (and its sub-units)"),
    )

    class Meta:
        model = Assignment
        fields = ["course", "path", "user", "organisation", "group", "due_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .items import is_administrator
        from .selectors import courses_owned_by

        # A trainer assigns the courses they own (a tampered id is refused like any value
        # not in the list); learning paths have no owners.
        user = self.for_user
        if user is not None and not is_administrator(user):
            self.fields["course"].queryset = courses_owned_by(user=user)

    def clean(self):
        cleaned = super().clean()
        items = [cleaned.get("course"), cleaned.get("path")]
        if sum(1 for i in items if i) != 1:
            raise forms.ValidationError(_("Choose either one course or one learning path."))
        audiences = [cleaned.get("user"), cleaned.get("organisation"), cleaned.get("group")]
        if sum(1 for a in audiences if a) != 1:
            raise forms.ValidationError(
                _("Choose exactly one of: a person, an organisation or a group.")
            )
        return cleaned


class AssignmentIndexView(IndexView):
    def get_base_queryset(self):
        from django.db.models import Q

        from .items import is_administrator

        queryset = super().get_base_queryset()
        if is_administrator(self.request.user):
            return queryset
        return queryset.filter(
            Q(course__isnull=True) | Q(course__owners__user=self.request.user)
        ).distinct()


class AssignmentViewSet(ModelViewSet):
    model = Assignment
    form_class = AssignmentForm
    index_view_class = AssignmentIndexView
    icon = "calendar-check"
    menu_label = _("Assignments")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["__str__", "due_date", "created_at"]
    ordering = ["-created_at"]

    def get_form_class(self, for_update=False):
        return AssignmentForm


def editable_page_or_403(request, model, pk: int):
    """The page, if the signed-in person may edit it; reports about a page follow its
    edit permission."""
    page = get_object_or_404(model, pk=pk)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


class EditablePageReportView(StreamingExportMixin, ReportView):
    """A report about one page (a course, a quiz) for those who may edit that page.
    Subclasses set `page_model` and `url_name`; the results URL is `<url_name>_results`.
    Exports (`export_columns`) stream through the shared export module."""

    page_model = None
    url_name = ""

    def dispatch(self, request, *args, **kwargs):
        self.page_object = editable_page_or_403(request, self.page_model, kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.page_object)

    def get_index_url(self):
        return reverse(self.url_name, args=[self.page_object.pk])

    def get_index_results_url(self):
        return reverse(f"{self.url_name}_results", args=[self.page_object.pk])

    def get_export_target(self):
        return self.page_object


class CourseLearnersView(EditablePageReportView):
    page_model = CoursePage
    url_name = "courses_learners"
    page_title = _("Learners")
    header_icon = "group"
    paginate_by = 100
    default_ordering = "user__full_name"
    columns = [
        Column(
            "full_name", accessor="user.full_name", label=_("Full name"), sort_key="user__full_name"
        ),
        Column("email", accessor="user.email", label=_("E-mail"), sort_key="user__email"),
        Column("organisation", accessor="user.organisation", label=_("Organisation")),
        Column("status", accessor="get_status_display", label=_("Status"), sort_key="status"),
        Column(
            "progress",
            accessor="progress_percent",
            label=_("Progress (%)"),
            sort_key="progress_percent",
        ),
        DateColumn("last_activity_at", label=_("Last activity"), sort_key="last_activity_at"),
        DateColumn("completed_at", label=_("Completed"), sort_key="completed_at"),
    ]
    export_what = "course_learners"
    export_columns = [
        ExportColumn(_("Full name"), "user__full_name"),
        ExportColumn(_("E-mail"), "user__email"),
        ExportColumn(_("Staff ID"), "user__staff_id"),
        ExportColumn(_("Organisation"), "user__organisation__name"),
        ExportColumn(
            _("Status"), "status", kind=spreadsheet.CHOICE, labels=dict(EnrolmentStatus.choices)
        ),
        ExportColumn(_("Progress (%)"), "progress_percent", kind=spreadsheet.NUMBER),
        ExportColumn(_("Enrolled"), "enrolled_at", kind=spreadsheet.DATETIME),
        ExportColumn(_("Last activity"), "last_activity_at", kind=spreadsheet.DATETIME),
        ExportColumn(_("Completed"), "completed_at", kind=spreadsheet.DATETIME),
    ]

    def get_base_queryset(self):
        return course_learners(course=self.page_object)

    def order_queryset(self, queryset):
        # Names repeat: the person breaks ties, so pages never overlap, and the pair is what
        # the (full_name, id) index of users serves without sorting the enrolments.
        queryset = super().order_queryset(queryset)
        if self.ordering in ("user__full_name", "-user__full_name"):
            queryset = queryset.order_by(self.ordering, self.ordering.replace("full_name", "id"))
        return queryset

    def get_filename(self):
        return f"hoc-vien-{self.page_object.code}"


class CourseCopyForm(forms.Form):
    code = forms.CharField(
        label=_("Code of the copy"),
        max_length=30,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                _("Use letters without diacritics, digits, “.”, “_” or “-”."),
            )
        ],
        help_text=_("e.g. PCMD-202-HN"),
    )
    title = forms.CharField(label=_("Title of the copy"), max_length=255)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if CoursePage.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A course with this code already exists."))
        return code


class CourseCopyView(TemplateView):
    """Copy a course with its modules, lessons and quizzes as a new draft with a new code."""

    template_name = "courses/admin/copy.html"

    def dispatch(self, request, *args, **kwargs):
        self.course = get_object_or_404(CoursePage, pk=kwargs["page_id"])
        catalogue = self.course.get_parent()
        if not (
            self.course.permissions_for_user(request.user).can_edit()
            and catalogue.permissions_for_user(request.user).can_add_subpage()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        initial = {"title": _("Copy of %(title)s") % {"title": self.course.title}}
        steps = self.course.get_descendants().count()
        context.update(
            {
                "course": self.course,
                "form": form or CourseCopyForm(initial=initial),
                "steps": steps,
                "header_title": _("Copy course"),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect

        from .services import CourseCopyError, course_copy

        form = CourseCopyForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            copy = course_copy(
                course=self.course,
                code=form.cleaned_data["code"],
                title=form.cleaned_data["title"],
                user=request.user,
            )
        except CourseCopyError as error:
            form.add_error("code", str(error))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("Course copied as a draft: %(course)s. Review it, then publish it.")
            % {"course": copy},
        )
        return redirect("wagtailadmin_pages:edit", copy.pk)


class LessonActivitiesView(EditablePageReportView):
    """The lesson's H5P activities, per learner: attempts, best score and time spent. Scores
    come from the learner's browser (README): they gate the lesson, never a certificate."""

    page_model = LessonPage
    url_name = "courses_lesson_activities"
    page_title = _("Interactive activity results")
    header_icon = "pick"
    paginate_by = 100
    default_ordering = "user__full_name"
    columns = [
        Column(
            "full_name", accessor="user.full_name", label=_("Full name"), sort_key="user__full_name"
        ),
        Column("activity", accessor="activity.title", label=_("Activity"), sort_key="activity"),
        Column("attempts", label=_("Attempts"), sort_key="attempts"),
        Column("best_score", label=_("Best score")),
        Column("best_percent", label=_("Best (%)"), sort_key="best_scaled"),
        Column("time_spent", label=_("Time spent"), sort_key="time_seconds"),
        BooleanColumn("passed", label=_("Passed"), sort_key="passed"),
        DateColumn("completed_at", label=_("First completed"), sort_key="completed_at"),
    ]
    export_what = "lesson_activity_results"
    export_columns = [
        ExportColumn(_("Full name"), "user__full_name"),
        ExportColumn(_("E-mail"), "user__email"),
        ExportColumn(_("Organisation"), "user__organisation__name"),
        ExportColumn(_("Activity"), "activity__title"),
        ExportColumn(_("Attempts"), "attempts", kind=spreadsheet.NUMBER),
        ExportColumn(_("Best score"), "best_raw", kind=spreadsheet.NUMBER),
        ExportColumn(_("Maximum score"), "max_score", kind=spreadsheet.NUMBER),
        ExportColumn(_("Best (%)"), "best_percent_value", kind=spreadsheet.NUMBER),
        ExportColumn(_("Time spent (seconds)"), "time_seconds", kind=spreadsheet.NUMBER),
        ExportColumn(_("Passed"), "passed", kind=spreadsheet.BOOL),
        ExportColumn(_("First completed"), "completed_at", kind=spreadsheet.DATETIME),
    ]

    def get_base_queryset(self):
        return lesson_activity_results(lesson=self.page_object)

    def get_export_queryset(self):
        return self.get_queryset().annotate(
            best_percent_value=Cast(Round(F("best_scaled") * 100), IntegerField())
        )

    def get_filename(self):
        return f"hoat-dong-{self.page_object.slug}"


class CourseOwnerAddForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=None, label=_("Trainer to add"), empty_label=_("— Choose a trainer —")
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from accounts.roles import TRAINER

        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=TRAINER)
            .exclude(owned_courses__course=course)
            .order_by("full_name")
            .distinct()
        )


class CourseOwnersView(TemplateView):
    """Administrators see and change who owns a course; every change is audited."""

    template_name = "courses/admin/owners.html"

    def dispatch(self, request, *args, **kwargs):
        from .middleware import course_refusal
        from .services import may_manage_course_owners

        self.course = get_object_or_404(CoursePage, pk=kwargs["page_id"])
        if not may_manage_course_owners(request.user):
            return course_refusal(
                request,
                self.course,
                _("Only administrators add or remove the owners of a course."),
                title=_("Course owners"),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        from .selectors import course_owner_list

        context = super().get_context_data(**kwargs)
        context.update(
            {
                "course": self.course,
                "owners": course_owner_list(course=self.course),
                "form": form or CourseOwnerAddForm(course=self.course),
                "header_title": _("Course owners"),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.contrib.auth import get_user_model
        from django.shortcuts import redirect

        from .services import CourseOwnershipError, course_owner_add, course_owner_remove

        remove = request.POST.get("remove")
        if remove is not None:
            person = get_user_model().objects.filter(pk=remove if remove.isdigit() else 0)
            person = person.first()
            if person is None or not course_owner_remove(
                course=self.course, user=person, by=request.user, request=request
            ):
                messages.error(request, _("That person does not own this course."))
            else:
                messages.success(
                    request, _("%(person)s no longer owns this course.") % {"person": person}
                )
            return redirect("courses_owners", self.course.pk)
        form = CourseOwnerAddForm(request.POST, course=self.course)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        person = form.cleaned_data["user"]
        try:
            course_owner_add(course=self.course, user=person, by=request.user, request=request)
        except CourseOwnershipError as error:
            form.add_error("user", str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("%(person)s now owns this course.") % {"person": person})
        return redirect("courses_owners", self.course.pk)
