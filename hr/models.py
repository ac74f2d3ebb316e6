"""What HR departments keep: roster imports with their per-row reports, staff records
(manager, invitation) and the sent reminders that make each reminder go out once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    STAFF = "staff", _("Staff roster")
    UNITS = "units", _("Organisation units")


class RosterImport(models.Model):
    """One uploaded file: its rows as read (so that applying uses exactly what was
    previewed), the report of the last preview or application, and who did what."""

    kind = models.CharField(_("kind"), max_length=8, choices=ImportKind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The importer's scope when the file was read: a unit (with its sub-units), or none for
    # an administrator importing for every unit.
    scope = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows = models.JSONField(default=list)  # [[line number, {column: value}], ...]
    report = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.filename}"


class StaffRecord(models.Model):
    """What HR knows about a person beyond the account: their manager and whether the
    invitation to set a password has been sent (the outbox for invitations)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_record"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_by = models.ForeignKey(
        RosterImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation_due = models.BooleanField(default=False)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("staff record")
        verbose_name_plural = _("staff records")
        indexes = [
            models.Index(
                fields=["user"], condition=models.Q(invitation_due=True), name="hr_invitation_due"
            )
        ]

    def __str__(self):
        return str(self.user)


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    DIGEST = "digest", _("Weekly digest")


class SentReminder(models.Model):
    """One row per reminder event sent: the unique key makes a second run of the job, or
    two schedulers at once, send nothing more. Written in the transaction that sends."""

    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # What the reminder is about: "path:<id>" or "course:<id>" and its due date, or the
    # ISO week of a digest.
    subject = models.CharField(max_length=64)
    event_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "subject", "event_date"], name="hr_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.user_id} {self.subject} {self.event_date}"


class TranscriptRecord(models.Model):
    """A printed training record: what it said, signed with the certificates' key, so that
    its code and signature can be checked against it later (`/transcripts/verify/<code>/`)."""

    code = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    content = models.JSONField()  # every printed detail, canonicalised for the signature
    signature = models.TextField()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self):
        return self.code
