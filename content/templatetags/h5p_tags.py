from django import template
from django.conf import settings

from content.h5p.tokens import player_token

register = template.Library()


@register.simple_tag(takes_context=True)
def h5p_player_url(context, content) -> str:
    if context.get("h5p_markers"):
        # A rendering cached for everyone: each learner's address replaces the marker.
        from content.rendercache import h5p_marker

        return h5p_marker(content.pk)
    request = context.get("request")
    user_id = request.user.pk if request is not None and request.user.is_authenticated else 0
    token = player_token(content_id=content.pk, user_id=user_id or 0)
    return f"{settings.H5P_CONTENT_ORIGIN.rstrip('/')}/h5p/{token}/player/"


@register.simple_tag
def h5p_content_origin() -> str:
    return settings.H5P_CONTENT_ORIGIN.rstrip("/")
