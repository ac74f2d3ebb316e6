"""Planning a course-package import: every decision, line by line, without writing.

`package_plan` reads the database and says what an import would create, update, skip,
leave waiting for approval or refuse, and why. The importer (`importer.py`) makes the same
plan inside its transaction and follows it.
"""

import io
import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

import nh3
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Question, QuestionCategory
from content.h5p.services import h5p_package_preview
from content.keys import ascii_slug
from content.models import LegalProvision
from courses.models import (
    CourseIndexPage,
    CoursePage,
    LearningPath,
    LessonPage,
)

from . import schema
from .reader import Package, blocks_of, media_paths

logger = logging.getLogger(__name__)

RICH_TAGS = {"p", "ul", "ol", "li", "b", "strong", "i", "em", "a", "br"}
IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp"}

# What to do with a course whose code is already installed.
REFUSE, SKIP, REPLACE, COPY = "refuse", "skip", "replace", "copy"
COURSE_ACTIONS = (REFUSE, SKIP, REPLACE, COPY)


def clean_html(value: str) -> str:
    """Rich text as the format allows it (p, lists, b/strong, i/em, links, br)."""
    return nh3.clean(
        value or "",
        tags=RICH_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    ).strip()


@dataclass
class ImportOptions:
    publish: bool = False
    on_existing: str = REFUSE  # for every installed course code not named below
    course_actions: dict[str, str] = field(default_factory=dict)
    new_codes: dict[str, str] = field(default_factory=dict)  # code -> new code, for COPY
    update_provisions: bool = False
    update_questions: bool = False

    def action_for(self, code: str) -> str:
        return self.course_actions.get(code, self.on_existing)


@dataclass
class Line:
    kind: str
    name: str
    action: str  # create | update | skip | refuse | wait
    reason: str = ""


KIND_LABELS = {
    "package": gettext_lazy("Package"),
    "provision": gettext_lazy("Legal provision"),
    "category": gettext_lazy("Question category"),
    "question": gettext_lazy("Question"),
    "course": gettext_lazy("Course"),
    "module": gettext_lazy("Module"),
    "lesson": gettext_lazy("Lesson"),
    "quiz": gettext_lazy("Quiz"),
    "certificate": gettext_lazy("Certificate template"),
    "path": gettext_lazy("Learning path"),
    "image": gettext_lazy("Image"),
    "document": gettext_lazy("Document"),
    "h5p": gettext_lazy("H5P activity"),
}
ACTION_LABELS = {
    "create": gettext_lazy("Create"),
    "update": gettext_lazy("Update"),
    "skip": gettext_lazy("Skip"),
    "wait": gettext_lazy("Create, waits for approval"),
    "refuse": gettext_lazy("Refused"),
}


@dataclass
class Plan:
    lines: list[Line] = field(default_factory=list)

    def add(self, kind, name, action, reason=""):
        self.lines.append(Line(kind, str(name), action, str(reason)))

    @property
    def refusals(self) -> list[Line]:
        return [line for line in self.lines if line.action == "refuse"]

    @property
    def ok(self) -> bool:
        return not self.refusals

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for line in self.lines:
            out[line.action] = out.get(line.action, 0) + 1
        return out

    def as_data(self) -> list[dict]:
        return [line.__dict__ for line in self.lines]


class ImportRefused(Exception):
    def __init__(self, plan: Plan):
        super().__init__("; ".join(f"{r.name}: {r.reason}" for r in plan.refusals))
        self.plan = plan


# --- the plan -----------------------------------------------------------------------------


@dataclass
class _CourseDecision:
    course: schema.Course
    action: str  # create | skip | replace | copy | refuse
    code: str  # the code the course will have
    existing: CoursePage | None = None


class _Planner:
    """Resolves every reference of the package against itself and the database."""

    def __init__(self, package: Package, options: ImportOptions, user):
        self.package = package
        self.options = options
        self.user = user
        self.plan = Plan()
        self.provisions: dict[str, LegalProvision | None] = {}  # key -> existing (or None)
        self.categories: dict[str, QuestionCategory | None] = {}
        self.questions: dict[str, Question | None] = {}
        self.courses: dict[str, _CourseDecision] = {}
        self.paths: dict[str, LearningPath | None] = {}
        self.path_skips: set[str] = set()
        self.catalogue = CourseIndexPage.objects.first()

    def can(self, perm: str) -> bool:
        return self.user is None or self.user.has_perm(perm)

    def may_open(self, item) -> bool:
        """Whether the importing person may change this installed question (its author's,
        shared, or an administrator importing); the platform's own loads may."""
        from courses.items import owned_or_shared

        return self.user is None or owned_or_shared(self.user, item)

    @cached_property
    def shares_new_items(self) -> bool:
        """Questions and H5P activities a package brings are shared with every trainer when
        the platform (the starter curriculum) or an administrator installs it; a trainer's
        import is theirs until they share it."""
        from courses.items import is_administrator

        return self.user is None or is_administrator(self.user)

    def refuse(self, kind, name, reason):
        self.plan.add(kind, name, "refuse", reason)

    # Existence checks by key, in the package or installed.
    def provision_known(self, key) -> bool:
        return key in self.provisions or LegalProvision.objects.filter(key=key).exists()

    def category_known(self, key) -> bool:
        return key in self.categories or QuestionCategory.objects.filter(key=key).exists()

    def question_known(self, key) -> bool:
        return key in self.questions or Question.objects.filter(key=key).exists()

    def run(self) -> "_Planner":
        self.plan_provisions()
        self.plan_categories()
        self.plan_questions()
        self.plan_courses()
        self.plan_paths()
        return self

    def plan_provisions(self):
        for entry in self.package.provisions:
            existing = LegalProvision.objects.filter(key=entry.key).first()
            if existing is None:
                # Provisions made before keys existed: the same article of the same instrument.
                existing = LegalProvision.objects.filter(
                    key="", instrument=entry.instrument, article=entry.article
                ).first()
            self.provisions[entry.key] = existing
        for entry in self.package.provisions:
            existing = self.provisions[entry.key]
            if entry.superseded_by and not self.provision_known(entry.superseded_by):
                self.refuse(
                    "provision",
                    entry.key,
                    _("superseded by unknown provision “%(key)s”") % {"key": entry.superseded_by},
                )
            elif existing is None:
                if self.can("content.add_legalprovision"):
                    self.plan.add("provision", entry.key, "create")
                else:
                    self.refuse("provision", entry.key, _("you may not add legal provisions"))
            else:
                changed = _provision_changes(existing, entry)
                if not changed:
                    self.plan.add("provision", entry.key, "skip", _("already installed, the same"))
                elif self.options.update_provisions and self.can("content.change_legalprovision"):
                    self.plan.add(
                        "provision", entry.key, "update", _("changes: %(f)s") % {"f": changed}
                    )
                else:
                    self.plan.add(
                        "provision",
                        entry.key,
                        "skip",
                        _("installed version kept; the package differs in: %(f)s") % {"f": changed},
                    )

    def plan_categories(self):
        for entry in self.package.categories:
            existing = QuestionCategory.objects.filter(key=entry.key).first()
            if existing is None:
                by_name = QuestionCategory.objects.filter(name=entry.name).first()
                if by_name is not None and by_name.key:
                    self.categories[entry.key] = None
                    self.refuse(
                        "category",
                        entry.key,
                        _("the name “%(name)s” is used by category “%(other)s”")
                        % {"name": entry.name, "other": by_name.key},
                    )
                    continue
                existing = by_name
            self.categories[entry.key] = existing
            if existing is not None:
                self.plan.add("category", entry.key, "skip", _("already installed"))
            elif self.can("assessments.add_questioncategory"):
                self.plan.add("category", entry.key, "create")
            else:
                self.refuse("category", entry.key, _("you may not add question categories"))

    def plan_questions(self):
        for entry in self.package.questions:
            self.questions[entry.key] = Question.objects.filter(key=entry.key).first()
        for entry in self.package.questions:
            existing = self.questions[entry.key]
            if not self.category_known(entry.category):
                self.refuse(
                    "question",
                    entry.key,
                    _("unknown category “%(key)s”") % {"key": entry.category},
                )
            elif entry.provision and not self.provision_known(entry.provision):
                self.refuse(
                    "question",
                    entry.key,
                    _("unknown legal provision “%(key)s”") % {"key": entry.provision},
                )
            elif existing is None:
                if self.can("assessments.add_question"):
                    self.plan.add("question", entry.key, "create")
                else:
                    self.refuse("question", entry.key, _("you may not add questions"))
            elif self.options.update_questions and not self.may_open(existing):
                self.plan.add(
                    "question",
                    entry.key,
                    "skip",
                    _("another trainer's question, not shared: kept as it is"),
                )
            elif self.options.update_questions and self.can("assessments.change_question"):
                self.plan.add("question", entry.key, "update", _("replaced by the package's"))
            else:
                self.plan.add("question", entry.key, "skip", _("already installed; kept"))

    def plan_courses(self):
        in_package = {c.code for c in self.package.courses}
        if self.package.courses and self.catalogue is None:
            for course in self.package.courses:
                self.refuse("course", course.code, _("this site has no course catalogue yet"))
            return
        if self.package.courses and self.user is not None:
            perms = self.catalogue.permissions_for_user(self.user)
            if not perms.can_add_subpage():
                for course in self.package.courses:
                    self.refuse("course", course.code, _("you may not add courses"))
                return
            if self.options.publish and not perms.can_publish_subpage():
                for course in self.package.courses:
                    self.refuse("course", course.code, _("you may not publish courses"))
                return
        new_codes_taken = set()
        for course in self.package.courses:
            existing = CoursePage.objects.filter(code=course.code).first()
            decision = _CourseDecision(course, "create", course.code, existing)
            if existing is not None:
                action = self.options.action_for(course.code)
                decision.action = action
                if action == SKIP:
                    self.plan.add("course", course.code, "skip", _("already installed"))
                elif action == REPLACE:
                    reason = _replace_blocker(existing, self.user)
                    if reason:
                        decision.action = REFUSE
                        self.refuse("course", course.code, reason)
                    else:
                        self.plan.add(
                            "course", course.code, "update", _("replaces the installed draft")
                        )
                elif action == COPY:
                    new_code = (self.options.new_codes.get(course.code) or "").strip()
                    decision.code = new_code
                    if not new_code or not _code_ok(new_code):
                        decision.action = REFUSE
                        self.refuse("course", course.code, _("give a valid new code for the copy"))
                    elif (
                        CoursePage.objects.filter(code=new_code).exists()
                        or new_code in in_package
                        or new_code in new_codes_taken
                    ):
                        decision.action = REFUSE
                        self.refuse(
                            "course",
                            course.code,
                            _("the new code %(code)s is already used") % {"code": new_code},
                        )
                    else:
                        new_codes_taken.add(new_code)
                        self.plan.add(
                            "course",
                            course.code,
                            "create",
                            _("a copy with the new code %(code)s") % {"code": new_code},
                        )
                else:
                    decision.action = REFUSE
                    self.refuse(
                        "course",
                        course.code,
                        _(
                            "a course with this code is installed: skip it, replace its draft "
                            "or import a copy with a new code"
                        ),
                    )
            else:
                self.plan.add("course", course.code, "create")
            self.courses[course.code] = decision
        for decision in self.courses.values():
            if decision.action in CREATE_ACTIONS:
                self.plan_course_content(decision)

    def plan_course_content(self, decision: _CourseDecision):
        course = decision.course
        code = course.code
        for prerequisite in course.prerequisites:
            if (
                prerequisite not in self.courses
                and not CoursePage.objects.filter(code=prerequisite).exists()
            ):
                self.refuse(
                    "course", code, _("unknown prerequisite %(code)s") % {"code": prerequisite}
                )
        for key in course.legal_provisions:
            if not self.provision_known(key):
                self.refuse("course", code, _("unknown legal provision “%(key)s”") % {"key": key})
        replaced = decision.existing.pk if decision.action == REPLACE else None
        position = 0
        for module, step in course.steps():
            if module is not None and module.children and step is module.children[0]:
                self.plan.add("module", f"{decision.code} · {module.title}", "create")
            if isinstance(step, schema.Lesson):
                position += 1
                key = lesson_key(decision, step, position)
                clash = LessonPage.objects.filter(key=key)
                if replaced:
                    clash = clash.exclude(path__startswith=decision.existing.path)
                if clash.exists():
                    self.refuse("lesson", key, _("this lesson key is used by another lesson"))
                else:
                    self.plan.add("lesson", f"{decision.code} · {step.title}", "create")
            else:
                missing = [k for k in step.fixed if not self.question_known(k)]
                missing += [d.category for d in step.draws if not self.category_known(d.category)]
                if missing:
                    self.refuse(
                        "quiz",
                        f"{decision.code} · {step.title}",
                        _("unknown questions or categories: %(keys)s")
                        % {"keys": ", ".join(missing)},
                    )
                else:
                    self.plan.add("quiz", f"{decision.code} · {step.title}", "create")
        for module in course.children:
            if isinstance(module, schema.Module) and not module.children:
                self.plan.add("module", f"{decision.code} · {module.title}", "create")
        for lesson, block in blocks_of(course):
            if block.type == "legal_provision" and not self.provision_known(block.value.provision):
                self.refuse(
                    "lesson",
                    f"{decision.code} · {lesson.title}",
                    _("unknown legal provision “%(key)s”") % {"key": block.value.provision},
                )
        for path in media_paths(course):
            self.plan_media(path)
        if course.certificate:
            if self.can("certificates.add_certificatetemplate"):
                self.plan.add("certificate", course.certificate.name, "create")
            else:
                self.refuse(
                    "certificate", course.certificate.name, _("you may not add certificates")
                )

    def plan_media(self, path: str):
        if any(line.name == path for line in self.plan.lines):
            return
        data = self.package.files[path]
        extension = PurePosixPath(path).suffix.lower().lstrip(".")
        if path.startswith("h5p/"):
            if not self.can("content.add_h5pcontent"):
                self.refuse("h5p", path, _("you may not add H5P activities"))
                return
            problems, waiting = h5p_package_preview(data=data, user=self.user)
            if problems:
                self.refuse("h5p", path, "; ".join(problems))
            elif waiting:
                self.plan.add(
                    "h5p",
                    path,
                    "wait",
                    _("imported; waits until an administrator approves: %(libs)s")
                    % {"libs": ", ".join(waiting)},
                )
            else:
                self.plan.add("h5p", path, "create")
        elif _is_image_use(self.package, path):
            problem = _image_problem(data, extension)
            if problem:
                self.refuse("image", path, problem)
            elif not self.can("wagtailimages.add_image"):
                self.refuse("image", path, _("you may not add images"))
            else:
                self.plan.add("image", path, "create")
        else:
            allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
            limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
            if allowed and extension not in allowed:
                self.refuse(
                    "document",
                    path,
                    _("documents of this type are not accepted (allowed: %(ext)s)")
                    % {"ext": ", ".join(allowed)},
                )
            elif limit and len(data) > limit:
                self.refuse("document", path, _("the document is too large"))
            elif not self.can("wagtaildocs.add_document"):
                self.refuse("document", path, _("you may not add documents"))
            else:
                self.plan.add("document", path, "create")

    def plan_paths(self):
        for entry in self.package.paths:
            existing = LearningPath.objects.filter(key=entry.key).first()
            self.paths[entry.key] = existing
            if existing is not None:
                self.plan.add("path", entry.key, "skip", _("already installed"))
                continue
            role_path = (
                LearningPath.objects.filter(job_role=entry.job_role).first()
                if entry.job_role
                else None
            )
            if role_path is not None:
                self.path_skips.add(entry.key)
                self.plan.add(
                    "path",
                    entry.key,
                    "skip",
                    _("this site already has a path for that job role: %(name)s")
                    % {"name": role_path.name},
                )
                continue
            unknown = [
                code
                for code in entry.courses
                if not (
                    (code in self.courses and self.courses[code].action != REFUSE)
                    or CoursePage.objects.filter(code=code).exists()
                )
            ]
            if unknown:
                self.refuse(
                    "path",
                    entry.key,
                    _("unknown courses: %(codes)s") % {"codes": ", ".join(unknown)},
                )
            elif not self.can("courses.add_learningpath"):
                self.refuse("path", entry.key, _("you may not add learning paths"))
            else:
                self.plan.add("path", entry.key, "create")


CREATE_ACTIONS = ("create", REPLACE, COPY)


def _code_ok(code: str) -> bool:
    import re

    return bool(re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$", code))


def lesson_key(decision: _CourseDecision, lesson: schema.Lesson, position: int) -> str:
    if lesson.key and decision.action != COPY:
        return lesson.key
    return f"{ascii_slug(decision.code)}-l{position}"[:80]


def _replace_blocker(existing: CoursePage, user) -> str:
    from courses.models import Enrolment

    if existing.live:
        return _("the installed course is published; import a copy with a new code instead")
    if Enrolment.objects.filter(course=existing).exists():
        return _("trainees are enrolled in the installed course")
    if user is not None and not existing.permissions_for_user(user).can_delete():
        return _("you may not delete the installed draft")
    return ""


def _provision_changes(existing: LegalProvision, entry: schema.Provision) -> str:
    changed = []
    for name in ("instrument", "article", "short_text", "source_name", "source_url"):
        if (getattr(existing, name) or "") != (getattr(entry, name) or ""):
            changed.append(name)
    if existing.effective_date != entry.effective_date:
        changed.append("effective_date")
    return ", ".join(changed)


def _is_image_use(package: Package, path: str) -> bool:
    for course in package.courses:
        if course.certificate and course.certificate.logo == path:
            return True
        for _lesson, block in blocks_of(course):
            if block.type == "image" and block.value.image == path:
                return True
    return False


def _image_problem(data: bytes, extension: str) -> str:
    from PIL import Image, UnidentifiedImageError

    if extension not in IMAGE_EXTENSIONS:
        return _("images must be PNG, JPEG, GIF or WebP")
    limit = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
    if len(data) > limit:
        return _("the image is too large")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            if image.width * image.height > 128_000_000:
                return _("the image has too many pixels")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return _("the file is not a readable image")
    return ""


def package_plan(*, package: Package, options: ImportOptions, user) -> Plan:
    """What importing `package` with `options` as `user` would do; writes nothing."""
    return _Planner(package, options, user).run().plan
