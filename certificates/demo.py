from django.db import transaction

from .models import CertificateSignatory, CertificateTemplate


@transaction.atomic
def demo_certificate_template_load(*, course) -> CertificateTemplate:
    template, created = CertificateTemplate.objects.get_or_create(
        course=course,
        defaults={
            "name": f"Chứng nhận {course.code}",
            "wording_vi": "đã hoàn thành khóa học",
            "wording_en": "has completed the course",
            "course_title_en": "Common foundation in prostitution prevention",
            "issuer_name": "Ban Điều hành Chương trình Phòng, chống mại dâm (dữ liệu minh họa)",
        },
    )
    if created:
        CertificateSignatory.objects.create(
            template=template, name="Nguyễn Văn Hùng", title="Trưởng ban (minh họa)", sort_order=0
        )
    return template
