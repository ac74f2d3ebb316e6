"""Sending staff through the two-factor step before anything sensitive."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .selectors import session_passed_mfa, user_has_totp

MFA_SETUP_NEXT_SESSION_KEY = "accounts_mfa_setup_next"


def _safe_next(request) -> str:
    target = request.get_full_path() if request.method == "GET" else request.path
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


def mfa_step_response(request):
    """None when this session has passed TOTP or a recovery code; otherwise where to go:
    the code step for those with an authenticator, set-up for those without one."""
    if session_passed_mfa(request=request):
        return None
    # Nothing is done for a request that has not passed the step (a POST is dropped): a
    # browser is sent on to the step, a script is told plainly.
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return JsonResponse(
            {"error": "mfa_required", "message": _("Enter your authenticator code first.")},
            status=403,
        )
    next_url = _safe_next(request)
    if user_has_totp(user=request.user):
        messages.info(
            request,
            _("For staff areas, confirm it is you with a code from your authenticator app."),
        )
        return HttpResponseRedirect(
            f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}"
        )
    request.session[MFA_SETUP_NEXT_SESSION_KEY] = next_url
    messages.warning(
        request,
        _(
            "Staff accounts must use two-factor authentication. Set up an "
            "authenticator app to continue."
        ),
    )
    return HttpResponseRedirect(reverse("mfa_activate_totp"))
