from django.core.management.base import BaseCommand

from hr.services import invitations_send


class Command(BaseCommand):
    help = "Send the invitations owed to people brought in by a roster import."

    def handle(self, *args, **options):
        self.stdout.write(f"Invitations sent: {invitations_send()}")
