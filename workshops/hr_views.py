"""HR officers register their staff for sessions (and cancel for them). Under /hr/, so
behind the HR permission and the two-factor step; an officer sees only staff of their own
organisation and its sub-units."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors import organisation_subtree

from . import services
from .models import ACTIVE_REGISTRATION, Registration, TrainingSession
from .selectors import sessions_upcoming


def staff_in_scope(*, hr_user):
    users = get_user_model().objects.filter(is_active=True)
    if hr_user.is_superuser:
        return users
    if not hr_user.organisation_id:
        return users.none()
    return users.filter(organisation__in=organisation_subtree(organisation=hr_user.organisation))


class StaffRegistrationForm(forms.Form):
    session = forms.ModelChoiceField(
        label=gettext_lazy("Session"), queryset=TrainingSession.objects.none()
    )
    user = forms.ModelChoiceField(label=gettext_lazy("Staff member"), queryset=None)

    def __init__(self, *args, hr_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions_upcoming()
        self.fields["user"].queryset = staff_in_scope(hr_user=hr_user).order_by("full_name")


@permission_required("accounts.access_hr_area", raise_exception=True)
@require_http_methods(["GET", "POST"])
def hr_sessions(request):
    form = StaffRegistrationForm(request.POST or None, hr_user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                registration = services.registration_create(
                    user=form.cleaned_data["user"],
                    session=form.cleaned_data["session"],
                    by=request.user,
                )
            except services.WorkshopError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("%(name)s: %(status)s.")
                    % {
                        "name": registration.user.full_name,
                        "status": registration.get_status_display(),
                    },
                )
            return redirect("workshops_hr:sessions")
        messages.error(request, _("Choose a session and a staff member from the lists."))
    registrations = (
        Registration.objects.filter(
            status__in=ACTIVE_REGISTRATION,
            session__starts_at__gt=timezone.now(),
            user__in=staff_in_scope(hr_user=request.user),
        )
        .select_related("user", "session__step")
        .order_by("session__starts_at", "user__full_name")
    )
    return render(
        request,
        "workshops/hr_sessions.html",
        {"form": form, "registrations": registrations[:500]},
    )


@permission_required("accounts.access_hr_area", raise_exception=True)
@require_POST
def hr_cancel(request, registration_id: int):
    registration = get_object_or_404(
        Registration.objects.select_related("user", "session__step"),
        pk=registration_id,
        user__in=staff_in_scope(hr_user=request.user),
    )
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except services.WorkshopError as error:
        messages.error(request, str(error))
    else:
        messages.info(
            request, _("Registration of %(name)s cancelled.") % {"name": registration.user}
        )
    return redirect("workshops_hr:sessions")
