from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from courses.signals import course_completion_recorded, course_copied

        from . import handlers

        course_completion_recorded.connect(
            handlers.on_course_completion_recorded, dispatch_uid="certificates-owed"
        )
        course_copied.connect(handlers.on_course_copied, dispatch_uid="certificates-copy")
        checks.register(check_signing_key, checks.Tags.security, deploy=True)

        from courses.items import register_item_rule

        from .models import CertificateTemplate
        from .selectors import certificate_template_open_to

        register_item_rule(CertificateTemplate, certificate_template_open_to)


def check_signing_key(app_configs, **kwargs):
    from django.conf import settings

    if not getattr(settings, "CERTIFICATE_SIGNING_KEY", ""):
        return [
            checks.Error(
                "CERTIFICATE_SIGNING_KEY is not set: certificates cannot be signed.",
                hint="Generate one with `python manage.py generate_signing_key --env`.",
                id="certificates.E001",
            )
        ]
    return []
