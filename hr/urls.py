from django.urls import path

from . import views

app_name = "hr"
urlpatterns = [
    path("", views.index, name="index"),
    path("roster/", views.roster_upload, name="roster"),
    path("units/", views.units_upload, name="units"),
    path("imports/<int:roster_id>/", views.import_preview, name="import_preview"),
    path("imports/<int:roster_id>/apply/", views.import_apply, name="import_apply"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/people/", views.compliance_people, name="compliance_people"),
    path("compliance/export/", views.compliance_export, name="compliance_export"),
    path("people/<int:user_id>/", views.transcript, name="transcript"),
    path("people/<int:user_id>/pdf/", views.transcript_pdf, name="transcript_pdf"),
    path("templates/<str:kind>.<str:fmt>", views.import_template, name="import_template"),
]

# Public: checking a printed training record (outside /hr/, like certificate verification).
public_urlpatterns = [
    path(
        "transcripts/verify/<str:code>/",
        views.transcript_verify,
        name="hr_transcript_verify",
    )
]
