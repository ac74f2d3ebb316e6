from django.urls import path

from . import hr_views

urlpatterns = [
    path(
        "hr/organisation-requests/",
        hr_views.organisation_requests,
        name="accounts_hr_organisation_requests",
    ),
    path(
        "hr/organisation-requests/<int:request_id>/decide/",
        hr_views.organisation_request_decide,
        name="accounts_hr_organisation_request_decide",
    ),
]
