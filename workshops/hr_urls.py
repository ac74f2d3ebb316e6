from django.urls import path

from . import hr_views

app_name = "workshops_hr"
urlpatterns = [
    path("", hr_views.hr_sessions, name="sessions"),
    path("<int:registration_id>/cancel/", hr_views.hr_cancel, name="cancel"),
]
