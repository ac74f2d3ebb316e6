from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from .mfa import mfa_step_response
from .selectors import user_may_enter_area, user_requires_mfa


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose another language with the switcher.

    Django's own middleware follows the browser's Accept-Language, which would show
    English to most officials whose browsers were installed in English.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen or "")
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class CachedUserAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with the session's user from the cache
    (accounts.sessionuser); `request.auser` is Django's own."""

    def process_request(self, request):
        from .sessionuser import user_for_request

        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request, user_for_request))


def _cached_user(request, load):
    # Django's middleware keeps its user on the request the same way (auth.middleware).
    if not hasattr(request, "_cached_user"):
        request._cached_user = load(request)
    return request._cached_user


class StaffAreaGuardMiddleware:
    """Refuses staff areas to signed-in people without the right role, and lets staff in
    only once this session has passed the two-factor step (set-up first if need be)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        user = request.user
        if user.is_authenticated and path.startswith(tuple(settings.MFA_REQUIRED_PATH_PREFIXES)):
            if not user_may_enter_area(user=user, path=path):
                return render(request, "accounts/staff_area_forbidden.html", status=403)
            if user_requires_mfa(user=user):
                response = mfa_step_response(request)
                if response is not None:
                    return response
        return self.get_response(request)
