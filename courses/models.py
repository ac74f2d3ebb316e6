import uuid

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.models import JobRole, Organisation
from content.blocks import LessonStreamBlock
from content.models import key_field, unique_key_constraint
from content.pages import AsciiSlugMixin

from .permissions import CourseCatalogue, CourseContent


class CourseIndexPage(CourseCatalogue, AsciiSlugMixin, Page):
    """The course catalogue."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from django.template.loader import render_to_string
        from django.utils.translation import get_language

        from content.rendercache import cached_get, cached_set, generation

        from .selectors import catalogue_for, catalogue_role

        context = super().get_context(request, *args, **kwargs)
        # The catalogue shows the same to everyone who filters by the same role (their own
        # by default) in the same language: rendered once per content generation.
        # A preview shows a draft: never cached, never served from the cache.
        shared = self.live and not getattr(request, "is_preview", False)
        role = catalogue_role(user=request.user, role=request.GET.get("role"))
        key = f"courses:catalogue-html:{self.pk}:{role or '-'}:{get_language()}:{generation()}"
        html = cached_get(key) if shared else None
        if html is None:
            part = {**context, **catalogue_for(user=request.user, catalogue=self, role=role)}
            html = render_to_string("courses/_catalogue_content.html", part, request=request)
            if shared:
                cached_set(key, html)
        context["catalogue_html"] = html
        return context


class CoursePageForm(WagtailAdminPageForm):
    target_job_roles = forms.MultipleChoiceField(
        label=_("Target job roles"),
        choices=JobRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        prerequisites = cleaned.get("prerequisites")
        own = self.instance.pk
        if prerequisites is not None and own and any(p.pk == own for p in prerequisites):
            self.add_error("prerequisites", _("A course cannot be its own prerequisite."))
        return cleaned


class CoursePage(CourseContent, AsciiSlugMixin, Page):
    code = models.CharField(
        _("course code"), max_length=30, unique=True, help_text=_("e.g. PCMD-101")
    )
    summary = models.TextField(_("summary"))
    objectives = RichTextField(_("learning objectives"), features=["ul", "ol", "bold", "italic"])
    target_job_roles = models.JSONField(_("target job roles"), default=list, blank=True)
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=5, decimal_places=1, default=1
    )
    is_required = models.BooleanField(
        _("required course"), default=True, help_text=_("Untick for an elective course.")
    )
    self_enrolment = models.BooleanField(
        _("trainees may enrol themselves"),
        default=True,
        help_text=_("Untick to make the course available by assignment only."),
    )
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("prerequisites"),
        symmetrical=False,
        blank=True,
        related_name="required_for",
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a certificate that does not expire."),
    )
    legal_provisions = ParentalManyToManyField(
        "content.LegalProvision", verbose_name=_("legal provisions covered"), blank=True
    )

    base_form_class = CoursePageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("code"),
        FieldPanel("summary"),
        FieldPanel("objectives"),
        MultiFieldPanel(
            [
                FieldPanel("target_job_roles"),
                FieldPanel("is_required"),
                FieldPanel("self_enrolment"),
                FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple),
                FieldPanel("estimated_hours"),
                FieldPanel("certificate_validity_months"),
            ],
            heading=_("Audience and rules"),
        ),
        FieldPanel("legal_provisions", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("code"),
        index.SearchField("summary"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage", "courses.LessonPage", "assessments.QuizPage"]

    class Meta:
        verbose_name = _("course")

    def __str__(self):
        return f"{self.code} · {self.title}"

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_overview_for

        context = super().get_context(request, *args, **kwargs)
        context.update(course_overview_for(user=request.user, course=self, request=request))
        return context


class ModulePage(CourseContent, AsciiSlugMixin, Page):
    """An optional grouping of lessons inside a course."""

    summary = models.TextField(_("summary"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "assessments.QuizPage"]
    # A module has no page of its own (serve() sends readers to its place in the course),
    # so there is nothing to preview: its lessons and quizzes are.
    preview_modes = []

    class Meta:
        verbose_name = _("module")

    def serve(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        return redirect(self.get_parent().url + f"#module-{self.pk}")


class LessonPageForm(WagtailAdminPageForm):
    """A trainer puts in a lesson their own H5P activities and shared ones (courses.items);
    one already in the lesson (a copied course, an activity its author has since unshared)
    may stay. A tampered activity id is refused with a plain message."""

    def clean(self):
        from .items import owned_or_shared

        cleaned = super().clean()
        body, user = cleaned.get("body"), self.for_user
        if body is None or user is None:
            return cleaned
        already = {
            block.value["activity"].pk
            for block in (self.instance.body if self.instance.pk else [])
            if block.block_type == "h5p_activity" and block.value["activity"] is not None
        }
        refused = [
            block.value["activity"]
            for block in body
            if block.block_type == "h5p_activity"
            and block.value["activity"] is not None
            and block.value["activity"].pk not in already
            and not owned_or_shared(user, block.value["activity"])
        ]
        for activity in refused:
            self.add_error(
                None,
                _(
                    "“%(activity)s” is another trainer's H5P activity and is not shared: "
                    "choose one of your own activities or a shared one."
                )
                % {"activity": activity},
            )
        return cleaned


class LessonPage(CourseContent, AsciiSlugMixin, Page):
    base_form_class = LessonPageForm
    body = StreamField(LessonStreamBlock(), verbose_name=_("lesson content"))
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=15)
    is_required = models.BooleanField(
        _("required for course completion"),
        default=True,
        help_text=_("Optional lessons are offered but not needed to complete the course."),
    )
    key = key_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("is_required")],
            heading=_("Completion"),
        ),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("key")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.CoursePage", "courses.ModulePage"]
    subpage_types = []

    # A copy of a lesson is another lesson: its stable key stays with the original.
    exclude_fields_in_copy = ["key"]

    # Trainees complete a lesson themselves; other steps (quizzes) complete by rule.
    manual_completion = True

    class Meta:
        verbose_name = _("lesson")
        constraints = [unique_key_constraint("courses_lesson_key")]

    def serve(self, request, *args, **kwargs):
        from .views import lesson_serve

        return lesson_serve(request, self, super_serve=super().serve, args=args, kwargs=kwargs)

    def get_context(self, request, *args, **kwargs):
        from .views import lesson_preview_context

        context = super().get_context(request, *args, **kwargs)
        if hasattr(request, "lesson_context"):
            context.update(request.lesson_context)
        else:  # the admin's preview
            context.update(lesson_preview_context(request=request, lesson=self))
        return context


class CourseOwner(models.Model):
    """A trainer who owns a course: edits, publishes, previews and reports on it (see
    courses.permissions). The creator owns a course from its first save; administrators
    add and remove the others (courses.services.course_owner_add/remove, audited)."""

    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="owners"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.CASCADE,
        related_name="owned_courses",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("course owner")
        verbose_name_plural = _("course owners")
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="courses_owner_once")
        ]

    def __str__(self):
        return f"{self.user} → {self.course_id}"


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ASSIGNMENT = "assignment", _("Assigned")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("enrolment status", "In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Left the course")


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    source = models.CharField(max_length=16, choices=EnrolmentSource.choices)
    status = models.CharField(
        max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # A high-water mark: a trainer adding lessons never moves a trainee's bar backwards.
    progress_percent = models.PositiveSmallIntegerField(default=0)
    last_step = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_one_enrolment"),
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100), name="courses_progress_max_100"
            ),
        ]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self):
        return f"{self.user} → {self.course_id}"

    @property
    def is_completed(self) -> bool:
        return self.status == EnrolmentStatus.COMPLETED


class StepCompletion(models.Model):
    """A completed step of a course: a lesson, or an activity another app registers as a
    step (see courses.steps)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    step = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "step"], name="courses_step_once")
        ]

    def __str__(self):
        return f"{self.enrolment_id}: {self.step_id}"


class LearningPath(index.Indexed, ClusterableModel):
    """An ordered set of courses; a path with a job role is assigned to everyone in it."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    job_role = models.CharField(
        _("assigned automatically to"),
        max_length=32,
        choices=JobRole.choices,
        blank=True,
        help_text=_("Everyone with this job role is assigned the path."),
    )
    due_days = models.PositiveSmallIntegerField(
        _("due within (days)"),
        null=True,
        blank=True,
        help_text=_("Counted from when the path is assigned; empty for no deadline."),
    )
    key = key_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("job_role"),
        FieldPanel("due_days"),
        InlinePanel("path_courses", label=_("Courses, in order"), min_num=1),
        FieldPanel("key"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        constraints = [
            models.UniqueConstraint(
                fields=["job_role"],
                condition=~models.Q(job_role=""),
                name="courses_one_path_per_role",
            ),
            unique_key_constraint("courses_path_key"),
        ]

    def __str__(self):
        return self.name


class LearningPathCourse(Orderable):
    path = ParentalKey(LearningPath, on_delete=models.CASCADE, related_name="path_courses")
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("course")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["path", "course"], name="courses_path_course_once")
        ]


class Assignment(models.Model):
    """A course or path assigned to a person, an organisation (with its sub-units) or a
    group, with an optional due date."""

    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), null=True, blank=True, on_delete=models.CASCADE
    )
    path = models.ForeignKey(
        LearningPath,
        verbose_name=_("learning path"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="course_assignments",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation (and its sub-units)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    group = models.ForeignKey(
        "auth.Group", verbose_name=_("group"), null=True, blank=True, on_delete=models.CASCADE
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(course__isnull=False, path__isnull=True)
                    | models.Q(course__isnull=True, path__isnull=False)
                ),
                name="courses_assignment_one_item",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, organisation__isnull=True, group__isnull=True)
                    | models.Q(user__isnull=True, organisation__isnull=False, group__isnull=True)
                    | models.Q(user__isnull=True, organisation__isnull=True, group__isnull=False)
                ),
                name="courses_assignment_one_audience",
            ),
        ]

    def __str__(self):
        item = self.course or self.path
        audience = self.user or self.organisation or self.group
        return f"{item} → {audience}"


class ActivityStatement(models.Model):
    """An xAPI statement from an H5P activity, as received (the learner is taken from the
    session, never from the statement)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey("content.H5PContent", on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=64)
    is_child = models.BooleanField(default=False)
    digest = models.CharField(max_length=64, unique=True)
    statement = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "activity", "received_at"])]

    def __str__(self):
        return f"{self.user_id} {self.verb} {self.activity_id}"


class ActivityResult(models.Model):
    """The score that counts for one learner, lesson and activity: the best scaled score
    so far (scores are computed on the server); completion never goes back."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey("content.H5PContent", on_delete=models.CASCADE, related_name="+")
    best_scaled = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    last_scaled = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    # The best attempt's raw score out of max, as H5P reported them; attempts and the time
    # spent (sum of the attempts' durations) for the trainer's lesson report.
    best_raw = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    max_score = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    attempts = models.PositiveIntegerField(default=0)
    time_seconds = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    passed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "activity"], name="courses_one_result"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.activity_id}: {self.best_scaled}"

    @property
    def best_score(self) -> str:
        """ "raw/max" of the best attempt, as H5P reported them."""
        return f"{self.best_raw.normalize():f}/{self.max_score.normalize():f}"

    @property
    def best_percent(self) -> int:
        return round(self.best_scaled * 100)

    @property
    def time_spent(self) -> str:
        """Time over all attempts, "h:mm:ss" or "m:ss"."""
        minutes, seconds = divmod(self.time_seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class CalendarFeed(models.Model):
    """A trainee's personal calendar feed of their due dates (courses.calendar). The
    address is signed with the platform's secret and this row's key, so it is never stored;
    a new key (the trainee asks for a new address) ends the old one, deleting the row turns
    the feed off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    key = models.CharField(_("key"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user_id)
