"""What a request tells about who sent it: the client's address and browser."""

import ipaddress


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


def client_ip(request) -> str | None:
    """The address of the person, not of our own proxy: REMOTE_ADDR, which
    ops.middleware.TrustedProxyMiddleware has set from the trusted proxy's X-Real-IP. No
    forwarding header is read here, so a client cannot choose its own address; allauth's
    and django-ratelimit's limits read the same REMOTE_ADDR (see TRUSTED_PROXY_IPS)."""
    return _clean(request.META.get("REMOTE_ADDR"))


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]
