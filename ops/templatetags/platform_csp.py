"""`{% csp_nonce %}`: this request's CSP nonce, for templates rendered without the request
in their context (Wagtail's widget and panel templates that we override)."""

from django import template

from ops.csp import csp_nonce_for_current_request

register = template.Library()


@register.simple_tag
def csp_nonce() -> str:
    return csp_nonce_for_current_request()
