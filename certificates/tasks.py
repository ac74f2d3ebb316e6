from django_tasks import task

from .services import (
    certificate_issue_for_completion,
    expiry_reminders_send,
    path_certificates_issue,
)


@task()
def issue_certificate(enrolment_id: int, completed_at: str) -> str | None:
    """Runs in a worker in production and at once under the immediate backend."""
    certificate = certificate_issue_for_completion(
        enrolment_id=enrolment_id, completed_at=completed_at
    )
    return certificate.code if certificate else None


@task()
def send_expiry_reminders(days_before: int = 30) -> int:
    return expiry_reminders_send(days_before=days_before)


@task()
def issue_path_certificates(user_id: int, course_id: int) -> list[str]:
    return [c.code for c in path_certificates_issue(user_id=user_id, course_id=course_id)]
