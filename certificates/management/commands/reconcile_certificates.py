from django.core.management.base import BaseCommand, CommandError

from certificates.services import certificates_reconcile


class Command(BaseCommand):
    help = (
        "Issue every certificate that a completed course or learning path is owed, render "
        "any PDF not stored yet and send any issuance e-mail not sent yet. Idempotent and "
        "safe to run in several processes at once; the scheduler runs it every 10 minutes."
    )

    def handle(self, *args, **options):
        report = certificates_reconcile()
        self.stdout.write(
            f"requests created: {report.requests_created}, "
            f"requests completed: {report.requests_completed}, "
            f"e-mails sent: {report.emails_sent}, failures: {len(report.failures)}"
        )
        if report.failures:
            raise CommandError("; ".join(report.failures[:20]))
