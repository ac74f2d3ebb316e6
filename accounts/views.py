from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .forms import ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts_profile")
    return render(request, "accounts/profile.html", {"form": form})


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
