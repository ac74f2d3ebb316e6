from django.core.management.base import BaseCommand

from hr.reminders import training_reminders_send


class Command(BaseCommand):
    help = "E-mail trainees whose required training is due soon or overdue (once per event)."

    def handle(self, *args, **options):
        counts = training_reminders_send()
        self.stdout.write(f"Due soon: {counts['due_soon']}; overdue: {counts['overdue']}")
