"""Shared StreamField blocks. Lessons use LessonStreamBlock; later features (H5P activities,
quizzes) add their blocks to LESSON_BLOCKS' extension point in courses, not here."""

from .base import (
    CalloutBlock,
    CaseStudyBlock,
    ContentWarningBlock,
    DocumentBlock,
    H5PActivityBlock,
    HeadingBlock,
    ImageWithCaptionBlock,
    LegalProvisionBlock,
    VideoBlock,
    rich_text_block,
)
from .streams import LessonStreamBlock, base_lesson_blocks

__all__ = [
    "CalloutBlock",
    "CaseStudyBlock",
    "ContentWarningBlock",
    "DocumentBlock",
    "H5PActivityBlock",
    "HeadingBlock",
    "ImageWithCaptionBlock",
    "LegalProvisionBlock",
    "LessonStreamBlock",
    "VideoBlock",
    "base_lesson_blocks",
    "rich_text_block",
]
