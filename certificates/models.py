from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

DEFAULT_WORDING = "đã hoàn thành chương trình đào tạo"


class CertificateTemplateForm(WagtailAdminModelForm):
    """A trainer gives a certificate template only to a course they own (administrators to
    any): a tampered choice is refused like any value not in the list."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from courses.items import is_administrator
        from courses.selectors import courses_owned_by

        user = self.for_user
        if user is not None and "course" in self.fields and not is_administrator(user):
            self.fields["course"].queryset = courses_owned_by(user=user)


class CertificateTemplate(ClusterableModel):
    """How a course's certificates read and who issues and signs them."""

    name = models.CharField(_("name"), max_length=200)
    course = models.OneToOneField(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificate_template",
    )
    path = models.OneToOneField(
        "courses.LearningPath",
        verbose_name=_("learning path"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificate_template",
        help_text=_("Instead of a course: a certificate for finishing every course of a path."),
    )
    wording_vi = models.CharField(
        _("wording (Vietnamese)"), max_length=300, default=DEFAULT_WORDING
    )
    wording_en = models.CharField(_("wording (English, optional)"), max_length=300, blank=True)
    course_title_en = models.CharField(_("course title in English"), max_length=300, blank=True)
    issuer_name = models.CharField(_("issuing organisation"), max_length=300)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo or seal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: use the course's validity; a course without one gives no expiry."),
    )

    base_form_class = CertificateTemplateForm
    panels = [
        FieldPanel("name"),
        FieldPanel("course"),
        FieldPanel("path"),
        FieldPanel("wording_vi"),
        FieldPanel("wording_en"),
        FieldPanel("course_title_en"),
        FieldPanel("issuer_name"),
        FieldPanel("logo"),
        FieldPanel("validity_months"),
        InlinePanel("signatories", label=_("Signatories"), max_num=3),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(course__isnull=False, path__isnull=True)
                    | models.Q(course__isnull=True, path__isnull=False)
                ),
                name="certificates_template_course_or_path",
            )
        ]

    def clean(self):
        from django.core.exceptions import ValidationError

        if bool(self.course_id) == bool(self.path_id):
            raise ValidationError(_("Choose either a course or a learning path."))

    def __str__(self):
        return self.name


class CertificateSignatory(Orderable):
    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(pgettext_lazy("signatory", "title"), max_length=200)

    panels = [FieldPanel("name"), FieldPanel("title")]


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded by a newer certificate")


class Certificate(models.Model):
    code = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey(
        "courses.CoursePage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.ForeignKey(
        "courses.LearningPath", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "<enrolment id>:<completion time>": one certificate per completion, however often the
    # issuing task runs. Reissues carry no key.
    issuance_key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    # What the certificate said when issued; later profile edits do not change it.
    holder_name = models.CharField(max_length=150)
    staff_id = models.CharField(max_length=50, blank=True)
    organisation_name = models.CharField(max_length=255, blank=True)
    # The holder's organisation when it was issued: HR scope (revoke, reissue, the PDF,
    # staff-ID look-ups) follows this, never the holder's later moves.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation at issue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    course_title = models.CharField(max_length=255)
    course_title_en = models.CharField(max_length=300, blank=True)
    issuer_name = models.CharField(max_length=300)
    wording_vi = models.CharField(max_length=300, default=DEFAULT_WORDING)
    wording_en = models.CharField(max_length=300, blank=True)
    # Who signed it and the issuer's logo or seal, as printed: snapshots, like the rest.
    signatories = models.JSONField(default=list, blank=True)  # [[title, name], ...]
    logo_sha256 = models.CharField(max_length=64, blank=True)
    logo_file = models.CharField(max_length=255, blank=True)  # content-addressed, in storage
    # A blended course's in-person sessions attended, as printed ("05/12/2026, Hội trường ...").
    in_person = models.CharField(max_length=500, blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Which canonical payload the signature covers (see signing.SIGNED_FIELDS).
    payload_version = models.PositiveSmallIntegerField(default=1)
    signature = models.TextField()
    # Issuing, rendering and mailing are separate steps, each with its own state: the
    # certificate row exists once issued; `pdf` is set once rendered; `emailed_at` once mailed.
    pdf = models.FileField(upload_to="certificates/%Y/%m/", blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=500, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [models.Index(fields=["staff_id"]), models.Index(fields=["expires_on"])]

    def __str__(self):
        return f"{self.code} · {self.holder_name}"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return CertificateStatus.REVOKED
        if self.superseded_by_id:
            return CertificateStatus.SUPERSEDED
        if self.expires_on and self.expires_on < timezone.localdate():
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    def get_status_display(self) -> str:
        return CertificateStatus(self.status).label


class CertificateRequest(models.Model):
    """The outbox: a certificate owed for one completion of a course or a learning path.

    Written in the same database transaction as the completion itself, so a process that
    dies right after that commit still leaves the need on record; the worker's task and
    `manage.py reconcile_certificates` turn each open request into exactly one certificate,
    one stored PDF and one e-mail.
    """

    # The completion's identity: "<enrolment id>:<completion time>" for a course,
    # "path:<path id>:<user id>:<last completion time>" for a path. It becomes the
    # certificate's issuance key.
    key = models.CharField(max_length=120, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificate_requests"
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    course = models.ForeignKey(
        "courses.CoursePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.ForeignKey(
        "courses.LearningPath", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    certificate = models.OneToOneField(
        Certificate, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("certificate request")
        verbose_name_plural = _("certificate requests")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(done_at__isnull=True),
                name="cert_request_open",
            ),
            models.Index(fields=["enrolment", "completed_at"], name="cert_request_completion"),
        ]

    def __str__(self):
        return self.key


class CertificateEvent(models.Model):
    """Audit trail of sensitive actions on a certificate."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REVOKED = "revoked", _("Revoked")
        REISSUED = "reissued", _("Reissued")
        EMAILED = "emailed", _("Sent by e-mail")
        REMINDED = "reminded", _("Expiry reminder sent")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self):
        return f"{self.certificate_id} {self.action}"
