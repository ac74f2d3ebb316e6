"""The admin's autosave must not race a publish into two pages.

Wagtail's create form autosaves: its first autosave creates the page, and only when that
response reaches the browser does the form start posting to the new page's edit view. A
"Publish" clicked meanwhile is posted to the create view again, which then refuses the
slug the autosave took (and leaves the autosaved draft behind as an orphan).

So the create form carries a random token (static/content/admin/create-token.js). Requests
with the same token are handled one at a time (a PostgreSQL advisory lock), the page each
creates is remembered, and a later post from the same create form replaces the draft that
form's autosave made — a never-published draft of the same user, without children — with
the complete page it sends. One page, the latest content, no error.
"""

import uuid
import zlib
from contextlib import contextmanager
from datetime import timedelta

from django.contrib import messages
from django.db import connection, transaction
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.utils.translation import gettext as _

TOKEN_FIELD = "pcmd_create_token"  # noqa: S105 - a form field name
CREATE_VIEW = "wagtailadmin_pages:add"


def create_token(request) -> uuid.UUID | None:
    if request.method != "POST":
        return None
    try:
        return uuid.UUID(request.POST.get(TOKEN_FIELD, ""))
    except ValueError:
        return None


def _is_create_view(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name == CREATE_VIEW


@contextmanager
def _serialised(token: uuid.UUID):
    """One request per token at a time, across processes (session-level advisory lock)."""
    if connection.vendor != "postgresql":
        yield
        return
    key = zlib.crc32(token.bytes) - 2**31  # a signed 32-bit key
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [20_151, key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [20_151, key])


class SerialisePageCreationMiddleware:
    """Handles posts of one create form one at a time (after authentication), each in one
    transaction: the page and what is written with it (its owners, this form's token) are
    committed together or not at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.path_info.startswith("/admin/pages/add/")
            and _is_create_view(request)
        ):
            token = create_token(request)
            if token is None:
                return _in_one_transaction(self.get_response, request)
            with _serialised(token):
                return _in_one_transaction(self.get_response, request)
        return self.get_response(request)


def _in_one_transaction(get_response, request):
    # Django turns a view's exception into a 500 response before it reaches here: roll
    # back on that response as on an exception.
    with transaction.atomic():
        response = get_response(request)
        if response.status_code >= 500:
            transaction.set_rollback(True)
        return response


def before_create(request):
    """Called before the create view handles a post: drops the draft an earlier post of the
    same create form made, so this post creates the page once, complete. A page that form
    already published (a double click) is not made twice: the editor is sent to it."""
    from .models import PageCreationToken

    token = create_token(request)
    if token is None or not request.user.is_authenticated:
        return
    earlier = (
        PageCreationToken.objects.select_related("page")
        .filter(token=token, user=request.user)
        .first()
    )
    if earlier is None:
        return
    page = earlier.page.specific
    replaceable = (
        not page.live
        and page.first_published_at is None
        and page.owner_id == request.user.pk
        and not page.get_children().exists()
    )
    if replaceable:
        with transaction.atomic():
            page.delete()
        return None
    messages.info(request, _("This page was already created from this form; here it is."))
    return redirect("wagtailadmin_pages:edit", page.pk)


def after_create(request, page) -> None:
    from .models import PageCreationToken

    token = create_token(request)
    if token is None or not request.user.is_authenticated:
        return
    PageCreationToken.objects.update_or_create(
        token=token, defaults={"page": page, "user": request.user}
    )
    # A token only matters while its form is open: forget old ones as we go.
    PageCreationToken.objects.filter(created_at__lt=timezone.now() - timedelta(days=2)).delete()
