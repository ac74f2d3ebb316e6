from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrConfig(AppConfig):
    name = "hr"
    verbose_name = _("HR")

    def ready(self):
        from allauth.account.signals import password_reset

        from . import handlers

        password_reset.connect(handlers.on_password_reset, dispatch_uid="hr-invitation-accepted")
