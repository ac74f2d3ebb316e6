import logging
import socket
import time

import psycopg
from django.core.management.base import CommandError
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

from ops.locks import lock_connection, try_lock
from ops.warmup import run_warm_ups
from ops.worker import lock_name, orphans_requeue

logger = logging.getLogger("ops.worker")

RETRY_SECONDS = (1, 2, 5, 10, 30)


class Command(db_worker.Command):
    help = (
        "Run django-tasks' database worker with crash recovery: tasks a killed process of the "
        "same --worker-id left running are run again. Survives database restarts."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # A stable id (not a random one): the next process with it recovers its tasks.
        parser.set_defaults(worker_id=socket.gethostname()[:60])

    def handle(self, *args, worker_id, **options):
        self.configure_logging(options["verbosity"])
        lock = self._lock(worker_id)
        run_warm_ups()
        attempt = 0
        while True:
            try:
                counts = orphans_requeue(worker_id=worker_id)
                if any(counts.values()):
                    logger.warning("worker %s recovered tasks: %s", worker_id, counts)
                super().handle(*args, worker_id=worker_id, **options)
                return
            except (OperationalError, InterfaceError):
                delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                attempt += 1
                logger.exception(
                    "worker %s: database unavailable, retrying in %d s", worker_id, delay
                )
                connections.close_all()
                time.sleep(delay)
                if lock.closed or lock.broken:
                    lock = self._reconnect(worker_id)

    def _lock(self, worker_id):
        lock = lock_connection()
        if not try_lock(lock, lock_name(worker_id)):
            lock.close()
            raise CommandError(
                f"Another worker with id {worker_id!r} is running: "
                "give each worker its own --worker-id."
            )
        return lock

    def _reconnect(self, worker_id):
        while True:
            try:
                return self._lock(worker_id)
            except psycopg.Error as error:
                logger.warning("worker %s: lock connection not back yet (%s)", worker_id, error)
                time.sleep(2)
