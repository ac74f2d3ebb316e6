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

        from . import receivers
        from .handlers import creator_owns_new_course
        from .models import CoursePage
        from .permissions import CourseOwnershipPagePolicy

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
