from django.core.management.base import BaseCommand

from courses.models import CoursePage
from courses.services import course_progress_recheck


class Command(BaseCommand):
    help = (
        "Recheck every course's active enrolments and complete those whose remaining "
        "required steps are all done (after a trainer removed the others). The publish that "
        "changes a course does this in a task; the scheduler runs this hourly in case that "
        "task was lost. Idempotent."
    )

    def handle(self, *args, **options):
        rechecked = sum(
            course_progress_recheck(course=course) for course in CoursePage.objects.all()
        )
        self.stdout.write(f"enrolments rechecked: {rechecked}")
