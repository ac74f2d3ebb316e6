from decimal import Decimal

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.models import JobRole
from content.models import key_field, unique_key_constraint
from content.ownership import OwnedItemForm
from content.pages import AsciiSlugMixin
from courses.permissions import CourseContent

from .blocks import QuestionTypeBlock


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_RESPONSE = "multiple_response", _("Multiple response")
    TRUE_FALSE = "true_false", _("True / false")
    SHORT_ANSWER = "short_answer", _("Short answer")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")
    SCENARIO = "scenario", _("Scenario")


class QuestionCategory(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    key = key_field()

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("key")]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]
        constraints = [unique_key_constraint("assess_category_key")]

    def __str__(self):
        return self.name


class Question(index.Indexed, models.Model):
    """A question in the bank. Attempts keep a snapshot of the question as it was shown,
    so editing a question never changes an attempt already taken."""

    title = models.CharField(
        _("short name"), max_length=200, help_text=_("For finding the question in the bank.")
    )
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    job_roles = models.JSONField(_("job roles"), default=list, blank=True)
    legal_provision = models.ForeignKey(
        "content.LegalProvision",
        verbose_name=_("legal provision cited"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    stem = RichTextField(_("question"), features=["bold", "italic", "ol", "ul"])
    body = StreamField(
        QuestionTypeBlock(min_num=1, max_num=1), verbose_name=_("answer type and key")
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2, default=1)
    explanation = RichTextField(
        _("explanation"),
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("Shown at review: why the right answer is right."),
    )
    kind = models.CharField(
        _("question type"), max_length=32, choices=QuestionKind.choices, default="", editable=False
    )
    source = models.CharField(
        _("source"),
        max_length=400,
        blank=True,
        help_text=_("Where the fact asked was read, e.g. Bộ luật Hình sự 2015, Điều 329."),
    )
    key = key_field()
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Whose question it is: the trainer who added it (assessments.selectors, courses.items).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    shared = models.BooleanField(
        _("shared with all trainers"),
        default=False,
        help_text=_(
            "Other trainers may then find, use and edit this question. Otherwise only you "
            "and administrators can."
        ),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("category"),
        FieldPanel("stem"),
        FieldPanel("body"),
        FieldPanel("points"),
        FieldPanel("explanation"),
        FieldPanel("legal_provision"),
        FieldPanel("source"),
        FieldPanel(
            "job_roles",
            widget=forms.CheckboxSelectMultiple(choices=JobRole.choices),
        ),
        FieldPanel("key"),
        FieldPanel("shared"),
    ]
    base_form_class = OwnedItemForm
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [unique_key_constraint("assess_question_key")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.pk:
            self.version = (
                Question.objects.filter(pk=self.pk).values_list("version", flat=True).first() or 0
            ) + 1
        # The admin's checkboxes give None when none is ticked: no job role is an empty list
        # (the column is not nullable; saving such a question used to answer a 500).
        if self.job_roles is None:
            self.job_roles = []
        # Kept beside the body so the bank and the chooser can filter and sort by type.
        self.kind = self.body[0].block_type if len(self.body) else ""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "kind", "version"}
        super().save(*args, **kwargs)

    def spec(self) -> dict:
        block = self.body[0]
        return block.block.to_spec(block.value)

    def max_points(self) -> Decimal:
        from .grading import max_score

        return max_score(self.kind, self.spec(), self.points)


class QuizPageForm(WagtailAdminPageForm):
    """A trainer puts in a quiz their own questions and shared ones (courses.items); one
    already in the quiz (a copied course, a question its author has since unshared) may
    stay. A tampered question id is refused with a plain message."""

    def is_valid(self):
        valid = super().is_valid()
        return self._questions_allowed() and valid

    def _questions_allowed(self) -> bool:
        from courses.items import owned_or_shared

        user = self.for_user
        formset = self.formsets.get("fixed_questions")
        if user is None or formset is None:
            return True
        already = {fixed.question_id for fixed in self.instance.fixed_questions.all()}
        allowed = True
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            question = data.get("question")
            if question is None or data.get("DELETE") or question.pk in already:
                continue
            if not owned_or_shared(user, question):
                form.add_error(
                    "question",
                    _(
                        "“%(question)s” is another trainer's question and is not shared: "
                        "choose one of your own questions or a shared one."
                    )
                    % {"question": question},
                )
                allowed = False
        return allowed


class ReviewPolicy(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately after each attempt")
    AFTER_PASSING = "after_passing", _("After the trainee passes")
    AFTER_CLOSE = "after_close", _("After the quiz closes")
    NEVER = "never", pgettext_lazy("show answers", "Never")


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest attempt")
    LAST = "last", _("Last attempt")
    FIRST = "first", _("First attempt")
    AVERAGE = "average", _("Average of attempts")


class QuizPage(CourseContent, AsciiSlugMixin, Page):
    base_form_class = QuizPageForm
    intro = RichTextField(_("instructions"), blank=True, features=["bold", "italic", "ul"])
    is_required = models.BooleanField(
        _("required for course completion"),
        default=True,
        help_text=_("Passing the quiz completes this step of the course."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=20)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Empty for unlimited.")
    )
    cooldown_minutes = models.PositiveSmallIntegerField(
        _("wait between attempts (minutes)"), default=0
    )
    grading_method = models.CharField(
        _("grading method"),
        max_length=16,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    review_policy = models.CharField(
        _("show answers and explanations"),
        max_length=16,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.AFTER_PASSING,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("fixed_questions", label=_("Questions always included")),
        InlinePanel("draws", label=_("Random questions from categories")),
        MultiFieldPanel(
            [
                FieldPanel("is_required"),
                FieldPanel("estimated_minutes"),
                FieldPanel("pass_mark"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("attempts_allowed"),
                FieldPanel("cooldown_minutes"),
                FieldPanel("grading_method"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("opens_at"),
                FieldPanel("closes_at"),
                FieldPanel("review_policy"),
            ],
            heading=_("Rules"),
        ),
    ]
    parent_page_types = ["courses.CoursePage", "courses.ModulePage"]
    subpage_types = []
    manual_completion = False

    class Meta:
        verbose_name = _("quiz")

    def get_context(self, request, *args, **kwargs):
        from .selectors import quiz_overview_for

        context = super().get_context(request, *args, **kwargs)
        context.update(quiz_overview_for(user=request.user, quiz=self))
        return context

    def serve(self, request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)


class QuizFixedQuestion(Orderable):
    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("question")]


class QuizDraw(Orderable):
    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="draws")
    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveSmallIntegerField(_("number of questions"), default=1)

    panels = [FieldPanel("category"), FieldPanel("count")]


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("quiz attempt status", "In progress")
    GRADED = "graded", _("Graded")


class Attempt(models.Model):
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(auto_now_add=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_by_timeout = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="assess_attempt_no"),
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=models.Q(status="in_progress"),
                name="assess_one_open_attempt",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.quiz_id} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS


class AttemptItem(models.Model):
    """One question of an attempt, frozen as the trainee saw it."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(
        Question, null=True, on_delete=models.SET_NULL, related_name="attempt_items"
    )
    question_version = models.PositiveIntegerField()
    kind = models.CharField(max_length=32)
    stem = models.TextField()
    spec = models.JSONField()  # with the key: never sent to the browser before grading
    public = models.JSONField()  # what the browser is shown
    points = models.DecimalField(max_digits=5, decimal_places=2)
    max_score = models.DecimalField(max_digits=7, decimal_places=2)
    explanation = models.TextField(blank=True)
    citation = models.CharField(max_length=400, blank=True)
    answer = models.JSONField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="assess_item_position")
        ]

    def __str__(self):
        return f"{self.attempt_id}:{self.position}"


class RegradeRecord(models.Model):
    """Audit: who changed a question's key and how each affected attempt's score moved."""

    question = models.ForeignKey(Question, null=True, on_delete=models.SET_NULL, related_name="+")
    question_title = models.CharField(max_length=200)
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="regrades")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    old_version = models.PositiveIntegerField()
    new_version = models.PositiveIntegerField()
    old_score = models.DecimalField(max_digits=7, decimal_places=2)
    new_score = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("regrade record")
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.question_title}: {self.old_score} → {self.new_score}"
