"""Exporting courses as a course package (docs/course-package.md).

`package_tree` turns courses (their latest drafts, as the trainer sees them in the editor)
into the package's files: YAML texts, and the images, documents and H5P packages they use.
`write_zip` makes the file form, with every file's SHA-256 in package.yaml; `write_directory`
the directory form kept in source control.
"""

import hashlib
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path, PurePosixPath

import yaml
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone
from wagtail.rich_text import RichText

from assessments.models import Question, QuizPage
from content.keys import ascii_slug
from content.models import LegalProvision
from courses.models import CoursePage, LearningPath, LessonPage, ModulePage

from . import schema

PLAIN_RICH_TAGS = ("p", "ul", "ol", "li", "b", "strong", "i", "em", "br")


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True  # the importer refuses anchors and aliases: never write them


def _str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _decimal(dumper, value):
    value = value.normalize()
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_float(float(value))


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Decimal, _decimal)


def dump_yaml(data) -> bytes:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100).encode(
        "utf-8"
    )


def export_html(value) -> str:
    """Rich text in the format's subset: internal links (pages, documents) become their text,
    other markup outside the subset is dropped."""
    source = value.source if isinstance(value, RichText) else str(value or "")
    soup = BeautifulSoup(source, "html.parser")
    for link in soup.find_all("a"):
        href = link.get("href")
        if link.get("linktype") or not href or not re.match(r"^(https?:|mailto:)", href):
            link.unwrap()
        else:
            link.attrs = {"href": href}
    for tag in soup.find_all(True):
        if tag.name == "a":
            continue
        if tag.name not in PLAIN_RICH_TAGS:
            tag.unwrap()
        else:
            tag.attrs = {}
    return str(soup).strip()


def _list_items(html) -> list[str]:
    source = html.source if isinstance(html, RichText) else str(html or "")
    soup = BeautifulSoup(source, "html.parser")
    items = [li.get_text(" ", strip=True) for li in soup.find_all("li")]
    if not items and soup.get_text(strip=True):
        items = [soup.get_text(" ", strip=True)]
    return items


def _latest(page):
    """The page as its editor shows it: the latest draft if there is one."""
    page = page.specific
    if page.has_unpublished_changes and page.latest_revision_id:
        return page.get_latest_revision_as_object()
    return page


def provision_key(provision: LegalProvision) -> str:
    return provision.key or f"provision-{provision.pk}"


def _category_key(category) -> str:
    return category.key or f"category-{category.pk}"


def _question_key(question) -> str:
    return question.key or f"question-{question.pk}"


def _path_key(path) -> str:
    return path.key or f"path-{path.pk}"


class _Tree:
    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.provisions: dict[int, LegalProvision] = {}
        self.questions: dict[int, Question] = {}
        self.categories: dict[int, object] = {}
        self.media: dict[tuple[str, int], str] = {}

    def add_provision(self, provision: LegalProvision | None) -> None:
        """The provision and every one that supersedes it."""
        while provision is not None and provision.pk not in self.provisions:
            self.provisions[provision.pk] = provision
            provision = provision.superseded_by

    def add_file(self, kind: str, obj, folder: str, name: str, data: bytes) -> str:
        key = (kind, obj.pk)
        if key not in self.media:
            stem = ascii_slug(PurePosixPath(name).stem, max_length=60) or kind
            suffix = PurePosixPath(name).suffix.lower()
            path = f"{folder}/{kind}-{obj.pk}-{stem}{suffix}"
            self.files[path] = data
            self.media[key] = path
        return self.media[key]

    def image(self, image) -> str:
        with image.open_file() as handle:
            return self.add_file("image", image, "media", image.file.name, handle.read())

    def document(self, document) -> str:
        with document.open_file() as handle:
            return self.add_file("document", document, "media", document.file.name, handle.read())

    def h5p(self, activity) -> str:
        with activity.package.open("rb") as handle:
            name = f"{activity.title or 'h5p'}.h5p"
            return self.add_file("h5p", activity, "h5p", name, handle.read())


def _block(tree: _Tree, block) -> dict | None:
    kind, value = block.block_type, block.value
    if kind == "heading":
        return {"type": kind, "value": {"text": value["text"], "level": value["level"]}}
    if kind == "paragraph":
        return {"type": kind, "value": export_html(value)}
    if kind == "callout":
        out = {"kind": value["kind"], "title": value["title"], "text": export_html(value["text"])}
        return {"type": kind, "value": out}
    if kind == "legal_provision":
        provision = value["provision"]
        if provision is None:
            return None
        tree.add_provision(provision)
        return {
            "type": kind,
            "value": {"provision": provision_key(provision), "note": value["note"]},
        }
    if kind == "case_study":
        return {
            "type": kind,
            "value": {
                "title": value["title"],
                "scenario": export_html(value["scenario"]),
                "questions": [q for q in value["questions"] if q.strip()],
            },
        }
    if kind == "content_warning":
        inner = [b for b in (_block(tree, child) for child in value["content"]) if b]
        return {"type": kind, "value": {"warning": value["warning"], "content": inner}}
    if kind == "image":
        image = value["image"]
        if image is None:
            return None
        decorative = bool(getattr(image, "decorative", False))
        alt = getattr(image, "contextual_alt_text", None) or image.default_alt_text or ""
        out = {"image": tree.image(image), "caption": value["caption"], "source": value["source"]}
        out.update({"decorative": True} if decorative or not alt else {"alt": alt})
        return {"type": kind, "value": out}
    if kind == "document":
        if value["document"] is None:
            return None
        return {
            "type": kind,
            "value": {
                "document": tree.document(value["document"]),
                "description": value["description"],
            },
        }
    if kind == "video":
        return {
            "type": kind,
            "value": {
                "video": value["video"].url if hasattr(value["video"], "url") else value["video"],
                "title": value["title"],
                "transcript": export_html(value["transcript"]),
            },
        }
    if kind == "h5p_activity":
        activity = value["activity"]
        if activity is None:
            return None
        return {
            "type": kind,
            "value": {
                "activity": tree.h5p(activity),
                "title": activity.title,
                "required": bool(value["required"]),
                "pass_threshold": value["pass_threshold"],
            },
        }
    return None  # a block type the format does not know yet is left out


def _certificate(tree: _Tree, template) -> dict:
    out = {
        "name": template.name,
        "wording_vi": template.wording_vi,
        "wording_en": template.wording_en,
        "course_title_en": template.course_title_en,
        "issuer_name": template.issuer_name,
        "validity_months": template.validity_months,
    }
    if template.logo_id:
        out["logo"] = tree.image(template.logo)
    signatories = [{"name": s.name, "title": s.title} for s in template.signatories.all()]
    if signatories:
        out["signatories"] = signatories
    return out


def _quiz(tree: _Tree, quiz: QuizPage) -> dict:
    fixed = []
    for row in quiz.fixed_questions.all():
        tree.questions[row.question.pk] = row.question
        fixed.append(_question_key(row.question))
    draws = []
    for row in quiz.draws.all():
        tree.categories[row.category.pk] = row.category
        for question in row.category.questions.all():
            tree.questions.setdefault(question.pk, question)
        draws.append({"category": _category_key(row.category), "count": row.count})
    out = {
        "type": "quiz",
        "title": quiz.title,
        "slug": quiz.slug,
        "intro": export_html(quiz.intro),
        "is_required": quiz.is_required,
        "estimated_minutes": quiz.estimated_minutes,
        "pass_mark": quiz.pass_mark,
        "time_limit_minutes": quiz.time_limit_minutes,
        "attempts_allowed": quiz.attempts_allowed or 0,
        "cooldown_minutes": quiz.cooldown_minutes,
        "grading_method": quiz.grading_method,
        "shuffle_questions": quiz.shuffle_questions,
        "shuffle_choices": quiz.shuffle_choices,
        "review": quiz.review_policy,
        "fixed": fixed,
        "draws": draws,
    }
    if quiz.opens_at:
        out["opens_at"] = quiz.opens_at
    if quiz.closes_at:
        out["closes_at"] = quiz.closes_at
    return out


def _steps(tree: _Tree, parent, course: CoursePage, counter: list[int]) -> list[dict]:
    out = []
    for child in parent.get_children().order_by("path"):
        page = _latest(child)
        if isinstance(page, ModulePage):
            out.append(
                {
                    "type": "module",
                    "title": page.title,
                    "slug": page.slug,
                    "summary": page.summary,
                    "children": _steps(tree, child, course, counter),
                }
            )
        elif isinstance(page, LessonPage):
            counter[0] += 1
            body = [b for b in (_block(tree, block) for block in page.body) if b]
            out.append(
                {
                    "type": "lesson",
                    "key": page.key or f"{ascii_slug(course.code)}-l{counter[0]}",
                    "title": page.title,
                    "slug": page.slug,
                    "estimated_minutes": page.estimated_minutes,
                    "is_required": page.is_required,
                    "body": body,
                }
            )
        elif isinstance(page, QuizPage):
            out.append(_quiz(tree, page))
    return out


def _course(tree: _Tree, course: CoursePage) -> dict:
    page = _latest(course)
    for provision in page.legal_provisions.all():
        tree.add_provision(provision)
    out = {
        "code": page.code,
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "objectives": _list_items(page.objectives),
        "target_job_roles": list(page.target_job_roles or []),
        "estimated_hours": page.estimated_hours,
        "is_required": page.is_required,
        "self_enrolment": page.self_enrolment,
        "prerequisites": [p.code for p in page.prerequisites.all()],
        "certificate_validity_months": page.certificate_validity_months,
        "legal_provisions": [provision_key(p) for p in page.legal_provisions.all()],
    }
    template = getattr(course, "certificate_template", None)
    if template is not None:
        out["certificate"] = _certificate(tree, template)
    out["children"] = _steps(tree, course, course, [0])
    return out


def _question(question: Question) -> dict:
    provision = question.legal_provision
    source = question.source or (str(provision) if provision else "")
    spec = question.spec()
    if question.kind == "scenario":
        spec["vignette"] = export_html(spec["vignette"])
        for part in spec["parts"]:
            part["points"] = Decimal(str(part["points"]))
        points = sum((p["points"] for p in spec["parts"]), Decimal(0))
    else:
        points = question.points
    return {
        "key": _question_key(question),
        "title": question.title,
        "category": _category_key(question.category),
        "kind": question.kind,
        "job_roles": list(question.job_roles or []),
        "provision": provision_key(provision) if provision else None,
        "points": points,
        "stem": export_html(question.stem),
        "explanation": export_html(question.explanation),
        "source": source or "—",
        "spec": spec,
    }


def _provision(provision: LegalProvision) -> dict:
    return {
        "key": provision_key(provision),
        "instrument": provision.instrument,
        "article": provision.article,
        "short_text": provision.short_text,
        "effective_date": provision.effective_date,
        "superseded_by": provision_key(provision.superseded_by)
        if provision.superseded_by
        else None,
        "source_name": provision.source_name,
        "source_url": provision.source_url,
    }


def _paths(tree: _Tree, codes: set[str]) -> list[dict]:
    out = []
    for path in LearningPath.objects.prefetch_related("path_courses__course").order_by("pk"):
        courses = [row.course.code for row in path.path_courses.all()]
        if not courses or not set(courses) <= codes:
            continue
        entry = {
            "key": _path_key(path),
            "job_role": path.job_role or None,
            "name": path.name,
            "description": path.description,
            "due_days": path.due_days,
            "courses": courses,
        }
        template = getattr(path, "certificate_template", None)
        if template is not None:
            entry["certificate"] = _certificate(tree, template)
        out.append(entry)
    return out


def package_tree(
    *,
    courses: list[CoursePage],
    key: str,
    title: str,
    include_paths: bool = False,
    include_question_bank: bool = False,
    sources: dict[str, bytes] | None = None,
) -> dict[str, bytes]:
    """The package's files (directory form, without hashes) for `courses`, in this order,
    with the questions their quizzes use (or, with `include_question_bank`, every question)."""
    tree = _Tree()
    if include_question_bank:
        for question in Question.objects.select_related("category", "legal_provision"):
            tree.questions[question.pk] = question
    course_files = {}
    for course in courses:
        course_files[f"courses/{course.code}.yaml"] = dump_yaml(_course(tree, course))
    for question in list(tree.questions.values()):
        tree.categories.setdefault(question.category.pk, question.category)
        tree.add_provision(question.legal_provision)
    manifest = {
        "format": schema.FORMAT,
        "version": 1,
        "key": key,
        "title": title,
        "language": "vi",
        "exported_at": timezone.localtime().replace(microsecond=0),
        "exported_from": getattr(settings, "WAGTAILADMIN_BASE_URL", ""),
        "courses": [c.code for c in courses],
    }
    files = {"package.yaml": b""}  # written last, once every file is known
    provisions = sorted(tree.provisions.values(), key=lambda p: provision_key(p))
    if provisions:
        files["provisions/provisions.yaml"] = dump_yaml(
            {"provisions": [_provision(p) for p in provisions]}
        )
    if tree.questions:
        categories = sorted(tree.categories.values(), key=_category_key)
        questions = sorted(tree.questions.values(), key=lambda q: (_category_key(q.category), q.pk))
        files["questions/questions.yaml"] = dump_yaml(
            {
                "categories": [
                    {"key": _category_key(c), "name": c.name, "description": c.description}
                    for c in categories
                ],
                "questions": [_question(q) for q in questions],
            }
        )
    files.update(course_files)
    if include_paths:
        paths = _paths(tree, {c.code for c in courses})
        if paths:
            files["paths.yaml"] = dump_yaml({"paths": paths})
    files.update(sources or {})
    files.update(tree.files)
    files["package.yaml"] = dump_yaml(manifest)
    return files


def with_hashes(files: dict[str, bytes]) -> dict[str, bytes]:
    """The file form: package.yaml lists every other file with its SHA-256."""
    manifest = yaml.safe_load(files["package.yaml"])
    manifest["files"] = {
        name: hashlib.sha256(data).hexdigest()
        for name, data in sorted(files.items())
        if name != "package.yaml"
    }
    return {**files, "package.yaml": dump_yaml(manifest)}


def write_zip(files: dict[str, bytes], target) -> None:
    """Write the file form to `target` (a path or a binary file object)."""
    files = with_hashes(files)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ["package.yaml", *sorted(n for n in files if n != "package.yaml")]:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    write_zip(files, buffer)
    return buffer.getvalue()


def write_directory(files: dict[str, bytes], root: Path) -> None:
    root = Path(root)
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
