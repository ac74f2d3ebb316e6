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
    """A person's own profile. The organisation is chosen once; after that it is shown but
    not taken from the form (a tampered post changes nothing): moving is a request."""

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

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["organisation"].queryset = organisation_choices()
        self.fields["job_role"].choices = JobRole.choices
        if self.instance.organisation_id:
            field = self.fields["organisation"]
            field.disabled = True
            field.help_text = _(
                "To move to another organisation, send a request below: an HR officer of "
                "that organisation approves it."
            )
        else:
            self.fields["organisation"].help_text = _(
                "Choose carefully: once set, a move needs the approval of the new "
                "organisation's HR department."
            )

    def clean_full_name(self):
        return full_name_clean(self.cleaned_data["full_name"])

    def clean(self):
        cleaned = super().clean()
        staff_id = (cleaned.get("staff_id") or "").strip()
        organisation = self.instance.organisation or cleaned.get("organisation")
        if staff_id and organisation is None:
            self.add_error("staff_id", _("Choose your organisation before your staff ID."))
        elif staff_id and staff_id_taken(
            staff_id=staff_id, organisation=organisation, exclude=self.instance
        ):
            self.add_error("staff_id", services.staff_id_taken_message())
        return cleaned

    def save(self, commit=True):
        try:
            return services.profile_update(
                user=self.instance,
                full_name=self.cleaned_data["full_name"],
                staff_id=self.cleaned_data.get("staff_id", ""),
                job_role=self.cleaned_data["job_role"],
                organisation=self.cleaned_data.get("organisation"),
                request=self.request,
            )
        except services.StaffIdTaken as error:
            # Someone else took it between the check above and the save.
            self.instance.refresh_from_db()
            self.add_error("staff_id", str(error))
            return None


def staff_id_taken(*, staff_id: str, organisation: Organisation, exclude=None) -> bool:
    from .models import agency_id_of

    clash = User.objects.filter(agency_id=agency_id_of(organisation), staff_id=staff_id)
    if exclude is not None and exclude.pk:
        clash = clash.exclude(pk=exclude.pk)
    return clash.exists()


class OrganisationChangeForm(forms.Form):
    to_organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        label=_("New organisation"),
        empty_label=_("— Choose the unit you are moving to —"),
    )
    staff_id = forms.CharField(
        label=_("Staff ID in the new organisation"),
        max_length=50,
        required=False,
        help_text=_("Leave empty to keep your current staff ID."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        min_length=5,
        help_text=_("e.g. transferred by decision no. 12/QĐ of 1 December 2026."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["to_organisation"].queryset = organisation_choices().exclude(
            pk=user.organisation_id
        )

    def clean(self):
        cleaned = super().clean()
        staff_id = (cleaned.get("staff_id") or "").strip() or self.user.staff_id
        target = cleaned.get("to_organisation")
        if (
            staff_id
            and target is not None
            and staff_id_taken(staff_id=staff_id, organisation=target, exclude=self.user)
        ):
            self.add_error("staff_id", services.staff_id_taken_message())
        return cleaned
