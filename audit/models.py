"""One append-only, hash-chained log of sensitive actions.

Each entry's hash covers its own fields and the previous entry's hash, so changing,
removing or inserting a row anywhere breaks every link after it; `verify_audit_log` names
the first broken one. Signed anchors (the chain head signed with the platform's Ed25519 key)
also reveal a chain that was rewritten from some point on, or cut short.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLogIsAppendOnly(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")

    # bulk_update would write changed fields just like update().
    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogIsAppendOnly("Audit entries cannot be changed.")


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(_("number"), unique=True, editable=False)
    at = models.DateTimeField(_("time"), db_index=True, editable=False)
    action = models.CharField(_("action"), max_length=64, db_index=True, editable=False)
    # No database constraint and no cascade: deleting a person must not touch the log; the
    # label keeps who it was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        editable=False,
    )
    actor_label = models.CharField(_("by"), max_length=255, blank=True, editable=False)
    target_type = models.CharField(_("object type"), max_length=100, blank=True, editable=False)
    target_id = models.CharField(_("object ID"), max_length=64, blank=True, editable=False)
    target_label = models.CharField(_("object"), max_length=255, blank=True, editable=False)
    summary = models.CharField(_("summary"), max_length=500, blank=True, editable=False)
    data = models.JSONField(_("details"), default=dict, blank=True, editable=False)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, editable=False)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, unique=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        # Only "view": nobody, administrators included, holds a permission to add, change
        # or delete entries through the application.
        default_permissions = ("view",)
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not kwargs.pop("_append", False):
            raise AuditLogIsAppendOnly("Use audit.services.audit_record() to add entries.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


class AuditAnchor(models.Model):
    """The chain head at one moment, signed with the platform key. Copies kept elsewhere
    (printed by `sign_audit_head`) prove what the log held at that time."""

    seq = models.PositiveBigIntegerField(_("number"), editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)
    signed_at = models.DateTimeField(_("signed at"), editable=False)
    signature = models.CharField(_("signature"), max_length=200, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("signed chain head")
        verbose_name_plural = _("signed chain heads")
        ordering = ["-seq"]
        default_permissions = ("view",)

    def __str__(self):
        return f"#{self.seq} {self.hash[:12]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("Signed chain heads cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Signed chain heads cannot be deleted.")
