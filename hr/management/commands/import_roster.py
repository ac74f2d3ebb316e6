from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Organisation
from hr import roster
from hr.models import ImportKind
from hr.services import RosterApplyError, roster_apply, roster_read
from hr.tables import TableError


class Command(BaseCommand):
    help = (
        "Import staff (or, with --units, organisation units) from a CSV or XLSX file, printing "
        "what each row does; --dry-run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--organisation",
            metavar="CODE",
            help="Limit the import to this unit and the units below it (by its code).",
        )
        parser.add_argument("--units", action="store_true", help="The file lists units.")

    def handle(self, *args, file, dry_run, organisation, units, **options):
        translation.activate("vi")
        scope = None
        if organisation:
            scope = Organisation.objects.filter(code__iexact=organisation).first()
            if scope is None:
                raise CommandError(_("No unit has the code %(code)s.") % {"code": organisation})
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file at %(path)s.") % {"path": file})
        kind = ImportKind.UNITS if units else ImportKind.STAFF
        try:
            roster_import = roster_read(
                data=path.read_bytes(), filename=path.name, kind=kind, actor=None, scope=scope
            )
        except TableError as error:
            raise CommandError(_("Nothing was imported: %(error)s") % {"error": error}) from error
        if not dry_run:
            try:
                roster_import = roster_apply(roster_import=roster_import, actor=None)
            except RosterApplyError as error:
                raise CommandError(str(error)) from error
        for row in roster_import.report:
            self.stdout.write(roster.row_text(row))
        counts = roster.summary(roster_import.report)
        if dry_run:
            summary = _(
                "Dry run, nothing changed: %(create)s to create, %(update)s to update, "
                "%(unchanged)s unchanged, %(refuse)s refused."
            )
        else:
            summary = _(
                "Applied: %(create)s created, %(update)s updated, %(unchanged)s unchanged, "
                "%(refuse)s refused."
            )
        self.stdout.write(summary % counts)
