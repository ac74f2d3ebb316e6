from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import H5PContent, H5PLibrary, H5PStatus
from .ownership import visible_items


@hooks.register("after_create_snippet")
def h5p_after_create(request, instance):
    if isinstance(instance, H5PContent):
        from .h5p.services import h5p_content_enqueue

        # Checking and unpacking run as a background task, never inside the request's save().
        h5p_content_enqueue(content=instance, uploaded_by=request.user)


@hooks.register("after_edit_snippet")
def h5p_after_edit(request, instance):
    if isinstance(instance, H5PContent):
        from .h5p.services import h5p_content_enqueue, package_unchanged

        if package_unchanged(content=instance):
            return  # only the title changed
        # Whoever uploads the new file is its uploader: their rights decide on libraries.
        h5p_content_enqueue(content=instance, uploaded_by=request.user)


class _VisibleH5PContent:
    """A trainer chooses their own activities and the shared ones (courses.items, which
    registers the rule: content depends on nothing that knows roles)."""

    def get_object_list(self):
        return visible_items(self.request.user, super().get_object_list())


class H5PContentChooseView(_VisibleH5PContent, ChooseView):
    pass


class H5PContentChooseResultsView(_VisibleH5PContent, ChooseResultsView):
    pass


class H5PContentChooserViewSet(SnippetChooserViewSet):
    choose_view_class = H5PContentChooseView
    choose_results_view_class = H5PContentChooseResultsView


class H5PContentViewSet(SnippetViewSet):
    model = H5PContent
    icon = "pick"
    list_display = [
        "title",
        "status",
        Column("problems_text", label=gettext_lazy("Problems found")),
        "main_library",
        "size",
        Column("uploaded_by", label=gettext_lazy("Uploaded by")),
        Column("owner", label=gettext_lazy("Author")),
        BooleanColumn("shared", label=gettext_lazy("Shared")),
    ]
    list_filter = ["status", "shared"]
    chooser_viewset_class = H5PContentChooserViewSet
    # A copy would share the original's package, folder and unique id: upload the file again.
    copy_view_enabled = False

    def get_queryset(self, request):
        queryset = H5PContent.objects.select_related("uploaded_by", "owner")
        return visible_items(request.user, queryset)

    def get_list_more_buttons(self, instance):  # pragma: no cover - exercised in the admin
        buttons = super().get_list_more_buttons(instance)
        if instance.status == H5PStatus.AWAITING_LIBRARY and self.request.user.has_perm(
            "content.add_h5plibrary"
        ):
            buttons.append(
                MenuItem(
                    _("Approve its libraries and check again"),
                    url=reverse("content_h5p_approve", args=[instance.pk]),
                    icon_name="tick",
                    priority=60,
                )
            )
        return buttons


@require_http_methods(["GET", "POST"])
def approve_libraries(request, content_id: int):
    """GET shows what the package would install (new libraries, upgrades with their changed
    files); POST approves exactly that and checks the package again."""
    from .h5p.services import h5p_libraries_approve, may_approve_libraries

    if not may_approve_libraries(request.user):
        raise PermissionDenied
    content = get_object_or_404(H5PContent, pk=content_id)
    if request.method == "GET" or content.status != H5PStatus.AWAITING_LIBRARY:
        return TemplateResponse(
            request,
            "content/h5p/approve_libraries.html",
            {
                "content": content,
                "pending": content.pending_libraries,
                "waiting": content.status == H5PStatus.AWAITING_LIBRARY,
            },
        )
    content = h5p_libraries_approve(content=content, by=request.user)
    messages.success(
        request,
        _("Libraries approved; the activity is now: %(status)s")
        % {"status": content.get_status_display()},
    )
    return redirect("wagtailsnippets_content_h5pcontent:list")


@hooks.register("register_admin_urls")
def register_h5p_admin_urls():
    return [
        path(
            "h5p/<int:content_id>/approve-libraries/",
            approve_libraries,
            name="content_h5p_approve",
        )
    ]


class _InstalledOnly(ModelPermissionPolicy):
    """Libraries come only from checked packages (services), never from a form."""

    def user_has_permission(self, user, action):
        return action not in {"add", "change", "delete", "copy"} and super().user_has_permission(
            user, action
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


register_permission_policy(H5PLibrary, _InstalledOnly(H5PLibrary))


class H5PLibraryViewSet(SnippetViewSet):
    model = H5PLibrary
    icon = "code"
    inspect_view_enabled = True
    list_display = [
        "machine_name",
        Column("version", label=gettext_lazy("Version")),
        "files_hash",
        "approved_by",
        "approved_at",
    ]
    list_filter = ["machine_name"]


register_snippet(H5PContentViewSet)
register_snippet(H5PLibraryViewSet)


@hooks.register("insert_global_admin_js")
def ascii_slug_js():
    return format_html('<script src="{}"></script>', static("content/admin/ascii-slugs.js"))


@hooks.register("insert_global_admin_js")
def accessible_names_js():
    # Names and keyboard access Wagtail's admin leaves out (rich-text editors, dialogs...).
    return format_html('<script src="{}"></script>', static("content/admin/accessible-names.js"))


@hooks.register("insert_editor_js")
def create_token_js():
    return format_html('<script src="{}"></script>', static("content/admin/create-token.js"))


@hooks.register("before_create_page")
def drop_autosaved_draft_of_this_form(request, parent_page, page_class):
    from .authoring import before_create

    return before_create(request)


@hooks.register("after_create_page")
def remember_page_of_this_form(request, page):
    from .authoring import after_create

    after_create(request, page)
