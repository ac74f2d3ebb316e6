from django.urls import path

from . import views

app_name = "hr"
urlpatterns = [
    path("", views.index, name="index"),
    path("roster/", views.roster_upload, name="roster"),
    path("units/", views.units_upload, name="units"),
    path("imports/<int:pk>/", views.import_preview, name="import_preview"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("templates/<str:kind>.<str:fmt>", views.import_template, name="import_template"),
]
