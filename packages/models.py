import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def package_storage():
    from django.core.files.storage import FileSystemStorage

    # Private: uploaded packages have no address on any origin.
    return FileSystemStorage(location=settings.COURSE_PACKAGE_ROOT, base_url=None)


def _upload_path(instance, filename):
    return f"imports/{instance.uuid}.pcmd.zip"


class ImportStatus(models.TextChoices):
    INVALID = "invalid", _("Refused: the file is not a valid package")
    PREVIEWED = "previewed", _("Previewed, not imported")
    QUEUED = "queued", _("Importing")
    APPLIED = "applied", _("Imported")
    REFUSED = "refused", _("Refused; nothing was imported")


class PackageImport(models.Model):
    """One uploaded course package: its preview, the options chosen and what was imported."""

    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    file = models.FileField(_("package file"), upload_to=_upload_path, storage=package_storage)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    package_key = models.CharField(_("package"), max_length=80, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    errors = models.JSONField(default=list, blank=True)
    options = models.JSONField(default=dict, blank=True)
    plan = models.JSONField(default=list, blank=True)
    result = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("course package import")
        verbose_name_plural = _("course package imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title or self.file_name
