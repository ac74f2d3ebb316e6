from django.core.management.base import BaseCommand

from hr.reminders import hr_digests_send


class Command(BaseCommand):
    help = "E-mail each HR officer this week's digest of overdue and expiring items (once a week)."

    def handle(self, *args, **options):
        self.stdout.write(f"Digests sent: {hr_digests_send()}")
