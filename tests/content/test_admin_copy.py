"""Copying in the admin never changes the original. Wagtail 8.0's copy views bind their
form to the original object, so a POST to a copy URL saved over it; every viewset's copy
view (walked from Wagtail's registry, ours and Wagtail's own) now starts from a new row."""

import pytest
from django.test import Client
from django.urls import get_resolver
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.test.utils.form_data import querydict_from_html

from accounts.models import Organisation
from accounts.roles import ADMINISTRATOR
from content.admin_copy import CopyAsNewMixin
from content.models import LegalProvision
from tests.factories.accounts import UserFactory
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db


def _registered_viewsets():
    assert get_resolver().url_patterns  # builds the admin's URLs, and so its registry
    return [vs for vs in viewsets.viewsets if isinstance(vs, ModelViewSet)]


def test_every_copy_view_in_the_admin_copies_into_a_new_row():
    found = _registered_viewsets()
    with_copy = [vs for vs in found if vs.copy_view_enabled]

    assert len(found) >= 8 and with_copy
    unsafe = [
        f"{vs.model._meta.label}: {vs.copy_view_class.__name__}"
        for vs in with_copy
        if not issubclass(vs.copy_view_class, CopyAsNewMixin)
    ]
    assert unsafe == []
    # Accounts are never copied.
    assert not [vs for vs in with_copy if vs.model._meta.label == "accounts.User"]


def _copy_form(client, url, form_id=None, **changes):
    html = client.get(url).content.decode()
    data = querydict_from_html(html, form_id=form_id) if form_id else querydict_from_html(html)
    for key, value in changes.items():
        data[key] = value
    return dict(data.lists())


@pytest.fixture
def admin_client():
    client = Client()
    staff_login(client, UserFactory(role=ADMINISTRATOR))
    return client


def test_a_post_to_a_snippet_copy_url_keeps_the_original(admin_client):
    original = LegalProvision.objects.create(
        instrument="Luật Phòng, chống mua bán người",
        article="Điều 3",
        short_text="Gốc.",
        key="lp-3",
    )
    url = f"/admin/snippets/content/legalprovision/copy/{original.pk}/"
    data = _copy_form(admin_client, url, form_id="w-editor-form", short_text="Bản sao.")

    response = admin_client.post(url, data)

    assert response.status_code == 302
    original.refresh_from_db()
    assert original.short_text == "Gốc." and original.key == "lp-3"
    copy = LegalProvision.objects.exclude(pk=original.pk).get()
    assert copy.short_text == "Bản sao." and copy.article == "Điều 3" and copy.key == ""


def test_a_post_to_a_model_copy_url_keeps_the_original(admin_client):
    root = Organisation.add_root(name="Bộ Công an", agency_type="police", province="")
    unit = root.add_child(name="Công an tỉnh A", agency_type="police", province="Tỉnh A")
    url = f"/admin/organisations/copy/{unit.pk}/"
    data = _copy_form(admin_client, url, form_id="w-editor-form", name="Công an tỉnh B")
    data["parent"] = [str(root.pk)]

    response = admin_client.post(url, data)

    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Công an tỉnh A"
    copy = Organisation.objects.get(name="Công an tỉnh B")
    assert copy.pk != unit.pk and copy.get_parent() == root
