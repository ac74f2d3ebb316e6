"""Writes for certificates: issuing, rendering, revoking, reissuing and reminding."""

import logging
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from courses.models import CoursePage, Enrolment, EnrolmentStatus

from . import pdf, signing
from .models import Certificate, CertificateEvent, CertificateTemplate

logger = logging.getLogger(__name__)


class CertificateError(Exception):
    pass


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _expiry(issued: date, months: int | None) -> date | None:
    return issued + relativedelta(months=months) if months else None


def certificate_payload(certificate: Certificate) -> bytes:
    return signing.canonical_payload(
        code=certificate.code,
        holder=certificate.holder_name,
        course=certificate.course_title,
        issued=certificate.issued_on.isoformat(),
        expires=certificate.expires_on.isoformat() if certificate.expires_on else None,
        issuer=certificate.issuer_name,
    )


def certificate_sign(certificate: Certificate) -> None:
    certificate.signature = signing.sign(
        certificate_payload(certificate), signing.platform_private_key()
    )


def verify_url(certificate: Certificate) -> str:
    return signing.offline_link(
        base_url=_base_url(), code=certificate.code, signature=certificate.signature
    )


def _template_for(course: CoursePage) -> CertificateTemplate | None:
    return CertificateTemplate.objects.filter(course=course).prefetch_related("signatories").first()


def _template_of(certificate: Certificate) -> CertificateTemplate | None:
    if certificate.path_id:
        return CertificateTemplate.objects.filter(path_id=certificate.path_id).first()
    return _template_for(certificate.course) if certificate.course_id else None


def _issue(
    *, user, key: str, title: str, template, months, completed_at, course=None, path=None
) -> Certificate:
    """Create, sign, render and mail one certificate; an earlier current certificate for
    the same course or path is superseded (completing again renews it)."""
    issued = timezone.localdate(completed_at)
    certificate = Certificate(
        code=signing.new_code(),
        user=user,
        course=course,
        path=path,
        issuance_key=key,
        holder_name=user.full_name,
        staff_id=user.staff_id,
        organisation_name=user.organisation.name if user.organisation_id else "",
        course_title=title,
        course_title_en=template.course_title_en if template else "",
        issuer_name=template.issuer_name if template else settings.CERTIFICATE_DEFAULT_ISSUER,
        wording_vi=template.wording_vi if template else Certificate.wording_vi.field.default,
        wording_en=template.wording_en if template else "",
        issued_on=issued,
        expires_on=_expiry(issued, months),
    )
    certificate_sign(certificate)
    try:
        with transaction.atomic():
            certificate.save()
            Certificate.objects.filter(
                user=user,
                course=course,
                path=path,
                superseded_by__isnull=True,
                revoked_at__isnull=True,
            ).exclude(pk=certificate.pk).update(superseded_by=certificate)
            CertificateEvent.objects.create(
                certificate=certificate, action=CertificateEvent.Action.ISSUED
            )
    except IntegrityError:
        return Certificate.objects.get(issuance_key=key)
    certificate_render_pdf(certificate)
    certificate_email(certificate)
    return certificate


def certificate_issue_for_completion(*, enrolment_id: int, completed_at: str) -> Certificate | None:
    """Issue the certificate for one course completion. Safe to run again: the completion
    key is unique, so a retry or a second signal finds the certificate already issued."""
    key = f"{enrolment_id}:{completed_at}"
    existing = Certificate.objects.filter(issuance_key=key).first()
    if existing is not None:
        return existing
    enrolment = (
        Enrolment.objects.select_related("user", "user__organisation", "course")
        .filter(pk=enrolment_id, status=EnrolmentStatus.COMPLETED)
        .first()
    )
    if enrolment is None:
        return None
    course = enrolment.course
    template = _template_for(course)
    months = template.validity_months if template and template.validity_months else None
    return _issue(
        user=enrolment.user,
        key=key,
        title=course.title,
        template=template,
        months=months or course.certificate_validity_months,
        completed_at=enrolment.completed_at,
        course=course,
    )


def path_certificates_issue(*, user_id: int, course_id: int) -> list[Certificate]:
    """Issue the certificate of every learning path (with a certificate template) that the
    user has now finished. Keyed on the last completion, so it is issued once."""
    from courses.models import LearningPath

    issued = []
    templates = CertificateTemplate.objects.filter(
        path__path_courses__course_id=course_id
    ).select_related("path")
    for template in templates:
        path = template.path
        course_ids = list(path.path_courses.values_list("course_id", flat=True))
        done = Enrolment.objects.filter(
            user_id=user_id, course_id__in=course_ids, status=EnrolmentStatus.COMPLETED
        ).select_related("user", "user__organisation")
        if len(done) < len(course_ids):
            continue
        last = max(e.completed_at for e in done)
        key = f"path:{path.pk}:{user_id}:{last.isoformat()}"
        existing = Certificate.objects.filter(issuance_key=key).first()
        issued.append(
            existing
            or _issue(
                user=done[0].user,
                key=key,
                title=path.name,
                template=template,
                months=template.validity_months,
                completed_at=last,
                path=LearningPath.objects.get(pk=path.pk),
            )
        )
    return issued


def _pdf_context(certificate: Certificate) -> dict:
    template = _template_of(certificate)
    return {
        "holder_name": certificate.holder_name,
        "staff_id": certificate.staff_id,
        "organisation_name": certificate.organisation_name,
        "course_title": certificate.course_title,
        "course_title_en": certificate.course_title_en,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "issuer_name": certificate.issuer_name,
        "code": certificate.code,
        "verify_url": verify_url(certificate),
        "qr_data_uri": pdf.qr_svg_data_uri(verify_url(certificate)),
        "wording_vi": certificate.wording_vi,
        "wording_en": certificate.wording_en,
        "signatories": [
            {"name": s.name, "title": s.title}
            for s in (template.signatories.all() if template else [])
        ],
        "logo_data_uri": _logo_data_uri(template),
        "signature_text": certificate.signature,
    }


def _logo_data_uri(template: CertificateTemplate | None) -> str:
    """The template's logo or seal, inlined: the PDF renderer loads nothing by URL."""
    if template is None or template.logo is None:
        return ""
    import base64
    import mimetypes

    image = template.logo
    mime = mimetypes.guess_type(image.file.name)[0] or "image/png"
    with image.file.open("rb") as handle:
        encoded = base64.b64encode(handle.read()).decode()
    return f"data:{mime};base64,{encoded}"


def certificate_render_pdf(certificate: Certificate, *, force: bool = False) -> None:
    """Render once and keep the file; rendering again happens only when asked."""
    if certificate.pdf and not force:
        return
    with translation.override("vi"):
        content = pdf.render_certificate_pdf(_pdf_context(certificate))
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(content), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)


def certificate_email(certificate: Certificate) -> None:
    user = certificate.user
    with translation.override("vi"):
        context = {"certificate": certificate, "verify_url": verify_url(certificate), "user": user}
        message = EmailMessage(
            subject=render_to_string("certificates/email/issued_subject.txt", context).strip(),
            body=render_to_string("certificates/email/issued_body.txt", context),
            to=[user.email],
        )
    if certificate.pdf:
        certificate.pdf.open("rb")
        try:
            message.attach(
                f"chung-nhan-{certificate.code}.pdf", certificate.pdf.read(), "application/pdf"
            )
        finally:
            certificate.pdf.close()
    message.send()
    CertificateEvent.objects.create(certificate=certificate, action=CertificateEvent.Action.EMAILED)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at:
        raise CertificateError("already revoked")
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()[:500]
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    CertificateEvent.objects.create(
        certificate=certificate,
        action=CertificateEvent.Action.REVOKED,
        actor=by,
        detail=certificate.revoked_reason,
    )
    return certificate


def certificate_reissue(
    *, certificate: Certificate, by, holder_name: str, reason: str
) -> Certificate:
    """A corrected copy (e.g. the name's spelling) with a new code; the old one points to it."""
    with transaction.atomic():
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.revoked_at or old.superseded_by_id:
            raise CertificateError("not current")
        new = Certificate(
            code=signing.new_code(),
            user=old.user,
            course=old.course,
            path=old.path,
            holder_name=" ".join(holder_name.split()) or old.holder_name,
            staff_id=old.staff_id,
            organisation_name=old.organisation_name,
            course_title=old.course_title,
            course_title_en=old.course_title_en,
            issuer_name=old.issuer_name,
            wording_vi=old.wording_vi,
            wording_en=old.wording_en,
            issued_on=timezone.localdate(),
            expires_on=old.expires_on,
        )
        certificate_sign(new)
        new.save()
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        CertificateEvent.objects.create(
            certificate=old,
            action=CertificateEvent.Action.REISSUED,
            actor=by,
            detail=f"{new.code}: {reason.strip()[:400]}",
        )
        CertificateEvent.objects.create(
            certificate=new,
            action=CertificateEvent.Action.ISSUED,
            actor=by,
            detail=f"reissue of {old.code}",
        )
    certificate_render_pdf(new)
    certificate_email(new)
    return new


def expiry_reminders_send(*, days_before: int = 30) -> int:
    """E-mail holders whose current certificate expires within the window, once each."""
    today = timezone.localdate()
    due = Certificate.objects.filter(
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=days_before),
        revoked_at__isnull=True,
        superseded_by__isnull=True,
        reminder_sent_at__isnull=True,
    ).select_related("user")
    sent = 0
    for certificate in due:
        with translation.override("vi"):
            context = {"certificate": certificate, "user": certificate.user}
            EmailMessage(
                subject=render_to_string(
                    "certificates/email/reminder_subject.txt", context
                ).strip(),
                body=render_to_string("certificates/email/reminder_body.txt", context),
                to=[certificate.user.email],
            ).send()
        Certificate.objects.filter(pk=certificate.pk).update(reminder_sent_at=timezone.now())
        CertificateEvent.objects.create(
            certificate=certificate, action=CertificateEvent.Action.REMINDED
        )
        sent += 1
    return sent
