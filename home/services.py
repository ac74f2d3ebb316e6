"""Writes for the home app."""

from django.db import transaction
from wagtail.models import Page, Site

from .models import HomePage

HOME_TITLE = "Đào tạo phòng, chống mại dâm"


@transaction.atomic
def site_homepage_ensure() -> HomePage:
    """The site's home page, created under Wagtail's root page if it is missing (a new
    database gets it from a migration; tests that flush the database need it back)."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title=HOME_TITLE, slug="home"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True,
            site_name=HOME_TITLE,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return home
