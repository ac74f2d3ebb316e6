from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, demo_accounts_load
from accounts.roles import ROLE_LABELS
from content.h5p.packaging import LIBRARIES_DIR
from content.h5p.services import h5p_library_install_directory
from courses.models import CoursePage
from courses.services import course_catalogue_ensure, course_owner_add
from home.services import site_homepage_ensure
from packages.services import ImportRefused, PackageInvalid, curriculum_load
from workshops.demo import demo_sessions_ensure

CATALOGUE_TITLE = "Khóa học"


class Command(BaseCommand):
    help = (
        "Load the demo organisations and accounts, and install the starter curriculum "
        "(curriculum/starter, a course package) through the importer. Idempotent. "
        "Development only."
    )

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "Refusing to load demo accounts: DEMO_DATA_ALLOWED is off in these settings "
                "(production never allows it)."
            )
        accounts = demo_accounts_load()
        course_catalogue_ensure(home=site_homepage_ensure(), title=CATALOGUE_TITLE)
        # The platform's own H5P library, trusted as its own code, so the starter's practice
        # activity plays without an administrator's approval.
        h5p_library_install_directory(directory=LIBRARIES_DIR / "H5P.PcmdChoice-1.1")
        try:
            result = curriculum_load()
        except PackageInvalid as error:
            raise CommandError("\n".join(error.errors)) from error
        except ImportRefused as error:
            lines = [f"{line.kind} {line.name}: {line.reason}" for line in error.plan.refusals]
            raise CommandError("\n".join(lines)) from error
        _demo_trainer_owns_the_starter_courses(accounts)
        step = demo_sessions_ensure()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {CoursePage.objects.count()} courses "
                f"({len(result.courses)} new)."
            )
        )
        if step is not None:
            self.stdout.write(
                f"In-person session step: {step.url} (the trainer runs it under "
                "Admin > Buổi tập huấn trực tiếp)"
            )
        self.stdout.write("Demo sign-ins (development only):")
        for account in accounts:
            self.stdout.write(
                f"  {ROLE_LABELS[account.role]!s:<16} {account.email:<26} {DEMO_PASSWORD}"
            )


def _demo_trainer_owns_the_starter_courses(accounts) -> None:
    """The demo trainer authors the starter courses, as the trainer who wrote them would
    (every other trainer sees only their own courses)."""
    from accounts.models import User
    from accounts.roles import TRAINER

    for account in accounts:
        if account.role != TRAINER:
            continue
        trainer = User.objects.get(email__iexact=account.email)
        for course in CoursePage.objects.all():
            course_owner_add(course=course, user=trainer, reason="demo")
