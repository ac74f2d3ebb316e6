import logging
import signal

from django.core.management.base import BaseCommand, CommandError

from ops.scheduler import ScheduleError, build_scheduler, jobs_from_settings, runner_name

logger = logging.getLogger("ops.scheduler")


class Command(BaseCommand):
    help = (
        "Run the periodic jobs of settings.SCHEDULED_JOBS at their times, in the foreground. "
        "Several schedulers may run (on several hosts): each job runs once per time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every-minute",
            action="store_true",
            help="Run every job each minute instead of at its own times (trial runs, smoke test).",
        )
        parser.add_argument("--only", nargs="+", metavar="JOB", help="Schedule only these jobs.")
        parser.add_argument(
            "--list",
            dest="list_jobs",
            action="store_true",
            help="Print the jobs and their next times, then exit.",
        )

    def handle(self, *args, every_minute, only, list_jobs, **options):
        try:
            jobs = jobs_from_settings(every_minute=every_minute, only=only)
        except ScheduleError as error:
            raise CommandError(str(error)) from error
        scheduler = build_scheduler(jobs)
        if list_jobs:
            for job in jobs:
                self.stdout.write(f"{job.name:28} {job.cron:16} {' '.join(job.command)}")
            return

        def stop(signum, frame):
            logger.info("scheduler stopping (%s)", signal.strsignal(signum))
            scheduler.shutdown(wait=True)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        logger.info(
            "scheduler %s started with %d job(s): %s",
            runner_name(),
            len(jobs),
            ", ".join(job.name for job in jobs),
        )
        scheduler.start()
