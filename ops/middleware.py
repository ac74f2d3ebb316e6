"""Request plumbing for production: the client's real address, health checks, access logs."""

import ipaddress
import logging
import re
import time

from django.conf import settings
from django.http import JsonResponse
from django.utils.functional import empty

from . import health

access_log = logging.getLogger("ops.request")


def _networks(values):
    return [ipaddress.ip_network(value, strict=False) for value in values]


class TrustedProxyMiddleware:
    """Behind the reverse proxy every request comes from the proxy's address; the proxy sets
    X-Real-IP to the client's (replacing any the client sent). The header is believed only
    from TRUSTED_PROXY_IPS, so a client reaching an app server directly cannot pick its
    address for rate limits and the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = _networks(getattr(settings, "TRUSTED_PROXY_IPS", []))

    def __call__(self, request):
        if self.trusted:
            self._rewrite(request.META)
        return self.get_response(request)

    def _rewrite(self, meta):
        try:
            peer = ipaddress.ip_address(meta.get("REMOTE_ADDR", ""))
        except ValueError:
            return
        if not any(peer in network for network in self.trusted):
            return
        claimed = meta.get("HTTP_X_REAL_IP", "").strip()
        try:
            meta["REMOTE_ADDR"] = str(ipaddress.ip_address(claimed))
        except ValueError:
            return


class HealthCheckMiddleware:
    """`/healthz`: the process answers. `/readyz`: database, cache, storage reachable and
    migrations applied (503 otherwise). Answered before host checks and HTTPS redirects, so
    the proxy and monitors can call an app server by its address; failures are logged, the
    response names only which check failed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in {"GET", "HEAD"}:
            if request.path == "/healthz":
                return _no_store(JsonResponse({"status": "ok"}))
            if request.path == "/readyz":
                results = health.readiness()
                ok = all(value == "ok" for value in results.values())
                response = JsonResponse(
                    {"status": "ok" if ok else "fail", "checks": results}, status=200 if ok else 503
                )
                return _no_store(response)
        return self.get_response(request)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


class RequestLogMiddleware:
    """One log line per request: method, path (no query string: it may carry signatures),
    status, time taken, client address and user id; the request id comes from the filter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        # Only a user the view already loaded: logging must not cost a session lookup.
        user = getattr(getattr(request, "user", None), "_wrapped", None)
        if user is empty:
            user = None
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.monotonic() - started) * 1000, 1),
                "client": request.META.get("REMOTE_ADDR", ""),
                "user_id": user.pk if getattr(user, "is_authenticated", False) else None,
                "host": request.META.get("HTTP_HOST", ""),
            },
        )
        return response


# Browsers and proxies stop near 8 KB of address; nothing here needs more.
MAX_QUERY_STRING_BYTES = 8 * 1024
MAX_PATH_BYTES = 2048
MAX_PATH_PARAM_CHARS = 512
# Ids are PostgreSQL bigints; a larger number names nothing.
MAX_ID = 2**63 - 1
_FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_JSON_BODY_BYTES = 2_621_440  # Django's default upload limit, if a setting turns it off
# Raised by Wagtail's search (modelsearch) for a sort or filter on an unindexed field.
_SEARCH_ERRORS = {"OrderByFieldError", "FilterFieldError", "FilterError"}
# Django's message when a lookup on an integer field gets text (IntegerField.get_prep_value).
_NOT_AN_ID = re.compile(r"^Field '\w+' expected a number but got ")
input_log = logging.getLogger("ops.input")
_OUR_CODE = str(settings.BASE_DIR)
_THIS_FILE = __file__


def _client_trips():
    from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
    from django.db import DataError

    return (
        AttributeError,
        IndexError,
        KeyError,
        OverflowError,
        TypeError,
        ValueError,
        ValidationError,
        FieldError,
        FieldDoesNotExist,
        DataError,
    )


_CLIENT_TRIPS = _client_trips()


def _raised_in_dependency(exception) -> bool:
    """Whether no frame of the platform's own code (but this middleware) is in the
    exception's traceback: it was raised by Django's or a dependency's view code."""
    traceback = exception.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if (
            filename.startswith(_OUR_CODE)
            and "site-packages" not in filename
            and filename != _THIS_FILE
        ):
            return False
        traceback = traceback.tb_next
    return True


class HostileInputMiddleware:
    """Bad input answered with a 4xx and a Vietnamese message before it reaches a view, for
    every view at once: an overlong address or query string, a NUL in the query, a path
    parameter beyond any id or far too long; and InputRejected raised by a view (the
    readers in ops.safeinput) becomes its 4xx."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.translation import gettext as _

        from .safeinput import InputRejected, json_read, rejected_response

        query = request.META.get("QUERY_STRING", "")
        if len(query) > MAX_QUERY_STRING_BYTES or len(request.path_info) > MAX_PATH_BYTES:
            return rejected_response(request, _("The address is too long."), status=414)
        if "%00" in query or "\x00" in query or "\x00" in request.path_info:
            return rejected_response(request, _("The address contains a NUL character."))
        # Django parses the form here rather than in the CSRF check just after; a text field
        # never holds a NUL, which PostgreSQL cannot store.
        if (
            request.method == "POST"
            and request.content_type in _FORM_TYPES
            and any("\x00" in value for _key, values in request.POST.lists() for value in values)
        ):
            return rejected_response(request, _("The form contains a NUL character."))
        # A JSON body is read once here by the shared reader (depth counted without
        # recursion, NaN and Infinity refused), so no view, ours or a dependency's (Wagtail's
        # dismissibles), parses a 5,000-deep body into a RecursionError.
        if request.content_type == "application/json" and request.method in _BODY_METHODS:
            try:
                if request.body:
                    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or MAX_JSON_BODY_BYTES
                    json_read(request.body, max_bytes=limit)
            except InputRejected as error:
                return rejected_response(request, error.message, status=error.status)
        return self.process_response(request, self.get_response(request))

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        for value in [*view_args, *view_kwargs.values()]:
            if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
                raise Http404
            if isinstance(value, str) and len(value) > MAX_PATH_PARAM_CHARS:
                raise Http404
        return None

    def process_exception(self, request, exception):
        from django.http import Http404
        from django.utils.datastructures import MultiValueDictKeyError
        from django.utils.translation import gettext as _

        from .safeinput import InputRejected, rejected_response

        if isinstance(exception, InputRejected):
            return rejected_response(request, exception.message, status=exception.status)
        message = None
        if isinstance(exception, MultiValueDictKeyError):  # a form field the view reads
            message = _("The form is missing a field; reload the page and try again.")
        elif type(exception).__name__ in _SEARCH_ERRORS:  # a sort or filter search refuses
            message = _("Search results cannot be sorted or filtered this way.")
        elif isinstance(exception, ValueError | TypeError) and _NOT_AN_ID.match(str(exception)):
            raise Http404 from exception  # a path's id that is no number names nothing
        elif (
            request.method == "POST"
            and isinstance(exception, AttributeError | KeyError | TypeError | ValueError)
            and (request.content_type not in _FORM_TYPES or not request.POST)
        ):
            # A view that expected a form and got none (or another kind of body) failed on
            # the client's input: a 400, and the traceback in the log.
            message = _("The form was empty or not sent as a form; reload the page and try again.")
        elif (
            isinstance(exception, _CLIENT_TRIPS)
            and (request.method != "GET" or request.GET)
            and _raised_in_dependency(exception)
        ):
            # A dependency's view (Wagtail's admin) tripped over what the client sent, a
            # form or query parameters it never offers (a chooser's create form for a model
            # without one, the root page's position, a page number beyond any id): the
            # client's input, so a 400 and the traceback in the log. Our own code in the
            # traceback keeps its error page: that is a bug of ours to fix, not input.
            message = _("The request could not be handled as sent; reload the page and try again.")
        if message is None:
            return None
        input_log.warning("bad input: %s", request.path, exc_info=exception)
        return rejected_response(request, message)

    def process_response(self, request, response):
        """An empty 4xx (a dependency's refusal) gets a Vietnamese page or message."""
        if (
            400 <= response.status_code < 500
            and not getattr(response, "streaming", False)
            and not response.content
        ):
            from django.utils.translation import gettext as _

            from .safeinput import rejected_response

            refused = rejected_response(
                request,
                _("The request was refused; check the address or the form and try again."),
                status=response.status_code,
            )
            for header in ("Allow", "WWW-Authenticate", "Retry-After"):
                if header in response:
                    refused[header] = response[header]
            return refused
        return response
