from django.urls import path, re_path

from . import views

urlpatterns = [
    path("h5p/<str:token>/player/", views.player, name="h5p_player"),
    re_path(r"^h5p/(?P<token>[^/]+)/files/(?P<path>.+)$", views.package_file, name="h5p_file"),
    re_path(
        r"^h5p/(?P<token>[^/]+)/libraries/(?P<folder>[^/]+)/(?P<path>.+)$",
        views.library_file,
        name="h5p_library_file",
    ),
    re_path(
        r"^h5p/(?P<token>[^/]+)/user-data/(?P<data_type>[^/]+)/(?P<sub_content_id>[^/]+)/$",
        views.user_data,
        name="h5p_user_data",
    ),
    re_path(r"^h5p-static/(?P<path>.+)$", views.player_asset, name="h5p_asset"),
]
