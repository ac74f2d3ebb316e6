"""The request being answered, for audit entries written where no request is at hand
(model signals: a role changed through a form, a flag saved by an admin view)."""

from contextvars import ContextVar

_current_request: ContextVar = ContextVar("audit_request", default=None)


def current_request():
    """The request this thread or task is answering, or None (a command, a worker)."""
    return _current_request.get()


class AuditRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
