from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import GuideView


@hooks.register("register_admin_urls")
def register_guide_url():
    return [path("guide/", GuideView.as_view(), name="authoring_guide")]


@hooks.register("register_help_menu_item")
def register_guide_menu_item():
    return MenuItem(
        _("Authoring guide"),
        reverse("authoring_guide"),
        icon_name="help",
        order=1100,
        name="authoring-guide",
    )


@hooks.register("construct_help_menu")
def drop_wagtails_english_guides(request, menu_items):
    # Wagtail's editor guide and release notes are in English and describe Wagtail, not
    # courses: ours replaces them.
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "editor-guide" and not item.name.startswith("whats-new-in-wagtail")
    ]
