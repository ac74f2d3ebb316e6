from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from ops.models import JobRun


class Command(BaseCommand):
    help = "Delete the scheduler's records of job runs older than --days (default 90)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = JobRun.objects.filter(scheduled_for__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} job run record(s) older than {days} days.")
