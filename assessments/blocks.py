"""Authoring blocks for question types. Each block turns its value into the (kind, spec)
pair that assessments.grading understands; ids are positional and frozen into each
attempt's snapshot when the attempt starts."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

RICH = ["bold", "italic", "ol", "ul"]


def _error(field: str, message) -> StructBlockValidationError:
    return StructBlockValidationError(block_errors={field: ValidationError(message)})


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Choice"), max_length=500)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)

    class Meta:
        icon = "radio-full"
        label = _("Choice")


class SingleChoiceBlock(blocks.StructBlock):
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Choices"), min_num=2)

    class Meta:
        icon = "radio-full"
        label = _("Single choice")
        template = "assessments/blocks/authoring_preview.html"

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for c in value["choices"] if c["correct"]) != 1:
            raise _error("choices", _("Mark exactly one choice as correct."))
        return value

    def to_spec(self, value) -> dict:
        return {
            "choices": [
                {"id": f"c{i}", "text": c["text"], "correct": bool(c["correct"])}
                for i, c in enumerate(value["choices"])
            ]
        }


class MultipleResponseBlock(blocks.StructBlock):
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Choices"), min_num=2)
    partial_credit = blocks.ChoiceBlock(
        label=_("Partial credit"),
        choices=[
            ("all_or_nothing", _("All or nothing")),
            ("right_minus_wrong", _("Right answers minus wrong answers")),
            ("proportional", _("Proportion of choices judged correctly")),
        ],
        default="right_minus_wrong",
    )

    class Meta:
        icon = "tasks"
        label = _("Multiple response")
        template = "assessments/blocks/authoring_preview.html"

    def clean(self, value):
        value = super().clean(value)
        if not any(c["correct"] for c in value["choices"]):
            raise _error("choices", _("Mark at least one choice as correct."))
        return value

    def to_spec(self, value) -> dict:
        return {
            "choices": [
                {"id": f"c{i}", "text": c["text"], "correct": bool(c["correct"])}
                for i, c in enumerate(value["choices"])
            ],
            "partial_credit": value["partial_credit"],
        }


class TrueFalseBlock(blocks.StructBlock):
    correct = blocks.ChoiceBlock(
        label=_("The statement is"),
        choices=[("true", _("True")), ("false", _("False"))],
    )

    class Meta:
        icon = "tick"
        label = _("True / false")
        template = "assessments/blocks/authoring_preview.html"

    def to_spec(self, value) -> dict:
        return {"correct": value["correct"] == "true"}


class ShortAnswerBlock(blocks.StructBlock):
    accepted = blocks.ListBlock(
        blocks.CharBlock(max_length=200), label=_("Accepted answers"), min_num=1
    )
    diacritics_optional = blocks.BooleanBlock(
        label=_("Accept answers typed without Vietnamese diacritics"), required=False
    )

    class Meta:
        icon = "edit"
        label = _("Short answer")
        template = "assessments/blocks/authoring_preview.html"

    def clean(self, value):
        value = super().clean(value)
        if not any(a.strip() for a in value["accepted"]):
            raise _error("accepted", _("Give at least one accepted answer."))
        return value

    def to_spec(self, value) -> dict:
        return {
            "accepted": [a for a in value["accepted"] if a.strip()],
            "diacritics_optional": bool(value["diacritics_optional"]),
        }


class PairBlock(blocks.StructBlock):
    left = blocks.CharBlock(label=_("Item"), max_length=300)
    right = blocks.CharBlock(label=_("Matches"), max_length=300)

    class Meta:
        icon = "link"


class MatchingBlock(blocks.StructBlock):
    pairs = blocks.ListBlock(PairBlock(), label=_("Pairs"), min_num=2)
    partial_credit = blocks.BooleanBlock(
        label=_("Give credit for each correct pair"), required=False, default=True
    )

    class Meta:
        icon = "link"
        label = _("Matching")
        template = "assessments/blocks/authoring_preview.html"

    def clean(self, value):
        value = super().clean(value)
        rights = [p["right"].strip().casefold() for p in value["pairs"]]
        if len(set(rights)) != len(rights):
            raise _error("pairs", _("Each item must have a different match."))
        return value

    def to_spec(self, value) -> dict:
        return {
            "pairs": [
                {"id": f"p{i}", "left": p["left"], "right": p["right"]}
                for i, p in enumerate(value["pairs"])
            ],
            "partial_credit": bool(value["partial_credit"]),
        }


class OrderingBlock(blocks.StructBlock):
    items = blocks.ListBlock(
        blocks.CharBlock(max_length=300), label=_("Items in the correct order"), min_num=2
    )
    partial_credit = blocks.BooleanBlock(
        label=_("Give credit for each item in the right place"), required=False, default=True
    )

    class Meta:
        icon = "list-ol"
        label = _("Ordering")
        template = "assessments/blocks/authoring_preview.html"

    def to_spec(self, value) -> dict:
        return {
            "items": [{"id": f"i{i}", "text": t} for i, t in enumerate(value["items"])],
            "partial_credit": bool(value["partial_credit"]),
        }


class ScenarioPartsBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_response = MultipleResponseBlock()
    true_false = TrueFalseBlock()
    short_answer = ShortAnswerBlock()


class ScenarioPartBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(label=_("Sub-question"), max_length=500)
    points = blocks.DecimalBlock(label=_("Points"), min_value=0, default=Decimal("1"))
    answer = ScenarioPartsBlock(label=_("Answer type"), min_num=1, max_num=1)

    class Meta:
        icon = "help"


class ScenarioBlock(blocks.StructBlock):
    vignette = blocks.RichTextBlock(
        label=_("Case vignette"),
        features=RICH,
        help_text=_("Synthetic and anonymised only: never a real victim's details."),
    )
    parts = blocks.ListBlock(ScenarioPartBlock(), label=_("Sub-questions"), min_num=1)

    class Meta:
        icon = "group"
        label = _("Scenario")
        template = "assessments/blocks/authoring_preview.html"

    def to_spec(self, value) -> dict:
        parts = []
        for i, part in enumerate(value["parts"]):
            inner = part["answer"][0]
            parts.append(
                {
                    "id": f"s{i}",
                    "kind": inner.block_type,
                    "prompt": part["prompt"],
                    "spec": inner.block.to_spec(inner.value),
                    "points": str(part["points"]),
                }
            )
        return {"vignette": value["vignette"].source, "parts": parts}


class QuestionTypeBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_response = MultipleResponseBlock()
    true_false = TrueFalseBlock()
    short_answer = ShortAnswerBlock()
    matching = MatchingBlock()
    ordering = OrderingBlock()
    scenario = ScenarioBlock()


def block_value_from_spec(kind: str, spec: dict) -> dict:
    """The authoring block value for a (kind, spec) pair: the inverse of each block's
    `to_spec` (authoring ids are positional, so the spec's own ids are not kept)."""
    if kind in ("single_choice", "multiple_response"):
        value = {"choices": [{"text": c["text"], "correct": c["correct"]} for c in spec["choices"]]}
        if kind == "multiple_response":
            value["partial_credit"] = spec.get("partial_credit", "right_minus_wrong")
        return value
    if kind == "true_false":
        return {"correct": "true" if spec["correct"] else "false"}
    if kind == "short_answer":
        return {
            "accepted": list(spec["accepted"]),
            "diacritics_optional": bool(spec.get("diacritics_optional")),
        }
    if kind == "matching":
        return {
            "pairs": [{"left": p["left"], "right": p["right"]} for p in spec["pairs"]],
            "partial_credit": bool(spec.get("partial_credit", True)),
        }
    if kind == "ordering":
        return {
            "items": [i["text"] for i in spec["items"]],
            "partial_credit": bool(spec.get("partial_credit", True)),
        }
    if kind == "scenario":
        return {
            "vignette": spec["vignette"],
            "parts": [
                {
                    "prompt": part["prompt"],
                    "points": str(part.get("points", 1)),
                    "answer": [
                        {
                            "type": part["kind"],
                            "value": block_value_from_spec(part["kind"], part["spec"]),
                        }
                    ],
                }
                for part in spec["parts"]
            ],
        }
    raise ValueError(f"Unknown question kind: {kind}")
