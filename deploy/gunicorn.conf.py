"""gunicorn settings for the platform (deploy/systemd/pcmd-app.service, scripts/prod-smoke.sh).

Threaded workers: a request waiting on PostgreSQL or the object store does not hold a whole
process. Each worker keeps a psycopg pool of DB_POOL_MAX_SIZE connections (= threads).
`kill -HUP <master>` (systemctl reload pcmd-app) starts new workers on the new code and
lets the old ones finish their requests: a reload without downtime.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A request running longer than this is killed (and logged); the proxy waits 65 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On reload or stop, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Longer than the proxy's idle upstream connections (60 s), so gunicorn never closes one
# that nginx is about to reuse.
keepalive = 75
# Replace each worker after about this many requests (bounds slow memory growth).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# The code is loaded by each worker (not the master), so a reload picks up new code.
preload_app = False
# X-Forwarded-Proto is believed only from the reverse proxy.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXY_IPS", "127.0.0.1,::1")
proc_name = os.environ.get("GUNICORN_NAME", "pcmd-app")

# Django writes one JSON access line per request (ops.middleware.RequestLogMiddleware);
# gunicorn's own messages go to stderr as JSON lines too.
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ops.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False},
    },
}


def post_worker_init(worker):
    # The application is loaded: do its start-up work (ops.warmup) before taking requests.
    from ops.warmup import run_warm_ups

    run_warm_ups()
