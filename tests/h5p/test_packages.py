"""Checking and extracting .h5p packages: no database.

The two fixtures below shadow the project-wide autouse fixtures in tests/conftest.py that need a
database and the cache. Reasons are compared in English (the msgids); the site runs in Vietnamese.
"""

import io
import json
import os
import re
from pathlib import Path

import pytest
from django.utils import translation
from pyh5p import H5PPackage

from content.h5p import validation
from content.h5p.packaging import LIBRARIES_DIR, build_choice_package
from content.h5p.validation import (
    LIMITS,
    PackageRejected,
    extract_package,
    inspect_package,
)
from tests.h5p import hostile

INSTALLED = {"H5P.PcmdChoice 1.1"}


@pytest.fixture(autouse=True)
def _record_database():
    """Shadows tests/conftest.py's session-wide database probe: nothing here touches the DB."""


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Shadows tests/conftest.py's cache reset, which needs Django settings."""


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def reasons_for(data: bytes, installed=INSTALLED) -> list[str]:
    with pytest.raises(PackageRejected) as caught:
        inspect_package(data, installed_libraries=installed)
    return [str(reason) for reason in caught.value.reasons]


# --------------------------------------------------------------------------------------------
# The genuine package
# --------------------------------------------------------------------------------------------


def test_the_library_folder_is_complete():
    folder = LIBRARIES_DIR / "H5P.PcmdChoice-1.1"
    library = json.loads((folder / "library.json").read_text(encoding="utf-8"))
    assert (library["machineName"], library["majorVersion"], library["minorVersion"]) == (
        "H5P.PcmdChoice",
        1,
        1,
    )
    assert library["minorVersion"] >= 1  # 0 makes h5p-standalone report "-1.undefined"
    assert [item["path"] for item in library["preloadedJs"]] == ["pcmd-choice.js"]
    assert [item["path"] for item in library["preloadedCss"]] == ["pcmd-choice.css"]
    assert "preloadedDependencies" not in library
    script = (folder / "pcmd-choice.js").read_text(encoding="utf-8")
    assert "H5P.PcmdChoice = (function ($)" in script
    assert "})(H5P.jQuery);" in script
    # No code from strings, no HTML sinks, no network.
    for sink in (
        r"\beval\(",
        r"new Function",
        r"\.innerHTML\s*=",
        r"insertAdjacentHTML",
        r"document\.write",
        r"XMLHttpRequest",
        r"\bfetch\(",
        r"\.ajax\(",
        r"\bimport\(",
    ):
        assert not re.search(sink, script), sink
    urls = set(re.findall(r"https?://[^'\"\s]+", script))
    assert urls == {"http://adlnet.gov/expapi/activities/cmi.interaction"}


def test_a_genuine_package_is_accepted():
    data = hostile.genuine()
    report = inspect_package(data, installed_libraries=set())
    assert report.title == "Gói thật"
    assert report.main_library == "H5P.PcmdChoice"
    assert report.main_version == "1.1"
    assert report.dependencies == ["H5P.PcmdChoice 1.1"]
    assert report.libraries_in_package == ["H5P.PcmdChoice 1.1"]
    assert report.size == len(data)
    assert "h5p.json" in report.files
    assert "content/content.json" in report.files
    assert "H5P.PcmdChoice-1.1/pcmd-choice.js" in report.files
    assert report.content_json["question"] == "<p>Cần ưu tiên làm gì?</p>"
    assert [choice["correct"] for choice in report.content_json["choices"]] == [False, True]
    assert report.content_json["l10n"]["checkAnswer"] == "Kiểm tra"


def test_the_package_builder_keeps_only_the_allowed_tags():
    data = build_choice_package(
        title="Định dạng",
        question="<p><strong>Đậm</strong> <em>nghiêng</em> <u>gạch</u></p>",
        choices=hostile.CHOICES,
    )
    report = inspect_package(data, installed_libraries=set())
    assert report.content_json["question"] == "<p><strong>Đậm</strong> <em>nghiêng</em> gạch</p>"


def test_the_demo_command_writes_an_accepted_package(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "demo" / "demo.h5p"
    call_command("build_h5p_demo", str(target), stdout=io.StringIO())
    report = inspect_package(target.read_bytes(), installed_libraries=set())
    assert "dưới 18 tuổi" in report.content_json["question"]
    right = [c["text"] for c in report.content_json["choices"] if c["correct"]]
    assert right == ["Coi là nạn nhân tiềm năng, bảo vệ và chuyển cơ quan điều tra"]
    assert all(choice.get("feedback") for choice in report.content_json["choices"])


def test_limits_are_strict():
    assert LIMITS.max_files == 2000
    assert LIMITS.max_file_size == 20 * 1024 * 1024
    assert LIMITS.max_total_size == 100 * 1024 * 1024
    assert LIMITS.max_compression_ratio == 100
    assert "html" not in LIMITS.allowed_extensions
    assert "php" not in LIMITS.allowed_extensions


# --------------------------------------------------------------------------------------------
# Hostile packages
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (hostile.zip_slip, "Unsafe path in the package: ../evil.json"),
        (hostile.symlink, "Links are not allowed in the package: content/images/link.png"),
        (hostile.evil_html, "A file type is not allowed: content/evil.html"),
        (hostile.shell_php, "A file type is not allowed: H5P.PcmdChoice-1.1/shell.php"),
        (hostile.htaccess, "A file name is not allowed: content/.htaccess"),
        (hostile.extensionless, "A file name is not allowed: content/README"),
        (hostile.trailing_dot, "A file name is not allowed: content/x.php."),
        (hostile.content_script, "Scripts or styles are not allowed in content/: content/evil.js"),
        (hostile.zip_bomb, "The package is too large or too compressed"),
        (hostile.missing_h5p_json, "Missing h5p.json"),
        (
            hostile.missing_dependency,
            "The package needs a library that is not installed: H5P.Missing 1.0",
        ),
        (hostile.not_a_zip, "The package is not a valid H5P file: it is not a ZIP archive"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_hostile_package_is_refused_with_its_reason(build, expected):
    assert expected in reasons_for(build())


def test_every_problem_is_reported_at_once():
    data = hostile.rewrite(
        hostile.genuine(),
        add={"content/.htaccess": b"x", "content/evil.js": b"x", "content/notes": b"x"},
        drop={"h5p.json"},
    )
    assert set(reasons_for(data)) == {
        "A file name is not allowed: content/.htaccess",
        "Scripts or styles are not allowed in content/: content/evil.js",
        "A file name is not allowed: content/notes",
        "Missing h5p.json",
    }


def test_a_dot_folder_and_a_stray_top_level_file_are_refused():
    data = hostile.rewrite(
        hostile.genuine(), add={"content/.git/config.txt": b"x", "notes.txt": b"x"}
    )
    assert set(reasons_for(data)) == {
        "A file name is not allowed: content/.git/config.txt",
        "Only h5p.json may be at the top of the package: notes.txt",
    }


def test_broken_json_and_missing_content_are_refused():
    broken = hostile.rewrite(hostile.genuine(), replace={"h5p.json": b"{not json"})
    assert reasons_for(broken) == [
        "The package is not a valid H5P file: h5p.json is not valid UTF-8 JSON"
    ]
    no_content = hostile.rewrite(hostile.genuine(), drop={"content/content.json"})
    assert reasons_for(no_content) == [
        "The package is not a valid H5P file: $.content: content/content.json is required"
        " (required)"
    ]


def test_a_library_may_come_from_the_platform_instead_of_the_package():
    content_only = hostile.rewrite(
        hostile.genuine(),
        drop={
            f"H5P.PcmdChoice-1.1/{name}"
            for name in ("library.json", "semantics.json", "pcmd-choice.js", "pcmd-choice.css")
        },
    )
    report = inspect_package(content_only, installed_libraries=INSTALLED)
    assert report.libraries_in_package == []
    # The semantics then come from our own library folder: the question keeps its HTML.
    assert report.content_json["question"] == "<p>Cần ưu tiên làm gì?</p>"
    assert reasons_for(content_only, installed=set()) == [
        "The package needs a library that is not installed: H5P.PcmdChoice 1.1"
    ]


def test_a_missing_dependency_is_accepted_once_installed():
    report = inspect_package(hostile.missing_dependency(), installed_libraries={"H5P.Missing 1.0"})
    assert report.dependencies == ["H5P.PcmdChoice 1.1", "H5P.Missing 1.0"]


def test_html_handlers_are_removed_from_content():
    report = inspect_package(hostile.onerror_html(), installed_libraries=INSTALLED)
    question = report.content_json["question"]
    assert "onerror" not in question
    assert "<img" not in question
    assert question == "<p>Câu hỏi <strong>đậm</strong></p>"
    # A plain-text field keeps no tags at all.
    assert report.content_json["choices"][0]["text"] == "Xử phạt"


def test_unknown_fields_and_unknown_libraries_lose_all_markup():
    data = hostile.genuine()
    content = hostile._content(data)
    content["extra"] = {"note": "<b onclick=x()>hi</b><script>alert(1)</script>"}
    data = hostile.rewrite(data, replace={"content/content.json": json.dumps(content).encode()})
    report = inspect_package(data, installed_libraries=INSTALLED)
    assert report.content_json["extra"] == {"note": "hi"}


def test_an_svg_with_a_script_is_accepted_for_the_content_origin():
    # Allowed by H5P core's whitelist: the platform serves package files only from the
    # separate, CSP-locked content origin, never from its own.
    report = inspect_package(hostile.svg_with_script(), installed_libraries=INSTALLED)
    assert "content/images/logo.svg" in report.files


# --------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------


def test_extract_writes_the_package(tmp_path):
    destination = tmp_path / "h5p" / "42"
    extract_package(hostile.genuine(), destination)
    assert json.loads((destination / "h5p.json").read_text(encoding="utf-8"))["title"] == "Gói thật"
    assert (destination / "content" / "content.json").is_file()
    for name in ("library.json", "semantics.json", "pcmd-choice.js", "pcmd-choice.css"):
        assert (destination / "H5P.PcmdChoice-1.1" / name).is_file()
    assert sorted(os.listdir(destination.parent)) == ["42"]
    assert destination.stat().st_mode & 0o755 == 0o755


def test_extract_can_write_the_cleaned_content(tmp_path):
    data = hostile.onerror_html()
    report = inspect_package(data, installed_libraries=INSTALLED)
    destination = tmp_path / "7"
    extract_package(data, destination, content_json=report.content_json)
    stored = (destination / "content" / "content.json").read_text(encoding="utf-8")
    assert "onerror" not in stored
    assert json.loads(stored) == report.content_json


def test_extract_refuses_a_hostile_package_and_writes_nothing(tmp_path):
    with pytest.raises(PackageRejected) as caught:
        extract_package(hostile.htaccess(), tmp_path / "1")
    assert [str(r) for r in caught.value.reasons] == [
        "A file name is not allowed: content/.htaccess"
    ]
    assert os.listdir(tmp_path) == []


def test_extract_never_replaces_an_existing_folder(tmp_path):
    destination = tmp_path / "1"
    destination.mkdir()
    (destination / "keep.txt").write_text("old")
    with pytest.raises(FileExistsError):
        extract_package(hostile.genuine(), destination)
    assert os.listdir(destination) == ["keep.txt"]
    assert os.listdir(tmp_path) == ["1"]


def test_a_failure_mid_extraction_leaves_nothing_behind(tmp_path, monkeypatch):
    real_extract = H5PPackage.extract

    def extract_then_fail(self, destination, *, limits=None):
        real_extract(self, destination, limits=limits)
        assert (Path(destination) / "h5p.json").is_file()  # really half-way
        raise OSError("disk full")

    monkeypatch.setattr(H5PPackage, "extract", extract_then_fail)
    with pytest.raises(OSError, match="disk full"):
        extract_package(hostile.genuine(), tmp_path / "1")
    assert os.listdir(tmp_path) == []


def test_a_failed_rename_leaves_nothing_behind(tmp_path, monkeypatch):
    def fail(source, target):
        raise OSError("rename failed")

    monkeypatch.setattr(validation.os, "rename", fail)
    with pytest.raises(OSError, match="rename failed"):
        extract_package(hostile.genuine(), tmp_path / "1")
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_an_unwritable_parent_leaves_nothing_behind(tmp_path):
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            extract_package(hostile.genuine(), parent / "1")
        assert os.listdir(parent) == []
    finally:
        parent.chmod(0o755)
