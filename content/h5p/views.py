"""Views of the content origin only (see ContentOriginMiddleware)."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseForbidden
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from ..models import H5PContent
from .middleware import platform_origin
from .services import content_folder
from .tokens import read_player_token

PLAYER_DIST = Path(settings.BASE_DIR) / "node_modules" / "h5p-standalone" / "dist"
PLAYER_OWN = Path(__file__).resolve().parent.parent / "static" / "h5p-player"


def _content(token: str) -> H5PContent:
    data = read_player_token(token)
    if data is None:
        raise PermissionError
    content = H5PContent.objects.filter(pk=data["c"], status="ready").first()
    if content is None:
        raise Http404
    return content


def _inside(root: Path, relative: str) -> Path:
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()) or not target.is_file():
        raise Http404
    return target


def _file(target: Path) -> FileResponse:
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(target.open("rb"), content_type=content_type)


@require_GET
@xframe_options_exempt
def player(request, token: str):
    try:
        content = _content(token)
    except PermissionError:
        return HttpResponseForbidden("expired or invalid link")
    return render(
        request,
        "content/h5p/player.html",
        {
            "content": content,
            "files_base": f"/h5p/{token}/files",
            "parent_origin": platform_origin(),
            "activity_iri": f"{platform_origin()}/h5p/activity/{content.uuid}",
        },
    )


@require_GET
def package_file(request, token: str, path: str):
    try:
        content = _content(token)
    except PermissionError:
        return HttpResponseForbidden("expired or invalid link")
    return _file(_inside(content_folder(content), path))


@require_GET
def player_asset(request, path: str):
    """h5p-standalone (installed from npm) and our small glue script."""
    if path.startswith("dist/"):
        return _file(_inside(PLAYER_DIST, path.removeprefix("dist/")))
    return _file(_inside(PLAYER_OWN, path))
