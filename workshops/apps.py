from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("In-person training")

    def ready(self):
        from courses.models import CoursePage, ModulePage
        from courses.steps import register_step_model

        from .models import TrainingSessionPage

        register_step_model(TrainingSessionPage)
        # Courses lists its own child page types; a training session step may sit where a
        # lesson or a quiz may, without courses knowing about this app.
        for parent in (CoursePage, ModulePage):
            if "workshops.TrainingSessionPage" not in parent.subpage_types:
                parent.subpage_types = [*parent.subpage_types, "workshops.TrainingSessionPage"]
