from datetime import date
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db import connection
from django.utils import formats, translation

BASE_DIR = Path(settings.BASE_DIR)


def test_tests_run_on_postgresql():
    assert connection.vendor == "postgresql"


def test_base_settings_are_safe_by_default():
    from config.settings import base

    assert base.DEBUG is False
    assert base.ALLOWED_HOSTS == []
    assert base.DEMO_DATA_ALLOWED is False


# Our own strings and allauth's are translated in full; the catalogues of the other
# packages (locale_wagtail, locale_django) have their own rules in test_vendor_catalogues.
COMPLETE_CATALOGUES = {"locale", "locale_allauth"}


def _project_catalogues():
    return sorted(
        p
        for root in settings.LOCALE_PATHS
        if Path(root).name in COMPLETE_CATALOGUES
        for p in Path(root).glob("vi/LC_MESSAGES/*.po")
    )


def test_project_has_vietnamese_catalogues_for_its_own_and_its_packages_strings():
    names = {Path(root).name for root in settings.LOCALE_PATHS}

    assert names == COMPLETE_CATALOGUES | {"locale_wagtail", "locale_django"}
    for root in settings.LOCALE_PATHS:
        assert list(Path(root).glob("vi/LC_MESSAGES/django.po")), root


@pytest.mark.parametrize(
    "po_path", _project_catalogues(), ids=lambda p: str(p.parent.parent.parent.name)
)
def test_vietnamese_catalogue_is_complete_with_nothing_fuzzy(po_path):
    catalogue = polib.pofile(str(po_path))

    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []
    assert len(catalogue.translated_entries()) > 10


def test_vietnamese_dates_and_numbers():
    with translation.override("vi"):
        assert formats.date_format(date(2026, 11, 29), "SHORT_DATE_FORMAT") == "29/11/2026"
        assert formats.date_format(date(2026, 11, 29)) == "ngày 29 tháng 11 năm 2026"
        assert formats.number_format(Decimal("1234567.5"), 1, force_grouping=True) == (
            "1.234.567,5"
        )


def test_time_zone_is_viet_nam():
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"


@pytest.mark.django_db
def test_home_page_is_vietnamese_even_for_an_english_browser(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in body
    assert "Chuyển đến nội dung chính" in body
    assert "Đăng nhập" in body


@pytest.mark.django_db
def test_language_switcher_changes_to_english_and_back(client, home_page):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    vietnamese = client.get("/").content.decode()

    assert '<html lang="en">' in english
    assert "Skip to main content" in english
    assert '<html lang="vi">' in vietnamese


@pytest.mark.django_db
def test_home_page_has_landmarks_and_a_skip_link(client, home_page):
    body = client.get("/").content.decode()

    assert '<a class="visually-hidden-focusable skip-link" href="#main">' in body
    for landmark in ("<header>", '<main id="main"', "<footer", "<nav "):
        assert landmark in body
    assert 'for="language-select"' in body
