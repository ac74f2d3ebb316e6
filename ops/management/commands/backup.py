from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Take a consistent backup into DESTINATION (a new or empty folder): a PostgreSQL dump "
        "from one snapshot, every media and H5P object, and a manifest with checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path)

    def handle(self, *args, destination, **options):
        try:
            report = backup_create(destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in report.lines:
            self.stdout.write(line)
        if report.problems:
            for line in report.problems:
                self.stderr.write(line)
            raise CommandError(f"Backup in {destination} is incomplete (see above).")
        self.stdout.write(self.style.SUCCESS(f"Backup complete: {destination}"))
