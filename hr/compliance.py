"""Compliance over an organisation subtree: who must take which learning path, who has
completed it, who is overdue, and the state of their certificates.

A person must take a path when it is their job role's path or it is assigned to them
personally. Their due date is the personal assignment's, else the role path's *due within*
days counted from when they joined or the path was made (as the trainee's dashboard counts
it). Every figure is counted by PostgreSQL: the dashboard makes one query for all its
paths and one for certificates (a drill-down one for its list), whatever the number of
paths, staff or units.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Substr
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
from ops import versions

STEP = 4  # treebeard's path step
MASK_BITS = 62  # courses in view counted as bit sets (bigint); more: a count per path
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


def _course_ids(path: LearningPath) -> list[int]:
    return list(
        LearningPathCourse.objects.filter(path=path, course__live=True).values_list(
            "course_id", flat=True
        )
    )


def _today_start() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def _dt(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _role_cutoffs(path: LearningPath, filters: Filters) -> tuple:
    """When the role path makes someone late, and due by the due-date filter: None, or the
    moment before which (late) or at which (due by) they must have joined.

    The role path is late once its days have run out since the later of joining and the
    path's creation: greatest(joined, created) + days < today ⇔ both < today - days."""
    late = by = None
    if path.due_days:
        cutoff = _today_start() - timedelta(days=path.due_days)
        if path.created_at < cutoff:
            late = cutoff
        if filters.due_before is not None:
            limit = timezone.make_aware(datetime.combine(filters.due_before, time.max))
            if path.created_at <= limit - timedelta(days=path.due_days):
                by = limit - timedelta(days=path.due_days)
    return late, by


def requirements_sql(
    path: LearningPath,
    filters: Filters,
    course_ids: list[int],
    *,
    unit_sql: str = "",
    unit_params=(),
) -> tuple[str, list]:
    """SQL for the people who must take `path`: one row each with `done` (courses of the
    path completed), `started` (enrolled in), `personal_due`, `date_joined`, `is_done` and
    `overdue`. Hash joins over the subtree, no per-person subquery: the time grows with the
    staff counted, the number of queries does not."""
    user = User._meta.db_table
    unit = Organisation._meta.db_table
    assignment = Assignment._meta.db_table
    enrolment = Enrolment._meta.db_table
    total = len(course_ids)
    params: list = [path.pk]
    if course_ids:
        courses = ", ".join(["%s"] * total)
        progress_where = f"e.course_id IN ({courses}) AND e.status <> %s"
        params += [*course_ids, EnrolmentStatus.WITHDRAWN]
    else:
        progress_where = "1 = 0"
    where = ["u.is_active", "o.path LIKE %s"]
    params.append((filters.unit.path if filters.unit else "") + "%")
    if path.job_role:
        where.append("(u.job_role = %s OR pa.user_id IS NOT NULL)")
        params.append(path.job_role)
    else:
        where.append("pa.user_id IS NOT NULL")
    if filters.job_role:
        where.append("u.job_role = %s")
        params.append(filters.job_role)
    if unit_sql:
        where.append(unit_sql)
        params += list(unit_params)
    late_cutoff, by_cutoff = _role_cutoffs(path, filters)
    late_params: list = [timezone.localdate()]
    role_late = "1 = 0"
    if late_cutoff is not None:
        role_late = "u.date_joined < %s"
        late_params.append(_dt(late_cutoff))
    if filters.due_before is not None:
        role_by = "1 = 0"
        by_params = [filters.due_before]
        if by_cutoff is not None:
            role_by = "u.date_joined <= %s"
            by_params.append(_dt(by_cutoff))
        where.append(f"(pa.due <= %s OR (pa.due IS NULL AND {role_by}))")
        params += by_params
    is_done = f"CASE WHEN COALESCE(pr.done, 0) >= {total} THEN 1 ELSE 0 END"
    # Only table names, integers and fixed fragments are formatted in; values are parameters.
    sql = f"""
        SELECT u.id, u.full_name, u.email, o.path AS org_path, u.date_joined,
               pa.due AS personal_due, COALESCE(pr.done, 0) AS done,
               COALESCE(pr.started, 0) AS started, {is_done} AS is_done,
               CASE WHEN COALESCE(pr.done, 0) < {total}
                     AND (pa.due < %s OR (pa.due IS NULL AND {role_late}))
                    THEN 1 ELSE 0 END AS overdue
        FROM {user} u
        JOIN {unit} o ON o.id = u.organisation_id
        LEFT JOIN (
            SELECT user_id, MIN(due_date) AS due FROM {assignment}
            WHERE path_id = %s AND user_id IS NOT NULL GROUP BY user_id
        ) pa ON pa.user_id = u.id
        LEFT JOIN (
            SELECT e.user_id, COUNT(*) AS started,
                   SUM(CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END) AS done
            FROM {enrolment} e WHERE {progress_where} GROUP BY e.user_id
        ) pr ON pr.user_id = u.id
        WHERE {" AND ".join(where)}
    """  # noqa: S608
    # Parameters in the order they appear: the overdue test, the joins, then WHERE.
    return sql, [*late_params, *params]


def _path_courses(paths: list[LearningPath]) -> dict[int, list[int]]:
    """The live courses of each path, in one query."""
    courses: dict[int, list[int]] = {path.pk: [] for path in paths}
    pairs = LearningPathCourse.objects.filter(path__in=paths, course__live=True).values_list(
        "path_id", "course_id"
    )
    for path_id, course_id in pairs:
        courses[path_id].append(course_id)
    return courses


def unit_counts(filters: Filters, paths: list[LearningPath], length: int) -> list[dict]:
    """The dashboard's figures of every path at once, per unit row (the first `length`
    characters of the staff's unit path) and path: one query, whatever the number of paths,
    staff or units. The rules are requirements_sql's (the drill-down), path by path.

    Everyone's progress comes from one pass over the enrolments in the paths' courses,
    grouped by person into two bit sets of courses (enrolled, completed; a started and a
    done count per path past MASK_BITS courses), merged with the staff in
    id order (both sides come sorted from their indexes: no hash of 200,000 people). A
    person is counted once for their job role's path (one path per role) and once for each
    other path assigned to them personally (few: looked up person by person)."""
    if not paths:
        return []
    user = User._meta.db_table
    unit = Organisation._meta.db_table
    assignment = Assignment._meta.db_table
    enrolment = Enrolment._meta.db_table
    courses = _path_courses(paths)
    cutoffs = {path.pk: _role_cutoffs(path, filters) for path in paths}
    completed, withdrawn = EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN
    everything = sorted({course for ids in courses.values() for course in ids})
    if len(everything) <= MASK_BITS:
        # Each person's enrolments as two bit sets over the courses in view (enrolled in,
        # completed): one array lookup a row, then a path's count is the bits of its mask.
        masks = {
            path.pk: sum(1 << everything.index(course) for course in courses[path.pk])
            for path in paths
        }
        bit = "(1::bigint << (array_position(%s::int[], e.course_id) - 1))"
        columns = f"BIT_OR({bit}) AS started, BIT_OR({bit}) FILTER (WHERE e.status = %s) AS done"
        column_params: list = [everything, everything, completed]
        done_sql = "BIT_COUNT((COALESCE(pr.done, 0) & p.mask)::bit(64))"
        started_sql = "BIT_COUNT((COALESCE(pr.started, 0) & p.mask)::bit(64))"
        case_params: list = []
    else:
        # Per path n: s<n> enrolments (started) and d<n> completed among its courses.
        masks = dict.fromkeys(courses, 0)
        parts, column_params, done_case, started_case, case_params = [], [], [], [], []
        for n, path in enumerate(paths):
            parts.append(
                f"COUNT(*) FILTER (WHERE e.course_id = ANY(%s)) AS s{n}, "
                f"COUNT(*) FILTER (WHERE e.course_id = ANY(%s) AND e.status = %s) AS d{n}"
            )
            column_params += [courses[path.pk], courses[path.pk], completed]
            done_case.append(f"WHEN %s THEN pr.d{n}")
            started_case.append(f"WHEN %s THEN pr.s{n}")
        columns = ", ".join(parts)
        done_sql = f"COALESCE(CASE p.path_id {' '.join(done_case)} END, 0)"
        started_sql = f"COALESCE(CASE p.path_id {' '.join(started_case)} END, 0)"
        case_params = [path.pk for path in paths] * 2
    staff = ["u.is_active", "o.path LIKE %s"]
    staff_params: list = [(filters.unit.path if filters.unit else "") + "%"]
    if filters.job_role:
        staff.append("u.job_role = %s")
        staff_params.append(filters.job_role)
    staff_where = " AND ".join(staff)
    due_filter, due_params = "", []
    if filters.due_before is not None:
        due_filter = "WHERE (q.due <= %s OR (q.due IS NULL AND q.date_joined <= q.by_cutoff))"
        due_params = [filters.due_before]
    # Below a whole tree, only the subtree's enrolments are read (a province: a tenth);
    # for a whole tree, reading them all in id order beats picking them out (measured at
    # 20,000 and 200,000 staff: 0.19 and 0.62 s with six role paths).
    subtree_only, subtree_params = "", []
    if filters.unit is not None and filters.unit.depth > 1:
        subtree_only = f"""AND e.user_id IN (
            SELECT u.id FROM {user} u JOIN {unit} o ON o.id = u.organisation_id
            WHERE {staff_where})"""  # noqa: S608
        subtree_params = staff_params
    # Only table names, integers and fixed fragments are formatted in; values are parameters.
    sql = f"""
        WITH p AS (
            SELECT * FROM unnest(%s::int[], %s::text[], %s::int[],
                                 %s::timestamptz[], %s::timestamptz[], %s::bigint[])
                AS p(path_id, job_role, total, late_cutoff, by_cutoff, mask)
        ),
        pc AS (SELECT * FROM unnest(%s::int[], %s::int[]) AS pc(path_id, course_id)),
        pa AS (
            SELECT user_id, path_id, MIN(due_date) AS due FROM {assignment}
            WHERE user_id IS NOT NULL AND path_id = ANY(%s) GROUP BY user_id, path_id
        ),
        q AS (
            SELECT SUBSTR(o.path, 1, {int(length)}) AS unit_path, p.path_id, p.total,
                   p.late_cutoff, p.by_cutoff, pa.due, u.date_joined,
                   {done_sql} AS done, {started_sql} AS started
            FROM {user} u
            JOIN {unit} o ON o.id = u.organisation_id
            JOIN p ON p.job_role = u.job_role
            LEFT JOIN pa ON pa.user_id = u.id AND pa.path_id = p.path_id
            LEFT JOIN (
                SELECT e.user_id, {columns}
                FROM {enrolment} e
                WHERE e.course_id = ANY(%s) AND e.status <> %s {subtree_only}
                GROUP BY e.user_id
            ) pr ON pr.user_id = u.id
            WHERE {staff_where}
            UNION ALL
            SELECT SUBSTR(o.path, 1, {int(length)}), p.path_id, p.total,
                   p.late_cutoff, p.by_cutoff, pa.due, u.date_joined, x.done, x.started
            FROM pa
            JOIN p ON p.path_id = pa.path_id
            JOIN {user} u ON u.id = pa.user_id
            JOIN {unit} o ON o.id = u.organisation_id
            CROSS JOIN LATERAL (
                SELECT COUNT(*) FILTER (WHERE e.status = %s) AS done, COUNT(*) AS started
                FROM {enrolment} e JOIN pc ON pc.course_id = e.course_id
                WHERE e.user_id = u.id AND pc.path_id = p.path_id AND e.status <> %s
            ) x
            WHERE u.job_role IS DISTINCT FROM p.job_role AND {staff_where}
        ),
        s AS (
            SELECT q.unit_path, q.path_id, q.done >= q.total AS is_done,
                   q.started > 0 AS is_started,
                   q.done < q.total
                   AND (q.due < %s OR (q.due IS NULL AND q.date_joined < q.late_cutoff))
                   AS is_overdue
            FROM q {due_filter}
        )
        SELECT unit_path, path_id, COUNT(*) AS required,
               COUNT(*) FILTER (WHERE is_done) AS completed,
               COUNT(*) FILTER (WHERE NOT is_done AND is_started) AS in_progress,
               COUNT(*) FILTER (WHERE NOT is_done AND NOT is_started) AS not_started,
               COUNT(*) FILTER (WHERE is_overdue) AS overdue
        FROM s GROUP BY unit_path, path_id
    """  # noqa: S608
    params = [
        [path.pk for path in paths],
        [path.job_role or None for path in paths],
        [len(courses[path.pk]) for path in paths],
        [None if cutoffs[path.pk][0] is None else _dt(cutoffs[path.pk][0]) for path in paths],
        [None if cutoffs[path.pk][1] is None else _dt(cutoffs[path.pk][1]) for path in paths],
        [masks[path.pk] for path in paths],
        [pk for pk, ids in courses.items() for _ in ids],
        [course for ids in courses.values() for course in ids],
        [path.pk for path in paths],
        *case_params,
        *column_params,
        everything,
        withdrawn,
        *subtree_params,
        *staff_params,
        completed,
        withdrawn,
        *staff_params,
        timezone.localdate(),
        *due_params,
    ]
    return _rows(sql, params)


STATUS_SQL = {
    "required": "1 = 1",
    "completed": "r.is_done = 1",
    "in_progress": "r.is_done = 0 AND r.started > 0",
    "not_started": "r.is_done = 0 AND r.started = 0",
    "overdue": "r.overdue = 1",
}


def _rows(sql: str, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def role_due_date(path: LearningPath, date_joined) -> date | None:
    if not path.due_days:
        return None
    start = max(date_joined, path.created_at)
    return timezone.localtime(start).date() + timedelta(days=path.due_days)


class Requirements:
    """The people behind one number, page by page (what Paginator needs: count and
    slices), each a User with `done`, `total`, `started`, `personal_due` and `due`."""

    def __init__(
        self, path: LearningPath, filters: Filters, status: str, unit_sql="", unit_params=()
    ):
        self.path = path
        self.course_ids = _course_ids(path)
        inner, self.params = requirements_sql(
            path, filters, self.course_ids, unit_sql=unit_sql, unit_params=unit_params
        )
        self.sql = f"SELECT * FROM ({inner}) r WHERE {STATUS_SQL[status]}"  # noqa: S608
        self._count = None

    def count(self) -> int:
        if self._count is None:
            sql = f"SELECT COUNT(*) AS n FROM ({self.sql}) c"  # noqa: S608
            self._count = _rows(sql, self.params)[0]["n"]
        return self._count

    def __len__(self):
        return self.count()

    def _people(self, rows: list[dict]) -> list:
        users = User.objects.select_related("organisation").in_bulk([r["id"] for r in rows])
        people = []
        for row in rows:
            person = users[row["id"]]
            person.done, person.started = row["done"], row["started"]
            person.total = len(self.course_ids)
            person.personal_due = as_date(row["personal_due"])
            person.due = person.personal_due or role_due_date(self.path, person.date_joined)
            people.append(person)
        return people

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        limit = "" if stop is None else f" LIMIT {int(stop - start)}"
        rows = _rows(
            f"{self.sql} ORDER BY r.full_name, r.id{limit} OFFSET {int(start)}", self.params
        )
        return self._people(rows)

    def __iter__(self):
        rows = _rows(f"{self.sql} ORDER BY r.full_name, r.id", self.params)
        for chunk in range(0, len(rows), 2000):
            yield from self._people(rows[chunk : chunk + 2000])

    def raw(self) -> list[dict]:
        """The rows alone (id, e-mail, name, due dates), without loading users."""
        return _rows(self.sql, self.params)


def as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


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


# The dashboard's figures are cached under a generation that any row they count bumps (an
# enrolment, assignment, certificate, person, unit or learning path saved or deleted, a
# unit moved: hr.apps connects the signals) joined with the content generation (a course
# published or unpublished) and today's date (due and expiry dates). As in
# courses.learnercache, a write bumps at once and again after its commit, so no reader
# caches the old rows under the new generation. Writes that bypass signals (queryset
# updates) are seen within CACHE_SECONDS.
GENERATION_KEY = "hr:compliance-generation"
CACHE_SECONDS = 5 * 60


def generation() -> str:
    from content.rendercache import GENERATION_KEY as CONTENT_KEY
    from content.rendercache import generation as content_generation

    values = versions.fill(cache.get_many([GENERATION_KEY, CONTENT_KEY]), (GENERATION_KEY,))
    content = values.get(CONTENT_KEY) or content_generation()
    return f"{values[GENERATION_KEY]}.{content}"


def compliance_changed(**_ignored) -> None:
    """A signal receiver: what the dashboard counts changed; new figures from now on."""
    versions.bump(GENERATION_KEY)


def _cache_key(filters: Filters) -> str:
    parts = [
        generation(),
        timezone.localdate().isoformat(),
        filters.unit.pk if filters.unit else "",
        filters.job_role,
        filters.path.pk if filters.path else "",
        filters.due_before.isoformat() if filters.due_before else "",
    ]
    return "hr:compliance:" + ":".join(str(part) for part in parts)


def dashboard(filters: Filters) -> dict:
    """Rows per sub-unit of the selected unit (or per top-level agency), each with counts
    per path and certificate counts; one row for staff attached to the unit itself.
    Cached until anything counted changes (see GENERATION_KEY)."""
    key = _cache_key(filters)
    data = cache.get(key)
    if data is None:
        data = _dashboard(filters)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _dashboard(filters: Filters) -> dict:
    paths = paths_in_view(filters)
    length = (filters.unit.depth + 1) * STEP if filters.unit else STEP
    units = Organisation.objects.filter(depth=filters.unit.depth + 1 if filters.unit else 1)
    if filters.unit is not None:
        units = units.filter(path__startswith=filters.unit.path)
    units = list(units.order_by("name"))
    rows = {u.path: Row(unit=u, direct=False) for u in units}
    if filters.unit is not None:
        rows[filters.unit.path] = Row(unit=filters.unit, direct=True)

    for entry in unit_counts(filters, paths, length):
        row = rows.get(entry["unit_path"])
        if row is not None:
            row.counts[entry["path_id"]] = {s: int(entry[s] or 0) for s in STATUSES}
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
    """Current certificates, counted in the unit they were issued in (the organisation
    recorded at issue): HR's reach over a certificate follows that record, never the
    holder's later moves (certificates.selectors.hr_scope_q)."""
    certificates = Certificate.objects.filter(
        superseded_by__isnull=True, user__is_active=True, organisation__isnull=False
    )
    if filters.unit is not None:
        certificates = certificates.filter(organisation__path__startswith=filters.unit.path)
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
        .annotate(unit_path=Substr("organisation__path", 1, length))
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
) -> Requirements:
    """The people behind one number of the dashboard."""
    if unit is not None and direct:
        return Requirements(path, filters, status, unit_sql="o.path = %s", unit_params=[unit.path])
    return Requirements(path, filters, status)


def certificate_people(
    filters: Filters, *, status: str, unit: Organisation | None, direct: bool
) -> QuerySet:
    qs = _certificates(filters).filter(certificate_q(status))
    if unit is not None:
        qs = _in_unit_row(qs, unit.path, direct, "organisation__path")
    return qs.select_related("user", "organisation").order_by("user__full_name", "code")
