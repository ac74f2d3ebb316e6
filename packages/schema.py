"""The course package format, version 1 (docs/course-package.md), as pydantic models.

Parsing is strict: an unknown field, a wrong type or a broken rule anywhere refuses the
whole package, with a Vietnamese message naming the file and the place in it. Nothing
here touches the database; references between objects are checked by the importer.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

from accounts.models import JobRole

FORMAT = "pcmd-course-package"
VERSIONS = frozenset({1})

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,80}$")]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,254}$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Role = Literal[tuple(JobRole.values)]  # type: ignore[valid-type]


def _safe_path(value: str) -> str:
    if any(part in ("", ".", "..") or part.startswith(".") for part in value.split("/")):
        raise ValueError(_("A file path may not contain empty, “.” or “..” parts."))
    return value


# A file inside the package: a relative POSIX path under media/ or h5p/.
MediaPath = Annotated[
    str,
    StringConstraints(pattern=r"^media/[A-Za-z0-9._/-]{1,200}$"),
    AfterValidator(_safe_path),
]
H5PPath = Annotated[
    str,
    StringConstraints(pattern=r"^h5p/[A-Za-z0-9._/-]{1,200}\.h5p$"),
    AfterValidator(_safe_path),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=True)


# --- package.yaml -------------------------------------------------------------------------


class Manifest(Strict):
    format: Literal["pcmd-course-package"]
    version: int
    key: Key
    title: Text
    language: str = "vi"
    description: str = ""
    exported_at: datetime | date | None = None
    exported_from: str | None = None
    courses: list[Code] = []
    files: dict[str, Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]] | None = None


# --- provisions ---------------------------------------------------------------------------


class Provision(Strict):
    key: Key
    instrument: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    article: Annotated[str, StringConstraints(max_length=100)] = ""
    short_text: Text
    effective_date: date | None = None
    superseded_by: Key | None = None
    source_name: Annotated[str, StringConstraints(max_length=255)] = ""
    source_url: Annotated[
        str, StringConstraints(max_length=200, pattern=r"^(https?://[^\s]+)?$")
    ] = ""


class ProvisionsFile(Strict):
    provisions: list[Provision] = []


# --- questions ----------------------------------------------------------------------------

LocalId = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class Choice(Strict):
    id: LocalId
    text: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    correct: bool


def _unique_ids(entries):
    seen = set()
    for entry in entries:
        if entry.id in seen:
            raise ValueError(_("Two entries have the same id: %(id)s.") % {"id": entry.id})
        seen.add(entry.id)


class SingleChoiceSpec(Strict):
    choices: list[Choice] = Field(min_length=2)

    @model_validator(mode="after")
    def _rules(self):
        _unique_ids(self.choices)
        if sum(1 for c in self.choices if c.correct) != 1:
            raise ValueError(_("Mark exactly one choice as correct."))
        return self


class MultipleResponseSpec(Strict):
    choices: list[Choice] = Field(min_length=2)
    partial_credit: Literal["all_or_nothing", "right_minus_wrong", "proportional"] = (
        "right_minus_wrong"
    )

    @model_validator(mode="after")
    def _rules(self):
        _unique_ids(self.choices)
        if not any(c.correct for c in self.choices):
            raise ValueError(_("Mark at least one choice as correct."))
        return self


class TrueFalseSpec(Strict):
    correct: bool


class ShortAnswerSpec(Strict):
    accepted: list[Annotated[str, StringConstraints(max_length=200)]] = Field(min_length=1)
    diacritics_optional: bool = False

    @model_validator(mode="after")
    def _rules(self):
        if not any(a.strip() for a in self.accepted):
            raise ValueError(_("Give at least one accepted answer."))
        return self


class Pair(Strict):
    id: LocalId
    left: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    right: Annotated[str, StringConstraints(min_length=1, max_length=300)]


class MatchingSpec(Strict):
    pairs: list[Pair] = Field(min_length=2)
    partial_credit: bool = True

    @model_validator(mode="after")
    def _rules(self):
        _unique_ids(self.pairs)
        rights = [p.right.strip().casefold() for p in self.pairs]
        if len(set(rights)) != len(rights):
            raise ValueError(_("Each item must have a different match."))
        return self


class OrderItem(Strict):
    id: LocalId
    text: Annotated[str, StringConstraints(min_length=1, max_length=300)]


class OrderingSpec(Strict):
    items: list[OrderItem] = Field(min_length=2)
    partial_credit: bool = True

    @model_validator(mode="after")
    def _rules(self):
        _unique_ids(self.items)
        return self


PART_SPECS = {
    "single_choice": SingleChoiceSpec,
    "multiple_response": MultipleResponseSpec,
    "true_false": TrueFalseSpec,
    "short_answer": ShortAnswerSpec,
}


class ScenarioPart(Strict):
    id: LocalId
    prompt: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    points: Decimal = Field(default=Decimal(1), ge=0, le=1000)
    kind: Literal["single_choice", "multiple_response", "true_false", "short_answer"]
    spec: dict

    @model_validator(mode="after")
    def _spec(self):
        PART_SPECS[self.kind].model_validate(self.spec)
        return self


class ScenarioSpec(Strict):
    vignette: Text
    parts: list[ScenarioPart] = Field(min_length=1)

    @model_validator(mode="after")
    def _rules(self):
        _unique_ids(self.parts)
        return self


SPECS = {
    **PART_SPECS,
    "matching": MatchingSpec,
    "ordering": OrderingSpec,
    "scenario": ScenarioSpec,
}
QuestionKind = Literal[tuple(SPECS)]  # type: ignore[valid-type]


class Category(Strict):
    key: Key
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    description: str = ""


class Question(Strict):
    key: Key
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    category: Key
    kind: QuestionKind
    job_roles: list[Role] = []
    provision: Key | None = None
    points: Decimal = Field(default=Decimal(1), gt=0, le=1000)
    stem: Text
    explanation: Text
    source: Annotated[str, StringConstraints(min_length=1, max_length=400)]
    spec: dict

    @model_validator(mode="after")
    def _spec(self):
        spec = SPECS[self.kind].model_validate(self.spec)
        if self.kind == "scenario":
            total = sum((p.points for p in spec.parts), Decimal(0))
            if total != self.points:
                raise ValueError(
                    _("A scenario's points (%(points)s) must equal its parts' sum (%(sum)s).")
                    % {"points": self.points, "sum": total}
                )
        return self


class QuestionsFile(Strict):
    categories: list[Category] = []
    questions: list[Question] = []


# --- lesson blocks ------------------------------------------------------------------------


class HeadingValue(Strict):
    text: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    level: Literal["h2", "h3"] = "h2"


class CalloutValue(Strict):
    kind: Literal["key_point", "caution"] = "key_point"
    title: Annotated[str, StringConstraints(max_length=200)] = ""
    text: Text


class LegalProvisionValue(Strict):
    provision: Key
    note: Annotated[str, StringConstraints(max_length=300)] = ""


class CaseStudyValue(Strict):
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    scenario: Text
    questions: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] = Field(
        min_length=1
    )


class ImageValue(Strict):
    image: MediaPath
    caption: Annotated[str, StringConstraints(max_length=255)] = ""
    source: Annotated[str, StringConstraints(max_length=255)] = ""
    # Extensions of version 1: the image's text alternative, or decorative: true.
    alt: Annotated[str, StringConstraints(max_length=255)] = ""
    decorative: bool = False

    @model_validator(mode="after")
    def _rules(self):
        if self.source and not self.caption:
            raise ValueError(_("Add a caption when you credit a source."))
        if not self.decorative and not self.alt.strip():
            raise ValueError(_("Describe the image in alt, or mark it decorative: true."))
        return self


class DocumentValue(Strict):
    document: MediaPath
    description: Annotated[str, StringConstraints(max_length=255)] = ""


class VideoValue(Strict):
    video: Annotated[str, StringConstraints(max_length=500, pattern=r"^https?://[^\s]+$")]
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    transcript: str = ""


class H5PValue(Strict):
    activity: H5PPath
    title: Annotated[str, StringConstraints(max_length=255)] = ""
    required: bool = True
    pass_threshold: int = Field(default=100, ge=0, le=100)


class HeadingBlock(Strict):
    type: Literal["heading"]
    value: HeadingValue


class ParagraphBlock(Strict):
    type: Literal["paragraph"]
    value: Text


class CalloutBlock(Strict):
    type: Literal["callout"]
    value: CalloutValue


class LegalProvisionBlock(Strict):
    type: Literal["legal_provision"]
    value: LegalProvisionValue


class CaseStudyBlock(Strict):
    type: Literal["case_study"]
    value: CaseStudyValue


class ImageBlock(Strict):
    type: Literal["image"]
    value: ImageValue


class DocumentBlock(Strict):
    type: Literal["document"]
    value: DocumentValue


class VideoBlock(Strict):
    type: Literal["video"]
    value: VideoValue


class H5PActivityBlock(Strict):
    type: Literal["h5p_activity"]
    value: H5PValue


def _block_type(value):
    return value.get("type") if isinstance(value, dict) else getattr(value, "type", None)


WarnedBlock = Annotated[
    Annotated[ParagraphBlock, Tag("paragraph")]
    | Annotated[ImageBlock, Tag("image")]
    | Annotated[CaseStudyBlock, Tag("case_study")],
    Discriminator(_block_type),
]


class ContentWarningValue(Strict):
    warning: Text
    content: list[WarnedBlock] = Field(min_length=1)


class ContentWarningBlock(Strict):
    type: Literal["content_warning"]
    value: ContentWarningValue


Block = Annotated[
    Annotated[HeadingBlock, Tag("heading")]
    | Annotated[ParagraphBlock, Tag("paragraph")]
    | Annotated[CalloutBlock, Tag("callout")]
    | Annotated[LegalProvisionBlock, Tag("legal_provision")]
    | Annotated[CaseStudyBlock, Tag("case_study")]
    | Annotated[ContentWarningBlock, Tag("content_warning")]
    | Annotated[ImageBlock, Tag("image")]
    | Annotated[DocumentBlock, Tag("document")]
    | Annotated[VideoBlock, Tag("video")]
    | Annotated[H5PActivityBlock, Tag("h5p_activity")],
    Discriminator(_block_type),
]


# --- courses ------------------------------------------------------------------------------


class Signatory(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    title: Annotated[str, StringConstraints(max_length=200)] = ""


class Certificate(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    wording_vi: Annotated[str, StringConstraints(min_length=1, max_length=300)] = (
        "đã hoàn thành chương trình đào tạo"
    )
    wording_en: Annotated[str, StringConstraints(max_length=300)] = ""
    course_title_en: Annotated[str, StringConstraints(max_length=300)] = ""
    issuer_name: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    validity_months: int | None = Field(default=None, ge=1, le=600)
    # Extensions of version 1.
    logo: MediaPath | None = None
    signatories: list[Signatory] = Field(default=[], max_length=3)


class Lesson(Strict):
    type: Literal["lesson"]
    key: Key | None = None
    title: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    slug: Slug | None = None
    estimated_minutes: int = Field(default=15, ge=0, le=32767)
    is_required: bool = True
    body: list[Block] = []


class Draw(Strict):
    category: Key
    count: int = Field(ge=1, le=500)


class Quiz(Strict):
    type: Literal["quiz"]
    title: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    slug: Slug | None = None
    intro: str = ""
    is_required: bool = True
    estimated_minutes: int | None = Field(default=None, ge=0, le=32767)
    pass_mark: int = Field(default=70, ge=0, le=100)
    time_limit_minutes: int | None = Field(default=None, ge=1, le=32767)
    attempts_allowed: int | None = Field(default=None, ge=0, le=32767)
    cooldown_minutes: int = Field(default=0, ge=0, le=32767)
    grading_method: Literal["highest", "last", "latest", "first", "average"] = "highest"
    shuffle_questions: bool = True
    shuffle_choices: bool = True
    review: Literal["immediately", "after_passing", "after_close", "never"] = "after_passing"
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    fixed: list[Key] = []
    draws: list[Draw] = []

    @model_validator(mode="after")
    def _rules(self):
        if not self.fixed and not self.draws:
            raise ValueError(_("A quiz needs fixed questions or random draws."))
        if len(set(self.fixed)) != len(self.fixed):
            raise ValueError(_("A question is listed twice in the quiz."))
        return self


Step = Annotated[
    Annotated[Lesson, Tag("lesson")] | Annotated[Quiz, Tag("quiz")],
    Discriminator(_block_type),
]


class Module(Strict):
    type: Literal["module"]
    title: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    slug: Slug | None = None
    summary: str = ""
    children: list[Step] = []


CourseChild = Annotated[
    Annotated[Module, Tag("module")]
    | Annotated[Lesson, Tag("lesson")]
    | Annotated[Quiz, Tag("quiz")],
    Discriminator(_block_type),
]


class Course(Strict):
    code: Code
    title: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    slug: Slug | None = None
    summary: Text
    objectives: list[Text] = []
    target_job_roles: list[Role] = []
    estimated_hours: Decimal = Field(default=Decimal(1), ge=0, le=9999)
    is_required: bool = True
    self_enrolment: bool = True
    prerequisites: list[Code] = []
    certificate_validity_months: int | None = Field(default=None, ge=1, le=600)
    legal_provisions: list[Key] = []
    certificate: Certificate | None = None
    children: list[CourseChild] = []

    @field_validator("prerequisites")
    @classmethod
    def _not_self(cls, value, info):
        if info.data.get("code") in value:
            raise ValueError(_("A course cannot be its own prerequisite."))
        return value

    def steps(self):
        """Lessons and quizzes in order, with the module each sits in (or None)."""
        for child in self.children:
            if isinstance(child, Module):
                for step in child.children:
                    yield child, step
            else:
                yield None, child


# --- paths and sources --------------------------------------------------------------------


class Path(Strict):
    key: Key
    job_role: Role | Literal[""] | None = None
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    description: str = ""
    due_days: int | None = Field(default=None, ge=1, le=32767)
    courses: list[Code] = Field(min_length=1)
    certificate: Certificate | None = None


class PathsFile(Strict):
    paths: list[Path] = []


class Source(Strict):
    key: Key
    fact: Text
    instrument: str = ""
    article: str = ""
    read_at: Text
    read_on: date | None = None
    confidence: Literal["high", "medium-high", "medium", "low"]
    used_by: list[Annotated[str, StringConstraints(min_length=1, max_length=80)]] = Field(
        min_length=1
    )


class SourcesFile(Strict):
    sources: list[Source] = []
