from django.core.mail import EmailMessage, EmailMultiAlternatives
from django_tasks import task


@task()
def send_account_mail(
    *,
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    html: str | None = None,
    headers: dict | None = None,
) -> int:
    """Send one message allauth rendered (verification, password reset, notices). A task,
    so that answering a request never waits for the mail server: sign-up takes the same
    time whether the address is new or known."""
    if html is not None and body:
        message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers)
        message.attach_alternative(html, "text/html")
    elif html is not None:
        message = EmailMessage(subject, html, from_email, to, headers=headers)
        message.content_subtype = "html"
    else:
        message = EmailMessage(subject, body, from_email, to, headers=headers)
    return message.send()
