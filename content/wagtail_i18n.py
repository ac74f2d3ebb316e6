"""Strings Wagtail 8.0 shows in English whatever the catalogue says, made translatable.

Wagtail builds a few admin labels without gettext: a form field or a listing column with
no label gets one made from its name ("Page", "Port"), Django's Permission prints itself
as "app | model | Can add page", and the page search names its results `None`. Each fix
gives the same text Wagtail means, through gettext. Templates with literal English
(`value="Search"`, `aria-label="Actions"`) are overridden in templates/wagtailadmin/.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _page_permission_label(permission) -> str:
    from wagtail.models import Page

    for codename, _short, long_label in Page.permission_types:
        if permission.codename == codename:
            return long_label
    return gettext(permission.name)  # the stored name is Wagtail's English msgid


def apply() -> None:
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.admin.views.pages.search import SearchView
    from wagtail.models import Page, Site
    from wagtail.sites.views import IndexView as SiteIndexView
    from wagtail.users.forms import PagePermissionsForm

    # "1-9 of 9 None" in the page search: name the results as the page explorer does.
    SearchView.verbose_name = Page._meta.verbose_name
    SearchView.verbose_name_plural = Page._meta.verbose_name_plural

    # Page choosers in the group and workflow forms have no label, so Django shows "Page".
    PagePermissionsForm.base_fields["page"].label = _("Page")
    WorkflowPageForm.base_fields["page"].label = _("Page")

    # The page-permission checkboxes' labels: "Add/edit pages you own", not
    # "Wagtail core | page | Can add page".
    PagePermissionsForm.base_fields["permissions"].label_from_instance = _page_permission_label

    # The sites listing labels three columns from their attribute names ("Port").
    for column in SiteIndexView.columns:
        if column.name in {"port", "site_name", "root_page"}:
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)
