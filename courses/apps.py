from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import AbstractPage
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from ops import requestcache

        from . import learnercache, receivers
        from .handlers import creator_owns_new_course
        from .models import CoursePage
        from .permissions import CourseOwnershipPagePolicy

        requestcache.register(learnercache.prefetch_keys)
        page_published.connect(receivers.on_page_changed, dispatch_uid="courses-recheck-pub")
        page_unpublished.connect(receivers.on_page_changed, dispatch_uid="courses-recheck-unpub")
        post_page_move.connect(receivers.on_page_moved, dispatch_uid="courses-recheck-move")
        post_delete.connect(receivers.on_page_deleted, dispatch_uid="courses-recheck-delete")
        # Before anything asks the registry: every page model follows course ownership.
        register_permission_policy(AbstractPage, CourseOwnershipPagePolicy())
        post_save.connect(creator_owns_new_course, sender=CoursePage, weak=False)

        from content.models import H5PContent

        from .items import owned_or_shared, register_item_rule

        register_item_rule(H5PContent, owned_or_shared, views={"content_h5p_approve": "content_id"})
        from content.ownership import ADMINISTRATORS, VISIBLE_ITEMS

        from .items import is_administrator, owned_or_shared_items

        VISIBLE_ITEMS[:] = [owned_or_shared_items]
        ADMINISTRATORS[:] = [is_administrator]

        from .items import assignment_open_to
        from .models import Assignment

        register_item_rule(Assignment, assignment_open_to, namespaces=("assignments",))
        self._connect_learner_cache()

    def _connect_learner_cache(self):
        """What a trainee's cached dashboard shows changes with these rows (learnercache)."""
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from accounts.models import Organisation

        from . import learnercache
        from .models import Assignment, Enrolment, LearningPath, LearningPathCourse

        user_model = get_user_model()
        for signal in (post_save, post_delete):
            name = "save" if signal is post_save else "delete"
            signal.connect(
                learnercache.on_learner_row_changed,
                sender=Enrolment,
                dispatch_uid=f"learner-enrolment-{name}",
            )
            for model in (Assignment, LearningPath, LearningPathCourse, Organisation):
                signal.connect(
                    learnercache.structure_changed,
                    sender=model,
                    dispatch_uid=f"learner-structure-{model.__name__}-{name}",
                )
        post_save.connect(
            learnercache.on_user_changed, sender=user_model, dispatch_uid="learner-user-save"
        )
        m2m_changed.connect(
            learnercache.on_groups_changed,
            sender=user_model.groups.through,
            dispatch_uid="learner-user-groups",
        )
