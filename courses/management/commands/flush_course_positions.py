from django.core.management.base import BaseCommand

from courses.positions import positions_flush


class Command(BaseCommand):
    help = (
        "Write where trainees are in their courses (kept in the cache when they open a "
        "lesson, so that no page view writes to the database) to their enrolments. The "
        "scheduler runs it every 5 minutes."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"positions saved: {positions_flush()}")
