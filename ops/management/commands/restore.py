from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_check, backup_restore, verifications_run


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty system (empty database and storage), "
        "then verify certificate signatures and the audit log. --check only verifies the "
        "backup's checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("--check", action="store_true", help="Only check the checksums.")

    def handle(self, *args, source, check, **options):
        try:
            if check:
                manifest = backup_check(source)
                self.stdout.write(f"{len(manifest['files']) + 1} file(s) match the manifest.")
                return
            report = backup_restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        verifications_run(report, stdout=self.stdout, stderr=self.stderr)
        for line in report.lines:
            self.stdout.write(line)
        if report.problems:
            for line in report.problems:
                self.stderr.write(line)
            raise CommandError("The restored system failed its checks (see above).")
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}; every check passed."))
