from .tasks import issue_certificate, issue_path_certificates


def on_course_completed(sender, *, enrolment, completed_at, **kwargs):
    issue_certificate.enqueue(enrolment.pk, completed_at.isoformat())
    issue_path_certificates.enqueue(enrolment.user_id, enrolment.course_id)
