"""Small course packages built in memory, for the importer's checks."""

import copy
import io
import zipfile

import pytest
import yaml

from packages.exporter import dump_yaml, with_hashes

MANIFEST = {
    "format": "pcmd-course-package",
    "version": 1,
    "key": "tiny",
    "title": "Gói thử",
    "courses": ["TINY-101"],
}
PROVISIONS = {
    "provisions": [
        {
            "key": "penal_code_art329",
            "instrument": "Bộ luật Hình sự số 100/2015/QH13",
            "article": "Điều 329",
            "short_text": "Tội mua dâm người dưới 18 tuổi.",
            "effective_date": None,
            "superseded_by": None,
            "source_name": "Công báo",
            "source_url": "",
        }
    ]
}
QUESTIONS = {
    "categories": [{"key": "legal", "name": "Khung pháp lý (thử)"}],
    "questions": [
        {
            "key": "q_age",
            "title": "Tuổi chủ thể Điều 329",
            "category": "legal",
            "kind": "single_choice",
            "job_roles": ["investigator"],
            "provision": "penal_code_art329",
            "points": 1,
            "stem": "<p>Chủ thể tội Điều 329 phải từ đủ bao nhiêu tuổi?</p>",
            "explanation": "<p>Từ đủ 18 tuổi.</p>",
            "source": "Bộ luật Hình sự 2015, Điều 329",
            "spec": {
                "choices": [
                    {"id": "a", "text": "18", "correct": True},
                    {"id": "b", "text": "16", "correct": False},
                ]
            },
        }
    ],
}
COURSE = {
    "code": "TINY-101",
    "title": "Khóa học thử",
    "summary": "Tóm tắt.",
    "objectives": ["Mục tiêu một."],
    "legal_provisions": ["penal_code_art329"],
    "children": [
        {
            "type": "lesson",
            "key": "tiny-l1",
            "title": "Bài một",
            "body": [
                {"type": "heading", "value": {"text": "Mở đầu", "level": "h2"}},
                {"type": "paragraph", "value": "<p>Nội dung.</p>"},
                {"type": "legal_provision", "value": {"provision": "penal_code_art329"}},
            ],
        },
        {"type": "quiz", "title": "Kiểm tra", "fixed": ["q_age"]},
    ],
}


def tree(**changes) -> dict[str, object]:
    """The files of a small valid package (YAML as data), with `changes` applied."""
    files = {
        "package.yaml": copy.deepcopy(MANIFEST),
        "provisions/law.yaml": copy.deepcopy(PROVISIONS),
        "questions/q.yaml": copy.deepcopy(QUESTIONS),
        "courses/TINY-101.yaml": copy.deepcopy(COURSE),
    }
    files.update(changes)
    return {k: v for k, v in files.items() if v is not None}


def encode(files: dict[str, object]) -> dict[str, bytes]:
    return {k: v if isinstance(v, bytes) else dump_yaml(v) for k, v in files.items()}


def zipped(files: dict[str, object], *, hashes: bool = True) -> bytes:
    encoded = encode(files)
    if hashes:
        encoded = with_hashes(encoded)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in encoded.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def rezip(data: bytes, *, replace: dict[str, bytes] | None = None, add=None) -> bytes:
    """The same zip with members replaced or added (hashes left as they were)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info)))
        for name, payload in (add or {}).items():
            target.writestr(name, payload)
    return out.getvalue()


def manifest_of(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return yaml.safe_load(archive.read("package.yaml"))


@pytest.fixture
def catalogue(home_page):
    from tests.factories.courses import catalogue_create

    return catalogue_create(home_page)
