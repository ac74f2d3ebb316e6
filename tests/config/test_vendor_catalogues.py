"""The admin in Vietnamese: our catalogues for Wagtail, Django and the admin's libraries.

Coverage is measured against the source catalogues of the packages actually installed, so
upgrading Wagtail without translating its new strings fails here.
"""

import itertools
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from scripts import vendor_catalogues as vc

BASE_DIR = Path(settings.BASE_DIR)
TARGETS = {t.name: t for t in vc.targets()}
WAGTAIL = TARGETS["wagtail"]


def _coverage_table(rows):
    return "\n".join(f"{r.name}: {r.translated}/{r.total} ({r.ratio:.1%})" for r in rows)


def test_every_installed_wagtail_app_is_measured():
    measured = {s.name for s in WAGTAIL.sources}

    assert {"wagtail", "wagtail/admin", "wagtail/images", "wagtail/snippets"} <= measured
    assert {"wagtail/users", "wagtail/documents", "wagtail/contrib/redirects"} <= measured
    assert "wagtail/contrib/styleguide" not in measured  # not installed


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_at_least_95_percent_of_the_installed_packages_strings_are_translated(name):
    rows = vc.coverage_by_source(TARGETS[name])
    total = vc.overall(rows, name)

    assert total.total > (1500 if name == "wagtail" else 300)
    assert total.ratio >= vc.MINIMUM_COVERAGE, _coverage_table(rows)


@pytest.mark.parametrize("screen", sorted(vc.SCREENS))
def test_every_string_of_an_admin_screen_is_translated(screen):
    row = next(r for r in vc.coverage_by_screen(WAGTAIL) if r.name == screen)

    assert row.total > 20, f"the {screen} patterns match almost nothing: are they stale?"
    assert row.missing == [], f"{len(row.missing)} untranslated on {screen}: {row.missing[:10]}"


def test_the_javascript_catalogue_is_covered_as_the_block_editor():
    keys = vc.screen_keys(WAGTAIL)["page editor and blocks"]
    js = {k for k in keys if k[0] == "djangojs"}

    assert ("djangojs", "", "Write something or type ‘/’ to insert a block") in js
    assert len(js) == len(vc.source_keys(WAGTAIL, "djangojs"))


@pytest.mark.parametrize("domain", vc.DOMAINS)
def test_wagtail_catalogue_lists_exactly_the_installed_wagtails_strings(domain):
    # `scripts/vendor_catalogues.py update` after an upgrade keeps this true.
    ours = {vc.key(e) for e in WAGTAIL.load(domain)}

    assert ours == vc.source_keys(WAGTAIL, domain)


def _all_project_catalogues():
    return sorted(
        p for root in settings.LOCALE_PATHS for p in Path(root).glob("vi/LC_MESSAGES/*.po")
    )


@pytest.mark.parametrize("po_path", _all_project_catalogues(), ids=lambda p: str(p.parent))
def test_translations_keep_every_placeholder_tag_and_entity(po_path):
    catalogue = polib.pofile(str(po_path))

    problems = [p for entry in catalogue for p in vc.placeholder_problems(entry)]

    assert problems == []
    assert catalogue.fuzzy_entries() == []
    assert catalogue.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


def test_the_placeholder_check_catches_what_a_careless_translation_breaks():
    def entry(msgid, msgstr, plural=""):
        if plural:
            return polib.POEntry(msgid=msgid, msgid_plural=plural, msgstr_plural={0: msgstr})
        return polib.POEntry(msgid=msgid, msgstr=msgstr)

    assert vc.placeholder_problems(entry("Delete %(title)s", "Xóa %(title)s")) == []
    assert vc.placeholder_problems(entry("Delete %(title)s", "Xóa %(tieu_de)s"))
    assert vc.placeholder_problems(entry("Edit {title}", "Sửa"))
    assert vc.placeholder_problems(entry("%s of %s", "%s"))
    assert vc.placeholder_problems(entry("<a href='%(url)s'>add</a>", "<a>thêm</a> %(url)s"))
    assert vc.placeholder_problems(entry("<b>Done</b>", "<strong>Xong</strong>"))
    assert vc.placeholder_problems(entry("1 page", "%(count)s trang", "%(count)s pages")) == []
    assert vc.placeholder_problems(entry("1 page", "1 trang", "%(count)s pages"))


# Strings several catalogues translate: the first in LOCALE_PATHS wins everywhere, so a
# second translation would be dead and a sign of two words for one thing.
SAME_MSGID_DIFFERENT_MEANING = {
    # allauth: a WebAuthn key's kind (not enabled); Wagtail: where a document is used.
    ("", "Usage"),
}


def _translations(path):
    return {
        vc.key(e): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.pofile(str(path))
        if vc.is_translated(e)
    }


def test_a_string_shared_by_two_catalogues_has_one_translation():
    catalogues = {
        p.parent.parent.parent.name: _translations(p)
        for p in _all_project_catalogues()
        if p.name == "django.po"
    }
    differing = [
        (a, b, k, catalogues[a][k], catalogues[b][k])
        for a, b in itertools.combinations(sorted(catalogues), 2)
        for k in catalogues[a].keys() & catalogues[b].keys()
        if catalogues[a][k] != catalogues[b][k] and k not in SAME_MSGID_DIFFERENT_MEANING
    ]

    assert differing == []


@pytest.mark.parametrize(
    ("msgid", "ours"),
    [
        # Wagtail's own Vietnamese has "Thu hồi xuất bản" and no "Choose %(object)s".
        ("Unpublish", "Ngừng xuất bản"),
        ("Choose %(object)s", "Chọn %(object)s"),
        ("Save draft", "Lưu bản nháp"),
        ("Add child page", "Thêm trang con"),
        ("Your most recent edits", "Những nội dung bạn sửa gần đây"),
        # Django's own Vietnamese lacks these.
        ("Forbidden", "Không được phép"),
    ],
)
def test_the_running_platform_prefers_our_compiled_translations(msgid, ours):
    with translation.override("vi"):
        assert translation.gettext(msgid) == ours


def test_a_page_count_reads_in_vietnamese():
    with translation.override("vi"):
        text = translation.gettext(
            "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"
        ) % {"start_index": 1, "end_index": 13, "items_count": 13, "model_name": "trang"}
        minutes = translation.ngettext("%(num)d minute", "%(num)d minutes", 1) % {"num": 1}

    assert text == "1-13 trong số 13 trang"
    assert minutes == "1 phút"


def test_snippet_chooser_buttons_name_the_snippet_in_vietnamese():
    from wagtail.snippets.widgets import AdminSnippetChooser

    from assessments.models import Question

    widget = AdminSnippetChooser(Question)
    with translation.override("vi"):
        assert str(widget.choose_one_text) == "Chọn câu hỏi"
        assert str(widget.choose_another_text) == "Chọn câu hỏi khác"
        assert str(widget.link_to_chosen_text) == "Sửa câu hỏi này"


def test_the_admins_javascript_catalogue_serves_our_translations(client):
    response = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="en")
    escaped = response.content.decode()
    body = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), escaped)

    assert response.status_code == 200
    assert "Viết nội dung hoặc gõ ‘/’ để chèn một khối" in body
    assert '"Insert a block": "Chèn một khối"' in body
    assert re.search(r'"%\(num\)s error": \[\s*"%\(num\)s lỗi"\s*\]', body)
    assert "const v = 0;" in body  # Vietnamese has one plural form


# Wagtail templates with literal English that we override: each override must stay
# Wagtail's template with only these replacements, so a Wagtail upgrade cannot slip past.
OVERRIDES = {
    "wagtailadmin/home.html": [
        ('value="Search"', 'value="{% translate "Search" %}"'),
    ],
    "wagtailadmin/shared/header.html": [
        ('value="Search"', 'value="{% translate "Search" %}"'),
    ],
    "wagtailadmin/shared/headers/_actions.html": [
        ("{# Actions divider #}", "{% load i18n %}\n{# Actions divider #}"),
        ('aria-label="Actions"', 'aria-label="{% translate "Actions" %}"'),
    ],
    # The dashboard's link to Wagtail's English editor guide: ours instead (home/admin_views.py).
    "wagtailadmin/home/account_summary.html": [
        (
            "{% wagtail_feature_release_editor_guide_link as editor_guide_link %}",
            "{% url 'authoring_guide' as editor_guide_link %}",
        ),
        (
            """                   href="{{ editor_guide_link }}"
                   target="_blank"
                   rel="noreferrer">
                    {% blocktrans trimmed %}
                        Wagtail {{ current_version }} editor guide
                    {% endblocktrans %}
                    {% icon name="link-external" classname="initial" %}""",
            """                   href="{{ editor_guide_link }}">
                    {% translate "Authoring guide" %}""",
        ),
    ],
    # A page published by no one (a script, the scheduler) showed "None" as its publisher.
    "wagtailadmin/shared/user_avatar.html": [
        ("{% load wagtailadmin_tags %}", "{% load i18n wagtailadmin_tags %}"),
        (
            "{% if not username %}{{ user }}{% else %}{{ username }}{% endif %}",
            "{% if username %}{{ username }}{% elif user %}{{ user }}{% else %}"
            '{% translate "System" %}{% endif %}',
        ),
    ],
    "wagtailusers/groups/includes/formatted_permissions.html": [
        (
            "{{ content_perms_dict." + action + ".perm.name }}",
            "{% blocktranslate trimmed with model=content_perms_dict.object %}"
            "Can " + action + " {{ model }}{% endblocktranslate %}",
        )
        for action in ("add", "change", "delete")
    ],
}


@pytest.mark.parametrize("name", sorted(OVERRIDES))
def test_overridden_wagtail_templates_differ_only_by_their_translation(name):
    import wagtail

    app = "users" if name.startswith("wagtailusers") else "admin"
    theirs = (Path(wagtail.__file__).parent / app / "templates" / name).read_text()
    ours = (BASE_DIR / "templates" / name).read_text()

    for old, new in OVERRIDES[name]:
        assert old in theirs
        theirs = theirs.replace(old, new)
    assert ours == theirs


def test_no_wagtail_template_still_has_literal_english_attributes():
    import wagtail

    root = Path(wagtail.__file__).parent
    literal = re.compile(r'(aria-label|placeholder|title|value|alt)="([A-Z][a-z][^"{]*)"')
    found = []
    for path in root.glob("*/templates/**/*.html"):
        relative = path.relative_to(root).as_posix()
        if "styleguide" in relative or "project_template" in relative:
            continue
        name = relative.split("/templates/", 1)[1]
        for attribute, text in literal.findall(path.read_text()):
            if (attribute, text) in {("aria-label", "Wagtail"), ("value", "Add")}:
                continue  # a brand name; a button's value no one reads
            if name not in OVERRIDES and not name.startswith("wagtailsearch/"):
                found.append((name, attribute, text))

    assert found == []
