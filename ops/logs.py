"""JSON log lines (python-json-logger) for journald or any log shipper."""

import socket

from pythonjsonlogger.json import JsonFormatter as _Base


class JsonFormatter(_Base):
    """One JSON object per record: time, level, logger, message, request id, process, host,
    the record's extra fields and, for errors, the traceback. A Django request attached to a
    record (django.request does so for every 4xx/5xx) becomes a few safe fields instead of
    its repr: never headers, cookies or the query string."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", ["asctime", "levelname", "name", "message", "process"])
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("static_fields", {"host": socket.gethostname()})
        super().__init__(*args, **kwargs)

    def formatTime(self, record, datefmt=None):
        from datetime import UTC, datetime

        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")

    def add_fields(self, log_data, record, message_dict):
        request = record.__dict__.pop("request", None)
        super().add_fields(log_data, record, message_dict)
        if "correlation_id" in log_data:
            log_data["request_id"] = log_data.pop("correlation_id")
        if request is not None and hasattr(request, "META"):
            log_data.setdefault("method", request.method)
            log_data.setdefault("path", request.path)
            log_data.setdefault("client", request.META.get("REMOTE_ADDR", ""))
            user = getattr(getattr(request, "user", None), "_wrapped", None)
            if getattr(user, "is_authenticated", False):
                log_data.setdefault("user_id", user.pk)
