"""Error pages: a short Vietnamese page with the request id, the details only in the log."""

from django.http import HttpResponseServerError
from django.template import loader
from django_guid import get_guid


def server_error(request, template_name="500.html"):
    # No request context: the database or the session store may be what failed.
    template = loader.get_template(template_name)
    return HttpResponseServerError(template.render({"request_id": get_guid() or ""}))
