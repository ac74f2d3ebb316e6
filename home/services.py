"""Writes for the home app."""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import HomePage

HOME_TITLE = "Đào tạo phòng, chống mại dâm"


@transaction.atomic
def site_homepage_ensure() -> HomePage:
    """The site's home page, created under Wagtail's root page if it is missing (a new
    database gets it from a migration; tests that flush the database need it back)."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:
            Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
            root = Page.add_root(instance=Page(title="Gốc", slug="root"))
        home = root.add_child(instance=HomePage(title=HOME_TITLE, slug="home"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=HOME_TITLE,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return home
