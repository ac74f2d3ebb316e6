from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Shared content")

    def ready(self):
        from django.core.signals import request_finished, request_started, setting_changed
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from ops import requestcache

        from . import admin_copy, rendercache, wagtail_i18n

        wagtail_i18n.apply()
        admin_copy.apply()
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(rendercache.generation_bump, dispatch_uid=f"render-{signal!r}")
        request_started.connect(rendercache.request_memo_open, dispatch_uid="render-memo-open")
        request_finished.connect(rendercache.request_memo_close, dispatch_uid="render-memo-close")
        requestcache.register(rendercache.prefetch_keys)
        setting_changed.connect(rendercache.code_forget, dispatch_uid="render-code-forget")
        post_save.connect(_bump_if_rendered, dispatch_uid="render-post-save")
        post_delete.connect(_bump_if_rendered, dispatch_uid="render-post-delete")


def _bump_if_rendered(sender, instance, **kwargs):
    """Anything a cached lesson or course page shows: pages, the snippets blocks cite,
    images, documents, H5P activities (not per-learner rows such as H5P user data); and
    what serving a page remembers (content.serving, content.pages): sites and page view
    restrictions. A restriction also bumps once its transaction commits, so a request that
    read the old state in between cannot keep it under the new generation."""
    from django.db import transaction
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage, AbstractRendition
    from wagtail.models import BaseViewRestriction, Page, Site

    from . import rendercache
    from .models import H5PContent, LegalProvision

    if isinstance(
        instance,
        Page
        | LegalProvision
        | H5PContent
        | AbstractImage
        | AbstractRendition
        | AbstractDocument
        | Site
        | BaseViewRestriction,
    ):
        rendercache.generation_bump()
    if isinstance(instance, BaseViewRestriction | Site):
        transaction.on_commit(rendercache.generation_bump)
