from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import JobRole, Organisation, User
from .selectors import organisation_choices


def full_name_clean(value: str) -> str:
    """A full name as written, with runs of spaces folded."""
    name = " ".join(value.split())
    if len(name) < 2:
        raise forms.ValidationError(_("Please enter your full name."))
    return name


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        # Indent by depth so the tree reads in a plain <select>.
        return "\u00a0\u00a0" * (obj.depth - 1) + obj.name


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form gains (allauth makes this a base of its form)."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As written on your staff card, e.g. Nguyễn Thị Minh Anh."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["full_name", "email", "password1", "password2"]

    def clean_full_name(self):
        return full_name_clean(self.cleaned_data["full_name"])

    def signup(self, request, user):
        services.trainee_register(user=user, full_name=self.cleaned_data["full_name"])


class ProfileForm(forms.ModelForm):
    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Organisation"),
        empty_label=_("— Choose your unit —"),
    )

    class Meta:
        model = User
        fields = ["full_name", "staff_id", "job_role", "organisation"]
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisation_choices()
        self.fields["job_role"].choices = JobRole.choices

    def clean_full_name(self):
        return full_name_clean(self.cleaned_data["full_name"])

    def clean(self):
        cleaned = super().clean()
        staff_id = (cleaned.get("staff_id") or "").strip()
        organisation = cleaned.get("organisation")
        if staff_id and organisation is not None:
            clash = User.objects.filter(organisation=organisation, staff_id=staff_id).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error(
                    "staff_id",
                    _("Another account in this organisation already uses this staff ID."),
                )
        return cleaned

    def save(self, commit=True):
        return services.profile_update(
            user=self.instance,
            full_name=self.cleaned_data["full_name"],
            staff_id=self.cleaned_data.get("staff_id", ""),
            job_role=self.cleaned_data["job_role"],
            organisation=self.cleaned_data.get("organisation"),
        )
