"""Which staff links the site's menu shows a signed-in person (templates/base.html), without
reading their permissions from the database on every page.

Django's `perms` in a template costs two queries per request (the user's own permissions
and their groups'). The menu only needs two yes/no answers; they are kept in the cache per
user, tagged with a permissions generation that any change to who holds which permission
bumps (a user saved or deleted, group membership, a group's or a user's permissions, a group
or permission deleted: `connect()`), and for ten minutes at most. Both are read in one
cache round trip. This decides what the menu shows, never what anyone may do: every staff
view checks the permission itself (`has_perm`, uncached).
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from ops import requestcache

GENERATION_KEY = "accounts:permissions-generation"
NAV_SECONDS = 10 * 60
LINKS = {"hr": "accounts.access_hr_area", "admin": "wagtailadmin.access_admin"}


def _key(user_id: int) -> str:
    return f"accounts:nav:{user_id}"


def nav_links(user) -> dict[str, bool]:
    if not user.is_authenticated:
        return dict.fromkeys(LINKS, False)
    found = requestcache.get_many([GENERATION_KEY, _key(user.pk)])
    generation = found.get(GENERATION_KEY)
    entry = found.get(_key(user.pk))
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    if generation is None:
        generation = generation_bump()
    links = {name: user.has_perm(perm) for name, perm in LINKS.items()}
    cache.set(_key(user.pk), (generation, links), NAV_SECONDS)
    return links


def generation_bump(**_ignored) -> int:
    """A signal receiver too: every cached menu is out of date from now on."""
    requestcache.forget(GENERATION_KEY)
    try:
        return cache.incr(GENERATION_KEY)
    except ValueError:  # not set (or evicted): a value no cached entry carries
        import time

        value = time.time_ns()
        cache.set(GENERATION_KEY, value, None)
        return value


def prefetch_keys(user_id) -> list[str]:
    """What `nav_links` reads (ops.requestcache)."""
    return [GENERATION_KEY, _key(user_id)]


def context_processor(request) -> dict:
    """`nav.hr`, `nav.admin` for templates, computed only when a template asks."""
    return {"nav": SimpleLazyObject(lambda: nav_links(request.user))}


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    requestcache.register(prefetch_keys)
    User = get_user_model()
    for sender in (User, Group, Permission):
        post_save.connect(generation_bump, sender=sender, dispatch_uid=f"nav-save-{sender}")
        post_delete.connect(generation_bump, sender=sender, dispatch_uid=f"nav-del-{sender}")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(generation_bump, sender=through, dispatch_uid=f"nav-m2m-{through}")
