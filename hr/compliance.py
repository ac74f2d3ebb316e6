"""Compliance over an organisation subtree: who must take which learning path, who has
completed it, who is overdue, and the state of their certificates.

A person must take a path when it is their job role's path or it is assigned to them
personally. Their due date is the personal assignment's, else the role path's *due within*
days counted from when they joined or the path was made (as the trainee's dashboard counts
it). Every figure is counted by PostgreSQL: one query per path and one for certificates,
whatever the number of staff or units.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from accounts.models import Organisation, User
from certificates.models import Certificate
from courses.models import (
    Assignment,
    Enrolment,
    EnrolmentStatus,
    LearningPath,
    LearningPathCourse,
)

STEP = 4  # treebeard's path step
STATUSES = ("required", "completed", "in_progress", "not_started", "overdue")
CERTIFICATE_STATUSES = ("valid", "expiring_30", "expiring_60", "expiring_90", "expired", "revoked")


@dataclass
class Filters:
    unit: Organisation | None = None  # the unit whose sub-units are the rows
    job_role: str = ""
    path: LearningPath | None = None
    due_before: date | None = None


def paths_in_view(filters: Filters) -> list[LearningPath]:
    if filters.path is not None:
        return [filters.path]
    assigned = Assignment.objects.filter(path=OuterRef("pk"), user__isnull=False)
    paths = LearningPath.objects.filter(~Q(job_role="") | Exists(assigned))
    if filters.job_role:
        paths = paths.filter(
            Q(job_role=filters.job_role) | Exists(assigned.filter(user__job_role=filters.job_role))
        )
    return list(paths.order_by("name"))


def _staff(filters: Filters) -> QuerySet:
    staff = User.objects.filter(is_active=True, organisation__isnull=False)
    if filters.unit is not None:
        staff = staff.filter(organisation__path__startswith=filters.unit.path)
    if filters.job_role:
        staff = staff.filter(job_role=filters.job_role)
    return staff


def _today_start() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def path_requirements(path: LearningPath, filters: Filters) -> QuerySet:
    """The people who must take `path`, each annotated with `done` (courses of the path
    completed), `started` (courses enrolled in), `total`, `personal_due`, `role_due`,
    `is_done` and `overdue`."""
    courses = LearningPathCourse.objects.filter(path=path, course__live=True).values("course_id")
    personal = Assignment.objects.filter(user=OuterRef("pk"), path=path)
    staff = _staff(filters).filter(
        (Q(job_role=path.job_role) if path.job_role else Q(pk__in=[])) | Exists(personal)
    )
    enrolments = Enrolment.objects.filter(user=OuterRef("pk"), course__in=courses).exclude(
        status=EnrolmentStatus.WITHDRAWN
    )
    total = len(courses)
    if path.due_days:
        delta = timedelta(days=path.due_days)
        role_due = Case(
            When(date_joined__lt=path.created_at, then=Value(path.created_at + delta)),
            default=F("date_joined") + delta,
            output_field=DateTimeField(),
        )
    else:
        role_due = Value(None, output_field=DateTimeField())
    personal_due = Subquery(
        personal.exclude(due_date__isnull=True).order_by("due_date").values("due_date")[:1]
    )
    qs = staff.annotate(
        done=Coalesce(
            Subquery(
                enrolments.filter(status=EnrolmentStatus.COMPLETED)
                .values("user")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
        started=Coalesce(
            Subquery(enrolments.values("user").annotate(n=Count("pk")).values("n")), 0
        ),
        total=Value(total, output_field=IntegerField()),
        # A personal assignment's due date wins; else the role path's, the moment its days
        # run out (overdue from the next local day on, as the trainee's dashboard says).
        personal_due=personal_due,
        role_due=role_due,
    )
    today = timezone.localdate()
    late = Q(personal_due__lt=today) | Q(personal_due__isnull=True, role_due__lt=_today_start())
    qs = qs.annotate(
        is_done=Case(When(done__gte=total, then=Value(1)), default=Value(0)),
        overdue=Case(When(Q(done__lt=total) & late, then=Value(1)), default=Value(0)),
    )
    if filters.due_before is not None:
        limit = timezone.make_aware(datetime.combine(filters.due_before, time.max))
        qs = qs.filter(
            Q(personal_due__lte=filters.due_before)
            | Q(personal_due__isnull=True, role_due__lte=limit)
        )
    return qs


def status_q(status: str) -> Q:
    return {
        "required": Q(),
        "completed": Q(is_done=1),
        "in_progress": Q(is_done=0, started__gt=0),
        "not_started": Q(started=0, is_done=0),
        "overdue": Q(overdue=1),
    }[status]


def _unit_prefix(filters: Filters):
    length = (filters.unit.depth + 1) * STEP if filters.unit else STEP
    return Substr("organisation__path", 1, length), length


@dataclass
class Row:
    unit: Organisation | None
    direct: bool  # the staff attached to the selected unit itself
    counts: dict = field(default_factory=dict)  # path id -> {status: n}
    certificates: dict = field(default_factory=dict)

    @property
    def completion(self) -> int:
        required = sum(c["required"] for c in self.counts.values())
        done = sum(c["completed"] for c in self.counts.values())
        return round(100 * done / required) if required else 0


def dashboard(filters: Filters) -> dict:
    """Rows per sub-unit of the selected unit (or per top-level agency), each with counts
    per path and certificate counts; one row for staff attached to the unit itself."""
    paths = paths_in_view(filters)
    prefix, length = _unit_prefix(filters)
    units = Organisation.objects.filter(depth=filters.unit.depth + 1 if filters.unit else 1)
    if filters.unit is not None:
        units = units.filter(path__startswith=filters.unit.path)
    units = list(units.order_by("name"))
    rows = {u.path: Row(unit=u, direct=False) for u in units}
    if filters.unit is not None:
        rows[filters.unit.path] = Row(unit=filters.unit, direct=True)

    for path in paths:
        grouped = (
            path_requirements(path, filters)
            .annotate(unit_path=prefix)
            .values("unit_path")
            .annotate(
                required=Count("pk"),
                completed=Count("pk", filter=Q(is_done=1)),
                in_progress=Count("pk", filter=Q(is_done=0, started__gt=0)),
                not_started=Count("pk", filter=Q(started=0, is_done=0)),
                overdue=Count("pk", filter=Q(overdue=1)),
            )
            .order_by()
        )
        for entry in grouped:
            row = rows.get(entry["unit_path"])
            if row is not None:
                row.counts[path.pk] = {s: entry[s] for s in STATUSES}
    for row in rows.values():
        for path in paths:
            row.counts.setdefault(path.pk, dict.fromkeys(STATUSES, 0))
        row.certificates = dict.fromkeys(CERTIFICATE_STATUSES, 0)
    for entry in certificate_counts(filters, length):
        row = rows.get(entry["unit_path"])
        if row is not None:
            row.certificates = {s: entry[s] for s in CERTIFICATE_STATUSES}

    ordered = [rows[u.path] for u in units]
    if filters.unit is not None:
        ordered.insert(0, rows[filters.unit.path])
    totals = {p.pk: {s: sum(r.counts[p.pk][s] for r in ordered) for s in STATUSES} for p in paths}
    certificate_totals = {s: sum(r.certificates[s] for r in ordered) for s in CERTIFICATE_STATUSES}
    return {
        "paths": paths,
        "rows": ordered,
        "totals": totals,
        "certificate_totals": certificate_totals,
        "unit_path_length": length,
    }


def _certificates(filters: Filters) -> QuerySet:
    certificates = Certificate.objects.filter(
        superseded_by__isnull=True, user__is_active=True, user__organisation__isnull=False
    )
    if filters.unit is not None:
        certificates = certificates.filter(user__organisation__path__startswith=filters.unit.path)
    if filters.job_role:
        certificates = certificates.filter(user__job_role=filters.job_role)
    if filters.path is not None:
        courses = LearningPathCourse.objects.filter(path=filters.path).values("course_id")
        certificates = certificates.filter(Q(path=filters.path) | Q(course__in=courses))
    return certificates


def certificate_q(status: str) -> Q:
    today = timezone.localdate()
    current = Q(revoked_at__isnull=True)
    in_force = current & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    return {
        "valid": in_force,
        "expiring_30": current & Q(expires_on__gte=today, expires_on__lte=today + timedelta(30)),
        "expiring_60": current & Q(expires_on__gte=today, expires_on__lte=today + timedelta(60)),
        "expiring_90": current & Q(expires_on__gte=today, expires_on__lte=today + timedelta(90)),
        "expired": current & Q(expires_on__lt=today),
        "revoked": Q(revoked_at__isnull=False),
    }[status]


def certificate_counts(filters: Filters, length: int):
    return (
        _certificates(filters)
        .annotate(unit_path=Substr("user__organisation__path", 1, length))
        .values("unit_path")
        .annotate(**{s: Count("pk", filter=certificate_q(s)) for s in CERTIFICATE_STATUSES})
        .order_by()
    )


def _in_unit_row(qs: QuerySet, unit_path: str, direct: bool, field_name: str):
    if direct:
        return qs.filter(**{field_name: unit_path})
    return qs.filter(**{f"{field_name}__startswith": unit_path})


def people(
    filters: Filters, *, path: LearningPath, status: str, unit: Organisation | None, direct: bool
) -> QuerySet:
    """The people behind one number of the dashboard."""
    qs = path_requirements(path, filters).filter(status_q(status))
    if unit is not None:
        qs = _in_unit_row(qs, unit.path, direct, "organisation__path")
    return qs.select_related("organisation").order_by("full_name", "pk")


def certificate_people(
    filters: Filters, *, status: str, unit: Organisation | None, direct: bool
) -> QuerySet:
    qs = _certificates(filters).filter(certificate_q(status))
    if unit is not None:
        qs = _in_unit_row(qs, unit.path, direct, "user__organisation__path")
    return qs.select_related("user", "user__organisation").order_by("user__full_name", "code")
