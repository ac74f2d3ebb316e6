from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from courses.steps import register_step_model

        from .models import QuizPage

        register_step_model(QuizPage)

        from courses.items import owned_or_shared, register_item_rule

        from .models import Question

        register_item_rule(Question, owned_or_shared, views={"assessments_regrade": "question_id"})
