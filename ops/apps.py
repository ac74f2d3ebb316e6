from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the platform: health checks, request ids and logs, the scheduler for periodic
    jobs, the task worker's crash recovery, backup and restore. It imports no project app."""

    name = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from django.core.signals import request_finished, request_started, setting_changed

        from . import requestcache
        from .csp import patch_wagtail_chooser_widgets, policies_forget

        request_started.connect(requestcache.request_open, dispatch_uid="requestcache-open")
        request_finished.connect(requestcache.request_close, dispatch_uid="requestcache-close")
        setting_changed.connect(policies_forget, dispatch_uid="csp-policies-forget")

        # The pool's health check sends its empty query only to a connection that may
        # have been ended (ops.dbcheck).
        from . import dbcheck

        dbcheck.install()

        # Wagtail's chooser widgets write an inline script from Python: give it the nonce.
        patch_wagtail_chooser_widgets()
