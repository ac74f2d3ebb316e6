"""The rule the admin walks use to tell English from Vietnamese (tests/browser/english.py)."""

import pytest

from tests.browser.english import english_words


@pytest.mark.parametrize(
    "text",
    [
        "Lưu bản nháp",
        "Chọn câu hỏi",
        "1-13 trong số 13 trang",
        "Viết nội dung hoặc gõ ‘/’ để chèn một khối",
        # Vietnamese written without its diacritics, as names often are.
        "Nguyen Thi Minh Anh, Thua Thien Hue, quy trinh duyet, nguoi kiem duyet",
        # Codes, acronyms, addresses and the allowed names.
        "Pháp lệnh số 10/2003/PL-UBTVQH11 (WHO, UNODC) — H5P.PcmdChoice 1.1",
        "giangvien@pcmd.example, vbpl.vn, Wagtail 8.0.1, tệp CSV hoặc XLSX, Email",
    ],
)
def test_vietnamese_names_and_codes_are_not_english(text):
    assert english_words(text) == []


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("Save draft", ["Save", "draft"]),
        ("Insert a block", ["Insert", "block"]),
        ("1-13 of 13 pages", ["of", "pages"]),
        ("Choose câu hỏi", ["Choose"]),
        ("Problems text", ["Problems", "text"]),
        ("Uploaded by", ["Uploaded", "by"]),
        ("Version", ["Version"]),
        ("Updated at", ["Updated", "at"]),
        ("Root", ["Root"]),
        ("No", ["No"]),
        ("Write something or type ‘/’", ["Write", "something", "or", "type"]),
    ],
)
def test_english_left_on_a_screen_is_found(text, english):
    assert english_words(text) == english
