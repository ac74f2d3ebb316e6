"""Reads for certificates: what verifiers and HR officers may see."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import organisation_subtree

from . import signing
from .models import Certificate


def certificate_by_code(*, text: str) -> Certificate | None:
    code = signing.normalise_code(text or "")
    if code is None:
        return None
    return Certificate.objects.select_related("superseded_by").filter(code=code).first()


SIGNED_FIELD_LABELS = {
    "code": _("certificate code"),
    "holder": _("holder's name"),
    "staff_id": _("staff ID"),
    "organisation": _("organisation"),
    "course": _("course or learning path"),
    "course_en": _("course title in English"),
    "wording": _("wording"),
    "wording_en": _("wording in English"),
    "issued": _("date of issue"),
    "expires": _("valid until"),
    "issuer": _("issuing organisation"),
    "signatories": _("signatories"),
    "logo": _("logo or seal"),
    "in_person": _("in-person training sessions"),
}


def signed_fields(certificate: Certificate) -> tuple[list[str], list[str]]:
    """(fields the certificate's signature covers, printed fields it does not cover)."""
    covered = list(signing.SIGNED_FIELDS[certificate.payload_version])
    newest = signing.SIGNED_FIELDS[signing.PAYLOAD_VERSION]
    return covered, [f for f in newest if f not in covered]


def public_view(certificate: Certificate) -> dict:
    """Only what a verifier needs: no e-mail, staff ID, organisation or results. The names
    (not the values) of the fields the signature covers are listed."""
    successor = certificate.superseded_by
    covered, uncovered = signed_fields(certificate)
    return {
        "code": certificate.code,
        "status": certificate.status,
        "status_label": str(certificate.get_status_display()),
        "holder_name": certificate.holder_name,
        "course_title": certificate.course_title,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "issuer": certificate.issuer_name,
        "revoked_on": timezone.localdate(certificate.revoked_at)
        if certificate.revoked_at
        else None,
        "superseded_by": successor.code if successor else None,
        "replaces": [c.code for c in certificate.supersedes.all()],
        "payload_version": certificate.payload_version,
        "signed_fields": covered,
        "unsigned_fields": uncovered,
    }


def field_labels(fields: list[str]) -> list[str]:
    return [str(SIGNED_FIELD_LABELS[f]) for f in fields]


def signature_matches(certificate: Certificate, signature: str) -> bool:
    from .issuance import certificate_payload

    public_key = signing.platform_private_key().public_key()
    return signing.verify(certificate_payload(certificate), signature, public_key)


def certificates_for_user(*, user) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(user=user)
        .select_related("superseded_by")
        .order_by("-issued_on", "-created_at")
    )


def hr_scope_q(*, hr_user) -> Q:
    """An HR officer's certificates: those issued to staff of their own organisation and
    its sub-units, by the organisation recorded on the certificate at issue time, so a
    holder who moves (or claims to) takes no certificate out of the issuing office's
    reach; an administrator sees every certificate."""
    if hr_user.is_superuser:
        return Q()
    if not hr_user.organisation_id:
        return Q(pk__in=[])
    units = organisation_subtree(organisation=hr_user.organisation)
    return Q(organisation__in=units)


def certificates_for_staff_id(*, hr_user, staff_id: str) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(hr_scope_q(hr_user=hr_user))
        .filter(Q(staff_id=staff_id) | Q(user__staff_id=staff_id))
        .select_related("superseded_by")
        .order_by("-issued_on")
    )


def certificate_template_open_to(user, template) -> bool:
    """A course's certificate template is worked on by that course's owners and
    administrators; a learning path's by every trainer (paths have no owners)."""
    from courses.items import is_administrator
    from courses.selectors import user_manages_course

    if template.course_id is None or is_administrator(user):
        return True
    return user_manages_course(user=user, course=template.course)


def certificate_templates_open_to(*, user):
    from courses.items import is_administrator

    from .models import CertificateTemplate

    templates = CertificateTemplate.objects.select_related("course", "path").order_by("name")
    if is_administrator(user):
        return templates
    return templates.filter(Q(course__isnull=True) | Q(course__owners__user=user)).distinct()
