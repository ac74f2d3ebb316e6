from django_tasks import task

from .issuance import certificate_request_process
from .services import (
    certificate_issue_for_completion,
    expiry_reminders_send,
    path_certificates_issue,
)


@task()
def process_certificate_request(request_id: int) -> str | None:
    """Issue, render and mail the certificate a completion is owed (each step only if it is
    not done yet). Enqueued after the completion commits; the reconciler covers a lost one."""
    certificate = certificate_request_process(request_id=request_id)
    return certificate.code if certificate else None


@task()
def issue_certificate(enrolment_id: int, completed_at: str) -> str | None:
    """Kept for tasks queued before the outbox existed."""
    certificate = certificate_issue_for_completion(
        enrolment_id=enrolment_id, completed_at=completed_at
    )
    return certificate.code if certificate else None


@task()
def send_expiry_reminders(days_before: int = 30) -> int:
    return expiry_reminders_send(days_before=days_before)


@task()
def issue_path_certificates(user_id: int, course_id: int) -> list[str]:
    """Kept for tasks queued before the outbox existed."""
    return [c.code for c in path_certificates_issue(user_id=user_id, course_id=course_id)]
