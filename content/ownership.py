"""Items with an author (`owner`) that may be shared with every trainer (`shared`): the
question bank's questions and H5P activities. Who may open which is courses.items'; here is
only how an item gets its author."""

from wagtail.admin.forms import WagtailAdminModelForm


class OwnedItemForm(WagtailAdminModelForm):
    """The admin form of an item with an author: whoever creates it in the admin (its create
    view, a chooser's "create" tab, a copy) is its author, written with the item itself.
    Only its author and administrators share or unshare it; another trainer editing a
    shared item keeps it shared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance, user = self.instance, self.for_user
        if (
            "shared" in self.fields
            and not (instance._state.adding or instance.pk is None)
            and user is not None
            and instance.owner_id != user.pk
            and not (ADMINISTRATORS and ADMINISTRATORS[0](user))
        ):
            self.fields["shared"].disabled = True

    def save(self, commit=True):
        instance = self.instance
        # A copy starts from the original (its author included): the copier is the author.
        if (instance._state.adding or instance.pk is None) and self.for_user is not None:
            instance.owner = self.for_user
        return super().save(commit=commit)


# Who sees which item is decided above this app (courses.items knows roles and owners);
# it sets this at start-up. Until then, and without it, nothing is shown to anyone.
VISIBLE_ITEMS = []
# (user) -> bool: whether this person is an administrator (set by courses the same way).
ADMINISTRATORS = []


def visible_items(user, queryset):
    """The items of `queryset` (questions, H5P activities) that `user` may see and edit."""
    if not VISIBLE_ITEMS:
        return queryset.none()
    return VISIBLE_ITEMS[0](user, queryset)
