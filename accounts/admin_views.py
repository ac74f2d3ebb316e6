"""Wagtail admin screens for people and organisations."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import OrganisationChoiceField
from .models import Organisation, User
from .selectors import organisation_choices

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


class PlatformUserCreationForm(_PlatformUserFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = {"email", "is_superuser", "groups"} | PLATFORM_USER_FIELDS


class PlatformUserEditForm(_PlatformUserFields, UserEditForm):
    class Meta(UserEditForm.Meta):
        model = User
        fields = {"email", "is_active", "is_superuser", "groups"} | PLATFORM_USER_FIELDS


class UserViewSet(WagtailUserViewSet):
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
        fields = ["name", "agency_type", "province"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = organisation_choices()
        if self.instance.pk:
            # A node cannot move under itself or its own descendants.
            choices = choices.exclude(path__startswith=self.instance.path)
            self.fields["parent"].initial = self.instance.get_parent()
        self.fields["parent"].queryset = choices

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
        return instance


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    form_class = OrganisationForm
    icon = "site"
    menu_label = _("Organisations")
    menu_order = 610
    add_to_settings_menu = True
    list_display = ["display_path", "agency_type", "province"]
    list_filter = ["agency_type"]
    search_fields = ["name", "province"]
    ordering = ["path"]
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return OrganisationForm
