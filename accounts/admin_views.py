"""Wagtail admin screens for people and organisations."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import OrganisationChoiceField
from .models import Organisation, User
from .selectors import organisation_choices
from .sessionuser import all_users_changed

PLATFORM_USER_FIELDS = {"full_name", "staff_id", "job_role", "organisation"}


class _PlatformUserFields(forms.Form):
    # The model keeps one full name, as Vietnamese names are written.
    first_name = None
    last_name = None
    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("Organisation")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisation_choices()

    def clean(self):
        from .forms import staff_id_taken
        from .services import staff_id_taken_message

        cleaned = super().clean()
        staff_id = (cleaned.get("staff_id") or "").strip()
        organisation = cleaned.get("organisation")
        if (
            staff_id
            and organisation is not None
            and staff_id_taken(staff_id=staff_id, organisation=organisation, exclude=self.instance)
        ):
            self.add_error("staff_id", staff_id_taken_message())
        return cleaned


class PlatformUserCreationForm(_PlatformUserFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = {"email", "is_superuser", "groups"} | PLATFORM_USER_FIELDS


class PlatformUserEditForm(_PlatformUserFields, UserEditForm):
    class Meta(UserEditForm.Meta):
        model = User
        fields = {"email", "is_active", "is_superuser", "groups"} | PLATFORM_USER_FIELDS


class UserViewSet(WagtailUserViewSet):
    # An account is never copied (its roles, groups and password would come along).
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return PlatformUserEditForm if for_update else PlatformUserCreationForm


class OrganisationForm(WagtailAdminModelForm):
    """Places the organisation in the tree under the chosen parent."""

    parent = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Parent organisation"),
        empty_label=_("— None (top level) —"),
    )

    class Meta:
        model = Organisation
        fields = ["name", "code", "agency_type", "province"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = organisation_choices()
        if self.instance.pk:
            # A node cannot move under itself or its own descendants.
            choices = choices.exclude(path__startswith=self.instance.path)
            self.fields["parent"].initial = self.instance.get_parent()
        self.fields["parent"].queryset = choices

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("parent")
        if self.instance.pk and parent != self.instance.get_parent():
            new_root = parent.get_root() if parent else self.instance
            clashes = staff_id_clashes_after_move(unit=self.instance, new_root=new_root)
            if clashes:
                self.add_error(
                    "parent",
                    _(
                        "Moving this unit would give two accounts of one agency the same "
                        "staff ID (%(ids)s). Correct those staff IDs first."
                    )
                    % {"ids": ", ".join(clashes[:10])},
                )
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        parent = self.cleaned_data.get("parent")
        instance = self.instance
        if instance.pk is None:
            fields = {f: self.cleaned_data[f] for f in self._meta.fields}
            instance = parent.add_child(**fields) if parent else Organisation.add_root(**fields)
            self.instance = instance
            return instance
        instance.save()
        current_parent = instance.get_parent()
        if parent != current_parent:
            if parent is None:
                first_root = Organisation.get_first_root_node()
                instance.move(first_root, pos="sorted-sibling")
            else:
                instance.move(parent, pos="sorted-child")
            instance.refresh_from_db()
            # Its members (and its sub-units') now belong to the agency above it.
            User.objects.filter(organisation__path__startswith=instance.path).update(
                agency=instance.get_root()
            )
            all_users_changed()  # no signal from update(): the session users' cache
        return instance


def staff_id_clashes_after_move(*, unit: Organisation, new_root: Organisation) -> list[str]:
    """Staff IDs that members of `unit` (and its sub-units) share with accounts of the
    agency `new_root` outside `unit`."""
    moving = User.objects.filter(organisation__path__startswith=unit.path).exclude(staff_id="")
    staying = (
        User.objects.filter(agency=new_root)
        .exclude(organisation__path__startswith=unit.path)
        .filter(staff_id__in=moving.values("staff_id"))
    )
    return sorted(set(staying.values_list("staff_id", flat=True)))


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    form_class = OrganisationForm
    icon = "site"
    menu_label = _("Organisations")
    menu_order = 610
    add_to_settings_menu = True
    list_display = ["display_path", "code", "agency_type", "province"]
    list_filter = ["agency_type"]
    search_fields = ["name", "code", "province"]
    ordering = ["path"]
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return OrganisationForm
