from django.core.management.base import BaseCommand

from certificates.tasks import send_expiry_reminders


class Command(BaseCommand):
    help = "Queue the e-mails to holders whose certificates expire soon (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days, **options):
        result = send_expiry_reminders.enqueue(days)
        self.stdout.write(f"Queued expiry reminders ({days} days ahead): {result.id}")
