from urllib.parse import urlsplit

from django.conf import settings


def content_host() -> str:
    return urlsplit(settings.H5P_CONTENT_ORIGIN).netloc


def platform_origin() -> str:
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return f"{parts.scheme}://{parts.netloc}"


class ContentOriginMiddleware:
    """Requests to the content host get the content URLs only, arrive without cookies and
    leave with a strict CSP; the platform host never serves package files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.get_host() != content_host():
            return self.get_response(request)
        request.urlconf = "content.h5p.urls"
        request.META.pop("HTTP_COOKIE", None)  # platform cookies are neither needed nor read
        request.COOKIES = {}
        response = self.get_response(request)
        response.cookies.clear()
        response["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'; "
            f"frame-ancestors {platform_origin()}"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = "no-referrer"
        # Framing is governed by the CSP's frame-ancestors, not the platform's DENY.
        if "X-Frame-Options" in response:
            del response["X-Frame-Options"]
        return response
