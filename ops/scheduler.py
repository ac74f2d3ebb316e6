"""The scheduler for periodic jobs (settings.SCHEDULED_JOBS), on APScheduler.

Each job is a management command. At its scheduled time every running scheduler tries the
job's PostgreSQL advisory lock; the one that gets it records the run (job, scheduled time),
which is unique, and runs the command. So any number of schedulers, on any hosts, run each
job once per scheduled time, and never two runs of one job at the same moment.
"""

import io
import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import IntegrityError, close_old_connections, connection
from django.db.utils import DatabaseError
from django.utils import timezone

from .locks import advisory_lock
from .models import JobRun

logger = logging.getLogger("ops.scheduler")

# A run may start this late after its time and still count as that time's run. Shorter
# than a minute, the finest cron step, so a run always belongs to exactly one time.
GRACE_SECONDS = 30
OUTPUT_LIMIT = 4000


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Job:
    name: str
    command: tuple[str, ...]
    cron: str
    trigger: CronTrigger

    def time_for(self, now: datetime) -> datetime:
        """The scheduled time this run belongs to (the latest one not after `now`)."""
        due = self.trigger.get_next_fire_time(None, now - timedelta(seconds=GRACE_SECONDS))
        if due is None or due > now:
            # Started later than the grace allows (APScheduler would not have started it).
            return now.replace(second=0, microsecond=0)
        return due


def jobs_from_settings(*, every_minute: bool = False, only: list[str] | None = None) -> list[Job]:
    """Validate settings.SCHEDULED_JOBS: unique names, known commands, valid cron lines."""
    tz = ZoneInfo(settings.TIME_ZONE)
    known = get_commands()
    jobs, seen = [], set()
    for spec in settings.SCHEDULED_JOBS:
        name, command, cron = spec.get("name"), spec.get("command"), spec.get("cron")
        if not name or name in seen:
            raise ScheduleError(f"SCHEDULED_JOBS: missing or repeated job name {name!r}")
        seen.add(name)
        if not command or command[0] not in known:
            raise ScheduleError(f"SCHEDULED_JOBS: job {name!r} runs an unknown command {command!r}")
        if every_minute:
            cron = "* * * * *"
        try:
            trigger = CronTrigger.from_crontab(cron, timezone=tz)
        except ValueError as error:
            raise ScheduleError(
                f"SCHEDULED_JOBS: job {name!r} has a bad cron line: {error}"
            ) from error
        jobs.append(Job(name=name, command=tuple(command), cron=cron, trigger=trigger))
    if only:
        unknown = set(only) - seen
        if unknown:
            raise ScheduleError(f"unknown job(s): {', '.join(sorted(unknown))}")
        jobs = [job for job in jobs if job.name in only]
    return jobs


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_job(job: Job, *, scheduled_for: datetime | None = None) -> str:
    """Run `job` for its current scheduled time unless another scheduler has it or had it.
    Returns what happened: "succeeded", "failed", "busy" or "done elsewhere"."""
    scheduled_for = scheduled_for or job.time_for(timezone.now())
    extra = {"job": job.name, "scheduled_for": scheduled_for.isoformat()}
    close_old_connections()
    try:
        with advisory_lock(f"pcmd-job:{job.name}") as locked:
            if not locked:
                logger.info("job %s skipped: running elsewhere", job.name, extra=extra)
                return "busy"
            try:
                run = JobRun.objects.create(
                    name=job.name, scheduled_for=scheduled_for, runner=runner_name()
                )
            except IntegrityError:
                logger.info("job %s skipped: already run for this time", job.name, extra=extra)
                return "done elsewhere"
            return _execute(job, run, extra)
    except DatabaseError:
        # The database is away (restart, failover): this time is skipped, the next one runs.
        logger.exception("job %s not run: database unavailable", job.name, extra=extra)
        return "failed"
    finally:
        connection.close()


def _execute(job: Job, run: JobRun, extra: dict) -> str:
    logger.info("job %s started", job.name, extra=extra)
    started = time.monotonic()
    output = io.StringIO()
    status = JobRun.Status.SUCCEEDED
    try:
        call_command(*job.command, stdout=output, stderr=output)
    except BaseException:
        status = JobRun.Status.FAILED
        logger.exception("job %s failed", job.name, extra=extra)
    seconds = round(time.monotonic() - started, 3)
    text = output.getvalue()
    close_old_connections()
    JobRun.objects.filter(pk=run.pk).update(
        status=status, finished_at=timezone.now(), output=text[-OUTPUT_LIMIT:]
    )
    logger.info(
        "job %s %s in %.3f s",
        job.name,
        status,
        seconds,
        extra={**extra, "status": status, "seconds": seconds},
    )
    return status


def build_scheduler(jobs: list[Job]) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone=ZoneInfo(settings.TIME_ZONE),
        executors={"default": ThreadPoolExecutor(max(4, len(jobs)))},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": GRACE_SECONDS},
    )
    for job in jobs:
        scheduler.add_job(run_job, job.trigger, args=[job], id=job.name, name=job.name)
    return scheduler
