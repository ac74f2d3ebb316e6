"""The scheduler runs each periodic job once per scheduled time under a PostgreSQL advisory
lock, however many schedulers run; the worker recovers tasks its killed predecessor left."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ops.locks import advisory_lock, is_held_elsewhere
from ops.models import JobRun
from ops.scheduler import ScheduleError, jobs_from_settings, run_job
from ops.worker import MAX_CLAIMS, orphans_requeue

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _job(
    settings, name="prune_job_runs", command=("prune_job_runs", "--days", "1"), cron="* * * * *"
):
    settings.SCHEDULED_JOBS = [{"name": name, "command": list(command), "cron": cron}]
    return jobs_from_settings()[0]


def test_every_registered_job_runs_a_known_command_with_a_valid_cron_line():
    jobs = jobs_from_settings()

    assert {job.name for job in jobs} >= {
        "close_expired_attempts",
        "send_expiry_reminders",
        "publish_scheduled",
        "prune_task_results",
    }


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ({"name": "x", "command": ["no_such_command"], "cron": "* * * * *"}, "unknown command"),
        ({"name": "x", "command": ["prune_job_runs"], "cron": "61 * * * *"}, "bad cron line"),
        ({"name": "", "command": ["prune_job_runs"], "cron": "* * * * *"}, "job name"),
    ],
)
def test_a_bad_job_is_refused_before_the_scheduler_starts(settings, spec, says):
    settings.SCHEDULED_JOBS = [spec]

    with pytest.raises(ScheduleError, match=says):
        jobs_from_settings()
    with pytest.raises(CommandError, match=says):
        call_command("run_scheduler", "--list")


def test_a_run_belongs_to_the_scheduled_time_it_started_for(settings):
    job = _job(settings, cron="*/10 * * * *")
    slot = datetime(2026, 12, 1, 9, 10, tzinfo=HCM)

    assert job.time_for(slot + timedelta(seconds=3)) == slot
    assert job.time_for(slot + timedelta(seconds=29)) == slot


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_time_run_the_job_once(settings):
    job = _job(settings)
    slot = timezone.now().replace(second=0, microsecond=0)
    barrier = threading.Barrier(4)
    outcomes = []

    def scheduler():
        barrier.wait()
        outcomes.append(run_job(job, scheduled_for=slot))

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes).count("succeeded") == 1
    assert set(outcomes) - {"succeeded"} <= {"busy", "done elsewhere"}
    run = JobRun.objects.get(name=job.name)
    assert run.scheduled_for == slot and run.status == "succeeded"
    assert "Deleted 0 job run record(s)" in run.output


@pytest.mark.django_db(transaction=True)
def test_a_later_scheduler_skips_a_time_already_run_and_the_next_time_runs(settings):
    job = _job(settings)
    slot = timezone.now().replace(second=0, microsecond=0)

    first = run_job(job, scheduled_for=slot)
    again = run_job(job, scheduled_for=slot)
    later = run_job(job, scheduled_for=slot + timedelta(minutes=1))

    assert (first, again, later) == ("succeeded", "done elsewhere", "succeeded")
    assert JobRun.objects.filter(name=job.name).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_job_still_running_elsewhere_is_not_started_again(settings):
    job = _job(settings)
    with advisory_lock(f"pcmd-job:{job.name}") as locked:
        assert locked and is_held_elsewhere(f"pcmd-job:{job.name}")

        outcome = run_job(job)

    assert outcome == "busy"
    assert not JobRun.objects.exists()
    assert not is_held_elsewhere(f"pcmd-job:{job.name}")  # released with its connection


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_recorded_and_the_scheduler_goes_on(settings):
    job = _job(settings, command=("prune_job_runs", "--days", "not-a-number"))

    outcome = run_job(job)

    assert outcome == "failed"
    assert JobRun.objects.get(name=job.name).status == "failed"
    assert not is_held_elsewhere(f"pcmd-job:{job.name}")


# --- the task worker ----------------------------------------------------------------------


def _task(worker_ids, status=TaskResultStatus.RUNNING):
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="certificates.tasks.send_expiry_reminders",
        backend_name="default",
        run_after=timezone.now(),
        worker_ids=worker_ids,
        started_at=timezone.now(),
    )


@pytest.mark.django_db
def test_a_restarted_worker_requeues_only_the_tasks_it_was_running():
    mine = _task(["host-1"])
    taken_over = _task(["host-1", "host-2"])  # claimed again by another worker since
    other = _task(["host-2"])
    finished = _task(["host-1"], status=TaskResultStatus.SUCCESSFUL)

    counts = orphans_requeue(worker_id="host-1")

    assert counts == {"requeued": 1, "failed": 0}
    mine.refresh_from_db()
    assert mine.status == TaskResultStatus.READY and mine.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=mine.pk).exists()
    for task in (taken_over, other):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING
    finished.refresh_from_db()
    assert finished.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db
def test_a_task_that_keeps_killing_its_worker_is_failed_not_retried_forever():
    poison = _task(["host-1"] * MAX_CLAIMS)

    counts = orphans_requeue(worker_id="host-1")

    poison.refresh_from_db()
    assert counts == {"requeued": 0, "failed": 1}
    assert poison.status == TaskResultStatus.FAILED
    assert "WorkerDied" in poison.exception_class_path


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_with_the_same_id_is_refused(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with advisory_lock("pcmd-worker:host-9") as locked:
        assert locked
        with pytest.raises(CommandError, match="Another worker with id 'host-9'"):
            call_command("run_worker", "--worker-id", "host-9", "--batch")
    connection.close()
