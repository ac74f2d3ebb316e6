from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


def rich_text_block(**kwargs):
    return blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, template="content/blocks/paragraph.html", **kwargs
    )


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section")), ("h3", _("Sub-section"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "content/blocks/heading.html"

    def clean(self, value):
        value = super().clean(value)
        if not value["text"].strip():
            raise StructBlockValidationError(
                block_errors={"text": ValidationError(_("Enter heading text."))}
            )
        return value


def _labelled_image_block(**kwargs) -> ImageBlock:
    block = ImageBlock(**kwargs)
    # Wagtail's ImageBlock leaves its chooser unlabelled, so the editor says "Image" in
    # every language; copies of this block (one per use) keep the label.
    chooser = block.child_blocks["image"]
    chooser.label = chooser.meta.label = _("Image from the library")
    return block


class ImageWithCaptionBlock(blocks.StructBlock):
    image = _labelled_image_block(label=_("Image"), required=True)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)
    source = blocks.CharBlock(label=_("Source / credit"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "content/blocks/image.html"

    def clean(self, value):
        value = super().clean(value)
        if value["source"] and not value["caption"]:
            raise StructBlockValidationError(
                block_errors={
                    "caption": ValidationError(_("Add a caption when you credit a source."))
                }
            )
        return value


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video URL"), help_text=_("A link to the video page."))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.RichTextBlock(
        label=_("Transcript"), required=False, features=RICH_TEXT_FEATURES
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "content/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if not value["title"].strip():
            raise StructBlockValidationError(
                block_errors={
                    "title": ValidationError(_("Give the video a title for screen-reader users."))
                }
            )
        return value


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=255)

    class Meta:
        icon = "doc-full"
        label = _("Downloadable document")
        template = "content/blocks/document.html"

    def clean(self, value):
        value = super().clean(value)
        if value["document"] is None:
            raise StructBlockValidationError(
                block_errors={"document": ValidationError(_("Choose a document."))}
            )
        return value


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("key_point", _("Key point")), ("caution", _("Caution"))],
        default="key_point",
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "content/blocks/callout.html"

    def clean(self, value):
        value = super().clean(value)
        if not value["text"].source.strip():
            raise StructBlockValidationError(
                block_errors={"text": ValidationError(_("Write the callout text."))}
            )
        return value


class LegalProvisionChooserBlock(SnippetChooserBlock):
    def bulk_to_python(self, values):
        provisions = super().bulk_to_python(values)
        # Each citation card names the newer instrument: fetch them all in one query.
        prefetch_related_objects([p for p in provisions if p is not None], "superseded_by")
        return provisions


class LegalProvisionBlock(blocks.StructBlock):
    provision = LegalProvisionChooserBlock("content.LegalProvision", label=_("Legal provision"))
    note = blocks.CharBlock(label=_("Why it matters here"), required=False, max_length=300)

    class Meta:
        icon = "openquote"
        label = _("Legal provision reference")
        template = "content/blocks/legal_provision.html"

    def clean(self, value):
        value = super().clean(value)
        if value["provision"] is None:
            raise StructBlockValidationError(
                block_errors={"provision": ValidationError(_("Choose a legal provision."))}
            )
        return value


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    scenario = blocks.RichTextBlock(
        label=_("Scenario"),
        features=RICH_TEXT_FEATURES,
        help_text=_("Synthetic and anonymised only: never a real victim's details."),
    )
    questions = blocks.ListBlock(
        blocks.CharBlock(label=_("Question"), max_length=500), label=_("Discussion questions")
    )

    class Meta:
        icon = "group"
        label = _("Case study")
        template = "content/blocks/case_study.html"

    def clean(self, value):
        value = super().clean(value)
        if len([q for q in value["questions"] if q.strip()]) == 0:
            raise StructBlockValidationError(
                block_errors={
                    "questions": ValidationError(_("Add at least one discussion question."))
                }
            )
        return value


class WarnedContentStreamBlock(blocks.StreamBlock):
    paragraph = rich_text_block(label=_("Text"))
    image = ImageWithCaptionBlock()
    case_study = CaseStudyBlock()

    class Meta:
        icon = "placeholder"


class ContentWarningBlock(blocks.StructBlock):
    warning = blocks.TextBlock(
        label=_("Warning"),
        help_text=_("Say what the hidden part contains, without its details."),
    )
    content = WarnedContentStreamBlock(label=_("Hidden content"))

    class Meta:
        icon = "warning"
        label = _("Content warning")
        template = "content/blocks/content_warning.html"

    def clean(self, value):
        value = super().clean(value)
        if len(value["content"]) == 0:
            raise StructBlockValidationError(
                block_errors={
                    "content": ValidationError(
                        _("Put the distressing material inside the warning.")
                    )
                }
            )
        return value


class H5PActivityBlock(blocks.StructBlock):
    """An interactive H5P exercise, played from the content origin in a sandboxed frame."""

    activity = SnippetChooserBlock("content.H5PContent", label=_("H5P activity"))
    required = blocks.BooleanBlock(
        label=_("Required to complete the lesson"), required=False, default=True
    )
    pass_threshold = blocks.IntegerBlock(
        label=_("Pass threshold (%)"), min_value=0, max_value=100, default=100
    )

    class Meta:
        icon = "pick"
        label = _("H5P activity")
        template = "content/blocks/h5p_activity.html"

    def clean(self, value):
        value = super().clean(value)
        activity = value["activity"]
        if activity is None:
            raise StructBlockValidationError(
                block_errors={"activity": ValidationError(_("Choose an H5P activity."))}
            )
        if not activity.is_ready:
            raise StructBlockValidationError(
                block_errors={
                    "activity": ValidationError(_("This H5P activity has not passed its checks."))
                }
            )
        return value
