"""A copy view that copies (see CopyAsNewView)."""

from wagtail.snippets.views.snippets import CopyView


class CopyAsNewView(CopyView):
    """Wagtail 8.0's copy view binds its form to the original object, so "copying" saved
    over the original (its author and all). Here the copy is a new object: the form starts
    from the original's values, its stable key left empty (keys are unique), and saving
    creates a row whose author is the copier (OwnedItemForm)."""

    def get_initial_form_instance(self):
        original = super().get_initial_form_instance()
        copy = type(original)._default_manager.get(pk=original.pk)
        copy.pk = None
        copy._state.adding = True
        if hasattr(copy, "key"):
            copy.key = ""
        return copy
