from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from packages.importer import ACTION_LABELS, COURSE_ACTIONS, KIND_LABELS
from packages.services import (
    ImportOptions,
    ImportRefused,
    PackageInvalid,
    package_apply,
    package_plan,
    package_read_directory,
    package_read_zip,
)


class Command(BaseCommand):
    help = (
        "Preview or import a course package (a .pcmd.zip file or a package folder). "
        "Nothing is written with --preview, or when any line is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a .pcmd.zip file or a folder with package.yaml")
        parser.add_argument("--preview", action="store_true", help="show the plan, write nothing")
        parser.add_argument("--publish", action="store_true", help="publish the courses")
        parser.add_argument(
            "--on-existing",
            choices=COURSE_ACTIONS,
            default="refuse",
            help="what to do with a course whose code is installed (default: refuse)",
        )
        parser.add_argument(
            "--copy-as",
            action="append",
            default=[],
            metavar="CODE=NEW",
            help="import course CODE as a copy with code NEW (repeatable)",
        )
        parser.add_argument("--update-provisions", action="store_true")
        parser.add_argument("--update-questions", action="store_true")
        parser.add_argument(
            "--as-user",
            metavar="EMAIL",
            help="import with this account's permissions (default: the operator, trusted)",
        )

    def handle(self, *args, **options):
        translation.activate("vi")
        source = Path(options["source"])
        try:
            if source.is_dir():
                package = package_read_directory(source)
            elif source.is_file():
                package = package_read_zip(source.read_bytes())
            else:
                raise CommandError(f"{source}: no such file or folder")
        except PackageInvalid as error:
            raise CommandError("\n".join(error.errors)) from error
        user = None
        if options["as_user"]:
            user = get_user_model().objects.filter(email__iexact=options["as_user"]).first()
            if user is None:
                raise CommandError(f"{options['as_user']}: no such account")
        actions, new_codes = {}, {}
        for pair in options["copy_as"]:
            code, _sep, new = pair.partition("=")
            if not new:
                raise CommandError(f"--copy-as {pair}: write CODE=NEW")
            actions[code], new_codes[code] = "copy", new
        import_options = ImportOptions(
            publish=options["publish"],
            on_existing=options["on_existing"],
            course_actions=actions,
            new_codes=new_codes,
            update_provisions=options["update_provisions"],
            update_questions=options["update_questions"],
        )
        if options["preview"]:
            plan = package_plan(package=package, options=import_options, user=user)
            self._print(plan)
            if not plan.ok:
                raise CommandError(f"{len(plan.refusals)} refused")
            return
        try:
            result = package_apply(package=package, options=import_options, user=user)
        except ImportRefused as error:
            self._print(error.plan)
            raise CommandError(
                f"{len(error.plan.refusals)} refused; nothing was imported"
            ) from error
        self._print(result.plan)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.courses)} courses, {result.lessons} lessons, "
                f"{result.questions} questions, {result.activities} H5P activities imported."
            )
        )

    def _print(self, plan):
        for line in plan.lines:
            action = ACTION_LABELS[line.action]
            kind = KIND_LABELS.get(line.kind, line.kind)
            text = f"{action!s:<28} {kind!s:<20} {line.name}"
            if line.reason:
                text += f" — {line.reason}"
            style = self.style.ERROR if line.action == "refuse" else (lambda s: s)
            self.stdout.write(style(text))
