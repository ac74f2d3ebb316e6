from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a periodic job at one scheduled time. The unique pair (name, scheduled
    time) makes a second scheduler skip a time that another already ran."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("job"), max_length=100)
    scheduled_for = models.DateTimeField(_("scheduled for"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RUNNING
    )
    runner = models.CharField(_("run by"), max_length=200, help_text=_("host and process id"))
    output = models.TextField(_("output"), blank=True)

    class Meta:
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")
        ordering = ["-scheduled_for", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "scheduled_for"], name="ops_jobrun_once_per_time"
            )
        ]
        indexes = [models.Index(fields=["name", "-scheduled_for"], name="ops_jobrun_latest")]

    def __str__(self):
        return f"{self.name} @ {self.scheduled_for:%Y-%m-%d %H:%M}"
