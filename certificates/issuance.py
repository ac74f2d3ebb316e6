"""Exactly one certificate, one stored PDF and one e-mail per completion, across crashes.

1. **Owed.** The completion's own transaction writes a `CertificateRequest` (the outbox):
   `certificates_owed_record` runs from the `course_completion_recorded` signal, inside it.
   After the commit a task is enqueued as a fast path; if the process dies first, the
   request is still there for `reconcile_certificates`.
2. **Issued.** `certificate_issue` locks the request, creates the signed certificate (with
   its snapshot and audit entry) and links it, in one transaction. The request's key is the
   certificate's unique issuance key, so nothing can issue it twice.
3. **Rendered.** `certificate_render_pdf` locks the certificate, renders and stores the PDF
   under a name fixed by the certificate (a retry overwrites, never adds a file), then
   records it.
4. **Mailed.** `certificate_email` locks the certificate, sends the e-mail with a Message-ID
   fixed by the certificate and records `emailed_at` in the same transaction.

Each step starts by reading its own state and does nothing if it is already done, so the
worker's retry and `certificates_reconcile` (any number of them at once) simply carry on
from wherever a crash stopped. The one window no database can close is between the mail
server accepting the e-mail and our commit: a crash exactly there sends the e-mail again on
retry, with the same Message-ID, which mail clients treat as the same message.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import mimetypes
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation

from audit.services import audit_record
from courses.models import Enrolment, EnrolmentStatus

from . import pdf, signing
from .models import Certificate, CertificateEvent, CertificateRequest, CertificateTemplate

logger = logging.getLogger(__name__)

# Serialises the "is a path now complete?" check per trainee, so two courses of one path
# completed at the same moment cannot both miss the path's certificate.
_PATH_LOCK_CLASS = 0x50434D44  # "PCMD"


def course_key(enrolment_id: int, completed_at) -> str:
    return f"{enrolment_id}:{completed_at.isoformat()}"


def path_key(path_id: int, user_id: int, last_completed_at) -> str:
    return f"path:{path_id}:{user_id}:{last_completed_at.isoformat()}"


# --------------------------------------------------------------------------------------------
# What is signed and printed
# --------------------------------------------------------------------------------------------


def certificate_payload(certificate: Certificate) -> bytes:
    """The canonical bytes of the certificate, in the version it was signed with."""
    return signing.canonical_payload(**certificate_fields(certificate))


def certificate_fields(certificate: Certificate) -> dict:
    """The signed fields (the keyword arguments of signing.canonical_payload)."""
    return {
        "v": certificate.payload_version,
        "code": certificate.code,
        "holder": certificate.holder_name,
        "staff_id": certificate.staff_id,
        "organisation": certificate.organisation_name,
        "course": certificate.course_title,
        "course_en": certificate.course_title_en,
        "wording": certificate.wording_vi,
        "wording_en": certificate.wording_en,
        "issued": certificate.issued_on.isoformat(),
        "expires": certificate.expires_on.isoformat() if certificate.expires_on else None,
        "issuer": certificate.issuer_name,
        "signatories": [list(pair) for pair in certificate.signatories or []],
        "logo": f"sha256:{certificate.logo_sha256}" if certificate.logo_sha256 else None,
        "in_person": certificate.in_person,
    }


def certificate_sign(certificate: Certificate) -> None:
    certificate.payload_version = signing.PAYLOAD_VERSION
    certificate.signature = signing.sign(
        certificate_payload(certificate), signing.platform_private_key()
    )


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def verify_url(certificate: Certificate) -> str:
    return signing.offline_link(
        base_url=_base_url(), code=certificate.code, signature=certificate.signature
    )


# Each field the PDF prints about the holder or the issuer, and the signed field behind it.
# The tests check that the PDF prints nothing else of the kind.
PRINTED_FIELDS = {
    "holder_name": "holder",
    "staff_id": "staff_id",
    "organisation_name": "organisation",
    "course_title": "course",
    "course_title_en": "course_en",
    "wording_vi": "wording",
    "wording_en": "wording_en",
    "issued_on": "issued",
    "expires_on": "expires",
    "issuer_name": "issuer",
    "signatories": "signatories",
    "logo_data_uri": "logo",
    "logo_sha256": "logo",
    "in_person": "in_person",
    "code": "code",
}


def pdf_context(certificate: Certificate) -> dict:
    """What the PDF shows: only fields covered by the certificate's signature (a version 1
    certificate, rendered again, prints only what version 1 signed)."""
    signed = set(signing.SIGNED_FIELDS[certificate.payload_version])
    context = {
        "holder_name": certificate.holder_name,
        "staff_id": certificate.staff_id,
        "organisation_name": certificate.organisation_name,
        "course_title": certificate.course_title,
        "course_title_en": certificate.course_title_en,
        "wording_vi": certificate.wording_vi,
        "wording_en": certificate.wording_en,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "issuer_name": certificate.issuer_name,
        "signatories": [{"title": t, "name": n} for t, n in certificate.signatories or []],
        "logo_data_uri": _logo_data_uri(certificate),
        "logo_sha256": certificate.logo_sha256,
        "in_person": certificate.in_person,
        "code": certificate.code,
    }
    for name, signed_field in PRINTED_FIELDS.items():
        if signed_field not in signed:
            context[name] = [] if name == "signatories" else ""
    url = verify_url(certificate)
    return {
        **context,
        "verify_url": url,
        "qr_data_uri": pdf.qr_svg_data_uri(url),
        "signature_text": certificate.signature,
        "payload_version": certificate.payload_version,
    }


def _logo_data_uri(certificate: Certificate) -> str:
    """The logo as signed, from its content-addressed copy: the renderer loads no URL."""
    if not certificate.logo_file:
        return ""
    storage = Certificate._meta.get_field("pdf").storage
    with storage.open(certificate.logo_file, "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != certificate.logo_sha256:
        raise ValueError(f"The stored logo of {certificate.code} does not match its signature.")
    mime = mimetypes.guess_type(certificate.logo_file)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def _logo_snapshot(template: CertificateTemplate | None) -> tuple[str, str]:
    """(sha256, storage name) of the template's logo, copied once under its own digest."""
    if template is None or template.logo is None:
        return "", ""
    with template.logo.file.open("rb") as handle:
        content = handle.read()
    digest = hashlib.sha256(content).hexdigest()
    suffix = PurePosixPath(template.logo.file.name).suffix.lower() or ".png"
    name = f"certificates/logos/{digest}{suffix}"
    storage = Certificate._meta.get_field("pdf").storage
    if not storage.exists(name):
        storage.save(name, ContentFile(content))
    return digest, name


# --------------------------------------------------------------------------------------------
# 1. Owed: written with the completion
# --------------------------------------------------------------------------------------------


def _lock_paths_of(user_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_PATH_LOCK_CLASS, user_id])


def _path_requests(*, user_id: int, course_id: int | None = None) -> list[CertificateRequest]:
    """Requests for every path (with a certificate template) the user has now finished."""
    templates = CertificateTemplate.objects.filter(path__isnull=False).select_related("path")
    if course_id is not None:
        templates = templates.filter(path__path_courses__course_id=course_id).distinct()
    requests = []
    for template in templates:
        course_ids = set(template.path.path_courses.values_list("course_id", flat=True))
        if not course_ids:
            continue
        done = Enrolment.objects.filter(
            user_id=user_id, course_id__in=course_ids, status=EnrolmentStatus.COMPLETED
        ).aggregate(n=Count("course_id", distinct=True), last=Max("completed_at"))
        if done["n"] < len(course_ids):
            continue
        request, _ = CertificateRequest.objects.get_or_create(
            key=path_key(template.path_id, user_id, done["last"]),
            defaults={
                "user_id": user_id,
                "path_id": template.path_id,
                "completed_at": done["last"],
            },
        )
        requests.append(request)
    return requests


def certificates_owed_record(*, enrolment: Enrolment) -> list[CertificateRequest]:
    """In the completion's transaction: the course's certificate, and that of any learning
    path this completion finishes, are owed. The task runs after the commit."""
    requests = [
        CertificateRequest.objects.get_or_create(
            key=course_key(enrolment.pk, enrolment.completed_at),
            defaults={
                "user_id": enrolment.user_id,
                "enrolment": enrolment,
                "course_id": enrolment.course_id,
                "completed_at": enrolment.completed_at,
            },
        )[0]
    ]
    _lock_paths_of(enrolment.user_id)
    requests += _path_requests(user_id=enrolment.user_id, course_id=enrolment.course_id)
    ids = [r.pk for r in requests if r.done_at is None]
    transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return requests


def _enqueue(request_ids: list[int]) -> None:
    from .tasks import process_certificate_request

    for request_id in request_ids:
        process_certificate_request.enqueue(request_id)


# --------------------------------------------------------------------------------------------
# 2. Issued
# --------------------------------------------------------------------------------------------


def _expiry(issued: date, months: int | None) -> date | None:
    return issued + relativedelta(months=months) if months else None


def _template_for_request(request: CertificateRequest) -> CertificateTemplate | None:
    templates = CertificateTemplate.objects.prefetch_related("signatories")
    if request.path_id:
        return templates.filter(path_id=request.path_id).first()
    return templates.filter(course_id=request.course_id).first()


def _in_person(request: CertificateRequest) -> str:
    """The in-person sessions of a blended course the holder attended: "dd/mm/yyyy, place",
    in order (a path's certificate names its courses, not their sessions)."""
    from workshops.selectors import in_person_sessions_attended

    if not request.course_id:
        return ""
    sessions = in_person_sessions_attended(user=request.user, course=request.course)
    text = "; ".join(f"{timezone.localtime(s.starts_at):%d/%m/%Y}, {s.place}" for s in sessions)
    field = Certificate._meta.get_field("in_person")
    return text if len(text) <= field.max_length else text[: field.max_length - 1] + "…"


def _certificate_create(request: CertificateRequest) -> Certificate | None:
    user = request.user
    template = _template_for_request(request)
    if request.path_id:
        title = request.path.name
        months = template.validity_months if template else None
    elif request.course_id:
        title = request.course.title
        months = (template.validity_months if template else None) or (
            request.course.certificate_validity_months
        )
    else:
        return None  # the course or path was deleted: there is nothing left to certify
    issued = timezone.localdate(request.completed_at)
    logo_sha256, logo_file = _logo_snapshot(template)
    certificate = Certificate(
        code=signing.new_code(),
        user=user,
        course_id=request.course_id,
        path_id=request.path_id,
        issuance_key=request.key,
        holder_name=user.full_name,
        staff_id=user.staff_id,
        organisation_name=user.organisation.name if user.organisation_id else "",
        organisation_id=user.organisation_id,
        course_title=title,
        course_title_en=template.course_title_en if template else "",
        issuer_name=template.issuer_name if template else settings.CERTIFICATE_DEFAULT_ISSUER,
        wording_vi=template.wording_vi if template else Certificate.wording_vi.field.default,
        wording_en=template.wording_en if template else "",
        signatories=[[s.title, s.name] for s in template.signatories.all()] if template else [],
        logo_sha256=logo_sha256,
        logo_file=logo_file,
        issued_on=issued,
        expires_on=_expiry(issued, months),
        in_person=_in_person(request),
    )
    certificate_sign(certificate)
    certificate.save()
    # Completing a course (or path) again renews its certificate: the older one is superseded.
    Certificate.objects.filter(
        user=user,
        course_id=request.course_id,
        path_id=request.path_id,
        superseded_by__isnull=True,
        revoked_at__isnull=True,
    ).exclude(pk=certificate.pk).update(superseded_by=certificate)
    CertificateEvent.objects.create(certificate=certificate, action=CertificateEvent.Action.ISSUED)
    audit_record(
        action="certificate.issued",
        target=certificate,
        summary=f"{certificate.holder_name}: {certificate.course_title}",
        data={"code": certificate.code, "issuance_key": request.key},
    )
    return certificate


def certificate_issue(*, request_id: int) -> Certificate | None:
    """Step 1. The request's certificate, created now if it does not exist yet. None when
    another worker holds the request at this moment (it will finish it) or when there is
    nothing left to certify."""
    with transaction.atomic():
        request = (
            CertificateRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user", "user__organisation", "course", "path", "certificate")
            .filter(pk=request_id)
            .first()
        )
        if request is None:
            return None
        if request.certificate_id:
            return request.certificate
        # Issued before this request existed (by the first version of the platform).
        certificate = Certificate.objects.filter(issuance_key=request.key).first()
        if certificate is None:
            try:
                with transaction.atomic():
                    certificate = _certificate_create(request)
            except IntegrityError:
                certificate = Certificate.objects.get(issuance_key=request.key)
        if certificate is None:
            request.done_at = timezone.now()
            request.last_error = "The course or learning path no longer exists."
            request.save(update_fields=["done_at", "last_error"])
            return None
        request.certificate = certificate
        request.save(update_fields=["certificate"])
        return certificate


# --------------------------------------------------------------------------------------------
# 3. Rendered
# --------------------------------------------------------------------------------------------


def pdf_name(certificate: Certificate) -> str:
    """One name per certificate, so a render repeated after a crash replaces its file."""
    issued = certificate.issued_on
    return f"certificates/{issued:%Y}/{issued:%m}/{certificate.code}.pdf"


def _store_pdf(certificate: Certificate, content: bytes) -> str:
    storage = certificate.pdf.storage
    name = pdf_name(certificate)
    for stale in {name, certificate.pdf.name} - {""}:
        if storage.exists(stale):
            storage.delete(stale)
    return storage.save(name, ContentFile(content))


def certificate_render_pdf(certificate: Certificate, *, force: bool = False) -> None:
    """Step 2. Render once and keep the file; rendering again happens only when asked."""
    if certificate.pdf and not force:
        return
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.pdf and not force:
            certificate.pdf = locked.pdf.name
            return
        with translation.override("vi"):
            content = pdf.render_certificate_pdf(pdf_context(locked))
        name = _store_pdf(locked, content)
        Certificate.objects.filter(pk=locked.pk).update(pdf=name)
    certificate.pdf = name


# --------------------------------------------------------------------------------------------
# 4. Mailed
# --------------------------------------------------------------------------------------------


def message_id(certificate: Certificate) -> str:
    domain = urlsplit(_base_url()).hostname or "localhost"
    return f"<certificate.{certificate.code}@{domain}>"


def _issued_message(certificate: Certificate) -> EmailMessage:
    user = certificate.user
    with translation.override("vi"):
        context = {"certificate": certificate, "verify_url": verify_url(certificate), "user": user}
        message = EmailMessage(
            subject=render_to_string("certificates/email/issued_subject.txt", context).strip(),
            body=render_to_string("certificates/email/issued_body.txt", context),
            to=[user.email],
            headers={"Message-ID": message_id(certificate)},
        )
    with certificate.pdf.open("rb") as handle:
        message.attach(f"chung-nhan-{certificate.code}.pdf", handle.read(), "application/pdf")
    return message


def certificate_email(certificate: Certificate) -> bool:
    """Step 3. Mail the certificate to its holder once. False when it needs no e-mail
    (already sent, revoked, or already replaced by a newer certificate)."""
    certificate_render_pdf(certificate)
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=certificate.pk)
        )
        if locked.emailed_at or locked.revoked_at or locked.superseded_by_id:
            return False
        _issued_message(locked).send()
        sent_at = timezone.now()
        Certificate.objects.filter(pk=locked.pk).update(emailed_at=sent_at)
        CertificateEvent.objects.create(certificate=locked, action=CertificateEvent.Action.EMAILED)
    certificate.emailed_at = sent_at
    return True


# --------------------------------------------------------------------------------------------
# The whole way, and the reconciler
# --------------------------------------------------------------------------------------------


def _process(request_id: int) -> tuple[Certificate | None, bool]:
    certificate = certificate_issue(request_id=request_id)
    if certificate is None:
        return None, False
    certificate_render_pdf(certificate)
    mailed = certificate_email(certificate)
    CertificateRequest.objects.filter(pk=request_id, done_at__isnull=True).update(
        done_at=timezone.now(), last_error=""
    )
    return certificate, mailed


def certificate_request_process(*, request_id: int) -> Certificate | None:
    """Carry one request through every step still to do; safe to repeat at any point."""
    return _process(request_id)[0]


def _missing_requests_create() -> int:
    """Completions that have no request - from before the outbox existed, or lost in any
    other way - get one now. Unique keys make this safe to run twice at once."""
    missing = Enrolment.objects.filter(
        status=EnrolmentStatus.COMPLETED, completed_at__isnull=False
    ).exclude(
        Exists(
            CertificateRequest.objects.filter(
                enrolment=OuterRef("pk"), completed_at=OuterRef("completed_at")
            )
        )
    )
    requests = [
        CertificateRequest(
            key=course_key(e.pk, e.completed_at),
            user_id=e.user_id,
            enrolment_id=e.pk,
            course_id=e.course_id,
            completed_at=e.completed_at,
        )
        for e in missing.only("pk", "user_id", "course_id", "completed_at")
    ]
    for template in CertificateTemplate.objects.filter(path__isnull=False).select_related("path"):
        course_ids = set(template.path.path_courses.values_list("course_id", flat=True))
        if not course_ids:
            continue
        finished = (
            Enrolment.objects.filter(course_id__in=course_ids, status=EnrolmentStatus.COMPLETED)
            .values("user_id")
            .annotate(n=Count("course_id", distinct=True), last=Max("completed_at"))
            .filter(n=len(course_ids))
        )
        for row in finished:
            requests.append(
                CertificateRequest(
                    key=path_key(template.path_id, row["user_id"], row["last"]),
                    user_id=row["user_id"],
                    path_id=template.path_id,
                    completed_at=row["last"],
                )
            )
    if not requests:
        return 0
    known = set(
        CertificateRequest.objects.filter(key__in=[r.key for r in requests]).values_list(
            "key", flat=True
        )
    )
    new = [r for r in requests if r.key not in known]
    CertificateRequest.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@dataclass
class ReconcileReport:
    requests_created: int = 0
    requests_completed: int = 0
    emails_sent: int = 0
    failures: list[str] = field(default_factory=list)


def _failed(request_id: int, error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"[:500]
    CertificateRequest.objects.filter(pk=request_id).update(
        attempts=F("attempts") + 1, last_error=text
    )
    logger.exception("Certificate request %s failed", request_id)
    return f"request {request_id}: {text}"


def certificates_reconcile() -> ReconcileReport:
    """Issue every certificate a completed course or path is owed and send every issuance
    e-mail not sent yet. Idempotent, and safe to run in several processes at once."""
    report = ReconcileReport(requests_created=_missing_requests_create())
    open_requests = (
        CertificateRequest.objects.filter(done_at__isnull=True)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    for request_id in list(open_requests):
        try:
            certificate, mailed = _process(request_id)
        except Exception as error:  # one broken request must not hold up the others
            report.failures.append(_failed(request_id, error))
            continue
        report.requests_completed += certificate is not None
        report.emails_sent += mailed
    # Current certificates whose e-mail is still owed (e.g. a reissue cut short by a crash).
    unsent = Certificate.objects.filter(
        emailed_at__isnull=True, revoked_at__isnull=True, superseded_by__isnull=True
    ).select_related("user")
    for certificate in unsent:
        try:
            report.emails_sent += certificate_email(certificate)
        except Exception as error:
            logger.exception("E-mail of certificate %s failed", certificate.code)
            report.failures.append(f"{certificate.code}: {type(error).__name__}: {error}"[:500])
    return report
