"""The platform's Content-Security-Policy (django-csp), and what the Wagtail admin needs to
run under it without 'unsafe-inline' for scripts.

- The policy itself is `CONTENT_SECURITY_POLICY` in config/settings/base.py. Per request this
  middleware adds what depends on settings that tests and deployments change at run time:
  the H5P content origin (frames) and `frame-ancestors`, which follows the response's
  X-Frame-Options (DENY everywhere, SAMEORIGIN for Wagtail's preview frames).
- Our templates have no inline scripts. The few that a page really needs carry
  `nonce="{{ request.csp_nonce }}"`.
- Wagtail renders some inline scripts where no request is in the template context (form
  widgets, panels, choosers). `csp_nonce_for_current_request()` gives them this request's
  nonce: our overrides of those templates use `{% csp_nonce %}` (ops/templatetags), and
  `patch_wagtail_chooser_widgets()` adds it to the script that Wagtail's chooser widgets
  write from Python. Nothing adds a nonce to markup it did not write itself.
"""

from contextvars import ContextVar
from urllib.parse import urlsplit

from csp.constants import HEADER, HEADER_REPORT_ONLY, NONE, SELF
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

_current_nonce: ContextVar = ContextVar("csp_nonce", default=None)

# The policy is the same for every response but for its nonce: each policy is built once
# (django-csp's build_policy) with this stand-in for the nonce, then the response's nonce
# is put in its place. Forgotten when a setting changes (tests; ops.apps).
_NONCE_SLOT = "pcmd0csp0nonce0slot"
_POLICIES_KEPT = 64
_built: dict[tuple, str] = {}
_HEADERS = (
    (False, HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
    (True, HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
)


def policies_forget(**_ignored) -> None:
    _built.clear()


def _policy(parts, *, report_only: bool) -> str:
    """build_policy(parts), built once per policy (the nonce apart)."""
    key = (
        report_only,
        repr(parts.config),
        repr(parts.update),
        repr(parts.replace),
        bool(parts.nonce),
    )
    built = _built.get(key)
    if built is None:
        built = build_policy(
            config=parts.config,
            update=parts.update,
            replace=parts.replace,
            nonce=_NONCE_SLOT if parts.nonce else None,
            report_only=report_only,
        )
        if len(_built) < _POLICIES_KEPT:
            _built[key] = built
    return built.replace(_NONCE_SLOT, parts.nonce) if parts.nonce else built


def csp_nonce_for_current_request() -> str:
    """This request's nonce (making the header carry it), or "" outside a request."""
    nonce = _current_nonce.get()
    return str(nonce) if nonce is not None else ""


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme in {"http", "https"} and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


class PlatformCSPMiddleware(CSPMiddleware):
    def __call__(self, request):
        # MiddlewareMixin calls process_request (which sets request.csp_nonce) and then the
        # view; the nonce is made visible to code that has no request at hand meanwhile.
        self.process_request(request)
        token = _current_nonce.set(request.csp_nonce)
        try:
            response = self.get_response(request)
        finally:
            _current_nonce.reset(token)
        return self.process_response(request, response)

    def process_response(self, request, response):
        # django-csp's own process_response, with each policy built once (_policy) instead
        # of twice per response.
        if response.status_code in (500, 404) and settings.DEBUG:
            return response  # the debug pages
        for report_only, header, exempt, setting in _HEADERS:
            parts = self.get_policy_parts(
                request=request, response=response, report_only=report_only
            )
            csp = _policy(parts, report_only=report_only)
            if not csp or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = csp
        if getattr(request, "_csp_nonce", None) is None:
            # A nonce asked for after the header was written would not be in it.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        # Wagtail renders a preview by running a second request through this whole stack,
        # then marks the outer response SAMEORIGIN: the policy the inner pass wrote must
        # let the editor frame it.
        policy = response.get(HEADER)
        if policy and response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            response[HEADER] = policy.replace(f"frame-ancestors {NONE}", f"frame-ancestors {SELF}")
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        extra = {}
        content = _origin(getattr(settings, "H5P_CONTENT_ORIGIN", ""))
        if content:
            extra["frame-src"] = [content]
        framing = response.get("X-Frame-Options", "").upper()
        extra["frame-ancestors"] = [SELF] if framing == "SAMEORIGIN" else [NONE]
        parts.update = {**extra, **(parts.update or {})}
        return parts


def patch_wagtail_chooser_widgets() -> None:
    """Wagtail's BaseChooser.render() appends `<script>init(…)</script>` written in Python;
    give that script this request's nonce. Checked by tests/ops/test_csp.py."""
    from django.utils.safestring import mark_safe
    from wagtail.admin.widgets.chooser import BaseChooser

    if getattr(BaseChooser.render, "_pcmd_nonce", False):
        return
    original = BaseChooser.render

    def render(self, name, value, attrs=None, renderer=None):
        html = original(self, name, value, attrs=attrs, renderer=renderer)
        nonce = csp_nonce_for_current_request()
        if not nonce:
            return html
        # Only the script Wagtail appended (the last one): its init code is Wagtail's, its
        # arguments JSON-encoded by Wagtail.
        head, sep, tail = str(html).rpartition("<script>")
        if not sep:
            return html
        return mark_safe(f'{head}<script nonce="{nonce}">{tail}')  # noqa: S308 - Wagtail's own markup

    render._pcmd_nonce = True
    BaseChooser.render = render
