"""HR's background work: the scheduled commands and a roster import queue these, so the
mail goes out from a task worker, never from a web request or the scheduler's thread. Each
is idempotent (an outbox row or a SentReminder row per mail), so a task run twice, or the
scheduled run after a lost task, sends nothing twice."""

from django_tasks import task

from .reminders import hr_digests_send, training_reminders_send
from .services import invitations_send


@task()
def send_invitations(roster_import_id: int | None = None) -> int:
    from .models import RosterImport

    roster_import = (
        RosterImport.objects.filter(pk=roster_import_id).first() if roster_import_id else None
    )
    if roster_import_id and roster_import is None:
        return 0
    return invitations_send(roster_import=roster_import)


@task()
def send_training_reminders() -> dict:
    return training_reminders_send()


@task()
def send_hr_digests() -> int:
    return hr_digests_send()
