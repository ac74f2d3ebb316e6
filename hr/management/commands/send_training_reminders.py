from django.core.management.base import BaseCommand

from hr.tasks import send_training_reminders


class Command(BaseCommand):
    help = "Queue the e-mails to trainees whose required training is due soon or overdue."

    def handle(self, *args, **options):
        result = send_training_reminders.enqueue()
        self.stdout.write(f"Queued training reminders: {result.id}")
