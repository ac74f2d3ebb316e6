from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("calendar/<str:feed_token>.ics", views.calendar_feed, name="calendar_feed"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/new/", views.calendar_renew, name="calendar_renew"),
    path("calendar/off/", views.calendar_stop, name="calendar_stop"),
    path("<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("<int:course_id>/leave/", views.leave, name="leave"),
    path("<int:course_id>/restart/", views.restart, name="restart"),
    path("<int:course_id>/continue/", views.continue_course, name="continue"),
    path(
        "h5p/<int:lesson_id>/<int:activity_id>/xapi/",
        views.h5p_statement,
        name="h5p_statement",
    ),
    path(
        "<int:course_id>/lessons/<int:lesson_id>/complete/",
        views.complete_lesson,
        name="complete_lesson",
    ),
]
