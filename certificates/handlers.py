from .tasks import issue_certificate


def on_course_completed(sender, *, enrolment, completed_at, **kwargs):
    issue_certificate.enqueue(enrolment.pk, completed_at.isoformat())
