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

        from courses.items import register_item_rule

        from .models import TrainingSession
        from .selectors import session_editable_by

        # The sessions viewset (edit, delete, copy, history, usage): its course's owners.
        register_item_rule(
            TrainingSession,
            lambda user, session: session_editable_by(user=user, session=session),
            namespaces=("training_sessions",),
        )
        # Courses lists its own child page types; a training session step may sit where a
        # lesson or a quiz may, without courses knowing about this app.
        for parent in (CoursePage, ModulePage):
            if "workshops.TrainingSessionPage" not in parent.subpage_types:
                parent.subpage_types = [*parent.subpage_types, "workshops.TrainingSessionPage"]
