"""The authoring guide in the admin: our own short guide in Vietnamese, in place of the link
to Wagtail's English editor guide."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

# The screenshots next to each section, made from the demo by scripts/guide_screenshots.py.
SCREENSHOTS = {
    "course": "home/guide/khoa-hoc.png",
    "lesson": "home/guide/bai-hoc.png",
    "quiz": "home/guide/bai-kiem-tra.png",
    "questions": "home/guide/ngan-hang-cau-hoi.png",
    "h5p": "home/guide/hoat-dong-h5p.png",
    "reports": "home/guide/bao-cao.png",
}


class GuideView(TemplateView):
    """Open to everyone who may use the admin (the admin's own access check applies)."""

    template_name = "home/admin/guide.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"header_title": _("Authoring guide"), "screenshots": SCREENSHOTS})
        return context
