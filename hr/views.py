"""HR screens under /hr/ (the staff-area guard has already checked the HR permission and
this session's second factor)."""

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

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
                return redirect("hr:import_preview", pk=roster_import.pk)
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
def import_preview(request, pk: int):
    roster_import = _own_import(request, pk)
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
def import_apply(request, pk: int):
    roster_import = _own_import(request, pk)
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
    return redirect("hr:import_preview", pk=roster_import.pk)


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
    name = "mau-danh-sach-can-bo" if kind == ImportKind.STAFF else "mau-danh-sach-don-vi"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(examples)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(header)
        for row in examples:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
