"""Crash recovery for django-tasks' database worker (`manage.py run_worker`).

db_worker marks a task RUNNING when it claims it. If the process is killed (kill -9, out of
memory, power loss) the task would stay RUNNING forever. So each worker has a stable id (for
systemd: host name and instance), held under a PostgreSQL advisory lock so that only one
live process uses an id; on start, and after the database comes back, it puts back the tasks
its earlier life left RUNNING. A task that was running when its worker died MAX_CLAIMS times
is marked failed instead of killing workers forever. Tasks must be idempotent.
"""

import logging

from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("ops.worker")

MAX_CLAIMS = 3


class WorkerDied(RuntimeError):
    """Recorded on a task whose worker died while running it too many times."""


def lock_name(worker_id: str) -> str:
    return f"pcmd-worker:{worker_id}"


def orphans_requeue(*, worker_id: str) -> dict[str, int]:
    """Put back (or fail) the tasks left RUNNING by an earlier process with this id."""
    counts = {"requeued": 0, "failed": 0}
    candidates = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, worker_ids__contains=[worker_id]
    )
    for task in candidates:
        if not task.worker_ids or task.worker_ids[-1] != worker_id:
            continue  # another worker claimed it since
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update()
                .filter(pk=task.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if task is None:
                continue
            claims = task.worker_ids.count(worker_id)
            if len(task.worker_ids) >= MAX_CLAIMS:
                task.set_failed(
                    WorkerDied(f"its worker died while running it {len(task.worker_ids)} times")
                )
                counts["failed"] += 1
                logger.error(
                    "task %s (%s) failed: its worker died %d times",
                    task.pk,
                    task.task_path,
                    len(task.worker_ids),
                )
                continue
            task.status = TaskResultStatus.READY
            task.started_at = None
            task.save(update_fields=["status", "started_at"])
            counts["requeued"] += 1
            logger.warning(
                "task %s (%s) put back in the queue: worker %s died while running it (claim %d)",
                task.pk,
                task.task_path,
                worker_id,
                claims,
            )
    return counts
