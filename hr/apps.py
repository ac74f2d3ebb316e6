from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrConfig(AppConfig):
    name = "hr"
    verbose_name = _("HR")

    def ready(self):
        from allauth.account.signals import password_reset

        from . import handlers

        password_reset.connect(handlers.on_password_reset, dispatch_uid="hr-invitation-accepted")
        self._connect_compliance_cache()

    def _connect_compliance_cache(self):
        """The dashboard's cached figures count these rows (hr.compliance.GENERATION_KEY)."""
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save
        from treebeard.mp_tree import path_updated

        from accounts.models import Organisation
        from certificates.models import Certificate
        from courses.models import Assignment, Enrolment, LearningPath, LearningPathCourse

        from .compliance import compliance_changed

        models = [
            Enrolment,
            Assignment,
            LearningPath,
            LearningPathCourse,
            Certificate,
            Organisation,
            get_user_model(),
        ]
        for signal in (post_save, post_delete):
            name = "save" if signal is post_save else "delete"
            for model in models:
                signal.connect(
                    compliance_changed,
                    sender=model,
                    dispatch_uid=f"hr-compliance-{model.__name__}-{name}",
                )
        path_updated.connect(compliance_changed, dispatch_uid="hr-compliance-unit-moved")
