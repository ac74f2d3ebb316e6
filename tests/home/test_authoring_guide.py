"""Our authoring guide in Vietnamese replaces Wagtail's English editor guide: in the admin's
Help menu, with a section for each part of authoring and the screenshots it names."""

import json
import os
import re

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from home.admin_views import SCREENSHOTS
from tests.factories.accounts import UserFactory
from tests.mfa import password_login, staff_login

pytestmark = pytest.mark.django_db

SECTIONS = [
    "Xây dựng một khóa học",
    "Bài học và các khối nội dung",
    "Bài kiểm tra",
    "Ngân hàng câu hỏi",
    "Hoạt động H5P",
    "Buổi tập huấn trực tiếp",
    "Chứng nhận và báo cáo",
]


def test_a_trainer_reads_the_guide_with_a_section_and_a_screenshot_for_each_part(client, trainer):
    staff_login(client, trainer)

    html = client.get("/admin/guide/").content.decode()

    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    for section in SECTIONS:
        assert any(section in h for h in headings), section
    for name, path in SCREENSHOTS.items():
        found = finders.find(path)
        assert found, f"{name}: {path} is missing (scripts/guide_screenshots.py makes it)"
        with Image.open(found) as image:
            assert image.format == "PNG" and image.size == (1280, 800), (path, image.size)
        # Optimised (a palette, scripts/guide_screenshots.py): the admin loads them all.
        assert os.path.getsize(found) < 100_000, path
        assert f'src="/static/{path}"' in html
    assert 'lang="vi"' in html


def _help_menu(html: str) -> list[dict]:
    """The items of the admin's Help menu, from the sidebar's JSON (Wagtail renders the menu
    in the browser from a <script type="application/json">, in telepath's packing)."""
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, "the admin page has no sidebar"
    props = json.loads(match.group(1))
    menu = next(m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule")
    help_menu = next(item for item in menu["_args"][0] if item["_args"][0]["name"] == "help")
    return [item["_args"][0] for item in help_menu["_args"][1]]


def test_the_help_menu_links_our_guide_and_not_wagtails_english_ones(client, trainer):
    staff_login(client, trainer)

    html = client.get("/admin/").content.decode()

    items = {item["name"]: item for item in _help_menu(html)}
    assert items["authoring-guide"]["url"] == "/admin/guide/"
    assert items["authoring-guide"]["label"] == "Hướng dẫn soạn bài"
    assert "editor-guide" not in items
    assert not [name for name in items if name.startswith("whats-new-in-wagtail")]
    assert "keyboard-shortcuts-trigger" in items  # the rest of Wagtail's Help menu stays
    # Nowhere on the dashboard (banner, menu) a link to Wagtail's English guide or notes.
    assert "guide.wagtail.org" not in html
    assert "docs.wagtail.org" not in html


def test_a_trainee_cannot_open_the_guide(client):
    trainee = UserFactory()
    password_login(client, trainee)

    response = client.get("/admin/guide/")

    assert response.status_code in (302, 403)
    assert "Ngân hàng câu hỏi" not in response.content.decode()
