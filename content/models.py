import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet


@register_snippet
class LegalProvision(index.Indexed, models.Model):
    """A legal instrument or one of its articles, cited by lessons and questions."""

    instrument = models.CharField(
        _("legal instrument"),
        max_length=255,
        help_text=_("e.g. Bộ luật Hình sự số 100/2015/QH13"),
    )
    article = models.CharField(_("article"), max_length=100, blank=True)
    short_text = models.TextField(
        _("short text"), help_text=_("A faithful summary, 1–3 sentences.")
    )
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    source_name = models.CharField(_("source"), max_length=255, blank=True)
    source_url = models.URLField(_("source URL"), blank=True)

    panels = [
        FieldPanel("instrument"),
        FieldPanel("article"),
        FieldPanel("short_text"),
        FieldPanel("effective_date"),
        FieldPanel("superseded_by"),
        FieldPanel("source_name"),
        FieldPanel("source_url"),
    ]
    search_fields = [
        index.SearchField("instrument"),
        index.SearchField("article"),
        index.SearchField("short_text"),
        index.AutocompleteField("instrument"),
    ]

    class Meta:
        verbose_name = _("legal provision")
        verbose_name_plural = _("legal provisions")
        ordering = ["instrument", "article"]

    def __str__(self):
        return f"{self.article}, {self.instrument}" if self.article else self.instrument


class H5PLibrary(models.Model):
    """An H5P library the platform trusts. Only administrators add or upgrade these; a
    trainer's package that needs one not yet here waits for their approval."""

    machine_name = models.CharField(_("machine name"), max_length=127)
    major_version = models.PositiveSmallIntegerField()
    minor_version = models.PositiveSmallIntegerField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"], name="content_h5p_lib"
            )
        ]

    def __str__(self):
        return f"{self.machine_name} {self.major_version}.{self.minor_version}"


class H5PStatus(models.TextChoices):
    PROCESSING = "processing", _("Being checked")
    READY = "ready", _("Ready")
    REJECTED = "rejected", _("Refused")
    AWAITING_LIBRARY = "awaiting_library", _("Waiting for an administrator to approve libraries")


def _h5p_upload_path(instance, filename):
    return f"uploads/{instance.uuid}.h5p"


def h5p_storage():
    from django.core.files.storage import FileSystemStorage

    # No base_url: these files have no address on the platform origin.
    return FileSystemStorage(location=settings.H5P_ROOT, base_url=None)


class H5PContent(index.Indexed, models.Model):
    """An uploaded .h5p package. Its files are served only from the separate content
    origin, never from the platform's own."""

    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    package = models.FileField(
        _("H5P file (.h5p)"), upload_to=_h5p_upload_path, storage=h5p_storage
    )
    status = models.CharField(
        _("status"), max_length=20, choices=H5PStatus.choices, default=H5PStatus.PROCESSING
    )
    problems = models.JSONField(_("problems found"), default=list, blank=True)
    main_library = models.CharField(_("main library"), max_length=160, blank=True)
    dependencies = models.JSONField(default=list, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("title"), FieldPanel("package")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")

    def __str__(self):
        return self.title or str(self.uuid)

    @property
    def problems_text(self) -> str:
        return "; ".join(self.problems)

    @property
    def is_ready(self) -> bool:
        return self.status == H5PStatus.READY

    @property
    def folder(self) -> str:
        return f"extracted/{self.uuid}"
