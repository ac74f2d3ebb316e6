"""Reminders that are sent once per event: trainees before a due date and once overdue,
HR officers a weekly digest of their subtree. Each send writes a SentReminder row, unique
per (kind, person, subject, date), in the transaction that sends the mail: a second run, or
two schedulers at once, send nothing more, and a mail that fails leaves no row (the next
run tries again)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import HR_OFFICER

from . import compliance
from .models import ReminderKind, SentReminder

logger = logging.getLogger(__name__)


def _send_once(*, kind, user, subject: str, event_date, template: str, context: dict) -> bool:
    """Record the event and send its mail together; False if it was sent before."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                kind=kind, user=user, subject=subject, event_date=event_date
            )
            with translation.override("vi"):
                context = {**context, "user": user, "site": settings.WAGTAILADMIN_BASE_URL}
                title = " ".join(
                    render_to_string(f"hr/email/{template}_subject.txt", context).split()
                )
                body = render_to_string(f"hr/email/{template}_body.txt", context)
            EmailMultiAlternatives(
                subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + title, body=body, to=[user.email]
            ).send()
    except IntegrityError:
        return False  # already sent (by an earlier run or a concurrent one)
    return True


def training_reminders_send(*, days_before: int | None = None) -> dict[str, int]:
    """Due-soon and overdue e-mails for every unfinished required path with a due date."""
    days_before = settings.HR_REMINDER_DAYS_BEFORE if days_before is None else days_before
    today = timezone.localdate()
    counts = {"due_soon": 0, "overdue": 0}
    filters = compliance.Filters()
    for path in compliance.paths_in_view(filters):
        pending = compliance.Requirements(path, filters, "required")
        total = len(pending.course_ids)
        for row in pending.raw():
            if row["is_done"]:
                continue
            due = compliance.as_date(row["personal_due"]) or compliance.role_due_date(
                path, row["date_joined"]
            )
            if due is None:
                continue
            if due < today:
                kind, template = ReminderKind.OVERDUE, "overdue"
            elif due <= today + timedelta(days=days_before):
                kind, template = ReminderKind.DUE_SOON, "due_soon"
            else:
                continue
            person = User(pk=row["id"], email=row["email"], full_name=row["full_name"])
            if _send_once(
                kind=kind,
                user=person,
                subject=f"path:{path.pk}",
                event_date=due,
                template=template,
                context={"path": path, "due": due, "done": row["done"], "total": total},
            ):
                counts[kind] += 1
    return counts


def hr_digests_send() -> int:
    """One digest a week (keyed by the week's Monday) to each HR officer with a unit."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    sent = 0
    officers = User.objects.filter(
        is_active=True, groups__name=HR_OFFICER, organisation__isnull=False
    ).select_related("organisation")
    for officer in officers.distinct():
        if SentReminder.objects.filter(
            kind=ReminderKind.DIGEST, user=officer, subject="digest", event_date=monday
        ).exists():
            continue
        filters = compliance.Filters(unit=officer.organisation)
        data = compliance.dashboard(filters)
        paths = [
            {"path": p, **data["totals"][p.pk]}
            for p in data["paths"]
            if data["totals"][p.pk]["required"]
        ]
        overdue = []
        for p in data["paths"]:
            people = compliance.people(filters, path=p, status="overdue", unit=None, direct=False)
            overdue += [(person, p) for person in people[: settings.HR_DIGEST_MAX_NAMES]]
        if _send_once(
            kind=ReminderKind.DIGEST,
            user=officer,
            subject="digest",
            event_date=monday,
            template="digest",
            context={
                "unit": officer.organisation,
                "paths": paths,
                "certificates": data["certificate_totals"],
                "overdue": overdue[: settings.HR_DIGEST_MAX_NAMES],
                "week": monday,
            },
        ):
            sent += 1
    return sent
