"""Work a process does once when it starts serving, so that no user waits for it: each app
names its warm-ups (dotted paths) in settings.WORKER_WARM_UPS. gunicorn's post_worker_init
(deploy/gunicorn.conf.py) and run_worker call `run_warm_ups`. A failing warm-up is logged and
skipped: the process still starts, and pays the cost on first use instead."""

import logging
import time

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("ops.warmup")


def run_warm_ups() -> dict[str, float]:
    """Run every warm-up; returns the milliseconds each took (None for a failure)."""
    timings = {}
    for path in getattr(settings, "WORKER_WARM_UPS", []):
        start = time.perf_counter()
        try:
            import_string(path)()
        except Exception:
            logger.exception("warm-up %s failed", path)
            timings[path] = None
        else:
            timings[path] = round((time.perf_counter() - start) * 1000, 1)
    logger.info("warm-ups done", extra={"timings_ms": timings})
    return timings
