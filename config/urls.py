from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import to_allauth
from content import serving
from hr.urls import public_urlpatterns as hr_public_urls

# allauth is the only way in. These come first and shadow the sign-in, sign-out and
# password views that Wagtail and Django route themselves; tests/accounts/test_one_way_in.py
# walks the URL resolver so that a new one cannot slip through.
one_way_in = [
    path("admin/login/", to_allauth("account_login")),
    path("admin/logout/", to_allauth("account_logout")),
    re_path(r"^admin/password_reset/", to_allauth("account_reset_password")),
    path("_util/login/", to_allauth("account_login")),
]

urlpatterns = [
    *one_way_in,
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("learn/", include("courses.urls")),
    path("quiz/", include("assessments.urls")),
    path("sessions/", include("workshops.urls")),
    path("hr/sessions/", include("workshops.hr_urls")),
    path("hr/", include("hr.urls")),
    *hr_public_urls,
    path("", include("certificates.urls")),
    path("", include("accounts.hr_urls")),
    path("dashboard/", include("home.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every page path not matched above; it must come last.
# Wagtail's URLs, its page-serving view behind one that remembers the site and the route
# (content.serving); the pattern and its name are Wagtail's own.
_wagtail_serve = next(p for p in wagtail_urls.urlpatterns if p.name == "wagtail_serve")
urlpatterns += [
    path(
        "",
        include(
            [
                *(p for p in wagtail_urls.urlpatterns if p is not _wagtail_serve),
                re_path(_wagtail_serve.pattern.regex.pattern, serving.serve, name="wagtail_serve"),
            ]
        ),
    )
]

# Errors: a Vietnamese page with the request id; the traceback goes to the log only.
handler500 = "ops.views.server_error"
