from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services
from .forms import OrganisationChangeForm, ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    from .models import ChangeRequestStatus

    change_form = OrganisationChangeForm(user=request.user)
    if request.method == "POST" and "to_organisation" in request.POST:
        change_form = OrganisationChangeForm(request.POST, user=request.user)
        if change_form.is_valid():
            try:
                services.organisation_change_request(
                    user=request.user,
                    to_organisation=change_form.cleaned_data["to_organisation"],
                    staff_id=change_form.cleaned_data["staff_id"],
                    reason=change_form.cleaned_data["reason"],
                    request=request,
                )
            except services.OrganisationChangeError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Request sent. You stay in your current organisation until an HR "
                        "officer of the new one approves it."
                    ),
                )
                return redirect("accounts_profile")
        form = ProfileForm(instance=request.user, request=request)
    else:
        form = ProfileForm(request.POST or None, instance=request.user, request=request)
        if request.method == "POST" and form.is_valid() and form.save() is not None:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts_profile")
    pending = request.user.organisation_requests.filter(
        status=ChangeRequestStatus.PENDING
    ).select_related("to_organisation")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "change_form": change_form, "pending": pending.first()},
    )


def to_allauth(url_name: str):
    """A view that sends a dependency's own sign-in, sign-out or password URL to allauth's,
    so allauth's rate limits, e-mail verification and two-factor step apply to every way in.
    A sign-out POST keeps its method (307), so the form's CSRF token still signs the person
    out; a sign-in POST becomes a GET of allauth's form, and its password is dropped."""

    @csrf_exempt
    def view(request, *args, **kwargs):
        target = reverse(url_name)
        next_url = request.GET.get("next")
        if next_url:
            target = f"{target}?{urlencode({'next': next_url})}"
        response = HttpResponseRedirect(target)
        if request.method == "POST" and url_name == "account_logout":
            response.status_code = 307
        return response

    view.allauth_equivalent = url_name
    return view
