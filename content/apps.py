from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Shared content")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import admin_copy, rendercache, wagtail_i18n

        wagtail_i18n.apply()
        admin_copy.apply()
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(rendercache.generation_bump, dispatch_uid=f"render-{signal!r}")
        post_save.connect(_bump_if_rendered, dispatch_uid="render-post-save")
        post_delete.connect(_bump_if_rendered, dispatch_uid="render-post-delete")


def _bump_if_rendered(sender, instance, **kwargs):
    """Anything a cached lesson or course page shows: pages, the snippets blocks cite,
    images, documents, H5P activities (not per-learner rows such as H5P user data)."""
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage, AbstractRendition
    from wagtail.models import Page

    from . import rendercache
    from .models import H5PContent, LegalProvision

    if isinstance(
        instance,
        Page | LegalProvision | H5PContent | AbstractImage | AbstractRendition | AbstractDocument,
    ):
        rendercache.generation_bump()
