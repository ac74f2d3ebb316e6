"""HR screens under /hr/ (the staff-area guard has already checked the HR permission and
this session's second factor)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from accounts.models import Organisation
from accounts.selectors import unit_within
from exports.responses import CSV, FORMATS, XLSX, export_response
from exports.spreadsheet import Column, Spreadsheet

from . import roster, services
from .models import ImportKind, RosterImport
from .selectors import hr_scope_unit
from .tables import TableError

PREVIEW_ROWS = 500


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel (.xlsx) file"),
        help_text=gettext_lazy("The first row holds the column names; up to 50,000 rows."),
    )


def _scope_or_refuse(request):
    """The unit whose subtree this person manages (None: an administrator, every unit)."""
    if request.user.is_superuser:
        return None
    unit = hr_scope_unit(user=request.user)
    if unit is None:
        raise PermissionDenied(_("Your account has no unit, so you manage no staff."))
    return unit


@login_required
@permission_required("accounts.access_hr_area", raise_exception=True)
@require_GET
def index(request):
    return render(request, "hr/index.html", {"scope": hr_scope_unit(user=request.user)})


def _upload(request, kind: str, template: str):
    scope = _scope_or_refuse(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.settings.HR_IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is too large."))
        else:
            try:
                roster_import = services.roster_read(
                    data=upload.read(),
                    filename=upload.name,
                    kind=kind,
                    actor=request.user,
                    scope=scope,
                )
            except TableError as error:
                form.add_error("file", _("Nothing was imported: %(error)s") % {"error": error})
            else:
                return redirect("hr:import_preview", roster_id=roster_import.pk)
    return render(
        request,
        template,
        {
            "form": form,
            "scope": scope,
            "kind": kind,
            "columns": roster.STAFF_COLUMNS if kind == ImportKind.STAFF else roster.UNIT_COLUMNS,
            "roles": _job_role_choices(),
            "agency_types": _agency_choices(),
        },
    )


def _job_role_choices():
    from accounts.models import JobRole

    return JobRole.choices


def _agency_choices():
    from accounts.models import AgencyType

    return AgencyType.choices


@login_required
@permission_required("hr.add_rosterimport", raise_exception=True)
@require_http_methods(["GET", "POST"])
def roster_upload(request):
    return _upload(request, ImportKind.STAFF, "hr/roster_upload.html")


@login_required
@permission_required("hr.add_rosterimport", raise_exception=True)
@require_http_methods(["GET", "POST"])
def units_upload(request):
    return _upload(request, ImportKind.UNITS, "hr/units_upload.html")


def _own_import(request, pk: int) -> RosterImport:
    roster_import = get_object_or_404(RosterImport, pk=pk)
    if not request.user.is_superuser and roster_import.uploaded_by_id != request.user.pk:
        raise Http404
    return roster_import


@login_required
@permission_required("hr.add_rosterimport", raise_exception=True)
@require_GET
def import_preview(request, roster_id: int):
    roster_import = _own_import(request, roster_id)
    report = roster_import.report
    show = request.GET.get("show", "")
    rows = [r for r in report if r["action"] == show] if show in roster.ACTION_LABELS else report
    for row in rows[:PREVIEW_ROWS]:
        row["action_label"] = roster.ACTION_LABELS[row["action"]]
        row["change_labels"] = [str(roster.CHANGE_LABELS.get(c, c)) for c in row["changes"]]
    return render(
        request,
        "hr/import_preview.html",
        {
            "roster_import": roster_import,
            "counts": roster.summary(report),
            "rows": rows[:PREVIEW_ROWS],
            "hidden": max(0, len(rows) - PREVIEW_ROWS),
            "show": show,
            "actions": roster.ACTION_LABELS,
        },
    )


@login_required
@permission_required("hr.add_rosterimport", raise_exception=True)
@require_POST
def import_apply(request, roster_id: int):
    roster_import = _own_import(request, roster_id)
    try:
        applied = services.roster_apply(
            roster_import=roster_import, actor=request.user, request=request
        )
    except services.RosterApplyError as error:
        messages.error(request, str(error))
    else:
        counts = roster.summary(applied.report)
        messages.success(
            request,
            _(
                "Applied: %(create)s created, %(update)s updated, %(unchanged)s unchanged, "
                "%(refuse)s refused."
            )
            % counts,
        )
    return redirect("hr:import_preview", roster_id=roster_import.pk)


EXAMPLE_STAFF = [
    [
        "Nguyễn Văn An",
        "nguyenvanan@congan.example.vn",
        "CA-001234",
        "investigator",
        "CA-HN-PC02",
        "",
    ],
    [
        "Trần Thị Bích Ngọc",
        "bichngoc@congan.example.vn",
        "CA-001235",
        "Điều tra viên",
        "Công an thành phố Hà Nội › Phòng Cảnh sát hình sự",
        "nguyenvanan@congan.example.vn",
    ],
]
EXAMPLE_UNITS = [
    ["CA-HN", "Công an thành phố Hà Nội", "", "police", "Hà Nội"],
    ["CA-HN-PC02", "Phòng Cảnh sát hình sự", "CA-HN", "Công an", "Hà Nội"],
]


@login_required
@permission_required("hr.add_rosterimport", raise_exception=True)
@require_GET
def import_template(request, kind: str, fmt: str):
    if kind == ImportKind.STAFF:
        header, examples = roster.STAFF_COLUMNS, EXAMPLE_STAFF
    elif kind == ImportKind.UNITS:
        header, examples = roster.UNIT_COLUMNS, EXAMPLE_UNITS
    else:
        raise Http404
    if fmt not in FORMATS:
        raise Http404
    name = "mau-danh-sach-can-bo" if kind == ImportKind.STAFF else "mau-danh-sach-don-vi"
    # An empty form with made-up examples: no personal data, so no audit entry.
    sheet = Spreadsheet(
        columns=[Column(heading, heading) for heading in header],
        rows=[tuple(row) for row in examples],
        sheet_title=name,
    )
    return export_response(
        request=request, sheet=sheet, fmt=fmt, filename=name, what="hr_template", personal=False
    )


# ---------------------------------------------------------------------------------------
# Compliance dashboard


class ComplianceFilterForm(forms.Form):
    job_role = forms.ChoiceField(label=gettext_lazy("Job role"), required=False)
    path = forms.ModelChoiceField(
        label=gettext_lazy("Learning path"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All paths"),
    )
    due_before = forms.DateField(
        label=gettext_lazy("Due on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        from accounts.models import JobRole
        from courses.models import LearningPath

        super().__init__(*args, **kwargs)
        self.fields["job_role"].choices = [("", _("All job roles")), *JobRole.choices]
        self.fields["path"].queryset = LearningPath.objects.order_by("name")


STATUS_LABELS = {
    "required": gettext_lazy("Required"),
    "completed": gettext_lazy("Completed"),
    "in_progress": pgettext_lazy("enrolment status", "In progress"),
    "not_started": gettext_lazy("Not started"),
    "overdue": gettext_lazy("Overdue"),
}
CERTIFICATE_LABELS = {
    "valid": gettext_lazy("Valid"),
    "expiring_30": gettext_lazy("Expiring within 30 days"),
    "expiring_60": gettext_lazy("Expiring within 60 days"),
    "expiring_90": gettext_lazy("Expiring within 90 days"),
    "expired": gettext_lazy("Expired"),
    "revoked": gettext_lazy("Revoked"),
}


def _compliance_filters(request, params):
    """The filters of a request, with the unit kept inside the person's subtree."""
    from .compliance import Filters

    scope = _scope_or_refuse(request)
    form = ComplianceFilterForm(params)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    unit = scope
    unit_id = params.get("unit", "")
    if unit_id.isdigit():
        chosen = Organisation.objects.filter(pk=int(unit_id)).first()
        if chosen is None or not unit_within(chosen, scope):
            raise Http404
        unit = chosen
    filters = Filters(
        unit=unit,
        job_role=data.get("job_role") or "",
        path=data.get("path"),
        due_before=data.get("due_before"),
    )
    return filters, form, scope


def _query_string(filters, **extra) -> str:
    from urllib.parse import urlencode

    params = {}
    if filters.job_role:
        params["job_role"] = filters.job_role
    if filters.path is not None:
        params["path"] = filters.path.pk
    if filters.due_before:
        params["due_before"] = filters.due_before.isoformat()
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


def _unit_chain(unit) -> list:
    """The unit and the units above it, from the root, in one query at any depth:
    treebeard's get_ancestors() makes none for a root, which made a national officer's pages
    one query shorter than a province officer's."""
    if unit is None:
        return []
    step = Organisation.steplen
    prefixes = [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]
    return list(Organisation.objects.filter(path__in=prefixes).order_by("depth"))


def _breadcrumbs(unit, scope):
    chain = _unit_chain(unit)
    if scope is not None:
        chain = [u for u in chain if unit_within(u, scope)]
    return chain


@login_required
@permission_required("accounts.access_hr_area", raise_exception=True)
@require_GET
def compliance(request):
    import json

    from . import compliance as reports

    filters, form, scope = _compliance_filters(request, request.GET)
    data = reports.dashboard(filters)
    for row in data["rows"]:
        unit_id = row.unit.pk if row.unit else ""
        row.links = {
            path.pk: {
                s: _query_string(
                    filters, unit=unit_id, direct=int(row.direct), path=path.pk, status=s
                )
                for s in reports.STATUSES
            }
            for path in data["paths"]
        }
        row.certificate_links = {
            s: _query_string(filters, unit=unit_id, direct=int(row.direct), certificates=s)
            for s in reports.CERTIFICATE_STATUSES
        }
        row.expand = _query_string(filters, unit=unit_id) if not row.direct else ""
        row.cells = [
            (path, [(s, row.counts[path.pk][s], row.links[path.pk][s]) for s in reports.STATUSES])
            for path in data["paths"]
        ]
        row.certificate_cells = [
            (s, row.certificates[s], row.certificate_links[s]) for s in reports.CERTIFICATE_STATUSES
        ]
    chart = {
        "title": _("Completion (%)"),
        "labels": [
            (_("Directly in %(unit)s") % {"unit": r.unit.name}) if r.direct else r.unit.name
            for r in data["rows"]
        ],
        "values": [r.completion for r in data["rows"]],
    }
    return render(
        request,
        "hr/compliance.html",
        {
            **data,
            "form": form,
            "filters": filters,
            "scope": scope,
            "breadcrumbs": _breadcrumbs(filters.unit, scope),
            "status_labels": STATUS_LABELS,
            "certificate_labels": CERTIFICATE_LABELS,
            "chart_data": chart,
            "chart_json": json.dumps(chart),
            "filter_query": _query_string(filters, unit=filters.unit.pk if filters.unit else ""),
        },
    )


def _people_selection(request, params):
    from courses.models import LearningPath

    from . import compliance as reports

    filters, _form, _scope = _compliance_filters(request, params)
    direct = params.get("direct") == "1"
    certificates = params.get("certificates", "")
    if certificates:
        if certificates not in reports.CERTIFICATE_STATUSES:
            raise Http404
        qs = reports.certificate_people(
            filters, status=certificates, unit=filters.unit, direct=direct
        )
        title = CERTIFICATE_LABELS[certificates]
        return filters, qs, title, "certificates", direct
    status = params.get("status", "")
    path_id = params.get("path", "")
    if status not in reports.STATUSES or not path_id.isdigit():
        raise Http404
    path = get_object_or_404(LearningPath, pk=int(path_id))
    qs = reports.people(filters, path=path, status=status, unit=filters.unit, direct=direct)
    title = f"{path.name} · {STATUS_LABELS[status]}"
    return filters, qs, title, "people", direct


@login_required
@permission_required("accounts.access_hr_area", raise_exception=True)
@require_GET
def compliance_people(request):
    from django.core.paginator import Paginator

    filters, qs, title, kind, direct = _people_selection(request, request.GET)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "hr/compliance_people.html",
        {
            "page": page,
            "title": title,
            "kind": kind,
            "filters": filters,
            "direct": direct,
            "unit_names": " › ".join(u.name for u in _unit_chain(filters.unit)),
            "params": request.GET.urlencode(),
            "export_params": list(request.GET.items()),
            "back": _query_string(filters, unit=filters.unit.pk if filters.unit else ""),
        },
    )


@login_required
@permission_required("accounts.access_hr_area", raise_exception=True)
@require_POST
def compliance_export(request):
    """Export the dashboard or one drill-down list, through the shared exports app (this
    session's second factor, an audit entry first, CSV streamed, cells guarded). POST: the
    audit entry is a write."""
    from . import compliance as reports
    from . import exports

    params = request.POST
    fmt = XLSX if params.get("format") == XLSX else CSV
    if params.get("view") == "people":
        filters, selection, title, kind, _direct = _people_selection(request, params)
        if kind == "certificates":
            sheet = exports.certificates_sheet(selection)
            what = "hr_compliance_certificates"
        else:
            sheet = exports.people_sheet(selection)
            what = "hr_compliance_people"
        name = "tuan-thu-danh-sach"
    else:
        filters, _form, _scope = _compliance_filters(request, params)
        sheet = exports.dashboard_sheet(
            reports.dashboard(filters),
            status_labels=STATUS_LABELS,
            certificate_labels=CERTIFICATE_LABELS,
        )
        what, name, title = "hr_compliance", "tuan-thu", _("Compliance")
    return export_response(
        request=request,
        sheet=sheet,
        fmt=fmt,
        filename=name,
        what=what,
        target=filters.unit,
        details={
            "title": str(title),
            **{k: v for k, v in params.items() if k not in ("csrfmiddlewaretoken", "format")},
        },
    )


# ---------------------------------------------------------------------------------------
# A person's training record


def _person_in_scope(request, user_id: int):
    from accounts.models import User

    scope = _scope_or_refuse(request)
    person = get_object_or_404(User.objects.select_related("organisation"), pk=user_id)
    if not unit_within(person.organisation, scope):
        raise Http404
    return person


@login_required
@permission_required("accounts.access_hr_area", raise_exception=True)
@require_GET
def transcript(request, user_id: int):
    from .transcript import transcript_for

    person = _person_in_scope(request, user_id)
    return render(request, "hr/transcript.html", transcript_for(user=person))


@login_required
@permission_required("accounts.access_hr_area", raise_exception=True)
@require_POST
def transcript_pdf(request, user_id: int):
    """A signed, recorded PDF of the training record (POST: it writes the record)."""
    person = _person_in_scope(request, user_id)
    record, pdf = services.transcript_issue(user=person, actor=request.user, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="qua-trinh-dao-tao-{record.code}.pdf"'
    return response


@ratelimit(key="ip", rate="30/m", block=False)
@require_GET
def transcript_verify(request, code: str):
    """Public: whether a printed training record is genuine, and what it said."""
    from certificates import signing

    from .models import TranscriptRecord
    from .transcript import canonical

    if getattr(request, "limited", False):
        return render(request, "certificates/rate_limited.html", status=429)
    normal = signing.normalise_code(code)
    record = TranscriptRecord.objects.filter(code=normal).first() if normal else None
    intact = signature_ok = False
    if record is not None:
        public = signing.platform_private_key().public_key()
        payload = canonical(record.content)
        intact = signing.verify(payload, record.signature, public)
        printed = request.GET.get("s", "")
        signature_ok = bool(printed) and signing.verify(payload, printed, public)
    response = render(
        request,
        "hr/transcript_verify.html",
        {
            "record": record,
            "c": record.content if record else None,
            "intact": intact,
            "signature_checked": bool(request.GET.get("s")),
            "signature_ok": signature_ok,
            "code": code,
        },
        status=200 if record else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
