from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import H5PContent, H5PLibrary, H5PStatus


def _process(instance, *, uploaded_by=None):
    from .tasks import process_h5p_package

    fields = {"status": H5PStatus.PROCESSING, "problems": []}
    if uploaded_by is not None:
        fields["uploaded_by"] = uploaded_by
    H5PContent.objects.filter(pk=instance.pk).update(**fields)
    # Checking and unpacking run as a background task, never inside the request's save().
    process_h5p_package.enqueue(instance.pk)


@hooks.register("after_create_snippet")
def h5p_after_create(request, instance):
    if isinstance(instance, H5PContent):
        _process(instance, uploaded_by=request.user)


@hooks.register("after_edit_snippet")
def h5p_after_edit(request, instance):
    if isinstance(instance, H5PContent):
        _process(instance)


class H5PContentViewSet(SnippetViewSet):
    model = H5PContent
    icon = "pick"
    list_display = ["title", "status", "problems_text", "main_library", "size", "uploaded_by"]
    list_filter = ["status"]


class H5PLibraryViewSet(SnippetViewSet):
    model = H5PLibrary
    icon = "code"
    list_display = ["machine_name", "major_version", "minor_version", "approved_by"]


register_snippet(H5PContentViewSet)
register_snippet(H5PLibraryViewSet)
