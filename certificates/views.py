from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from accounts.mfa import mfa_step_response
from exports.responses import export_response

from . import bulk, services, signing
from .models import Certificate
from .selectors import (
    certificate_by_code,
    certificates_for_user,
    field_labels,
    hr_scope_q,
    public_view,
    signature_matches,
)

VERIFY_RATE = "30/m"
# The HTML page and the JSON answer draw on one budget per client address (the address
# TrustedProxyMiddleware took from the proxy), so alternating them gains nothing.
VERIFY_RATE_GROUP = "certificates.verify"


@login_required
@require_GET
def my_certificates(request):
    return render(
        request,
        "certificates/my_certificates.html",
        {"certificates": certificates_for_user(user=request.user)},
    )


def _may_download(user, certificate: Certificate) -> bool:
    if certificate.user_id == user.pk:
        return True
    return (
        user.has_perm("accounts.access_hr_area")
        and Certificate.objects.filter(hr_scope_q(hr_user=user), pk=certificate.pk).exists()
    )


@login_required
@require_GET
def download(request, code: str):
    certificate = get_object_or_404(Certificate, code=code)
    if not _may_download(request.user, certificate):
        raise Http404
    if certificate.user_id != request.user.pk:
        # Someone else's certificate is a staff area: this session must have passed MFA.
        step = mfa_step_response(request)
        if step is not None:
            return step
    services.certificate_render_pdf(certificate)
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"chung-nhan-{certificate.code}.pdf",
        content_type="application/pdf",
    )


def _too_many(request):
    return render(request, "certificates/rate_limited.html", status=429)


@ratelimit(group=VERIFY_RATE_GROUP, key="ip", rate=VERIFY_RATE, block=False)
@require_GET
def verify(request, code: str | None = None):
    if getattr(request, "limited", False):
        return _too_many(request)
    text = code or request.GET.get("code", "")
    certificate = certificate_by_code(text=text) if text else None
    signature = request.GET.get("s", "")
    view = public_view(certificate) if certificate else None
    context = {
        "query": text,
        "searched": bool(text),
        "certificate": view,
        "signed_labels": field_labels(view["signed_fields"]) if view else [],
        "unsigned_labels": field_labels(view["unsigned_fields"]) if view else [],
        "signature_checked": bool(certificate and signature),
        "signature_ok": bool(
            certificate and signature and signature_matches(certificate, signature)
        ),
    }
    response = render(request, "certificates/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@ratelimit(group=VERIFY_RATE_GROUP, key="ip", rate=VERIFY_RATE, block=False)
@require_GET
def verify_json(request, code: str):
    if getattr(request, "limited", False):
        return JsonResponse({"error": "rate_limited"}, status=429)
    certificate = certificate_by_code(text=code)
    if certificate is None:
        # The same shape and status whatever was wrong with the code, so that answers
        # for unknown codes teach nothing about valid ones.
        return JsonResponse(
            {"code": code, "status": "not_found", "message": _("No certificate with this code.")},
            status=404,
        )
    data = public_view(certificate)
    signature = request.GET.get("s")
    if signature:
        data["signature_valid"] = signature_matches(certificate, signature)
    return JsonResponse(data)


@require_GET
def public_key(request):
    pem = signing.public_key_pem(signing.platform_private_key())
    return HttpResponse(pem, content_type="application/x-pem-file")


class BulkForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy(
            "One certificate code or staff ID per row, in the first column (up to 5,000 rows)."
        ),
    )


class LookupForm(forms.Form):
    query = forms.CharField(label=gettext_lazy("Certificate code or staff ID"), max_length=60)


def _bulk_csv(request, rows):
    return export_response(
        request=request,
        sheet=bulk.bulk_spreadsheet(rows),
        fmt="csv",
        filename="kiem-tra-chung-nhan",
        what="hr_bulk_check",
    )


def _bulk_page(request, *, values, batch_key: str, summary: dict) -> dict:
    """One page of a checked list, its rows checked now (the summary is the whole list's)."""
    page = Paginator(values, bulk.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = bulk.verify_values(hr_user=request.user, values=list(page.object_list))
    return {"rows": rows, "page": page, "batch": batch_key, "summary": summary}


@login_required
@permission_required("accounts.access_hr_area", raise_exception=True)
@require_http_methods(["GET", "POST"])
def hr_certificates(request):
    lookup = LookupForm(request.GET or None)
    context = {"rows": None}
    if lookup.is_valid():
        context["rows"] = bulk.verify_values(
            hr_user=request.user, values=[(1, lookup.cleaned_data["query"])]
        )
    form = BulkForm(request.POST or None, request.FILES or None)
    batch_key = request.POST.get("batch") if request.method == "POST" else request.GET.get("batch")
    if batch_key:
        # A further page of a list checked before, or its CSV.
        batch = bulk.batch_load(hr_user=request.user, key=batch_key)
        form = BulkForm()
        if batch is None:
            messages.warning(request, _("This list is no longer kept. Upload it again."))
        elif request.method == "POST":
            rows = bulk.verify_values(hr_user=request.user, values=batch["values"])
            return _bulk_csv(request, rows)
        else:
            context |= _bulk_page(
                request, values=batch["values"], batch_key=batch_key, summary=batch["summary"]
            )
    elif request.method == "POST" and form.is_valid():
        try:
            values = bulk.read_values(form.cleaned_data["file"])
        except bulk.BulkFileError as error:
            form.add_error("file", str(error))
        else:
            if request.POST.get("format") == "csv":
                return _bulk_csv(request, bulk.verify_values(hr_user=request.user, values=values))
            # The figures from bare columns over every row; certificates for this page only.
            summary = bulk.summary_of_values(hr_user=request.user, values=values)
            key = bulk.batch_store(hr_user=request.user, values=values, summary=summary)
            context |= _bulk_page(request, values=values, batch_key=key, summary=summary)
    return render(
        request, "certificates/hr_certificates.html", {"lookup": lookup, "form": form, **context}
    )


def _hr_lookup(code: str):
    return redirect(f"{reverse('certificates:hr')}?{urlencode({'query': code})}")


def _hr_certificate(request, code: str) -> Certificate:
    certificate = Certificate.objects.filter(hr_scope_q(hr_user=request.user), code=code).first()
    if certificate is None:
        raise Http404
    return certificate


@login_required
@permission_required("accounts.access_hr_area", raise_exception=True)
@require_POST
def hr_revoke(request, code: str):
    certificate = _hr_certificate(request, code)
    reason = request.POST.get("reason", "").strip()
    if len(reason) < 5:
        messages.error(request, _("Give the reason for revoking (at least 5 characters)."))
    else:
        try:
            services.certificate_revoke(certificate=certificate, by=request.user, reason=reason)
        except services.CertificateError:
            messages.info(request, _("This certificate was already revoked."))
        else:
            messages.success(request, _("Certificate %(code)s revoked.") % {"code": code})
    return _hr_lookup(code)


@login_required
@permission_required("accounts.access_hr_area", raise_exception=True)
@require_POST
def hr_reissue(request, code: str):
    certificate = _hr_certificate(request, code)
    name = request.POST.get("holder_name", "").strip()
    reason = request.POST.get("reason", "").strip()
    if len(name) < 2 or len(reason) < 5:
        messages.error(request, _("Give the corrected name and the reason for reissuing."))
        return _hr_lookup(code)
    try:
        new = services.certificate_reissue(
            certificate=certificate, by=request.user, holder_name=name, reason=reason
        )
    except services.CertificateError:
        messages.error(request, _("Only a current certificate can be reissued."))
        return _hr_lookup(code)
    messages.success(
        request,
        _("Reissued as %(new)s; %(old)s is now superseded.") % {"new": new.code, "old": code},
    )
    return _hr_lookup(new.code)
