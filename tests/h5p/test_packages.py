"""Checking and extracting .h5p packages: no database.

The two fixtures below shadow the project-wide autouse fixtures in tests/conftest.py that need a
database and the cache. Reasons are compared in English (the msgids); the site runs in Vietnamese.
"""

import io
import json
import re
import zipfile

import pytest
from django.utils import translation

from content.h5p.packaging import LIBRARIES_DIR, build_choice_package
from content.h5p.validation import (
    CONTENT_EXTENSIONS,
    LIBRARY_EXTENSIONS,
    Limits,
    PackageRejected,
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


def our_semantics(key: str):
    folder = LIBRARIES_DIR / key.replace(" ", "-")
    path = folder / "semantics.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def inspect(data: bytes, installed=INSTALLED):
    return inspect_package(data, installed_libraries=installed, installed_semantics=our_semantics)


def reasons_for(data: bytes, installed=INSTALLED) -> list[str]:
    with pytest.raises(PackageRejected) as caught:
        inspect(data, installed)
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


def test_limits_and_whitelists_follow_h5p_core():
    limits = Limits()
    assert limits.max_files == 3000
    assert limits.max_file_size == 64 * 1024 * 1024
    assert limits.max_total_size == 256 * 1024 * 1024
    assert limits.max_json_depth == 64
    # H5P core's whitelists: md and textile are allowed, js/css only in library folders.
    assert {"md", "textile", "gltf", "glb", "vtt", "svg"} <= CONTENT_EXTENSIONS
    assert {"js", "css"} & CONTENT_EXTENSIONS == set()
    assert {"js", "css"} <= LIBRARY_EXTENSIONS
    # Stricter than core, for a stated reason (README): Flash, pages and server scripts.
    for refused in ("swf", "html", "htm", "php", "phtml", "exe", "sh", "wasm"):
        assert refused not in LIBRARY_EXTENSIONS


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
        (
            hostile.encrypted,
            "A file in the package is encrypted: content/images/secret.png",
        ),
        (
            hostile.deflate64,
            "A file in the package uses an unsupported compression method: "
            "content/images/photo.png",
        ),
        (
            hostile.deep_json,
            "A JSON file in the package is nested too deeply: content/content.json",
        ),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_hostile_package_is_refused_with_its_reason(build, expected):
    assert expected in reasons_for(build())


def test_a_300_character_file_name_is_refused_without_echoing_it_whole():
    (reason,) = reasons_for(hostile.long_name(300))
    assert reason.startswith("A file name in the package is too long: content/images/aaaa")
    assert "…" in reason and len(reason) < 140
    assert "/work" not in reason and "Errno" not in reason


def test_every_problem_is_reported_at_once():
    data = hostile.rewrite(
        hostile.genuine(),
        add={"content/evil.js": b"x", "content/notes": b"x", "H5P.PcmdChoice-1.1/x.php": b"x"},
    )
    assert set(reasons_for(data)) == {
        "Scripts or styles are not allowed in content/: content/evil.js",
        "A file name is not allowed: content/notes",
        "A file type is not allowed: H5P.PcmdChoice-1.1/x.php",
    }


def test_what_h5p_core_skips_is_skipped_and_never_part_of_the_package():
    report = inspect(hostile.macos_export_debris())
    assert set(report.skipped) == {
        "H5P_CONTENT_HERE.txt",
        "__MACOSX/._h5p.json",
        "__MACOSX/content/._content.json",
        ".DS_Store",
        "content/.DS_Store",
        "content/.htaccess",
    }
    assert not {name for name in report.files if "/." in name or name.startswith((".", "_"))}
    assert "H5P_CONTENT_HERE.txt" not in report.files
    # README.md is allowed in a library folder (core's whitelist has md) but not hashed.
    (library,) = report.libraries
    assert "README.md" in library.members
    assert "README.md" not in library.files


def test_a_readme_does_not_change_a_librarys_hash_but_a_changed_script_does():
    plain = inspect(hostile.genuine()).libraries[0]
    with_readme = inspect(hostile.macos_export_debris()).libraries[0]
    changed = inspect(
        hostile.rewrite(
            hostile.genuine(),
            replace={"H5P.PcmdChoice-1.1/pcmd-choice.js": b"window.top.postMessage('x', '*');"},
        )
    ).libraries[0]
    assert plain.files_hash == with_readme.files_hash
    assert changed.files_hash != plain.files_hash
    assert {p for p in plain.files if plain.files[p] != changed.files[p]} == {"pcmd-choice.js"}


def test_an_unversioned_library_folder_is_read_from_its_library_json():
    data = hostile.genuine()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    renamed = {
        name.replace("H5P.PcmdChoice-1.1/", "H5P.PcmdChoice/"): v for name, v in members.items()
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, payload in renamed.items():
            archive.writestr(name, payload)
    (library,) = inspect(out.getvalue()).libraries
    assert (library.folder, library.key, library.version) == (
        "H5P.PcmdChoice",
        "H5P.PcmdChoice 1.1",
        "1.1.0",
    )


def test_a_library_folder_named_after_another_library_is_refused():
    data = hostile.genuine()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name.replace("H5P.PcmdChoice-1.1/", "H5P.Other-2.0/"), payload)
    assert "A library in the package is not valid: H5P.Other-2.0" in reasons_for(out.getvalue())


def test_external_media_tmp_suffixes_and_missing_media_are_accepted_as_core_does():
    data = hostile.genuine()
    content = hostile._content(data)
    content["media"] = {
        "video": [{"path": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "mime": "video/YouTube"}],
        "image": {"path": "images/photo-1.png#tmp", "mime": "image/png"},
        "originalImage": {"path": "images/not-packaged.jpg", "mime": "image/jpeg"},
    }
    data = hostile.rewrite(
        data,
        replace={"content/content.json": json.dumps(content).encode()},
        add={"content/images/photo-1.png": b"\x89PNG"},
    )
    report = inspect(data)
    assert report.content_json["media"]["video"][0]["path"].startswith("https://www.youtube.com/")
    # The editor's "#tmp" suffix is dropped, as H5P's editor does on saving.
    assert report.content_json["media"]["image"]["path"] == "images/photo-1.png"
    assert "content/images/photo-1.png" in report.content_members


def test_a_json_file_that_is_not_json_is_refused():
    broken = hostile.rewrite(hostile.genuine(), replace={"h5p.json": b"{not json"})
    assert reasons_for(broken) == ["A JSON file in the package is not valid: h5p.json"]
    no_content = hostile.rewrite(hostile.genuine(), drop={"content/content.json"})
    assert reasons_for(no_content) == [
        "The package is not a valid H5P file: content/content.json is required"
    ]


def test_a_script_listed_by_a_library_must_be_in_it():
    data = hostile.rewrite(hostile.genuine(), drop={"H5P.PcmdChoice-1.1/pcmd-choice.js"})
    assert reasons_for(data) == [
        "A file listed by a library is missing: H5P.PcmdChoice-1.1/pcmd-choice.js"
    ]


def test_a_library_may_come_from_the_platform_instead_of_the_package():
    content_only = hostile.rewrite(
        hostile.genuine(),
        drop={
            f"H5P.PcmdChoice-1.1/{name}"
            for name in ("library.json", "semantics.json", "pcmd-choice.js", "pcmd-choice.css")
        },
    )
    report = inspect(content_only)
    assert report.libraries_in_package == []
    # The semantics then come from our own library folder: the question keeps its HTML.
    assert report.content_json["question"] == "<p>Cần ưu tiên làm gì?</p>"
    assert reasons_for(content_only, installed=set()) == [
        "The package needs a library that is not installed: H5P.PcmdChoice 1.1"
    ]


def test_a_missing_dependency_is_accepted_once_installed():
    report = inspect(hostile.missing_dependency(), installed={"H5P.Missing 1.0"})
    assert report.dependencies == ["H5P.PcmdChoice 1.1", "H5P.Missing 1.0"]


def test_html_handlers_are_removed_from_content():
    report = inspect(hostile.onerror_html())
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
    report = inspect(data)
    assert report.content_json["extra"] == {"note": "hi"}


def test_an_svg_with_a_script_is_accepted_for_the_content_origin():
    # Allowed by H5P core's whitelist: the platform serves package files only from the
    # separate, CSP-locked content origin, never from its own.
    report = inspect(hostile.svg_with_script())
    assert "content/images/logo.svg" in report.files
