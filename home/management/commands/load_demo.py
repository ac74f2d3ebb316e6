from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, demo_accounts_load
from accounts.roles import ROLE_LABELS


class Command(BaseCommand):
    help = "Load the demo organisations and accounts (idempotent). Development only."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "Refusing to load demo accounts: DEMO_DATA_ALLOWED is off in these settings "
                "(production never allows it)."
            )
        accounts = demo_accounts_load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo sign-ins (development only):"))
        for account in accounts:
            self.stdout.write(
                f"  {ROLE_LABELS[account.role]!s:<16} {account.email:<26} {DEMO_PASSWORD}"
            )
