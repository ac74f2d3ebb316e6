from django.utils.translation import gettext_lazy as _
from wagtail import blocks

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


def base_lesson_blocks():
    """The reading blocks every lesson offers, as (name, block) pairs. Interactive blocks
    (H5P activities, quizzes) are appended by the apps that own them."""
    return [
        ("heading", HeadingBlock()),
        ("paragraph", rich_text_block(label=_("Text"))),
        ("image", ImageWithCaptionBlock()),
        ("video", VideoBlock()),
        ("document", DocumentBlock()),
        ("callout", CalloutBlock()),
        ("legal_provision", LegalProvisionBlock()),
        ("case_study", CaseStudyBlock()),
        ("content_warning", ContentWarningBlock()),
        ("h5p_activity", H5PActivityBlock()),
    ]


class LessonStreamBlock(blocks.StreamBlock):
    def __init__(self, local_blocks=None, **kwargs):
        super().__init__([*base_lesson_blocks(), *(local_blocks or [])], **kwargs)
