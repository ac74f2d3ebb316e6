"""What a request tells about who sent it: the client address behind the trusted proxies."""

import ipaddress

from django.conf import settings


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:5123"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the person, not of our own proxy.

    Behind `TRUSTED_PROXY_COUNT` proxies that each append to X-Forwarded-For, the client is
    the entry that many places from the right; anything further left was written by the
    client and is ignored. Without trusted proxies the header is ignored altogether, so a
    client cannot choose its own address. django-ratelimit (`RATELIMIT_IP_META_KEY`), allauth
    (`ALLAUTH_TRUSTED_PROXY_COUNT`, the same number) and the audit log all use this rule.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = _clean(request.META.get("REMOTE_ADDR")) or "0.0.0.0"  # noqa: S104 - a placeholder
    if count <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        # Not through every proxy we run: the nearest peer is all we know.
        return remote
    return _clean(hops[-count]) or remote


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]
