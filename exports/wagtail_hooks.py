from django.urls import path
from wagtail import hooks

from .views import audit_log_export


@hooks.register("register_admin_urls")
def register_export_urls():
    return [path("audit-export/<str:fmt>/", audit_log_export, name="exports_audit_log")]
