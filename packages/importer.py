"""Importing a course package: the plan (planning.py), then one transaction.

`package_apply` makes the plan inside one transaction and refuses the whole package when any
line is refused, so nothing is written then. Files written on the way (images, documents,
H5P packages and their unpacked folders) are removed again if the transaction does not
commit.
"""

import contextlib
import hashlib
import io
import logging
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import IntegrityError, transaction
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from assessments.blocks import QuestionTypeBlock, block_value_from_spec
from assessments.models import Question, QuestionCategory, QuizDraw, QuizFixedQuestion, QuizPage
from audit.services import audit_record
from certificates.models import CertificateSignatory, CertificateTemplate
from content.blocks import LessonStreamBlock
from content.h5p.services import h5p_content_process
from content.keys import ascii_slug
from content.models import H5PContent, H5PStatus, LegalProvision
from courses.models import CoursePage, LearningPath, LearningPathCourse, LessonPage, ModulePage

from . import schema
from .planning import (  # noqa: F401 - the importer's public names, in one place
    ACTION_LABELS,
    COPY,
    COURSE_ACTIONS,
    CREATE_ACTIONS,
    KIND_LABELS,
    REFUSE,
    REPLACE,
    SKIP,
    ImportOptions,
    ImportRefused,
    Line,
    Plan,
    _CourseDecision,
    _Planner,
    clean_html,
    lesson_key,
    package_plan,
)
from .reader import Package

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    plan: Plan
    courses: list[CoursePage] = field(default_factory=list)
    questions: int = 0
    lessons: int = 0
    activities: int = 0


# --- applying -----------------------------------------------------------------------------


class _Writer:
    def __init__(self, planner: _Planner):
        self.p = planner
        self.package = planner.package
        self.user = planner.user
        self.options = planner.options
        self.provisions: dict[str, LegalProvision] = {}
        self.categories: dict[str, QuestionCategory] = {}
        self.questions: dict[str, Question] = {}
        self.media: dict[str, object] = {}
        self.courses: dict[str, CoursePage] = {}  # package code -> page
        self.pages: list[Page] = []  # every page created, in tree order
        self.files_written: list[tuple[object, str]] = []  # (storage, name)
        self.result = ImportResult(plan=planner.plan)

    # Lookups by key: what this import created, else what is installed.
    def provision(self, key) -> LegalProvision:
        return self.provisions.get(key) or LegalProvision.objects.get(key=key)

    def category(self, key) -> QuestionCategory:
        return self.categories.get(key) or QuestionCategory.objects.get(key=key)

    def question(self, key) -> Question:
        return self.questions.get(key) or Question.objects.get(key=key)

    def write(self) -> ImportResult:
        self.write_provisions()
        self.write_categories()
        self.write_questions()
        self.write_courses()
        self.write_paths()
        return self.result

    def write_provisions(self):
        for entry in self.package.provisions:
            existing = self.p.provisions[entry.key]
            fields = {
                "instrument": entry.instrument,
                "article": entry.article,
                "short_text": entry.short_text,
                "effective_date": entry.effective_date,
                "source_name": entry.source_name,
                "source_url": entry.source_url,
            }
            if existing is None:
                provision = LegalProvision.objects.create(key=entry.key, **fields)
            else:
                provision = existing
                if not provision.key:
                    provision.key = entry.key
                if self.options.update_provisions and self.p.can("content.change_legalprovision"):
                    for name, value in fields.items():
                        setattr(provision, name, value)
                provision.save()
            self.provisions[entry.key] = provision
        for entry in self.package.provisions:
            provision = self.provisions[entry.key]
            if entry.superseded_by and (
                self.p.provisions[entry.key] is None or self.options.update_provisions
            ):
                provision.superseded_by = self.provision(entry.superseded_by)
                provision.save(update_fields=["superseded_by"])

    def write_categories(self):
        for entry in self.package.categories:
            existing = self.p.categories[entry.key]
            if existing is None:
                existing = QuestionCategory.objects.create(
                    key=entry.key, name=entry.name, description=entry.description
                )
            elif not existing.key:
                existing.key = entry.key
                existing.save(update_fields=["key"])
            self.categories[entry.key] = existing

    def write_questions(self):
        stream = QuestionTypeBlock(min_num=1, max_num=1)
        for entry in self.package.questions:
            existing = self.p.questions[entry.key]
            if existing is not None and (
                not self.options.update_questions or not self.p.may_open(existing)
            ):
                self.questions[entry.key] = existing
                continue
            body = [{"type": entry.kind, "value": question_value(entry)}]
            # The admin's own block rules (and their Vietnamese messages) as a last check.
            self.check_blocks(stream, body, "question", entry.key)
            question = existing or Question(
                key=entry.key, owner=self.user, shared=self.p.shares_new_items
            )
            question.title = entry.title
            question.category = self.category(entry.category)
            question.job_roles = list(entry.job_roles)
            question.legal_provision = self.provision(entry.provision) if entry.provision else None
            question.stem = clean_html(entry.stem)
            question.body = body
            question.points = entry.points
            question.explanation = clean_html(entry.explanation)
            question.source = entry.source
            question.save()
            self.questions[entry.key] = question
            self.result.questions += 1

    def write_courses(self):
        catalogue = self.p.catalogue
        decisions = [d for d in self.p.courses.values() if d.action in CREATE_ACTIONS]
        for decision in decisions:
            if decision.action == REPLACE:
                decision.existing.delete()
        for decision in decisions:
            page = self.write_course(catalogue, decision)
            self.courses[decision.course.code] = page
        for decision in self.p.courses.values():
            if decision.action == SKIP:
                self.courses[decision.course.code] = decision.existing
        for decision in decisions:
            page = self.courses[decision.course.code]
            prerequisites = [
                self.courses.get(code) or CoursePage.objects.get(code=code)
                for code in decision.course.prerequisites
            ]
            if prerequisites:
                page.prerequisites = prerequisites
                page.save()
        for page in self.pages:
            revision = page.save_revision(user=self.user, log_action=True)
            if self.options.publish:
                revision.publish(user=self.user)
        self.result.courses = [self.courses[d.course.code] for d in decisions]

    def write_course(self, catalogue, decision: _CourseDecision) -> CoursePage:
        data = decision.course
        copy = decision.action == COPY
        slug = (
            data.slug
            if (data.slug and not copy)
            else ascii_slug(f"{decision.code} {data.title}" if copy else data.title)
        )
        course = CoursePage(
            title=data.title,
            slug=free_slug(catalogue, slug or ascii_slug(decision.code)),
            code=decision.code,
            summary=data.summary,
            objectives=objectives_html(data.objectives or [data.summary]),
            target_job_roles=list(data.target_job_roles),
            estimated_hours=data.estimated_hours,
            is_required=data.is_required,
            self_enrolment=data.self_enrolment,
            certificate_validity_months=data.certificate_validity_months,
            live=False,
            has_unpublished_changes=True,
            owner=self.user,
        )
        # Parental many-to-many values are kept in memory and saved with the page.
        course.legal_provisions = [self.provision(k) for k in data.legal_provisions]
        catalogue.add_child(instance=course)
        self.pages.append(course)
        position = 0
        for child in data.children:
            if isinstance(child, schema.Module):
                module = self.add_page(
                    course,
                    ModulePage(title=child.title, summary=child.summary),
                    child.slug,
                )
                for step in child.children:
                    position = self.write_step(module, decision, step, position)
            else:
                position = self.write_step(course, decision, child, position)
        if data.certificate:
            self.write_certificate(data.certificate, course=course)
        return course

    def add_page(self, parent, page, slug):
        page.slug = free_slug(parent, slug or ascii_slug(page.title) or "trang")
        page.live = False
        page.has_unpublished_changes = True
        page.owner = self.user
        parent.add_child(instance=page)
        self.pages.append(page)
        return page

    def write_step(self, parent, decision, step, position) -> int:
        if isinstance(step, schema.Lesson):
            position += 1
            body = [self.block(b) for b in step.body]
            self.check_blocks(LessonStreamBlock(), body, "lesson", step.title)
            self.add_page(
                parent,
                LessonPage(
                    title=step.title,
                    key=lesson_key(decision, step, position),
                    estimated_minutes=step.estimated_minutes,
                    is_required=step.is_required,
                    body=body,
                ),
                step.slug,
            )
            self.result.lessons += 1
            return position
        quiz = QuizPage(
            title=step.title,
            intro=clean_html(step.intro),
            is_required=step.is_required,
            estimated_minutes=step.estimated_minutes or step.time_limit_minutes or 20,
            pass_mark=step.pass_mark,
            time_limit_minutes=step.time_limit_minutes,
            attempts_allowed=step.attempts_allowed or None,
            cooldown_minutes=step.cooldown_minutes,
            grading_method="last" if step.grading_method == "latest" else step.grading_method,
            shuffle_questions=step.shuffle_questions,
            shuffle_choices=step.shuffle_choices,
            review_policy=step.review,
            opens_at=step.opens_at,
            closes_at=step.closes_at,
        )
        quiz.fixed_questions = [
            QuizFixedQuestion(question=self.question(key), sort_order=i)
            for i, key in enumerate(step.fixed)
        ]
        quiz.draws = [
            QuizDraw(category=self.category(d.category), count=d.count, sort_order=i)
            for i, d in enumerate(step.draws)
        ]
        self.add_page(parent, quiz, step.slug)
        return position

    def block(self, block) -> dict:
        value = block.value
        kind = block.type
        if kind == "heading":
            return {"type": kind, "value": {"text": value.text, "level": value.level}}
        if kind == "paragraph":
            return {"type": kind, "value": clean_html(value)}
        if kind == "callout":
            return {
                "type": kind,
                "value": {"kind": value.kind, "title": value.title, "text": clean_html(value.text)},
            }
        if kind == "legal_provision":
            return {
                "type": kind,
                "value": {"provision": self.provision(value.provision).pk, "note": value.note},
            }
        if kind == "case_study":
            return {
                "type": kind,
                "value": {
                    "title": value.title,
                    "scenario": clean_html(value.scenario),
                    "questions": list(value.questions),
                },
            }
        if kind == "content_warning":
            return {
                "type": kind,
                "value": {
                    "warning": value.warning,
                    "content": [self.block(inner) for inner in value.content],
                },
            }
        if kind == "image":
            image = self.image(value.image, title=value.caption or value.alt)
            return {
                "type": kind,
                "value": {
                    "image": {
                        "image": image.pk,
                        "decorative": value.decorative,
                        "alt_text": "" if value.decorative else value.alt,
                    },
                    "caption": value.caption,
                    "source": value.source,
                },
            }
        if kind == "document":
            document = self.document(value.document, title=value.description)
            return {
                "type": kind,
                "value": {"document": document.pk, "description": value.description},
            }
        if kind == "video":
            return {
                "type": kind,
                "value": {
                    "video": value.video,
                    "title": value.title,
                    "transcript": clean_html(value.transcript),
                },
            }
        if kind == "h5p_activity":
            activity = self.h5p(value.activity, title=value.title)
            return {
                "type": kind,
                "value": {
                    "activity": activity.pk,
                    "required": value.required,
                    "pass_threshold": value.pass_threshold,
                },
            }
        raise ValueError(kind)

    def image(self, path: str, *, title: str = ""):
        if path in self.media:
            return self.media[path]
        data = self.package.files[path]
        Image = get_image_model()
        sha1 = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        image = Image.objects.filter(file_hash=sha1).first()
        if image is None:
            name = PurePosixPath(path).name
            image = Image(
                title=(title or name)[:255], uploaded_by_user=self.user, collection=_collection()
            )
            image.file = ImageFile(io.BytesIO(data), name=name)
            image._set_image_file_metadata()
            image.save()
            self.files_written.append((image.file.storage, image.file.name))
        self.media[path] = image
        return image

    def document(self, path: str, *, title: str = ""):
        if path in self.media:
            return self.media[path]
        data = self.package.files[path]
        Document = get_document_model()
        sha1 = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        document = Document.objects.filter(file_hash=sha1).first()
        if document is None:
            name = PurePosixPath(path).name
            document = Document(
                title=(title or name)[:255], uploaded_by_user=self.user, collection=_collection()
            )
            document.file = ContentFile(data, name=name)
            document.file_size = len(data)
            document.file_hash = sha1
            document.save()
            self.files_written.append((document.file.storage, document.file.name))
        self.media[path] = document
        return document

    def h5p(self, path: str, *, title: str = ""):
        if path in self.media:
            return self.media[path]
        content = H5PContent.objects.create(
            title=title[:255],
            package=ContentFile(self.package.files[path], name="package.h5p"),
            uploaded_by=self.user,
            owner=self.user,
            shared=self.p.shares_new_items,
            status=H5PStatus.PROCESSING,
        )
        self.files_written.append((content.package.storage, content.package.name))
        # The same checks and library approval as an upload in the admin (this import already
        # runs as a background task). Store folders written for a package whose row is rolled
        # back are removed by the H5P clean-up job (h5p_cleanup).
        content = h5p_content_process(content_id=content.pk)
        if content.status == H5PStatus.REJECTED:
            self.p.refuse("h5p", path, "; ".join(content.problems))
            raise ImportRefused(self.p.plan)
        self.media[path] = content
        self.result.activities += 1
        return content

    def check_blocks(self, stream, body: list[dict], kind: str, name: str) -> None:
        """Each block's own clean(), as the admin would run it. An H5P block is checked by
        the upload checks instead (a package waiting for library approval is expected), and a
        video by the format's URL rule: its clean() would fetch the video's page."""
        problems = []
        for raw in body:
            if raw["type"] in ("h5p_activity", "video"):
                continue
            child = stream.child_blocks[raw["type"]]
            try:
                child.clean(child.to_python(raw["value"]))
            except ValidationError as error:
                problems.extend(_messages(error))
        if problems:
            self.p.refuse(kind, name, "; ".join(problems))
            raise ImportRefused(self.p.plan)

    def write_certificate(self, data: schema.Certificate, *, course=None, path=None):
        template = CertificateTemplate.objects.create(
            name=data.name,
            course=course,
            path=path,
            wording_vi=data.wording_vi,
            wording_en=data.wording_en,
            course_title_en=data.course_title_en,
            issuer_name=data.issuer_name,
            validity_months=data.validity_months,
            logo=self.image(data.logo, title=data.name) if data.logo else None,
        )
        for order, signatory in enumerate(data.signatories):
            CertificateSignatory.objects.create(
                template=template, name=signatory.name, title=signatory.title, sort_order=order
            )

    def write_paths(self):
        for entry in self.package.paths:
            if self.p.paths[entry.key] is not None or entry.key in self.p.path_skips:
                continue
            path = LearningPath.objects.create(
                key=entry.key,
                name=entry.name,
                description=entry.description,
                job_role=entry.job_role or "",
                due_days=entry.due_days,
            )
            for order, code in enumerate(entry.courses):
                course = self.courses.get(code) or CoursePage.objects.get(code=code)
                LearningPathCourse.objects.create(path=path, course=course, sort_order=order)
            if entry.certificate:
                self.write_certificate(entry.certificate, path=path)

    def clean_up(self):
        """After a rollback: remove what was written to disk."""
        for storage, name in self.files_written:
            with contextlib.suppress(OSError):
                storage.delete(name)


def _collection():
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def _messages(error) -> list[str]:
    """Every message inside a (nested) block validation error."""
    data = error.as_json_data() if hasattr(error, "as_json_data") else {"messages": error.messages}
    found = []

    def walk(node):
        if isinstance(node, dict):
            found.extend(str(m) for m in node.get("messages", []))
            for key, value in node.items():
                if key != "messages":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found or [str(m) for m in getattr(error, "messages", [])]


def question_value(entry: schema.Question) -> dict:
    spec = dict(entry.spec)
    if entry.kind == "scenario":
        spec = {**spec, "vignette": clean_html(spec["vignette"])}
    return block_value_from_spec(entry.kind, spec)


def objectives_html(objectives) -> str:
    return "<ul>" + "".join(f"<li>{escape(o)}</li>" for o in objectives) + "</ul>"


def free_slug(parent: Page, slug: str) -> str:
    """`slug`, or `slug-2`, `slug-3`… if a sibling under `parent` already has it."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug[:240], 2
    while candidate in taken:
        candidate = f"{slug[:240]}-{n}"
        n += 1
    return candidate


def package_apply(*, package: Package, options: ImportOptions, user) -> ImportResult:
    """Import `package` in one transaction, or raise ImportRefused and write nothing."""
    writer = None
    try:
        with transaction.atomic():
            planner = _Planner(package, options, user).run()
            if not planner.plan.ok:
                raise ImportRefused(planner.plan)
            writer = _Writer(planner)
            result = writer.write()
            if result.courses or result.questions or result.activities:
                audit_record(
                    action="course_package.imported",
                    actor=user,
                    summary=f"{package.manifest.key}: " + ", ".join(c.code for c in result.courses),
                    data={
                        "package": package.manifest.key,
                        "courses": [c.code for c in result.courses],
                        "lessons": result.lessons,
                        "questions": result.questions,
                        "h5p_activities": result.activities,
                        "published": options.publish,
                    },
                )
            return result
    except IntegrityError as error:
        if writer is not None:
            writer.clean_up()
        logger.warning("course package import conflict: %s", error)
        plan = Plan()
        plan.add(
            "package",
            package.manifest.key,
            "refuse",
            _("another change to the same items was saved meanwhile; try the import again"),
        )
        raise ImportRefused(plan) from error
    except BaseException:
        if writer is not None:
            writer.clean_up()
        raise
