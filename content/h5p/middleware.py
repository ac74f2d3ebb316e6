from urllib.parse import urlsplit

from django.conf import settings


def content_host() -> str:
    return urlsplit(settings.H5P_CONTENT_ORIGIN).netloc


def platform_origin() -> str:
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return f"{parts.scheme}://{parts.netloc}"


# H5P.Video plays YouTube sources through YouTube's own player script and frame; nothing else
# from outside the content origin may load.
YOUTUBE_SCRIPTS = "https://www.youtube.com https://s.ytimg.com"
YOUTUBE_FRAMES = "https://www.youtube.com https://www.youtube-nocookie.com"
CONTENT_CSP = (
    f"default-src 'self'; script-src 'self' {YOUTUBE_SCRIPTS}; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https://i.ytimg.com; "
    f"media-src 'self' blob:; font-src 'self' data:; frame-src {YOUTUBE_FRAMES}; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'"
)


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
        response["Content-Security-Policy"] = CONTENT_CSP + f"; frame-ancestors {platform_origin()}"
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = "no-referrer"
        # Framing is governed by the CSP's frame-ancestors, not the platform's DENY.
        if "X-Frame-Options" in response:
            del response["X-Frame-Options"]
        return response
