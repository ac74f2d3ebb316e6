"""Views of the content origin only (see ContentOriginMiddleware)."""

import json
import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from ops.safeinput import InputRejected, json_read

from ..models import H5PContent, H5PUserData
from . import store
from .middleware import platform_origin
from .services import dependency_closure, serving_libraries
from .tokens import read_player_token

PLAYER_DIST = Path(settings.BASE_DIR) / "node_modules" / "h5p-standalone" / "dist"
PLAYER_OWN = Path(__file__).resolve().parent.parent / "static" / "h5p-player"
# How much H5P may save of a learner's state, and how often (settings.H5P_SAVE_FREQUENCY).
MAX_USER_DATA_BYTES = 256 * 1024
MAX_USER_DATA_DEPTH = 64  # H5P's own state (Interactive Book, Course Presentation) nests
USER_DATA_WRITES_PER_MINUTE = 60
_LIBRARY_FOLDER = re.compile(r"^(?P<name>[\w.-]+)-(?P<major>\d+)\.(?P<minor>\d+)$")
_SAFE_ID = re.compile(r"^[\w-]{1,64}$")


def _token(token: str) -> tuple[H5PContent, int]:
    data = read_player_token(token)
    if data is None:
        raise PermissionError
    content = H5PContent.objects.filter(pk=data["c"], status="ready").first()
    if content is None or not content.content_folder:
        raise Http404
    return content, int(data.get("u") or 0)


def _checked(relative: str) -> str:
    parts = relative.split("/")
    if not relative or any(part in {"", ".", ".."} or part.startswith(".") for part in parts):
        raise Http404
    if "\\" in relative or "\x00" in relative:
        raise Http404
    return relative


def _stream(folder: str, relative: str) -> FileResponse:
    opened = store.open_file(folder, _checked(relative))
    if opened is None:
        raise Http404
    handle, content_type = opened
    return FileResponse(handle, content_type=content_type)


def _disk_file(root: Path, relative: str) -> FileResponse:
    try:
        target = (root / relative).resolve()
        if not target.is_relative_to(root.resolve()) or not target.is_file():
            raise Http404
        handle = target.open("rb")
    except OSError as error:  # a name longer than the file system allows names nothing
        raise Http404 from error
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(handle, content_type=content_type)


def _saved_state(content: H5PContent, user_id: int) -> list:
    """H5P's preloaded content user data: [{dataType: data}] for the main content."""
    if not user_id:
        return []
    rows = H5PUserData.objects.filter(
        user_id=user_id, content=content, sub_content_id="", preload=True
    ).values_list("data_type", "data")
    return [dict(rows)] if rows else []


@require_GET
@xframe_options_exempt
def player(request, token: str):
    try:
        content, user_id = _token(token)
    except PermissionError:
        return HttpResponseForbidden(_("The link has expired or is invalid; reload the lesson."))
    base = f"/h5p/{token}"
    return render(
        request,
        "content/h5p/player.html",
        {
            "content": content,
            "files_base": f"{base}/files",
            "libraries_base": f"{base}/libraries",
            "user_data_url": f"{base}/user-data/:dataType/:subContentId/" if user_id else "",
            "saved_state": json.dumps(_saved_state(content, user_id)),
            "save_frequency": settings.H5P_SAVE_FREQUENCY if user_id else 0,
            "parent_origin": platform_origin(),
            "activity_iri": f"{platform_origin()}/h5p/activity/{content.uuid}",
        },
    )


@require_GET
def package_file(request, token: str, path: str):
    """The content's own files (h5p.json and content/), never a library's."""
    try:
        content, _user = _token(token)
    except PermissionError:
        return HttpResponseForbidden(_("The link has expired or is invalid; reload the lesson."))
    if path != "h5p.json" and not path.startswith("content/"):
        raise Http404
    return _stream(content.content_folder, path)


def _closure(content: H5PContent) -> dict:
    key = f"h5p-closure:{content.pk}:{content.package_hash}:{_store_generation()}"
    cached = cache.get(key)
    if cached is None:
        serving = serving_libraries()
        cached = {
            name: serving[name].folder
            for name in dependency_closure(content.dependencies, serving)
            if name in serving
        }
        cache.set(key, cached, 300)
    return cached


def _store_generation() -> str:
    """Changes whenever a library is installed or upgraded (rows are only ever added)."""
    from django.db.models import Count, Max

    from ..models import H5PLibrary

    found = H5PLibrary.objects.exclude(folder="").aggregate(n=Count("id"), last=Max("id"))
    return f"{found['n']}-{found['last']}"


@require_GET
def library_file(request, token: str, folder: str, path: str):
    """A library file from the shared store: the approved patch now serving the major.minor
    the content asks for, and only libraries the content needs."""
    try:
        content, _user = _token(token)
    except PermissionError:
        return HttpResponseForbidden(_("The link has expired or is invalid; reload the lesson."))
    match = _LIBRARY_FOLDER.match(folder)
    if match is None:
        raise Http404
    key = f"{match['name']} {int(match['major'])}.{int(match['minor'])}"
    store_folder = _closure(content).get(key)
    if store_folder is None:
        raise Http404
    return _stream(store_folder, path)


@csrf_exempt  # the content origin has no cookies: the signed token in the URL is the key
@require_http_methods(["GET", "POST"])
def user_data(request, token: str, data_type: str, sub_content_id: str):
    """h5p-standalone's content user data (ajax.contentUserDataUrl): the learner's saved
    state, so they resume where they left off on any device."""
    try:
        content, user_id = _token(token)
    except PermissionError:
        return JsonResponse(
            {"success": False, "message": _("The link has expired; reload the lesson.")},
            status=403,
        )
    if not user_id or not _SAFE_ID.match(data_type) or not _SAFE_ID.match(sub_content_id):
        return JsonResponse({"success": False, "message": _("The address is invalid.")}, status=400)
    sub = "" if sub_content_id == "0" else sub_content_id
    rows = H5PUserData.objects.filter(
        user_id=user_id, content=content, data_type=data_type, sub_content_id=sub
    )
    if request.method == "GET":
        row = rows.first()
        return JsonResponse({"success": True, "data": row.data if row else False})
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_USER_DATA_BYTES:
        return JsonResponse({"success": False, "message": _("The data is too large.")}, status=413)
    rate_key = f"h5p-user-data:{user_id}"
    cache.add(rate_key, 0, 60)
    if cache.incr(rate_key) > USER_DATA_WRITES_PER_MINUTE:
        return JsonResponse(
            {"success": False, "message": _("Too many saves; wait a minute.")}, status=429
        )
    data = request.POST.get("data", "")
    if data in ("", "0"):
        rows.delete()  # H5P sends data=0 to delete the saved state
        return JsonResponse({"success": True})
    try:
        json_read(data, max_bytes=MAX_USER_DATA_BYTES, max_depth=MAX_USER_DATA_DEPTH)
    except InputRejected as error:
        return JsonResponse({"success": False, "message": error.message}, status=error.status)
    H5PUserData.objects.update_or_create(
        user_id=user_id,
        content=content,
        data_type=data_type,
        sub_content_id=sub,
        defaults={"data": data, "preload": request.POST.get("preload") == "1"},
    )
    return JsonResponse({"success": True})


@require_GET
def player_asset(request, path: str):
    """h5p-standalone (installed from npm) and our small glue script."""
    if path.startswith("dist/"):
        return _disk_file(PLAYER_DIST, path.removeprefix("dist/"))
    return _disk_file(PLAYER_OWN, path)
