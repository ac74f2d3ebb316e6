"""A person's training record: every course, path, quiz attempts and certificate."""

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from accounts.selectors import unit_within
from assessments.models import Attempt
from certificates.selectors import certificates_for_user
from courses.models import (
    Assignment,
    Enrolment,
    EnrolmentStatus,
    LearningPath,
)


def transcript_for(*, user) -> dict:
    """A fixed number of queries whatever the number of courses or attempts."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("course")
        .order_by("enrolled_at")
    )
    attempts = list(
        Attempt.objects.filter(user=user, submitted_at__isnull=False)
        .values("quiz_id", "quiz__title", "quiz__path")
        .annotate(
            n=Count("pk"),
            best=Max("score"),
            best_of=Max("max_score"),
            passed_any=Count("pk", filter=Q(passed=True)),
            last=Max("submitted_at"),
        )
        .order_by("quiz__path")
    )
    courses = []
    for enrolment in enrolments:
        course = enrolment.course
        quizzes = [a for a in attempts if a["quiz__path"].startswith(course.path)]
        courses.append({"enrolment": enrolment, "course": course, "quizzes": quizzes})
    path_ids = set(
        Assignment.objects.filter(user=user, path__isnull=False).values_list("path_id", flat=True)
    )
    paths = list(
        LearningPath.objects.filter(
            Q(pk__in=path_ids) | (Q(job_role=user.job_role) & ~Q(job_role=""))
        )
        .prefetch_related("path_courses")
        .order_by("name")
    )
    by_course = {e.course_id: e for e in enrolments}
    path_rows = []
    for path in paths:
        course_ids = [pc.course_id for pc in path.path_courses.all()]
        done = [by_course[c] for c in course_ids if c in by_course and by_course[c].is_completed]
        path_rows.append(
            {
                "path": path,
                "done": len(done),
                "total": len(course_ids),
                "completed_on": max((e.completed_at for e in done), default=None)
                if len(done) == len(course_ids) and course_ids
                else None,
            }
        )
    certificates = list(certificates_for_user(user=user).select_related("organisation"))
    for certificate in certificates:
        certificate.issued_elsewhere = _issued_elsewhere(certificate, user)
    return {
        "person": user,
        "courses": courses,
        "paths": path_rows,
        "certificates": certificates,
    }


def _issued_elsewhere(certificate, user) -> str:
    """A note for a certificate issued in a unit the person has since left (its HR keeps
    the reach over it, certificates.selectors.hr_scope_q), else ""."""
    unit = certificate.organisation
    if unit is None or unit_within(user.organisation, unit):
        return ""
    return _("Issued while working in %(unit)s") % {"unit": unit.name}


def _d(value) -> str:
    from django.utils import timezone

    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).date().isoformat()
    return value.isoformat()


def transcript_content(*, user, code: str, issued_on, issuer: str) -> dict:
    """Every detail the PDF prints, as plain values (what the signature covers)."""
    from django.utils import translation

    data = transcript_for(user=user)
    with translation.override("vi"):
        return {
            "v": 1,
            "code": code,
            "holder": user.full_name,
            "staff_id": user.staff_id,
            "job_role": str(user.get_job_role_display()),
            "unit": user.organisation.display_path if user.organisation_id else "",
            "issued": issued_on.isoformat(),
            "issuer": issuer,
            "paths": [
                [row["path"].name, row["done"], row["total"], _d(row["completed_on"])]
                for row in data["paths"]
            ],
            "courses": [
                [
                    row["course"].code,
                    row["course"].title,
                    str(row["enrolment"].get_status_display()),
                    row["enrolment"].progress_percent,
                    _d(row["enrolment"].enrolled_at),
                    _d(row["enrolment"].completed_at),
                    [
                        [
                            q["quiz__title"],
                            q["n"],
                            str(q["best"]) if q["best"] is not None else "",
                            str(q["best_of"]),
                            bool(q["passed_any"]),
                        ]
                        for q in row["quizzes"]
                    ],
                ]
                for row in data["courses"]
            ],
            "certificates": [
                [
                    c.code,
                    c.course_title,
                    _d(c.issued_on),
                    _d(c.expires_on),
                    # Five fields, as records already signed have them: the note joins the status.
                    " · ".join(filter(None, [str(c.get_status_display()), c.issued_elsewhere])),
                ]
                for c in data["certificates"]
            ],
        }


def canonical(content: dict) -> bytes:
    import json

    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )
