"""In-person training sessions (tập huấn): a course step with scheduled sessions,
registrations with a waiting list, attendance, and the e-mails they send."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from content.pages import AsciiSlugMixin
from courses.permissions import CourseContent


class TrainingSessionPage(CourseContent, AsciiSlugMixin, Page):
    """A face-to-face step of a (blended) course. Its sessions are scheduled separately
    (TrainingSession), so re-publishing the page never touches who registered."""

    intro = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "ul", "ol", "link"]
    )
    is_required = models.BooleanField(
        _("attendance required for course completion"),
        default=True,
        help_text=_("Attending one of the sessions completes this step of the course."),
    )
    partial_attendance_counts = models.BooleanField(
        _("partial attendance counts"),
        default=True,
        help_text=_("Untick if arriving late or leaving early does not complete the step."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=240)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("is_required"),
                FieldPanel("partial_attendance_counts"),
                FieldPanel("estimated_minutes"),
            ],
            heading=_("Completion"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.CoursePage", "courses.ModulePage"]
    subpage_types = []
    # Attendance completes the step, never the trainee's own click.
    manual_completion = False

    class Meta:
        verbose_name = _("in-person training session")

    def get_context(self, request, *args, **kwargs):
        from .selectors import step_overview_for

        context = super().get_context(request, *args, **kwargs)
        context.update(step_overview_for(request=request, step=self))
        return context

    def serve(self, request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)


class TrainingSession(models.Model):
    """One scheduled sitting of a training session step: when, where, how many, who."""

    step = models.ForeignKey(
        TrainingSessionPage,
        verbose_name=_("training session step"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=30)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="training_sessions_led",
        help_text=_("They run the check-in and record attendance."),
    )
    organising_unit = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organising unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Empty: open now.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: when it starts.")
    )
    cancellation_deadline = models.DateTimeField(
        _("trainees may cancel until"),
        null=True,
        blank=True,
        help_text=_("Empty: 24 hours before it starts."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="workshops_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="workshops_session_capacity_min_1"
            ),
        ]

    def __str__(self):
        from django.utils import formats, timezone

        start = formats.date_format(timezone.localtime(self.starts_at), "SHORT_DATETIME_FORMAT")
        return f"{self.step.title} · {start} · {self.place}"

    @property
    def closes_registration_at(self):
        return self.registration_closes_at or self.starts_at

    @property
    def cancellable_until(self):
        return self.cancellation_deadline or self.starts_at - timedelta(hours=24)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("registration status", "Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


ACTIVE_REGISTRATION = [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]


class Registration(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations"
    )
    # The session's step, kept here so one database constraint allows a trainee one active
    # registration per step, whatever two requests do at once.
    step = models.ForeignKey(TrainingSessionPage, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_registrations"
    )
    status = models.CharField(max_length=16, choices=RegistrationStatus.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The waiting list is served in this order; set again when a cancelled trainee returns.
    queued_at = models.DateTimeField()
    # Raised on every change of status: the calendar invitation's SEQUENCE.
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="workshops_registration_once"),
            models.UniqueConstraint(
                fields=["step", "user"],
                condition=models.Q(status__in=["registered", "waitlisted"]),
                name="workshops_one_active_registration_per_step",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]

    def __str__(self):
        return f"{self.user} · {self.session_id} · {self.status}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Arrived late")
    LEFT_EARLY = "left_early", _("Left early")
    ABSENT = "absent", _("Absent")


PARTIAL_ATTENDANCE = [AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY]
ATTENDED = [AttendanceStatus.PRESENT, *PARTIAL_ATTENDANCE]


class AttendanceMethod(models.TextChoices):
    SESSION_QR = "session_qr", _("Scanned the session's QR code")
    PERSONAL_QR = "personal_qr", _("Trainer scanned the trainee's QR code")
    MANUAL = "manual", _("Marked by the trainer")
    SHEET = "sheet", _("Entered from the paper sign-in sheet")


class Attendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_attendances"
    )
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)
    method = models.CharField(max_length=16, choices=AttendanceMethod.choices)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    minutes_attended = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="workshops_attendance_once")
        ]

    def __str__(self):
        return f"{self.user} · {self.session_id} · {self.status}"

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED


class MailKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Registration confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    PROMOTED = "promoted", _("Seat offered from the waiting list")
    CANCELLED = "cancelled", _("Registration cancelled")
    REMINDER = "reminder", _("Reminder")


class SessionMail(models.Model):
    """The outbox of session e-mails. A row is written in the transaction of what it tells
    (a registration, a cancellation, a reminder that falls due); its unique key means one
    event is told once, and `sent_at` is set in the transaction that sends it."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField(max_length=16, choices=MailKind.choices)
    key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="workshops_mail_unsent",
            )
        ]

    def __str__(self):
        return self.key
