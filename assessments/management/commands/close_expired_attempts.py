from django.core.management.base import BaseCommand

from assessments.services import attempts_close_expired


class Command(BaseCommand):
    help = "Grade quiz attempts left open past their time limit, from their saved answers."

    def handle(self, *args, **options):
        closed = attempts_close_expired()
        self.stdout.write(f"Closed and graded {closed} expired attempt(s).")
