"""Request plumbing for production: the client's real address, health checks, access logs."""

import ipaddress
import logging
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
