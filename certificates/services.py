"""Writes for certificates: issuing (see issuance.py), revoking, reissuing and reminding."""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from audit.services import audit_record
from courses.models import Enrolment, EnrolmentStatus

from . import signing
from .issuance import (
    _lock_paths_of,
    _logo_snapshot,
    _path_requests,
    certificate_email,
    certificate_payload,
    certificate_render_pdf,
    certificate_request_process,
    certificate_sign,
    certificates_owed_record,
    certificates_reconcile,
    course_key,
    verify_url,
)
from .models import Certificate, CertificateEvent, CertificateRequest, CertificateTemplate

__all__ = [
    "CertificateError",
    "certificate_email",
    "certificate_issue_for_completion",
    "certificate_payload",
    "certificate_reissue",
    "certificate_render_pdf",
    "certificate_revoke",
    "certificate_sign",
    "certificates_reconcile",
    "expiry_reminders_send",
    "path_certificates_issue",
    "verify_url",
]

logger = logging.getLogger(__name__)


class CertificateError(Exception):
    pass


def certificate_issue_for_completion(*, enrolment_id: int, completed_at: str) -> Certificate | None:
    """The certificate of one course completion, issued (rendered, mailed) if it was not yet.
    Safe to run again: the completion has one request and the request one certificate."""
    key = f"{enrolment_id}:{completed_at}"
    request = CertificateRequest.objects.filter(key=key).first()
    if request is None:
        enrolment = Enrolment.objects.filter(
            pk=enrolment_id, status=EnrolmentStatus.COMPLETED
        ).first()
        if enrolment is None or course_key(enrolment.pk, enrolment.completed_at) != key:
            return None
        with transaction.atomic():
            request = certificates_owed_record(enrolment=enrolment)[0]
    return certificate_request_process(request_id=request.pk) or (
        Certificate.objects.filter(issuance_key=key).first()
    )


def path_certificates_issue(*, user_id: int, course_id: int) -> list[Certificate]:
    """The certificate of every learning path (with a certificate template) the user has now
    finished, issued once."""
    with transaction.atomic():
        _lock_paths_of(user_id)
        requests = _path_requests(user_id=user_id, course_id=course_id)
    issued = []
    for request in requests:
        certificate = certificate_request_process(request_id=request.pk)
        certificate = certificate or Certificate.objects.filter(issuance_key=request.key).first()
        if certificate is not None:
            issued.append(certificate)
    return issued


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
    audit_record(
        action="certificate.revoked",
        actor=by,
        target=certificate,
        summary=certificate.revoked_reason,
        data={"code": certificate.code},
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
            organisation_id=old.organisation_id,
            course_title=old.course_title,
            course_title_en=old.course_title_en,
            issuer_name=old.issuer_name,
            wording_vi=old.wording_vi,
            wording_en=old.wording_en,
            signatories=old.signatories,
            logo_sha256=old.logo_sha256,
            logo_file=old.logo_file,
            in_person=old.in_person,
            issued_on=timezone.localdate(),
            expires_on=old.expires_on,
        )
        if old.payload_version < 2:
            # The first certificates printed the template's signatories and logo without a
            # snapshot; the corrected copy signs them as they stand now.
            template = CertificateTemplate.objects.filter(
                path_id=old.path_id, course_id=None if old.path_id else old.course_id
            ).first()
            if template is not None:
                new.signatories = [[s.title, s.name] for s in template.signatories.all()]
                new.logo_sha256, new.logo_file = _logo_snapshot(template)
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
        audit_record(
            action="certificate.reissued",
            actor=by,
            target=new,
            summary=reason.strip()[:400],
            data={"code": new.code, "replaces": old.code},
        )
    # Separate steps with their own state: if this process dies here, the reconciler
    # renders and mails the new certificate.
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
