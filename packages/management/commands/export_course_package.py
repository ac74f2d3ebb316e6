from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.models import CoursePage
from packages.exporter import package_tree, write_directory, write_zip


class Command(BaseCommand):
    help = (
        "Export courses as a course package: a .pcmd.zip file (with every file's SHA-256), "
        "or with --directory the folder form kept in source control."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", help="the .pcmd.zip file (or folder) to write")
        parser.add_argument("--course", action="append", default=[], metavar="CODE")
        parser.add_argument("--all", action="store_true", help="every course in the catalogue")
        parser.add_argument("--paths", action="store_true", help="include learning paths")
        parser.add_argument(
            "--question-bank", action="store_true", help="every question, not only those used"
        )
        parser.add_argument("--directory", action="store_true", help="write the folder form")
        parser.add_argument("--key", default="exported-courses")
        parser.add_argument("--title", default="Gói khóa học")

    def handle(self, *args, **options):
        if options["all"]:
            courses = list(CoursePage.objects.order_by("path"))
        else:
            courses = []
            for code in options["course"]:
                course = CoursePage.objects.filter(code=code).first()
                if course is None:
                    raise CommandError(f"{code}: no such course")
                courses.append(course)
        if not courses:
            raise CommandError("name courses with --course CODE, or use --all")
        files = package_tree(
            courses=courses,
            key=options["key"],
            title=options["title"],
            include_paths=options["paths"],
            include_question_bank=options["question_bank"] or options["all"],
        )
        target = Path(options["target"])
        if options["directory"]:
            write_directory(files, target)
        else:
            write_zip(files, target)
        self.stdout.write(self.style.SUCCESS(f"{len(courses)} courses written to {target}"))
