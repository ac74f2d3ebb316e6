from django.urls import path

from . import views

app_name = "workshops"
urlpatterns = [
    path("<int:session_id>/register/", views.register, name="register"),
    path("registrations/<int:registration_id>/cancel/", views.cancel, name="cancel"),
    path("checkin/", views.checkin_confirm, name="checkin_confirm"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
]
