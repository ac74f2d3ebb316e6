from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CertificateTemplate


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full-inverse"
    menu_label = _("Certificate templates")
    menu_order = 240
    add_to_admin_menu = True
    list_display = ["name", "course", "path", "issuer_name", "validity_months"]

    def get_queryset(self, request):
        from .selectors import certificate_templates_open_to

        return certificate_templates_open_to(user=request.user)


register_snippet(CertificateTemplateViewSet)
