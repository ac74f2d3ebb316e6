import pytest
from wagtail.blocks import StreamBlockValidationError

from content.blocks import LessonStreamBlock


def _clean(raw):
    block = LessonStreamBlock()
    return block.clean(block.to_python(raw))


@pytest.mark.parametrize(
    "raw",
    [
        {"type": "case_study", "value": {"title": "T", "scenario": "<p>x</p>", "questions": [" "]}},
        {"type": "content_warning", "value": {"warning": "Bạo lực", "content": []}},
        {"type": "heading", "value": {"text": "   ", "level": "h2"}},
        {"type": "callout", "value": {"kind": "caution", "title": "", "text": ""}},
    ],
    ids=["case-without-questions", "empty-warning", "blank-heading", "empty-callout"],
)
def test_lesson_blocks_refuse_incomplete_content(raw):
    with pytest.raises(StreamBlockValidationError):
        _clean([raw])


def test_a_complete_case_study_and_warning_are_accepted():
    value = _clean(
        [
            {
                "type": "case_study",
                "value": {
                    "title": "Tình huống",
                    "scenario": "<p>Chị H. (giả định)</p>",
                    "questions": ["Dấu hiệu nào?"],
                },
            },
            {
                "type": "content_warning",
                "value": {
                    "warning": "Mô tả bạo lực",
                    "content": [{"type": "paragraph", "value": "<p>…</p>"}],
                },
            },
        ]
    )

    assert [b.block_type for b in value] == ["case_study", "content_warning"]
