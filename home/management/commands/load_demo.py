from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, demo_accounts_load
from accounts.roles import ROLE_LABELS
from assessments.demo import demo_quiz_load
from certificates.demo import demo_certificate_template_load
from courses.demo import demo_activity_load, demo_curriculum_load
from home.services import site_homepage_ensure


class Command(BaseCommand):
    help = "Load the demo organisations, accounts and curriculum (idempotent). Development only."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "Refusing to load demo accounts: DEMO_DATA_ALLOWED is off in these settings "
                "(production never allows it)."
            )
        accounts = demo_accounts_load()
        courses = demo_curriculum_load(home=site_homepage_ensure())
        demo_activity_load(foundation=courses["PCMD-101"])
        demo_quiz_load(foundation=courses["PCMD-101"])
        demo_certificate_template_load(course=courses["PCMD-101"])
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(courses)} courses."))
        self.stdout.write("Demo sign-ins (development only):")
        for account in accounts:
            self.stdout.write(
                f"  {ROLE_LABELS[account.role]!s:<16} {account.email:<26} {DEMO_PASSWORD}"
            )
