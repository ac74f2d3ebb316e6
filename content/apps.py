from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Shared content")

    def ready(self):
        from . import wagtail_i18n

        wagtail_i18n.apply()
