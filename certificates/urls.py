from django.urls import path, re_path

from . import views

app_name = "certificates"
urlpatterns = [
    path("certificates/", views.my_certificates, name="mine"),
    path("certificates/<str:code>/pdf/", views.download, name="download"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify, name="verify_code"),
    path("api/verify/<str:code>/", views.verify_json, name="verify_json"),
    re_path(r"^\.well-known/pcmd-certificate-key\.pem$", views.public_key, name="public_key"),
    path("hr/certificates/", views.hr_certificates, name="hr"),
    path("hr/certificates/<str:code>/revoke/", views.hr_revoke, name="hr_revoke"),
    path("hr/certificates/<str:code>/reissue/", views.hr_reissue, name="hr_reissue"),
]
