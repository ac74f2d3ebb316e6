from django.utils import timezone

from certificates import signing
from certificates.models import Certificate
from certificates.services import certificate_sign


def certificate_create(*, user, course=None, title="Nền tảng chung", **fields) -> Certificate:
    """A certificate record as issuance leaves it (without the PDF, made on first download)."""
    organisation = user.organisation
    certificate = Certificate(
        code=signing.new_code(),
        user=user,
        course=course,
        holder_name=user.full_name,
        staff_id=user.staff_id,
        organisation_name=organisation.name if organisation else "",
        organisation=organisation,
        course_title=title,
        issuer_name="Chương trình Phòng, chống mại dâm",
        issued_on=timezone.localdate(),
        **fields,
    )
    certificate_sign(certificate)
    certificate.save()
    return certificate
