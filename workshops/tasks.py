from django_tasks import task

from .mail import mail_send


@task()
def send_session_mail(mail_id: int) -> bool:
    """Enqueued after the change it tells commits; `send_session_mail` (scheduled) sends
    whatever a lost task left."""
    return mail_send(mail_id=mail_id)
