from django.core.management.base import BaseCommand

from audit.services import audit_head_sign


class Command(BaseCommand):
    help = (
        "Sign the audit log's current head with the platform key and print it; keep the "
        "printed line somewhere the database's administrators cannot write."
    )

    def handle(self, *args, **options):
        anchor = audit_head_sign()
        if anchor is None:
            self.stdout.write("The audit log is empty; nothing to sign.")
            return
        self.stdout.write(
            f"seq={anchor.seq} hash={anchor.hash} signed_at={anchor.signed_at.isoformat()} "
            f"signature={anchor.signature}"
        )
