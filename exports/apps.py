from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Exports")

    def ready(self):
        from .wagtail_builtin import guard_wagtail_exports

        guard_wagtail_exports()
