"""The e-mails about sessions, with their calendar invitations (.ics, RFC 5546)."""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import MailKind, Registration, RegistrationStatus, SessionMail, TrainingSession


def _domain() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def event_uid(session: TrainingSession, registration: Registration) -> str:
    """One calendar event per trainee and session: updates and cancellations replace it."""
    return f"pcmd-session-{session.pk}-{registration.pk}@{_domain()}"


def _organiser_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or f"no-reply@{_domain()}"


def session_ics(*, registration: Registration, cancel: bool = False) -> bytes:
    """A calendar with the one event, in Asia/Ho_Chi_Minh time (its VTIMEZONE included)."""
    session = registration.session
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//PCMD e-learning//training sessions//VI")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = icalendar.Event()
    event.add("uid", event_uid(session, registration))
    event.add("sequence", registration.revision)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", session.step.title)
    location = ", ".join(part for part in (session.place, session.address) if part)
    event.add("location", location)
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + session.step.url
    event.add("url", url)
    event.add("description", f"{session.step.title}\n{location}\n{url}")
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    organiser = icalendar.vCalAddress(f"mailto:{_organiser_address()}")
    event.add("organizer", organiser)
    attendee = icalendar.vCalAddress(f"mailto:{registration.user.email}")
    attendee.params["cn"] = icalendar.vText(registration.user.full_name or registration.user.email)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


_SUBJECTS = {
    MailKind.CONFIRMED: "workshops/mail/confirmed",
    MailKind.WAITLISTED: "workshops/mail/waitlisted",
    MailKind.PROMOTED: "workshops/mail/promoted",
    MailKind.CANCELLED: "workshops/mail/cancelled",
    MailKind.REMINDER: "workshops/mail/reminder",
}
# Kinds that put the session in the trainee's calendar (or take it out).
_WITH_INVITATION = {MailKind.CONFIRMED, MailKind.PROMOTED, MailKind.REMINDER}


def mail_message(mail: SessionMail) -> EmailMultiAlternatives:
    registration = mail.registration
    session = registration.session
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": registration.user,
            "session": session,
            "step": session.step,
            "starts_at": timezone.localtime(session.starts_at),
            "ends_at": timezone.localtime(session.ends_at),
            "cancellable_until": timezone.localtime(session.cancellable_until),
            "url": base + session.step.url,
            "waiting_position": _waiting_position(registration),
        }
        template = _SUBJECTS[mail.kind]
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[registration.user.email],
        headers={"Message-ID": f"<workshop-mail-{mail.pk}@{_domain()}>"},
    )
    if mail.kind in _WITH_INVITATION:
        message.attach("buoi-tap-huan.ics", session_ics(registration=registration), "text/calendar")
    elif mail.kind == MailKind.CANCELLED:
        message.attach(
            "huy-buoi-tap-huan.ics",
            session_ics(registration=registration, cancel=True),
            "text/calendar",
        )
    return message


def _waiting_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            session_id=registration.session_id,
            status=RegistrationStatus.WAITLISTED,
            queued_at__lte=registration.queued_at,
        ).count()
        or None
    )


def _still_true(mail: SessionMail) -> bool:
    """An e-mail overtaken by events is not sent: no "confirmed" to someone who cancelled
    before the worker ran, no reminder for a cancelled seat or a session already over."""
    status = mail.registration.status
    if mail.kind in (MailKind.CONFIRMED, MailKind.PROMOTED, MailKind.REMINDER):
        return status == RegistrationStatus.REGISTERED and (
            mail.registration.session.ends_at > timezone.now()
        )
    if mail.kind == MailKind.WAITLISTED:
        return status == RegistrationStatus.WAITLISTED
    return True


def mail_send(*, mail_id: int) -> bool:
    """Send one outbox e-mail once: the row is locked and marked sent in the transaction
    that sends it. A crash between the mail server's acceptance and the commit sends it
    again with the same Message-ID, which mail clients treat as one message."""
    with transaction.atomic():
        mail = (
            SessionMail.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("registration__user", "registration__session__step")
            .filter(pk=mail_id, sent_at__isnull=True)
            .first()
        )
        if mail is None:
            return False
        if _still_true(mail):
            mail_message(mail).send()
        SessionMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now())
    return True
