"""A URL that fails, to see what the user and the log get from an unexpected error."""

from django.urls import include, path


def explode(request):
    raise RuntimeError("secret detail: password=hunter2 in /srv/pcmd/settings")


urlpatterns = [path("boom/", explode), path("", include("config.urls"))]
handler500 = "ops.views.server_error"
