from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain and its signed heads; names the first broken link "
        "and exits with status 1 if there is one."
    )

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(
                f"Audit log broken at entry #{report.problem.seq}: {report.problem.reason}. "
                f"({report.entries} entries read, {report.anchors} signed heads.)"
            )
        self.stdout.write(
            f"Audit log intact: {report.entries} entries, {report.anchors} signed heads checked."
        )
