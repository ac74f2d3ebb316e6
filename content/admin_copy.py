"""Copy views that copy (see CopyAsNewMixin), for every viewset of the admin.

Wagtail 8.0's copy views bind their form to the original object: the page they show posts
to the add view (which creates a new row), but a POST to the copy URL itself saves the
form into the original, so a user with "add" and "view" rights could overwrite an object
they may not change. ``apply()`` (from ContentConfig.ready) makes the copy view of every
ModelViewSet and SnippetViewSet, ours and Wagtail's, start from an unsaved copy instead.
"""

from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import CopyView as SnippetCopyView
from wagtail.snippets.views.snippets import SnippetViewSet


class CopyAsNewMixin:
    """The form starts from the original's values, its stable key left empty (keys are
    unique), and saving creates a new row (an OwnedItemForm makes the copier its author);
    unique fields the copy keeps are refused by the form's own validation."""

    def get_initial_form_instance(self):
        original = super().get_initial_form_instance()
        copy = type(original)._default_manager.get(pk=original.pk)
        copy.pk = None
        copy._state.adding = True
        if hasattr(copy, "key"):
            copy.key = ""
        return copy


class CopyAsNewView(CopyAsNewMixin, SnippetCopyView):
    pass


class ModelCopyAsNewView(CopyAsNewMixin, generic.CopyView):
    pass


def apply():
    """Default copy views for viewsets that do not name their own (URLs are built after
    every app's ready(), so this reaches all of them)."""
    if SnippetViewSet.copy_view_class is SnippetCopyView:
        SnippetViewSet.copy_view_class = CopyAsNewView
    if ModelViewSet.copy_view_class is generic.CopyView:
        ModelViewSet.copy_view_class = ModelCopyAsNewView
