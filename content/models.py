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
