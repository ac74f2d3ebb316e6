"""The signed-in user of a request from the cache instead of a query per request.

Django's AuthenticationMiddleware loads the session's user from the database on every
request and checks the session against the user's password (the session auth hash). Here
the user's row is kept in the cache, tagged with a version of its own and a generation
for all users, both read with the entry in one cache round trip. Every save or delete of a
user bumps their version (post_save/post_delete: a password set, an account deactivated,
a role given or taken, through the admin or any other code that saves), at once and again
after the commit, so no request can keep the old row under the new version; code that
changes many users with update() bumps the generation (`all_users_changed`). An entry lives
USER_SECONDS at most: the bound for a change made behind the models' back (raw SQL).

The entry never holds the password hash: the cache lives beside the sessions and is less
guarded than the database. It holds the row's other columns and the session auth hash the
row's password gives (an HMAC under SECRET_KEY, as the session itself stores). The user
built from it has its password deferred: code that needs it (a password change) reads it
from the database, and a save() of the cached user writes only the loaded columns, never
an empty password.

The cached row is used only for an ordinary good session: a backend Django would accept
(a ModelBackend), an active user and the session's hash equal to the cached row's. Anything
else (no hash, a hash of another password or of a rotated SECRET_KEY, an inactive or
deleted user) is Django's own `get_user`, from the database: it logs the session out, or
moves it to the new key, as it always did. A password changed is therefore a logout at
once: the save bumps the version, the row read afresh has a new hash.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, load_backend
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.utils.crypto import constant_time_compare

from ops import requestcache, versions

USER_SECONDS = 60
ALL_KEY = "accounts:session-user-generation"


def _version_key(user_id) -> str:
    return f"accounts:session-user-version:{user_id}"


def _entry_key(user_id) -> str:
    return f"accounts:session-user:{user_id}"


def user_for_request(request):
    """What django.contrib.auth.get_user(request) returns, from the cache when it can."""
    session = request.session
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = session[BACKEND_SESSION_KEY]
        session_hash = session[HASH_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)
    if backend_path in settings.AUTHENTICATION_BACKENDS and session_hash:
        requestcache.prefetch(user_id)  # this page's other per-user keys, in the same trip
        backend = load_backend(backend_path)
        if isinstance(backend, ModelBackend):
            user = _user_row(user_id)
            if (
                user is not None
                and backend.user_can_authenticate(user)
                and constant_time_compare(session_hash, user._session_auth_hash)
            ):
                return user
    return auth.get_user(request)  # Django's own way, from the database


def _user_row(user_id):
    """The user built from their cached row (a copy of this request's own, the password
    deferred), or None if there is none; `_session_auth_hash` says which password."""
    version_key, entry_key = _version_key(user_id), _entry_key(user_id)
    found = requestcache.get_many([ALL_KEY, version_key, entry_key])
    version = (found.get(ALL_KEY), found.get(version_key))
    entry = found.get(entry_key)
    if None not in version and entry is not None and entry[0] == version:
        user = _from_entry(entry[1])
        if user is not None and user.pk == user_id:
            return user
    if None in version:  # never set, or evicted: any new value differs from old entries'
        versions.fill(found, (ALL_KEY, version_key))
        version = (found[ALL_KEY], found[version_key])
    model = auth.get_user_model()
    try:
        user = model._default_manager.get(pk=user_id)
    except model.DoesNotExist:
        return None
    user._session_auth_hash = user.get_session_auth_hash()
    cache.set(entry_key, (version, _to_entry(user)), USER_SECONDS)
    return user


def _columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname != "password"]


def _to_entry(user) -> dict:
    """The row without its password hash, and the session auth hash it gives."""
    return {
        "columns": {name: getattr(user, name) for name in _columns(type(user))},
        "auth_hash": user._session_auth_hash,
    }


def _from_entry(entry):
    if not isinstance(entry, dict):
        return None
    model = auth.get_user_model()
    names = _columns(model)
    columns = entry.get("columns") or {}
    if set(columns) != set(names):  # written by another version of the model
        return None
    user = model.from_db(model._default_manager.db, names, [columns[n] for n in names])
    user._session_auth_hash = entry["auth_hash"]
    return user


def user_changed(user_id) -> None:
    if user_id is not None:
        versions.bump(_version_key(user_id))


def all_users_changed() -> None:
    """Many users' rows changed without their signals (a queryset's update())."""
    versions.bump(ALL_KEY)


def prefetch_keys(user_id) -> list[str]:
    """What `_user_row` reads (ops.requestcache)."""
    return [ALL_KEY, _version_key(user_id), _entry_key(user_id)]


def on_user_saved_or_deleted(sender, instance, **kwargs) -> None:
    user_changed(instance.pk)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    requestcache.register(prefetch_keys)

    user_model = auth.get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(
            on_user_saved_or_deleted, sender=user_model, dispatch_uid=f"session-user-{signal!r}"
        )
