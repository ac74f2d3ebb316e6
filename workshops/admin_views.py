"""Trainers' tools in the admin (so behind its two-factor step): the sessions they run, the
rotating check-in QR, scanning a trainee's QR, the attendance list with manual marking and
later entry from the paper sheet, the export, the no-show list and the printable sheet."""

import threading

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from exports import spreadsheet
from exports.responses import CSV, FORMATS, export_response
from exports.spreadsheet import Column, Spreadsheet

from . import qr, services, tokens
from .models import AttendanceMethod, AttendanceStatus, Registration, TrainingSession
from .selectors import (
    attendance_counts,
    session_manageable_by,
    session_no_shows,
    session_roster,
    sessions_managed_by,
)


def _session_or_403(request, session_id: int) -> TrainingSession:
    session = get_object_or_404(
        TrainingSession.objects.select_related("step", "organising_unit"), pk=session_id
    )
    if not session_manageable_by(user=request.user, session=session):
        raise PermissionDenied
    return session


@require_GET
def session_index(request):
    sessions = list(sessions_managed_by(user=request.user)[:200])
    return render(request, "workshops/admin/index.html", {"sessions": sessions})


class MarkForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=gettext_lazy("Attendance"), choices=AttendanceStatus.choices)
    minutes_attended = forms.IntegerField(
        label=gettext_lazy("Minutes attended"), min_value=0, max_value=24 * 60, required=False
    )
    note = forms.CharField(
        label=pgettext_lazy("attendance", "Note"), max_length=255, required=False
    )


def _roster_user(session, user_id):
    """Only people on the session's list (or already recorded) can be marked."""
    User = get_user_model()
    on_list = (
        Registration.objects.filter(session=session, user_id=user_id)
        .exclude(status="cancelled")
        .exists()
        or session.attendances.filter(user_id=user_id).exists()
    )
    return User.objects.filter(pk=user_id).first() if on_list else None


@require_http_methods(["GET", "POST"])
def session_detail(request, session_id: int):
    """The attendance list. POST records one row (manual marking) or, from the paper
    sheet, every row given at once."""
    session = _session_or_403(request, session_id)
    if request.method == "POST":
        method = AttendanceMethod.SHEET if request.POST.get("source") == "sheet" else "manual"
        saved, errors = 0, []
        for prefix in request.POST.getlist("row"):
            form = MarkForm(request.POST, prefix=prefix[:20])
            if not form.is_valid():
                if form.data.get(f"{form.prefix}-status"):
                    errors.append(prefix)
                continue
            user = _roster_user(session, form.cleaned_data["user"])
            if user is None:
                errors.append(prefix)
                continue
            try:
                services.attendance_mark(
                    session=session,
                    user=user,
                    status=form.cleaned_data["status"],
                    by=request.user,
                    method=method,
                    minutes_attended=form.cleaned_data["minutes_attended"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except services.WorkshopError as error:
                messages.error(request, str(error))
                return redirect("workshops_session", session.pk)
            saved += 1
        if errors:
            messages.error(request, _("Some rows could not be saved: check them and try again."))
        if saved:
            messages.success(request, _("Attendance saved."))
        return redirect("workshops_session", session.pk)
    rows = session_roster(session=session)
    for row in rows:
        prefix = f"u{row.user.pk}"
        row.prefix = prefix
        row.form = MarkForm(
            prefix=prefix,
            initial={
                "user": row.user.pk,
                "status": row.attendance.status if row.attendance else "",
                "minutes_attended": row.attendance.minutes_attended if row.attendance else None,
                "note": row.attendance.note if row.attendance else "",
            },
        )
    return render(
        request,
        "workshops/admin/session.html",
        {
            "session": session,
            "rows": rows,
            "counts": attendance_counts(session=session),
            "statuses": AttendanceStatus.choices,
            "checkin_open": services.checkin_is_open(session),
        },
    )


@require_GET
def checkin_screen(request, session_id: int):
    session = _session_or_403(request, session_id)
    return render(
        request,
        "workshops/admin/checkin.html",
        {"session": session, "code": _code(request, session)},
    )


def _code(request, session) -> dict:
    token = tokens.session_token(session_id=session.pk)
    url = request.build_absolute_uri(reverse("workshops:checkin", args=[token]))
    return {
        "svg": qr.svg(url, scale=10),
        "url": url,
        "seconds_left": tokens.seconds_left(),
        "attended": attendance_counts(session=session)["attended"],
    }


@require_GET
def checkin_code(request, session_id: int):
    """The current code for the trainer's screen, fetched every window by its script."""
    session = _session_or_403(request, session_id)
    response = JsonResponse(_code(request, session))
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def scan_personal(request, token: str):
    """A trainee's personal QR opened on the trainer's phone: who it is, then one tap."""
    try:
        personal = tokens.personal_token_check(token)
    except tokens.TokenRefused as error:
        message = (
            _("This personal code has expired: ask the trainee to open the session page again.")
            if error.reason == "expired"
            else _("This is not a valid personal check-in code.")
        )
        return render(request, "workshops/admin/scan.html", {"message": message}, status=400)
    registration = get_object_or_404(
        Registration.objects.select_related("user", "user__organisation", "session__step"),
        pk=personal.registration_id,
    )
    session = _session_or_403(request, registration.session_id)
    context = {"registration": registration, "session": session}
    if registration.status != "registered":
        context["message"] = _("This registration is not a confirmed seat (cancelled or waiting).")
        return render(request, "workshops/admin/scan.html", context, status=400)
    if request.method == "POST":
        try:
            result = services.checkin_record(
                session=session,
                user=registration.user,
                method=AttendanceMethod.PERSONAL_QR,
                recorded_by=request.user,
            )
        except services.WorkshopError as error:
            context["message"] = str(error)
            return render(request, "workshops/admin/scan.html", context, status=400)
        context["result"] = result
    return render(request, "workshops/admin/scan.html", context)


def attendance_spreadsheet(*, session: TrainingSession) -> Spreadsheet:
    """The session's roster as the exports app writes it (typed cells, the formula guard)."""

    def lines():
        for row in session_roster(session=session):
            attendance = row.attendance
            yield (
                row.user.full_name,
                row.user.email,
                row.user.staff_id,
                str(row.user.organisation or ""),
                row.registration.get_status_display() if row.registration else _("Walk-in"),
                attendance.get_status_display() if attendance else _("Not recorded"),
                attendance.checked_in_at if attendance else None,
                attendance.minutes_attended if attendance else None,
                attendance.get_method_display() if attendance else "",
                attendance.note if attendance else "",
            )

    return Spreadsheet(
        columns=[
            Column(_("Full name"), "full_name"),
            Column(_("E-mail"), "email"),
            Column(_("Staff ID"), "staff_id"),
            Column(_("Organisation"), "organisation"),
            Column(_("Registration"), "registration"),
            Column(_("Attendance"), "attendance"),
            Column(_("Checked in at"), "checked_in_at", kind=spreadsheet.DATETIME),
            Column(_("Minutes attended"), "minutes_attended", kind=spreadsheet.NUMBER),
            Column(_("How recorded"), "method"),
            Column(pgettext("attendance", "Note"), "note"),
        ],
        rows=list(lines()),
        sheet_title=_("Attendance"),
    )


@require_GET
def attendance_export(request, session_id: int):
    """The attendance list as CSV (default) or XLSX (`?export=xlsx`): personal data, so
    through export_response (this session's second factor, an audit entry first)."""
    session = _session_or_403(request, session_id)
    fmt = request.GET.get("export") or CSV
    if fmt not in FORMATS:
        raise Http404
    stamp = timezone.localtime(session.starts_at).strftime("%Y%m%d")
    return export_response(
        request=request,
        sheet=attendance_spreadsheet(session=session),
        fmt=fmt,
        filename=f"diem-danh-{session.pk}-{stamp}",
        what="session_attendance",
        target=session,
    )


@require_GET
def no_shows(request, session_id: int):
    session = _session_or_403(request, session_id)
    return render(
        request,
        "workshops/admin/no_shows.html",
        {"session": session, "rows": session_no_shows(session=session)},
    )


_pdf_lock = threading.Lock()
BLANK_SHEET_ROWS = 5


@require_GET
def sign_in_sheet(request, session_id: int):
    """The printable sign-in sheet (A4, WeasyPrint) for places without a connection: every
    seat holder, then blank lines for walk-ins; entered later on the attendance list."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    session = _session_or_403(request, session_id)
    rows = [
        row
        for row in session_roster(session=session)
        if (row.registration is not None and row.registration.status == "registered")
        or row.attendance is not None
    ]
    html = render_to_string(
        "workshops/admin/sheet_pdf.html",
        {
            "session": session,
            "rows": rows,
            "blank_rows": range(len(rows) + 1, len(rows) + 1 + BLANK_SHEET_ROWS),
            "starts_at": timezone.localtime(session.starts_at),
            "ends_at": timezone.localtime(session.ends_at),
            "trainers": list(session.trainers.all()),
            "printed_at": timezone.localtime(),
        },
    )
    # Nothing is fetched: the sheet needs no images, and no typed field may read a file.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",)))
    with _pdf_lock:
        pdf = document.write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localtime(session.starts_at).strftime("%Y%m%d")
    response["Content-Disposition"] = f'inline; filename="danh-sach-ky-{session.pk}-{stamp}.pdf"'
    return response
