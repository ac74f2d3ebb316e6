from django.core.management.base import BaseCommand

from hr.tasks import send_invitations


class Command(BaseCommand):
    help = "Queue the invitations owed to people brought in by a roster import (an outbox)."

    def handle(self, *args, **options):
        result = send_invitations.enqueue()
        self.stdout.write(f"Queued invitations: {result.id}")
