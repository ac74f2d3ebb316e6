from django.core.management.base import BaseCommand

from hr.tasks import send_hr_digests


class Command(BaseCommand):
    help = "Queue each HR officer's weekly digest of overdue and expiring items (once a week)."

    def handle(self, *args, **options):
        result = send_hr_digests.enqueue()
        self.stdout.write(f"Queued HR digests: {result.id}")
