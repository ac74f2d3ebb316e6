from .issuance import certificates_owed_record


def on_course_completion_recorded(sender, *, enrolment, **kwargs):
    """Inside the completion's transaction: the certificates it earns are owed from now on."""
    certificates_owed_record(enrolment=enrolment)


def on_course_copied(sender, *, original, copy, user, **kwargs):
    """The copy of a course gets a copy of its certificate template (same transaction)."""
    from .models import CertificateSignatory, CertificateTemplate

    template = CertificateTemplate.objects.filter(course=original).first()
    if template is None:
        return
    fields = {
        f.name: getattr(template, f.name)
        for f in CertificateTemplate._meta.concrete_fields
        if f.name not in ("id", "course", "path", "name")
    }
    duplicate = CertificateTemplate.objects.create(
        course=copy, name=f"{template.name} ({copy.code})"[:200], **fields
    )
    for signatory in template.signatories.all():
        CertificateSignatory.objects.create(
            template=duplicate,
            name=signatory.name,
            title=signatory.title,
            sort_order=signatory.sort_order,
        )
